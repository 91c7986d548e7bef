import { describe, expect, it } from 'vitest';
import { generateId } from '../ids';
import { feedbackIdFrom, feedbackToken, feedbackUrl } from './links';

describe('feedback links', () => {
	const id = generateId();

	it('are reproducible from the secret and name exactly one feedback row', () => {
		const token = feedbackToken('secret', id);
		expect(feedbackToken('secret', id)).toBe(token);
		expect(feedbackIdFrom('secret', token)).toBe(id);
		expect(feedbackUrl({ origin: 'https://example.org', secret: 'secret' }, id)).toBe(`https://example.org/feedback/${token}`);
	});

	it('refuse forged, foreign and malformed tokens', () => {
		const token = feedbackToken('secret', id);
		const other = generateId();
		expect(feedbackIdFrom('another secret', token)).toBeNull();
		// The secret half of one row's link does not open another row.
		expect(feedbackIdFrom('secret', `${other}.${token.split('.')[1]}`)).toBeNull();
		expect(feedbackIdFrom('secret', token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a'))).toBeNull();
		expect(feedbackIdFrom('secret', '')).toBeNull();
		expect(feedbackIdFrom('secret', `${id}.`)).toBeNull();
	});
});
