import { describe, expect, it } from 'vitest';
import { effectiveRules, parseRules, reminderTime, rulesFromForm, rulesToForm } from './rules';

describe('reminder rules', () => {
	it('fires at 09:00 local time on the right day, across a DST change', () => {
		// Sunday 29 March 2026 is the switch to summer time in Vienna; the event is on 2 April, 18:00 CEST.
		const startsAt = new Date('2026-04-02T16:00:00Z');
		expect(reminderTime(startsAt, 'Europe/Vienna', { daysBefore: 7, at: '09:00' })?.toISOString()).toBe('2026-03-26T08:00:00.000Z');
		expect(reminderTime(startsAt, 'Europe/Vienna', { daysBefore: 1, at: '09:00' })?.toISOString()).toBe('2026-04-01T07:00:00.000Z');
	});

	it('does not fire after the start', () => {
		const startsAt = new Date('2026-04-02T16:00:00Z'); // 18:00 local
		expect(reminderTime(startsAt, 'Europe/Vienna', { daysBefore: 0, at: '20:00' })).toBeNull();
		expect(reminderTime(startsAt, 'Europe/Vienna', { daysBefore: 0, at: '12:00' })?.toISOString()).toBe('2026-04-02T10:00:00.000Z');
	});

	it('takes the event’s rules over the series’ and the default', () => {
		expect(effectiveRules(null, null)).toEqual({ rules: [{ daysBefore: 7, at: '09:00' }, { daysBefore: 1, at: '09:00' }], source: 'default' });
		expect(effectiveRules(null, '[{"daysBefore":3,"at":"10:30"}]')).toEqual({ rules: [{ daysBefore: 3, at: '10:30' }], source: 'series' });
		expect(effectiveRules('[]', '[{"daysBefore":3,"at":"10:30"}]')).toEqual({ rules: [], source: 'event' });
		expect(parseRules('[{"daysBefore":-1,"at":"10:30"}]')).toBeNull();
		expect(parseRules('not json')).toBeNull();
	});

	it('reads the form and writes it back', () => {
		expect(rulesFromForm('1, 7, 7', '08:30')).toEqual([{ daysBefore: 7, at: '08:30' }, { daysBefore: 1, at: '08:30' }]);
		expect(rulesFromForm('', '08:30')).toEqual([]);
		expect(rulesFromForm('x', '08:30')).toBe('invalid');
		expect(rulesFromForm('1', '25:00')).toBe('invalid');
		expect(rulesFromForm('61', '09:00')).toBe('invalid');
		expect(rulesToForm([{ daysBefore: 7, at: '08:30' }, { daysBefore: 1, at: '08:30' }])).toEqual({ days: '7, 1', at: '08:30' });
	});
});
