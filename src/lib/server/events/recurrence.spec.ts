import { describe, expect, it } from 'vitest';
import { expandRecurrence, RecurrenceError, ruleFor, utcToZoned, weekdayInMonth, withEnd, zonedToUtc } from './recurrence';

const base = {
	timeZone: 'Europe/Vienna',
	durationMinutes: 150,
	from: new Date('2027-01-01T00:00:00Z'),
	until: new Date('2029-01-01T00:00:00Z'),
	limit: 50
};

describe('expandRecurrence', () => {
	it('expands "second Thursday of April and October, 18:00–20:30" in local time across DST', () => {
		const dates = expandRecurrence({ ...base, rrule: 'FREQ=YEARLY;BYMONTH=4,10;BYDAY=2TH', firstStartLocal: '2027-04-08T18:00' });
		expect(dates.map((d) => d.startsAt.toISOString())).toEqual([
			'2027-04-08T16:00:00.000Z',
			'2027-10-14T16:00:00.000Z',
			'2028-04-13T16:00:00.000Z',
			'2028-10-12T16:00:00.000Z'
		]);
		expect(dates[0]!.endsAt.toISOString()).toBe('2027-04-08T18:30:00.000Z');
	});

	it('keeps wall time when the offset changes (Berlin, November is UTC+1)', () => {
		const dates = expandRecurrence({ ...base, timeZone: 'Europe/Berlin', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3', firstStartLocal: '2027-09-01T19:00' });
		expect(dates.map((d) => d.startsAt.toISOString())).toEqual([
			'2027-09-01T17:00:00.000Z',
			'2027-10-01T17:00:00.000Z',
			'2027-11-01T18:00:00.000Z'
		]);
	});

	it('respects the window and the limit', () => {
		const dates = expandRecurrence({ ...base, rrule: 'FREQ=WEEKLY', firstStartLocal: '2027-01-04T18:00', limit: 5 });
		expect(dates).toHaveLength(5);
		const none = expandRecurrence({ ...base, rrule: 'FREQ=YEARLY', firstStartLocal: '2030-01-01T18:00' });
		expect(none).toEqual([]);
	});

	it('rejects malformed rules, frequencies and starts', () => {
		for (const rrule of ['', 'FREQ=SECONDLY', 'FREQ=YEARLY;BYMONTH=13', 'nonsense', 'FREQ=DAILY\nDTSTART:2020', 'FREQ=DAILY;BYDAY=XX']) {
			expect(() => expandRecurrence({ ...base, rrule, firstStartLocal: '2027-01-01T18:00' }), rrule).toThrow(RecurrenceError);
		}
		expect(() => expandRecurrence({ ...base, rrule: 'FREQ=DAILY', firstStartLocal: '2027-13-01T18:00' })).toThrow(RecurrenceError);
		expect(() => expandRecurrence({ ...base, timeZone: 'Mars/Olympus', rrule: 'FREQ=DAILY', firstStartLocal: '2027-01-01T18:00' })).toThrow(RecurrenceError);
	});
});

describe('zoned conversions', () => {
	it('converts wall times both ways', () => {
		expect(zonedToUtc('2027-04-08T18:00', 'Europe/Vienna')?.toISOString()).toBe('2027-04-08T16:00:00.000Z');
		expect(utcToZoned(new Date('2027-11-08T17:00:00Z'), 'Europe/Vienna')).toBe('2027-11-08T18:00');
	});

	it('refuses impossible and skipped wall times', () => {
		expect(zonedToUtc('2027-02-30T18:00', 'Europe/Vienna')).toBeNull();
		expect(zonedToUtc('2027-03-28T02:30', 'Europe/Vienna')).toBeNull(); // DST gap
		expect(zonedToUtc('garbage', 'Europe/Vienna')).toBeNull();
	});
});

describe('rules as people say them', () => {
	it('finds the weekday and its place in the month', () => {
		expect(weekdayInMonth('2027-02-10T19:00')).toEqual({ weekday: 3, nth: 2, isLast: false });
		expect(weekdayInMonth('2027-02-26T19:00')).toEqual({ weekday: 5, nth: 4, isLast: true });
		expect(weekdayInMonth('2027-03-31T19:00')).toEqual({ weekday: 3, nth: 5, isLast: true });
		expect(weekdayInMonth('2027-02-30T19:00')).toBeNull();
	});

	it('anchors each pattern on the first date and always ends', () => {
		const first = '2027-02-10T19:00';
		expect(ruleFor('weekly', first, { count: 10 })).toBe('FREQ=WEEKLY;COUNT=10');
		expect(ruleFor('biweekly', first, { count: 5 })).toBe('FREQ=WEEKLY;INTERVAL=2;COUNT=5');
		expect(ruleFor('monthly_nth', first, { count: 10 })).toBe('FREQ=MONTHLY;BYDAY=2WE;COUNT=10');
		expect(ruleFor('monthly_last', '2027-02-26T18:00', { untilDate: '2027-12-31' })).toBe('FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231T235959Z');
		// A fifth Wednesday does not exist every month: it becomes the last one.
		expect(ruleFor('monthly_nth', '2027-03-31T19:00', { count: 3 })).toBe('FREQ=MONTHLY;BYDAY=-1WE;COUNT=3');
		expect(ruleFor('yearly', first, { count: 2 })).toBe('FREQ=YEARLY;COUNT=2');
		expect(withEnd('FREQ=YEARLY;BYMONTH=3,9;BYDAY=1SA', { count: 4 })).toBe('FREQ=YEARLY;BYMONTH=3,9;BYDAY=1SA;COUNT=4');
		expect(withEnd('RRULE:FREQ=WEEKLY;COUNT=3', { count: 10 })).toBe('FREQ=WEEKLY;COUNT=3');
	});

	it('keeps the Stammtisch on Wednesdays: the nth-weekday rule never lands on a weekend (issue 14)', () => {
		const dates = expandRecurrence({ ...base, rrule: ruleFor('monthly_nth', '2027-02-10T19:00', { count: 22 })!, firstStartLocal: '2027-02-10T19:00', timeZone: 'Europe/Vienna', until: new Date('2030-01-01T00:00:00Z') });
		expect(dates).toHaveLength(22);
		const local = dates.map((d) => utcToZoned(d.startsAt, 'Europe/Vienna'));
		expect(local.every((l) => l.endsWith('T19:00'))).toBe(true);
		expect(dates.every((d) => d.startsAt.getUTCDay() === 3)).toBe(true);
		expect(local).toContain('2028-06-14T19:00');
		expect(local).toContain('2028-09-13T19:00');
	});

	it('ends on the UNTIL day, including a date on that very day', () => {
		const dates = expandRecurrence({ ...base, rrule: ruleFor('weekly', '2027-03-01T18:00', { untilDate: '2027-03-15' })!, firstStartLocal: '2027-03-01T18:00' });
		expect(dates.map((d) => utcToZoned(d.startsAt, base.timeZone))).toEqual(['2027-03-01T18:00', '2027-03-08T18:00', '2027-03-15T18:00']);
	});
});
