import * as v from 'valibot';
import * as m from '../../paraglide/messages';
import { zonedToUtc } from './recurrence';

export const TIME_ZONES = ['Europe/Vienna', 'Europe/Berlin', 'Europe/Zurich'] as const;
export const RECURRENCE_PRESETS = {
	none: null,
	weekly: 'FREQ=WEEKLY',
	monthly: 'FREQ=MONTHLY',
	spring_autumn: 'FREQ=YEARLY;BYMONTH=4,10;BYDAY=2TH',
	custom: ''
} as const;
export type RecurrencePreset = keyof typeof RECURRENCE_PRESETS;

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
	recurrence: v.picklist(Object.keys(RECURRENCE_PRESETS) as [RecurrencePreset, ...RecurrencePreset[]], () => m.error_choose_one()),
	rrule: text(300),
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
	const result = v.safeParse(createSchema, { rrule: '', registrationOpensDaysBefore: '', registrationClosesHoursBefore: '', ...values });
	const errors: Record<string, string> = result.success ? {} : collect(result.issues);
	const hostIds = ([] as string[]).concat(values.hostIds ?? []).filter((id) => scope.municipalityIds.includes(id));
	if (hostIds.length === 0) errors.hostIds = m.error_hosts();
	if (values.venueId && !scope.venueIds.includes(String(values.venueId))) errors.venueId = m.error_invalid_choice();
	if (!result.success || Object.keys(errors).length > 0) return { ok: false as const, errors, values };
	const d = result.output;
	if (!zonedToUtc(d.startLocal, d.timeZone)) errors.startLocal = m.error_datetime();
	const rrule = d.recurrence === 'custom' ? d.rrule : RECURRENCE_PRESETS[d.recurrence];
	if (d.recurrence === 'custom' && !rrule) errors.rrule = m.error_rrule();
	if (Object.keys(errors).length > 0) return { ok: false as const, errors, values };
	return {
		ok: true as const,
		data: { ...d, hostIds, venueId: d.venueId || null, rrule: rrule || null, firstStartLocal: d.startLocal }
	};
}

/** Parses the edit form of one date. */
export function parseEdit(form: FormData, scope: Scope) {
	const values = readEventValues(form);
	const result = v.safeParse(editSchema, values);
	const errors: Record<string, string> = result.success ? {} : collect(result.issues);
	if (values.venueId && !scope.venueIds.includes(String(values.venueId))) errors.venueId = m.error_invalid_choice();
	if (!result.success || Object.keys(errors).length > 0) return { ok: false as const, errors, values };
	return { ok: true as const, data: { ...result.output, venueId: result.output.venueId || null } };
}
