import { DateTime } from 'luxon';

/** "Remind `daysBefore` days before the event's day, at `at` local time." */
export interface ReminderRule {
	daysBefore: number;
	/** `HH:mm` in the event's time zone. */
	at: string;
}

export const DEFAULT_REMINDER_RULES: readonly ReminderRule[] = [
	{ daysBefore: 7, at: '09:00' },
	{ daysBefore: 1, at: '09:00' }
];

export const MAX_REMINDER_DAYS = 60;

function isRule(value: unknown): value is ReminderRule {
	const rule = value as ReminderRule;
	return (
		typeof rule === 'object' &&
		rule !== null &&
		Number.isInteger(rule.daysBefore) &&
		rule.daysBefore >= 0 &&
		rule.daysBefore <= MAX_REMINDER_DAYS &&
		typeof rule.at === 'string' &&
		/^([01]\d|2[0-3]):[0-5]\d$/.test(rule.at)
	);
}

/** Stored JSON to rules; NULL (or anything unreadable) means "not set here". */
export function parseRules(json: string | null): ReminderRule[] | null {
	if (json === null) return null;
	try {
		const parsed: unknown = JSON.parse(json);
		return Array.isArray(parsed) && parsed.every(isRule) ? normalise(parsed) : null;
	} catch {
		return null;
	}
}

/** Sorted from the earliest reminder on, without duplicates. */
export function normalise(rules: ReminderRule[]): ReminderRule[] {
	const unique = new Map(rules.map((r) => [`${r.daysBefore}|${r.at}`, r]));
	return [...unique.values()].sort((a, b) => b.daysBefore - a.daysBefore || a.at.localeCompare(b.at));
}

export type RuleSource = 'event' | 'series' | 'default';

/** An event's own rules win over its series', which win over the default. */
export function effectiveRules(eventRules: string | null, seriesRules: string | null): { rules: ReminderRule[]; source: RuleSource } {
	const own = parseRules(eventRules);
	if (own) return { rules: own, source: 'event' };
	const series = parseRules(seriesRules);
	if (series) return { rules: series, source: 'series' };
	return { rules: [...DEFAULT_REMINDER_RULES], source: 'default' };
}

/**
 * When a rule fires for an event: the event's local calendar day minus `daysBefore`, at the rule's
 * wall time in the event's zone (so 09:00 stays 09:00 across a DST change). Null when that moment
 * is not before the start (e.g. "0 days before at 20:00" for a 18:00 event).
 */
export function reminderTime(startsAt: Date, timeZone: string, rule: ReminderRule): Date | null {
	const [hour, minute] = rule.at.split(':').map(Number) as [number, number];
	const at = DateTime.fromJSDate(startsAt, { zone: timeZone })
		.startOf('day')
		.minus({ days: rule.daysBefore })
		.set({ hour, minute });
	const instant = at.toJSDate();
	return instant < startsAt ? instant : null;
}

/** "7, 1" and "09:00" from the form; the same days at one time of day. */
export function rulesFromForm(days: string, at: string): ReminderRule[] | 'invalid' {
	const parts = days.split(/[,;\s]+/).filter(Boolean);
	if (parts.length === 0) return [];
	if (parts.length > 5 || !/^([01]\d|2[0-3]):[0-5]\d$/.test(at)) return 'invalid';
	const rules = parts.map((p) => ({ daysBefore: /^\d+$/.test(p) ? Number(p) : -1, at }));
	return rules.every(isRule) ? normalise(rules) : 'invalid';
}

/** The form's view of rules: days as "7, 1" and the time of the first rule. */
export function rulesToForm(rules: ReminderRule[]): { days: string; at: string } {
	return { days: rules.map((r) => r.daysBefore).join(', '), at: rules[0]?.at ?? '09:00' };
}
