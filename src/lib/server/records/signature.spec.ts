import { describe, expect, it } from 'vitest';
import { canonical, isValid, sign, type SignedRecord } from './signature';

const record: SignedRecord = {
	id: 'abcdefghijklmnopqrstuvwx',
	personName: 'Anna Berger',
	periodFrom: '2026-05-07',
	periodTo: '2026-09-10',
	entries: [{ kind: 'event', date: '2026-05-07', title: 'Gesprächsrunde', organiser: 'Imst', minutes: 120 }],
	totalMinutes: 120,
	issuedAt: '2026-12-01T12:00:00.000Z'
};

describe('record signature', () => {
	it('does not depend on the order in which an entry object was built', () => {
		const reordered = { ...record, entries: [{ minutes: 120, organiser: 'Imst', title: 'Gesprächsrunde', date: '2026-05-07', kind: 'event' as const }] };
		expect(canonical(reordered)).toBe(canonical(record));
		expect(sign('k', reordered)).toBe(sign('k', record));
	});

	it('changes with any signed field and with the key', () => {
		const signature = sign('k', record);
		expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(isValid('k', record, signature)).toBe(true);
		expect(isValid('other', record, signature)).toBe(false);
		expect(isValid('k', { ...record, personName: 'Anna Bergerin' }, signature)).toBe(false);
		expect(isValid('k', { ...record, totalMinutes: 121 }, signature)).toBe(false);
		expect(isValid('k', { ...record, entries: [{ ...record.entries[0]!, minutes: 180 }] }, signature)).toBe(false);
		// A field's text moved into its neighbour must not give the same bytes.
		expect(canonical({ ...record, periodFrom: '2026-05-07"', periodTo: '2026-09-10' })).not.toBe(canonical(record));
	});
});
