import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthsFromPresence } from './presence';

const range = (first: number, last: number) => {
	const months: number[] = [];
	for (let m = first; ; m = (m % 12) + 1) {
		months.push(m);
		if (m === last) break;
	}
	return months.sort((a, b) => a - b);
};

describe('monthsFromPresence', () => {
	it.each([
		['Mai bis September', [5, 6, 7, 8, 9]],
		['Mai bis September, jedes zweite Wochenende', [5, 6, 7, 8, 9]],
		['Juli und August', [7, 8]],
		['Juni, Juli, August', [6, 7, 8]],
		['Juli/August', [7, 8]],
		['Dezember–März', [1, 2, 3, 12]],
		['von Oktober bis Februar', [1, 2, 10, 11, 12]],
		['zwischen Mai und September', [5, 6, 7, 8, 9]],
		['Ende Mai bis Anfang September 2025', [5, 6, 7, 8, 9]],
		['Mai 2025 - Sept. 2025', [5, 6, 7, 8, 9]],
		['June to August', [6, 7, 8]],
		['from May until October', [5, 6, 7, 8, 9, 10]],
		['from may to july', [5, 6, 7]],
		['March through May and in December', [3, 4, 5, 12]],
		['Jan, Feb, Mär', [1, 2, 3]],
		['Mrz bis Okt', [3, 4, 5, 6, 7, 8, 9, 10]],
		['Jänner und Feber', [1, 2]],
		['Sept–Dez', [9, 10, 11, 12]],
		['Dec-Feb', [1, 2, 12]]
	])('reads months and ranges: %s', (text, months) => {
		expect(monthsFromPresence(text)).toEqual(months);
	});

	it.each([
		['im Winter', [1, 2, 12]],
		['im Sommer', [6, 7, 8]],
		['Frühling und Herbst', [3, 4, 5, 9, 10, 11]],
		['im Frühjahr', [3, 4, 5]],
		['in the fall', [9, 10, 11]],
		['spring and autumn', [3, 4, 5, 9, 10, 11]],
		['die Sommermonate', [6, 7, 8]],
		['Herbst bis Frühjahr', [1, 2, 3, 4, 5, 9, 10, 11, 12]],
		['Mai bis Herbst', [5, 6, 7, 8, 9, 10, 11]],
		['im Sommerhalbjahr', [4, 5, 6, 7, 8, 9]],
		['Winterhalbjahr', [1, 2, 3, 10, 11, 12]]
	])('reads seasons: %s', (text, months) => {
		expect(monthsFromPresence(text)).toEqual(months);
	});

	it.each([
		['außer im Juli und August', [1, 2, 3, 4, 5, 6, 9, 10, 11, 12]],
		['all year except December', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]],
		['im Winter nicht', [3, 4, 5, 6, 7, 8, 9, 10, 11]],
		['Mai bis September, im August nicht', [5, 6, 7, 9]],
		['Mai bis September, aber nicht im August', [5, 6, 7, 9]],
		['Juli nicht, August ja', [8]]
	])('reads negations: %s', (text, months) => {
		expect(monthsFromPresence(text)).toEqual(months);
	});

	it.each([
		['jedes zweite Wochenende', []],
		['', []],
		['ganzjährig', []],
		['you may come whenever', []],
		['auf jeden Fall', []],
		['weiß ich noch nicht', []]
	])('returns [] when nothing says which months: %s', (text, months) => {
		expect(monthsFromPresence(text)).toEqual(months);
	});

	it.each([
		['weiß nicht, Juli', [7]],
		['nicht nur im Sommer', [6, 7, 8]],
		['auf jeden Fall im Sommer', [6, 7, 8]],
		['I may come in May', [5]]
	])('does not take everyday words for months or negations: %s', (text, months) => {
		expect(monthsFromPresence(text)).toEqual(months);
	});

	const NAMES: string[][] = [
		['Januar', 'Jänner', 'Jan', 'January'],
		['Februar', 'Feb', 'February'],
		['März', 'Mär', 'Mrz', 'March'],
		['April', 'Apr'],
		['Mai', 'May'],
		['Juni', 'Jun', 'June'],
		['Juli', 'Jul', 'July'],
		['August', 'Aug'],
		['September', 'Sept', 'Sep'],
		['Oktober', 'Okt', 'October', 'Oct'],
		['November', 'Nov'],
		['Dezember', 'Dez', 'December', 'Dec']
	];
	const monthName = fc
		.integer({ min: 1, max: 12 })
		.chain((m) => fc.constantFrom(...(NAMES[m - 1] as string[])).map((name) => ({ m, name })));

	it('reads any range of month names with any connector, wrapping over the new year', () => {
		fc.assert(
			fc.property(
				monthName,
				monthName,
				fc.constantFrom(' bis ', ' to ', ' until ', '–', ' - ', '-', ' bis Ende ', ' through '),
				fc.constantFrom('', 'von ', 'from ', 'ab Anfang '),
				({ m: first, name: a }, { m: last, name: b }, connector, prefix) => {
					expect(monthsFromPresence(`${prefix}${a}${connector}${b}`)).toEqual(range(first, last));
				}
			)
		);
	});

	it('reads any list of month names', () => {
		fc.assert(
			fc.property(fc.array(monthName, { minLength: 1, maxLength: 5 }), fc.constantFrom(', ', ' und ', ' and ', '/', ' & '), (names, separator) => {
				const expected = [...new Set(names.map((n) => n.m))].sort((a, b) => a - b);
				expect(monthsFromPresence(names.map((n) => n.name).join(separator))).toEqual(expected);
			})
		);
	});

	it('always returns sorted unique months 1–12', () => {
		const words = fc.constantFrom('Mai', 'bis', 'Juli', 'und', 'nicht', 'außer', 'Winter', '–', ',', 'jedes', 'Wochenende', 'zwischen', 'im', 'may', 'fall', 'aber', '.');
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.array(words).map((w) => w.join(' '))), (text) => {
				const months = monthsFromPresence(text);
				expect(months).toEqual([...new Set(months)].sort((a, b) => a - b));
				for (const m of months) expect(Number.isInteger(m) && m >= 1 && m <= 12).toBe(true);
			}),
			{ numRuns: 500 }
		);
	});
});
