import { describe, expect, it } from 'vitest';
import { expandRecurrence, RecurrenceError, utcToZoned, zonedToUtc } from './recurrence';

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
