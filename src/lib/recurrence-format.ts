import * as m from '$lib/paraglide/messages';
import { dateTimeFormat } from './format';

// Apart from event-format.ts, which the public pages import: only coordinators see rules in words.
const ORDINALS = [m.recurrence_ordinal_1, m.recurrence_ordinal_2, m.recurrence_ordinal_3, m.recurrence_ordinal_4];
const RULE_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function weekdayName(code: string, locale: string): string {
	// 2027-02-01 is a Monday; only the weekday of these dates matters.
	const date = new Date(Date.UTC(2027, 1, 1 + RULE_DAYS.indexOf(code), 12));
	return dateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(date);
}

/**
 * A rule in words ("jeden 2. Mittwoch im Monat") for the patterns the form offers; null for any
 * other rule, which is then shown as written. `firstStart` gives the weekday of weekly rules.
 */
export function describeRule(rrule: string | null, firstStart: Date, timeZone: string, locale: string): string | null {
	if (!rrule) return null;
	const parts = new Map(rrule.split(';').map((part) => part.split('=') as [string, string]));
	const known = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'COUNT', 'UNTIL']);
	if ([...parts.keys()].some((key) => !known.has(key))) return null;
	const freq = parts.get('FREQ');
	const interval = parts.get('INTERVAL') ?? '1';
	const byDay = parts.get('BYDAY');
	const startDay = dateTimeFormat(locale, { weekday: 'long', timeZone }).format(firstStart);
	if (freq === 'WEEKLY' && !byDay && interval === '1') return m.recurrence_describe_weekly({ weekday: startDay });
	if (freq === 'WEEKLY' && !byDay && interval === '2') return m.recurrence_describe_biweekly({ weekday: startDay });
	if (freq === 'YEARLY' && !byDay && interval === '1') return m.recurrence_describe_yearly();
	const monthly = freq === 'MONTHLY' && interval === '1' ? /^(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$/.exec(byDay ?? '') : null;
	if (!monthly) return null;
	const weekday = weekdayName(monthly[2]!, locale);
	return monthly[1] === '-1'
		? m.recurrence_describe_last({ weekday })
		: m.recurrence_describe_nth({ ordinal: ORDINALS[Number(monthly[1]) - 1]!(), weekday });
}
