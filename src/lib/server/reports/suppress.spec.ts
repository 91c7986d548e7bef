import { describe, expect, it } from 'vitest';
import { HIDDEN, rate, suppress, suppressParts, SUPPRESSED } from './suppress';

describe('suppression of small counts of people', () => {
	it('hides 1 to 4, shows 0 and 5 or more', () => {
		expect([0, 1, 4, 5, 12].map(suppress)).toEqual([0, SUPPRESSED, SUPPRESSED, 5, 12]);
	});

	it('hides a second part when one hidden part could be recomputed from the total', () => {
		// 10 + 3 + 7 = 20: with 20 and 10 shown, 3 would follow from 7; so the 7 goes as well.
		expect(suppressParts([10, 3, 7, 0])).toEqual([10, SUPPRESSED, HIDDEN, 0]);
		// Two hidden parts already protect each other.
		expect(suppressParts([10, 3, 2])).toEqual([10, SUPPRESSED, SUPPRESSED]);
		// A hidden total needs no help.
		expect(suppressParts([3, 0])).toEqual([SUPPRESSED, 0]);
		expect(suppressParts([6, 8])).toEqual([6, 8]);
	});

	it('gives no rate from a suppressed count or an empty base', () => {
		expect(rate(9, 11)).toBe(82);
		expect(rate(3, 11)).toBeNull();
		expect(rate(0, 0)).toBeNull();
		expect(rate(0, 12)).toBe(0);
	});
});
