import * as v from 'valibot';
import * as m from '../../paraglide/messages';
import { DEFAULT_COUNT, MAX_DATES, REPEAT_KINDS, zonedToUtc, type RepeatEnd, type RepeatKind } from './recurrence';

export const TIME_ZONES = ['Europe/Vienna', 'Europe/Berlin', 'Europe/Zurich'] as const;
/** The choices of the "Wiederholung" select; a raw rule (`custom`) has its own field under "Erweitert". */
export const RECURRENCE_CHOICES = REPEAT_KINDS.filter((k) => k !== 'custom');
export { DEFAULT_COUNT, MAX_DATES };

const int = (min: number, max: number) =>
	v.pipe(
		v.string(),
		v.trim(),
		v.regex(/^\d+$/, () => m.error_number_range({ min, max })),
		v.transform(Number),
		v.minValue(min, () => m.error_number_range({ min, max })),
		v.maxValue(max, () => m.error_number_range({ min, max }))
	);
const optionalInt = (min: number, max: number) => v.union([v.pipe(v.literal(''), v.transform(() => null)), int(min, max)], () => m.error_number_range({ min, max }));
const text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, () => m.error_too_long({ max })));

const editSchema = v.object({
	title: v.pipe(text(200), v.nonEmpty(() => m.error_required())),
	description: text(5000),
	venueId: v.string(),
	capacity: int(1, 100_000),
	startLocal: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, () => m.error_datetime())),
	durationMinutes: int(15, 24 * 60),
	// Optional so that forms without the field (and older clients) keep the current value.
	feedbackDelayHours: v.optional(int(0, 30 * 24)),
	status: v.picklist(['draft', 'published'], () => m.error_choose_one())
});

const createSchema = v.object({
	...editSchema.entries,
	kind: v.picklist(['round_table', 'market'], () => m.error_choose_one()),
	timeZone: v.picklist(TIME_ZONES, () => m.error_choose_one()),
	recurrence: v.picklist(REPEAT_KINDS, () => m.error_choose_one()),
	rrule: text(300),
	endType: v.picklist(['count', 'until'], () => m.error_choose_one()),
	endCount: v.union([v.pipe(v.literal(''), v.transform(() => DEFAULT_COUNT)), int(1, MAX_DATES)], () => m.error_number_range({ min: 1, max: MAX_DATES })),
	endUntil: v.pipe(v.string(), v.trim(), v.regex(/^(\d{4}-\d{2}-\d{2})?$/, () => m.recurrence_error_until())),
	registrationOpensDaysBefore: optionalInt(0, 365),
	registrationClosesHoursBefore: optionalInt(0, 720)
});

export type EventFormValues = Record<string, string | string[]>;

export function readEventValues(form: FormData): EventFormValues {
	const values: EventFormValues = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key).map((x) => String(x).slice(0, 6000));
		values[key] = key === 'hostIds' ? all : (all[0] ?? '');
	}
	return values;
}

function collect(issues: v.BaseIssue<unknown>[]): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of issues) errors[String(issue.path?.[0]?.key ?? 'form')] ??= issue.message;
	return errors;
}

interface Scope {
	municipalityIds: string[];
	venueIds: string[];
}

/** Parses the "new event" form; host and venue must be within the coordinator's scope. */
export function parseCreate(form: FormData, scope: Scope) {
	const values = readEventValues(form);
	const result = v.safeParse(createSchema, {
		recurrence: 'none',
		rrule: '',
		endType: 'count',
		endCount: String(DEFAULT_COUNT),
		endUntil: '',
		registrationOpensDaysBefore: '',
		registrationClosesHoursBefore: '',
		...values
	});
	const errors: Record<string, string> = result.success ? {} : collect(result.issues);
	const hostIds = ([] as string[]).concat(values.hostIds ?? []).filter((id) => scope.municipalityIds.includes(id));
	if (hostIds.length === 0) errors.hostIds = m.error_hosts();
	if (values.venueId && !scope.venueIds.includes(String(values.venueId))) errors.venueId = m.error_invalid_choice();
	if (!result.success || Object.keys(errors).length > 0) return { ok: false as const, errors, values };
	const d = result.output;
	if (!zonedToUtc(d.startLocal, d.timeZone)) errors.startLocal = m.error_datetime();
	// A rule written under "Erweitert" replaces the everyday choice.
	const repeat: RepeatKind = d.rrule ? 'custom' : d.recurrence;
	if (repeat === 'custom' && !d.rrule) errors.rrule = m.error_rrule();
	let end: RepeatEnd = { count: d.endCount };
	if (repeat !== 'none' && d.endType === 'until') {
		const until = d.endUntil;
		if (!until || until < d.startLocal.slice(0, 10)) errors.endUntil = m.recurrence_error_until();
		end = { untilDate: until };
	}
	if (Object.keys(errors).length > 0) return { ok: false as const, errors, values };
	return {
		ok: true as const,
		data: { ...d, hostIds, venueId: d.venueId || null, repeat, customRule: d.rrule, end, firstStartLocal: d.startLocal },
		values
	};
}

/** Parses the edit form of one date. */
const futureSchema = v.object({
	startTime: v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, () => m.series_error_time())),
	durationMinutes: editSchema.entries.durationMinutes,
	venueId: v.string(),
	capacity: editSchema.entries.capacity
});

/** Parses the series page's "change all future dates" form. */
export function parseFuture(form: FormData, scope: Pick<Scope, 'venueIds'>) {
	const values = readEventValues(form);
	const result = v.safeParse(futureSchema, values);
	const errors: Record<string, string> = result.success ? {} : collect(result.issues);
	if (values.venueId && !scope.venueIds.includes(String(values.venueId))) errors.venueId = m.error_invalid_choice();
	if (!result.success || Object.keys(errors).length > 0) return { ok: false as const, errors, values };
	return { ok: true as const, data: { ...result.output, venueId: result.output.venueId || null } };
}

export function parseEdit(form: FormData, scope: Scope) {
	const values = readEventValues(form);
	const result = v.safeParse(editSchema, values);
	const errors: Record<string, string> = result.success ? {} : collect(result.issues);
	if (values.venueId && !scope.venueIds.includes(String(values.venueId))) errors.venueId = m.error_invalid_choice();
	if (!result.success || Object.keys(errors).length > 0) return { ok: false as const, errors, values };
	return { ok: true as const, data: { ...result.output, venueId: result.output.venueId || null } };
}
