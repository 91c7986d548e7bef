import { describe, expect, it } from 'vitest';
import { anonymiseAddress, withoutEmails } from './log-privacy';

describe('log privacy', () => {
	it('keeps only the network of an address', () => {
		expect(anonymiseAddress('203.0.113.57')).toBe('203.0.113.0');
		expect(anonymiseAddress('::ffff:198.51.100.7')).toBe('198.51.100.0');
		expect(anonymiseAddress('2001:db8:85a3:1:2:3:4:5')).toBe('2001:db8:85a3::/48');
		expect(anonymiseAddress('2001:db8::1')).toBe('2001:db8:0::/48');
		expect(anonymiseAddress('::1')).toBe('0:0:0::/48');
		expect(anonymiseAddress('not an address')).toBe('unknown');
	});

	it('takes email addresses out of messages, also inside an SMTP answer', () => {
		expect(withoutEmails('550 5.1.1 <anna.berger@example.org>: Recipient address rejected')).toBe('550 5.1.1 <<email>>: Recipient address rejected');
		expect(withoutEmails('to a+b@mail.example.at, cc x@y.de')).toBe('to <email>, cc <email>');
		expect(withoutEmails('connect ECONNREFUSED 127.0.0.1:587')).toBe('connect ECONNREFUSED 127.0.0.1:587');
	});
});
