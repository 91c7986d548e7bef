import { createRequire } from 'node:module';
import { DateTime } from 'luxon';

// rrule ships CommonJS without named ESM exports; require keeps it working in Vite, tsx and the build.
const { rrulestr } = createRequire(import.meta.url)('rrule') as typeof import('rrule');

export interface Occurrence {
	startsAt: Date;
	endsAt: Date;
}

export interface RecurrenceInput {
	/** RFC 5545 RRULE without the `RRULE:` prefix, e.g. `FREQ=YEARLY;BYMONTH=4,10;BYDAY=2TH`. */
	rrule: string;
	/** Wall time of the first occurrence, `YYYY-MM-DDTHH:mm`, in `timeZone`. */
	firstStartLocal: string;
	timeZone: string;
	durationMinutes: number;
	/** Dates from this instant on (inclusive). */
	from: Date;
	/** … up to this instant. */
	until: Date;
	/** Never more than this many dates. */
	limit: number;
}

export class RecurrenceError extends Error {}

const ALLOWED_FREQ = /^(YEARLY|MONTHLY|WEEKLY|DAILY)$/;

/**
 * Expands a rule into UTC instants. The rule runs on "floating" wall times (rrule's recommended
 * approach), and each wall time is then placed in the IANA zone, so 18:00 stays 18:00 across DST.
 */
export function expandRecurrence(input: RecurrenceInput): Occurrence[] {
	const text = input.rrule.trim().replace(/^RRULE:/i, '');
	if (!/^[A-Z0-9=;,+-]+$/i.test(text) || /DTSTART|\n/i.test(text)) throw new RecurrenceError('invalid rule');
	const freq = /(?:^|;)FREQ=([A-Z]+)/i.exec(text)?.[1]?.toUpperCase();
	if (!freq || !ALLOWED_FREQ.test(freq)) throw new RecurrenceError('invalid frequency');

	const first = DateTime.fromISO(input.firstStartLocal, { zone: 'UTC' });
	if (!first.isValid) throw new RecurrenceError('invalid start');
	if (!DateTime.local().setZone(input.timeZone).isValid) throw new RecurrenceError('invalid time zone');

	let rule;
	try {
		rule = rrulestr(`RRULE:${text}`, { dtstart: first.toJSDate() });
	} catch {
		throw new RecurrenceError('invalid rule');
	}
	const list = (value: number | number[] | null | undefined) => (value == null ? [] : [value].flat());
	const { bymonth, bymonthday, interval, count } = rule.origOptions;
	if (
		list(bymonth).some((m) => m < 1 || m > 12) ||
		list(bymonthday).some((d) => d === 0 || d < -31 || d > 31) ||
		(interval !== undefined && interval < 1) ||
		(count !== undefined && count !== null && count < 1)
	) {
		throw new RecurrenceError('invalid rule');
	}
	const occurrences: Occurrence[] = [];
	rule.all((floating, index) => {
		if (index >= 1000 || occurrences.length >= input.limit) return false;
		const wall = DateTime.fromJSDate(floating, { zone: 'UTC' });
		const local = DateTime.fromObject(
			{ year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute },
			{ zone: input.timeZone }
		);
		const startsAt = local.toUTC().toJSDate();
		if (startsAt > input.until) return false;
		if (startsAt >= input.from) {
			occurrences.push({ startsAt, endsAt: local.plus({ minutes: input.durationMinutes }).toUTC().toJSDate() });
		}
		return true;
	});
	return occurrences;
}

/** UTC instant of a wall time in a zone; null when it does not exist or cannot be read. */
export function zonedToUtc(localDateTime: string, timeZone: string): Date | null {
	const local = DateTime.fromISO(localDateTime, { zone: timeZone });
	if (!local.isValid) return null;
	// A wall time skipped by a DST change would silently shift; refuse it instead.
	if (local.toFormat("yyyy-MM-dd'T'HH:mm") !== localDateTime.slice(0, 16)) return null;
	return local.toUTC().toJSDate();
}

/** `YYYY-MM-DDTHH:mm` wall time of an instant in a zone (for forms). */
export function utcToZoned(instant: Date, timeZone: string): string {
	return DateTime.fromJSDate(instant, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** How people say a repetition; `custom` is a raw RRULE, offered only under "Erweitert". */
export const REPEAT_KINDS = ['none', 'weekly', 'biweekly', 'monthly_nth', 'monthly_last', 'yearly', 'custom'] as const;
export type RepeatKind = (typeof REPEAT_KINDS)[number];

/** A series ends after this many dates unless the coordinator says otherwise … */
export const DEFAULT_COUNT = 10;
/** … and never has more than this many (a year of weekly dates). */
export const MAX_DATES = 52;
/** An end date further away than this is refused, so a rule cannot run for decades. */
export const MAX_YEARS_AHEAD = 3;

export type RepeatEnd = { count: number } | { untilDate: string };

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/**
 * Which weekday of its month a date is: `nth` counts from the start (1–5), `isLast` says whether no
 * later one of the same weekday follows in that month. 1–7 are the ISO weekdays (Monday = 1).
 */
export function weekdayInMonth(dateLocal: string): { weekday: number; nth: number; isLast: boolean } | null {
	const day = DateTime.fromISO(dateLocal.slice(0, 10), { zone: 'UTC' });
	if (!day.isValid) return null;
	return { weekday: day.weekday, nth: Math.ceil(day.day / 7), isLast: day.day + 7 > day.daysInMonth! };
}

/**
 * The RRULE for an everyday pattern, anchored on the first date: "2. Mittwoch im Monat" takes the
 * weekday and its position from the start date (a fifth weekday becomes "the last", which exists
 * every month), "letzter Freitag" the weekday only.
 */
export function ruleFor(kind: Exclude<RepeatKind, 'none' | 'custom'>, firstStartLocal: string, end: RepeatEnd): string | null {
	const position = weekdayInMonth(firstStartLocal);
	if (!position) return null;
	const day = WEEKDAYS[position.weekday - 1]!;
	const pattern = {
		weekly: 'FREQ=WEEKLY',
		biweekly: 'FREQ=WEEKLY;INTERVAL=2',
		monthly_nth: `FREQ=MONTHLY;BYDAY=${position.nth === 5 ? -1 : position.nth}${day}`,
		monthly_last: `FREQ=MONTHLY;BYDAY=-1${day}`,
		yearly: 'FREQ=YEARLY'
	}[kind];
	return `${pattern};${endPart(end)}`;
}

/** COUNT or UNTIL (end of that local day, on the floating wall-time axis the expansion uses). */
export function endPart(end: RepeatEnd): string {
	return 'count' in end ? `COUNT=${end.count}` : `UNTIL=${end.untilDate.replaceAll('-', '')}T235959Z`;
}

/** Adds an end to a hand-written rule that has none, so it cannot run on forever. */
export function withEnd(rrule: string, end: RepeatEnd): string {
	const text = rrule.trim().replace(/^RRULE:/i, '').replace(/;+$/, '');
	return /(?:^|;)(COUNT|UNTIL)=/i.test(text) ? text : `${text};${endPart(end)}`;
}
