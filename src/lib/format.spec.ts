import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatEventTime, formatMonth, formatNumber, formatTime } from './format';
import { intlLocale, nativeLanguageName, textDirection } from './locale';
import { formatHours } from './record-format';

// 18:00 in Vienna on Thursday 8 April 2027 (summer time, UTC+2).
const start = new Date('2027-04-08T16:00:00Z');
const end = new Date('2027-04-08T18:30:00Z');

describe('formatting by locale', () => {
	it('keeps the Austrian German and British English conventions', () => {
		expect(intlLocale('de')).toBe('de-AT');
		expect(intlLocale('en')).toBe('en-GB');
		expect(formatEventTime(start, end, 'Europe/Vienna', 'de')).toBe('Donnerstag, 8. April 2027, 18:00–20:30 Uhr');
		expect(formatEventTime(start, end, 'Europe/Vienna', 'en')).toBe('Thursday, 8 April 2027, 18:00–20:30');
		expect(formatMonth(1, 'de')).toBe('Jänner');
		expect(formatMonth(1, 'en')).toBe('January');
	});

	it('writes a time span in each language\'s own pattern, and names the end\'s day past midnight', () => {
		expect(formatEventTime(start, end, 'Europe/Vienna', 'ar')).toBe('الخميس، 8 أبريل 2027، 6:00–8:30 م');
		expect(formatEventTime(start, end, 'Europe/Vienna', 'uk')).toBe('четвер, 8 квітня 2027\u202fр., 18:00–20:30');
		const lateEnd = new Date('2027-04-08T23:30:00Z');
		expect(formatEventTime(start, lateEnd, 'Europe/Vienna', 'de')).toMatch(/^Donnerstag, 8\. April 2027 um 18:00\s–\sFreitag, 9\. April 2027 um 01:30$/);
	});

	it('shows times in the given zone, not the server’s', () => {
		expect(formatTime(start, 'de', 'Europe/Vienna')).toBe('18:00');
		expect(formatTime(start, 'en', 'Europe/London')).toBe('17:00');
		expect(formatDateTime(start, 'de', 'Europe/Vienna')).toBe('08.04.2027, 18:00');
		// 22:30 UTC is already the next day in Vienna, still the same day in London.
		expect(formatDate(new Date('2027-04-08T22:30:00Z'), 'de', 'Europe/Vienna')).toBe('09.04.2027');
		expect(formatDate(new Date('2027-04-08T22:30:00Z'), 'en', 'Europe/London')).toBe('8 Apr 2027');
	});

	it('formats numbers in the reader’s convention', () => {
		expect(formatNumber(1234.5, 'de')).toBe('1\u00a0234,5');
		expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
		expect(formatHours(90, 'de')).toBe('1,5');
		expect(formatHours(90, 'en')).toBe('1.5');
	});

	it('falls back to the locale itself for a language without an entry', () => {
		expect(intlLocale('tr')).toBe('tr');
		expect(formatMonth(1, 'tr')).toBe('Ocak');
	});
});

describe('locale facts', () => {
	it('knows which languages are written right to left', () => {
		expect(['ar', 'fa', 'he', 'ur', 'ar-EG'].map(textDirection)).toEqual(['rtl', 'rtl', 'rtl', 'rtl', 'rtl']);
		expect(['de', 'en', 'tr', 'uk', 'bs'].map(textDirection)).toEqual(['ltr', 'ltr', 'ltr', 'ltr', 'ltr']);
	});

	it('names each language in itself, capitalised where the script has capitals', () => {
		expect(['de', 'en', 'tr', 'ar', 'uk', 'bs'].map(nativeLanguageName)).toEqual(['Deutsch', 'English', 'Türkçe', 'العربية', 'Українська', 'Bosanski']);
	});
});
