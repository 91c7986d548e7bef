import { describe, expect, it } from 'vitest';
import { parsePublicTaskQuery, periodRange } from './public-filter';

const zone = 'Europe/Berlin';
const scope = { tagSlugs: ['soziales', 'kultur'], municipalitySlugs: ['imst', 'tarrenz'] };

describe('periodRange', () => {
	// Wednesday 2027-03-10, 14:30 in Berlin (CET, UTC+1).
	const wednesday = new Date('2027-03-10T13:30:00.000Z');

	it('this week runs from now to Monday midnight, local time', () => {
		expect(periodRange('week', wednesday, zone)).toEqual({ from: wednesday, to: new Date('2027-03-14T23:00:00.000Z') });
	});

	it('this weekend is the coming Saturday and Sunday on a weekday', () => {
		expect(periodRange('weekend', wednesday, zone)).toEqual({ from: new Date('2027-03-12T23:00:00.000Z'), to: new Date('2027-03-14T23:00:00.000Z') });
	});

	it('on a Sunday the weekend is the rest of today, not the next one', () => {
		const sunday = new Date('2027-03-14T09:00:00.000Z');
		expect(periodRange('weekend', sunday, zone)).toEqual({ from: sunday, to: new Date('2027-03-14T23:00:00.000Z') });
		expect(periodRange('week', sunday, zone).to).toEqual(new Date('2027-03-14T23:00:00.000Z'));
	});

	it('counts by local days: Monday 00:30 in Berlin is still Sunday in UTC, but a new week', () => {
		const mondayEarly = new Date('2027-03-14T23:30:00.000Z');
		expect(periodRange('week', mondayEarly, zone)).toEqual({ from: mondayEarly, to: new Date('2027-03-21T23:00:00.000Z') });
		expect(periodRange('weekend', mondayEarly, zone).from).toEqual(new Date('2027-03-19T23:00:00.000Z'));
	});

	it('the next 30 days keep the local clock time across the switch to summer time', () => {
		expect(periodRange('month', wednesday, zone)).toEqual({ from: wednesday, to: new Date('2027-04-09T12:30:00.000Z') });
	});
});

describe('parsePublicTaskQuery', () => {
	it('keeps known choices and drops unknown ones', () => {
		const params = new URLSearchParams({ municipality: 'imst', tag: 'kultur', when: 'weekend', free: 'on', page: '2' });
		expect(parsePublicTaskQuery(params, scope)).toEqual({ municipality: 'imst', tag: 'kultur', period: 'weekend', freeOnly: true, page: 2 });
		const odd = new URLSearchParams({ municipality: 'wien', tag: 'zaubern', when: 'yesterday', free: 'no', page: '-3' });
		expect(parsePublicTaskQuery(odd, scope)).toEqual({ municipality: undefined, tag: undefined, period: undefined, freeOnly: undefined, page: 1 });
	});
});
