import { afterEach, describe, expect, it } from 'vitest';
import { describeRule } from './recurrence-format';
import { baseLocale, overwriteGetLocale } from './paraglide/runtime';

const wednesday = new Date('2027-02-10T18:00:00Z');

describe('rules in words', () => {
	afterEach(() => overwriteGetLocale(() => baseLocale));

	it('says the patterns of the form in German', () => {
		overwriteGetLocale(() => 'de');
		const say = (rule: string) => describeRule(rule, wednesday, 'Europe/Vienna', 'de');
		expect(say('FREQ=MONTHLY;BYDAY=2WE;COUNT=10')).toBe('jeden 2. Mittwoch im Monat');
		expect(say('FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231T235959Z')).toBe('jeden letzten Freitag im Monat');
		expect(say('FREQ=WEEKLY;INTERVAL=2;COUNT=5')).toBe('alle zwei Wochen am Mittwoch');
		expect(say('FREQ=WEEKLY;COUNT=5')).toBe('jede Woche am Mittwoch');
		expect(say('FREQ=YEARLY;COUNT=2')).toBe('jedes Jahr am selben Tag');
	});

	it('says them in English', () => {
		overwriteGetLocale(() => 'en');
		expect(describeRule('FREQ=MONTHLY;BYDAY=2WE;COUNT=10', wednesday, 'Europe/Vienna', 'en')).toBe('every second Wednesday of the month');
		expect(describeRule('FREQ=MONTHLY;BYDAY=-1FR;COUNT=3', wednesday, 'Europe/Vienna', 'en')).toBe('the last Friday of every month');
	});

	it('leaves any other rule to be shown as written', () => {
		for (const rule of ['FREQ=YEARLY;BYMONTH=4,10;BYDAY=2TH', 'FREQ=MONTHLY', 'FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO', 'FREQ=DAILY']) {
			expect(describeRule(rule, wednesday, 'Europe/Vienna', 'de'), rule).toBeNull();
		}
		expect(describeRule(null, wednesday, 'Europe/Vienna', 'de')).toBeNull();
	});
});
