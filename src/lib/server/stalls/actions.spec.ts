import { describe, expect, it } from 'vitest';
import { applicableActions, canTake } from './actions';

describe('applicableActions', () => {
	it('offers an assigned request only a move or taking it back', () => {
		expect(applicableActions('approved')).toEqual(['move', 'cancel']);
		expect(canTake('approved', 'assign')).toBe(false);
		expect(canTake('approved', 'waitlist')).toBe(false);
		expect(canTake('approved', 'reject')).toBe(false);
	});

	it('offers open requests a decision and closed ones nothing', () => {
		expect(applicableActions('requested')).toEqual(['assign', 'waitlist', 'reject']);
		expect(applicableActions('waitlisted')).toEqual(['assign', 'reject']);
		expect(applicableActions('rejected')).toEqual([]);
		expect(applicableActions('cancelled')).toEqual([]);
	});
});
