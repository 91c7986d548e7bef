import type { Kysely } from 'kysely';
import { toDate, toDateOrNull, type Database, type Db, type EventKind, type EventStatus } from '../db/schema';
import type { Viewer } from '../auth/users';
import { compiledOnce } from '../db/compiled';
import { generateId } from '../ids';
import * as audit from '../audit';
import { expandRecurrence, MAX_DATES, RecurrenceError, utcToZoned, zonedToUtc } from './recurrence';
import { effectiveRules, type ReminderRule, type RuleSource } from '../reminders/rules';

export { RecurrenceError };

export interface EventVenue {
	id: string;
	name: string;
	street: string;
	postalCode: string;
	city: string;
	accessibilityNotes: string;
}

export interface EventDetails {
	id: string;
	seriesId: string | null;
	kind: EventKind;
	title: string;
	description: string;
	startsAt: Date;
	endsAt: Date;
	timeZone: string;
	venue: EventVenue | null;
	capacity: number;
	confirmedCount: number;
	seatsLeft: number;
	status: EventStatus;
	registrationOpensAt: Date | null;
	registrationClosesAt: Date | null;
	/** Hours after the end before feedback requests go out. */
	feedbackDelayHours: number;
	icalUid: string;
	icalSequence: number;
	/** The rules that apply to this date and where they come from. */
	reminders: { rules: ReminderRule[]; source: RuleSource };
	hosts: { id: string; name: string; slug: string; contactEmail: string | null }[];
	/** The Einsatz of a shift (kind 'shift') and its place; null and '' for other events. */
	taskId: string | null;
	place: string;
}

export type RegistrationWindowState = 'open' | 'not_yet_open' | 'closed' | 'past' | 'cancelled' | 'not_published';

/** Whether a person may register now; capacity is decided separately (full means waiting list). */
export function registrationState(event: EventDetails, now: Date): RegistrationWindowState {
	if (event.status === 'cancelled') return 'cancelled';
	if (event.status !== 'published') return 'not_published';
	if (event.startsAt <= now) return 'past';
	if (event.registrationOpensAt && now < event.registrationOpensAt) return 'not_yet_open';
	if (event.registrationClosesAt && now >= event.registrationClosesAt) return 'closed';
	return 'open';
}

export function venueLine(venue: EventVenue | null, place = ''): string {
	return venue ? `${venue.name}, ${venue.street}, ${venue.postalCode} ${venue.city}` : place || '–';
}

function eventQuery(db: Db) {
	return db
		.selectFrom('event')
		.leftJoin('venue', 'venue.id', 'event.venue_id')
		.leftJoin('series', 'series.id', 'event.series_id')
		.leftJoin('task', 'task.id', 'event.task_id')
		.select([
			'event.task_id',
			'task.place as task_place',
			'event.id',
			'event.series_id',
			'event.kind',
			'event.title',
			'event.description',
			'event.starts_at',
			'event.ends_at',
			'event.time_zone',
			'event.capacity',
			'event.confirmed_count',
			'event.status',
			'event.registration_opens_at',
			'event.registration_closes_at',
			'event.feedback_delay_hours',
			'event.ical_uid',
			'event.ical_sequence',
			'event.reminder_rules',
			'series.reminder_rules as series_reminder_rules',
			'venue.id as venue_id',
			'venue.name as venue_name',
			'venue.street as venue_street',
			'venue.postal_code as venue_postal_code',
			'venue.city as venue_city',
			'venue.accessibility_notes as venue_accessibility_notes'
		]);
}

type EventRow = Awaited<ReturnType<ReturnType<typeof eventQuery>['executeTakeFirstOrThrow']>>;

function hostsQuery(db: Db) {
	return db
		.selectFrom('event_host')
		.innerJoin('municipality', 'municipality.id', 'event_host.municipality_id')
		.select(['event_host.event_id', 'municipality.id', 'municipality.name', 'municipality.slug', 'municipality.contact_email'])
		.orderBy('municipality.name');
}

type HostRow = Awaited<ReturnType<ReturnType<typeof hostsQuery>['execute']>>[number];

async function withHosts(db: Db, rows: EventRow[]): Promise<EventDetails[]> {
	if (rows.length === 0) return [];
	const hosts = await hostsQuery(db)
		.where('event_host.event_id', 'in', rows.map((r) => r.id))
		.execute();
	return toDetails(rows, hosts);
}

function toDetails(rows: EventRow[], hosts: HostRow[]): EventDetails[] {
	return rows.map((r) => ({
		id: r.id,
		seriesId: r.series_id,
		kind: r.kind,
		title: r.title,
		description: r.description,
		startsAt: toDate(r.starts_at),
		endsAt: toDate(r.ends_at),
		timeZone: r.time_zone,
		venue: r.venue_id
			? {
					id: r.venue_id,
					name: r.venue_name ?? '',
					street: r.venue_street ?? '',
					postalCode: r.venue_postal_code ?? '',
					city: r.venue_city ?? '',
					accessibilityNotes: r.venue_accessibility_notes ?? ''
				}
			: null,
		capacity: r.capacity,
		confirmedCount: r.confirmed_count,
		seatsLeft: Math.max(0, r.capacity - r.confirmed_count),
		status: r.status,
		registrationOpensAt: toDateOrNull(r.registration_opens_at),
		registrationClosesAt: toDateOrNull(r.registration_closes_at),
		feedbackDelayHours: r.feedback_delay_hours,
		icalUid: r.ical_uid,
		icalSequence: r.ical_sequence,
		reminders: effectiveRules(r.reminder_rules, r.series_reminder_rules),
		hosts: hosts
			.filter((h) => h.event_id === r.id)
			.map((h) => ({ id: h.id, name: h.name, slug: h.slug, contactEmail: h.contact_email })),
		taskId: r.task_id,
		place: r.task_place ?? ''
	}));
}

// Read on every registration and event page: compiled once (db/compiled.ts).
const eventById = compiledOnce((db: Db, id: string) => eventQuery(db).where('event.id', '=', id));
const hostsOfEvent = compiledOnce((db: Db, id: string) => hostsQuery(db).where('event_host.event_id', '=', id));

export async function get(db: Db, id: string): Promise<EventDetails | null> {
	const [row] = await eventById(db, id);
	return row ? (toDetails([row], await hostsOfEvent(db, id))[0] ?? null) : null;
}

export interface PublicFilter {
	now: Date;
	municipalitySlug?: string;
	kind?: EventKind;
	limit: number;
	offset: number;
}

/** Published events that have not ended, soonest first; a co-hosted event appears under each host. */
export async function listUpcoming(db: Db, filter: PublicFilter): Promise<{ items: EventDetails[]; total: number }> {
	let query = eventQuery(db)
		.where('event.status', 'in', ['published', 'cancelled'])
		.where('event.ends_at', '>=', filter.now.toISOString());
	if (filter.kind) query = query.where('event.kind', '=', filter.kind);
	if (filter.municipalitySlug) {
		const slug = filter.municipalitySlug;
		query = query.where((eb) =>
			eb.exists(
				eb
					.selectFrom('event_host')
					.innerJoin('municipality', 'municipality.id', 'event_host.municipality_id')
					.select('event_host.event_id')
					.whereRef('event_host.event_id', '=', 'event.id')
					.where('municipality.slug', '=', slug)
			)
		);
	}
	const { total } = await query
		.clearSelect()
		.select((eb) => eb.fn.countAll<number | string>().as('total'))
		.executeTakeFirstOrThrow();
	const rows = await query.orderBy('event.starts_at').orderBy('event.id').limit(filter.limit).offset(filter.offset).execute();
	return { items: await withHosts(db, rows), total: Number(total) };
}

/** Events the viewer coordinates (any host in their municipalities), newest dates last. */
export async function listForCoordinator(db: Db, viewer: Viewer, options: { from: Date }): Promise<EventDetails[]> {
	let query = eventQuery(db).where('event.ends_at', '>=', options.from.toISOString());
	if (!viewer.isPlatformAdmin) {
		if (viewer.municipalityIds.length === 0) return [];
		query = query.where((eb) =>
			eb.exists(
				eb
					.selectFrom('event_host')
					.select('event_host.event_id')
					.whereRef('event_host.event_id', '=', 'event.id')
					.where('event_host.municipality_id', 'in', viewer.municipalityIds)
			)
		);
	}
	return withHosts(db, await query.orderBy('event.starts_at').limit(500).execute());
}

/** All dates of a series, cancelled ones included, in order. */
export async function listBySeries(db: Db, seriesId: string): Promise<EventDetails[]> {
	return withHosts(db, await eventQuery(db).where('event.series_id', '=', seriesId).orderBy('event.starts_at').orderBy('event.id').execute());
}

export function canManage(viewer: Viewer, event: Pick<EventDetails, 'hosts'>): boolean {
	return viewer.isPlatformAdmin || event.hosts.some((h) => viewer.municipalityIds.includes(h.id));
}

export interface EventInput {
	kind: EventKind;
	title: string;
	description: string;
	hostIds: string[];
	venueId: string | null;
	capacity: number;
	timeZone: string;
	durationMinutes: number;
	status: EventStatus;
	/** Days before the start at which registration opens / closes; null = open now / until start. */
	registrationOpensDaysBefore: number | null;
	registrationClosesHoursBefore: number | null;
	/** Hours after the end before feedback requests go out; 24 when not given. */
	feedbackDelayHours?: number;
}

/** Feedback requests go out a day after the end unless the coordinator says otherwise. */
export const DEFAULT_FEEDBACK_DELAY_HOURS = 24;

async function insertEvent(
	db: Db,
	input: EventInput & { seriesId: string | null; startsAt: Date; endsAt: Date },
	origin: string,
	now: Date
): Promise<string> {
	const id = generateId();
	const day = 24 * 60 * 60 * 1000;
	await db
		.insertInto('event')
		.values({
			id,
			series_id: input.seriesId,
			kind: input.kind,
			title: input.title,
			description: input.description,
			starts_at: input.startsAt.toISOString(),
			ends_at: input.endsAt.toISOString(),
			time_zone: input.timeZone,
			venue_id: input.venueId,
			capacity: input.capacity,
			status: input.status,
			registration_opens_at:
				input.registrationOpensDaysBefore === null
					? null
					: new Date(input.startsAt.getTime() - input.registrationOpensDaysBefore * day).toISOString(),
			registration_closes_at:
				input.registrationClosesHoursBefore === null
					? null
					: new Date(input.startsAt.getTime() - input.registrationClosesHoursBefore * 3600_000).toISOString(),
			feedback_delay_hours: input.feedbackDelayHours ?? DEFAULT_FEEDBACK_DELAY_HOURS,
			ical_uid: `${id}@${new URL(origin).hostname}`,
			created_at: now.toISOString(),
			updated_at: now.toISOString()
		})
		.execute();
	await db
		.insertInto('event_host')
		.values(input.hostIds.map((municipality_id) => ({ event_id: id, municipality_id })))
		.execute();
	return id;
}

export type CreateResult = { ok: true; seriesId: string | null; eventIds: string[] } | { ok: false; problem: 'no_dates' | 'invalid_start' };

/**
 * The dates of a rule from now on, up to two years ahead and at most MAX_DATES: what the preview
 * shows and what `create` stores.
 */
export function seriesDates(rule: { rrule: string; firstStartLocal: string; timeZone: string; durationMinutes: number }, now: Date) {
	const until = new Date(now.getTime() + 2 * 366 * 24 * 3600_000);
	const { rrule, firstStartLocal, timeZone, durationMinutes } = rule;
	return expandRecurrence({ rrule, firstStartLocal, timeZone, durationMinutes, from: now, until, limit: MAX_DATES });
}

/**
 * Creates a series with its dated events (from an RRULE, up to two years ahead) or a single event.
 * Each date becomes its own row, so it can be moved or cancelled on its own.
 */
export async function create(
	db: Kysely<Database>,
	input: EventInput & {
		firstStartLocal: string;
		rrule: string | null;
		/** Only these dates of the rule (wall times `YYYY-MM-DDTHH:mm`): the ones ticked in the preview. */
		onlyStartsLocal?: string[];
	},
	actorUserId: string,
	origin: string,
	now: Date
): Promise<CreateResult> {
	let dates;
	if (input.rrule) {
		dates = seriesDates({ ...input, rrule: input.rrule }, now);
		const only = input.onlyStartsLocal && new Set(input.onlyStartsLocal);
		if (only) dates = dates.filter((d) => only.has(utcToZoned(d.startsAt, input.timeZone)));
		if (dates.length === 0) return { ok: false, problem: 'no_dates' };
	} else {
		const startsAt = zonedToUtc(input.firstStartLocal, input.timeZone);
		if (!startsAt) return { ok: false, problem: 'invalid_start' };
		dates = [{ startsAt, endsAt: new Date(startsAt.getTime() + input.durationMinutes * 60_000) }];
	}
	return db.transaction().execute(async (trx) => {
		let seriesId: string | null = null;
		if (input.rrule) {
			seriesId = generateId();
			await trx
				.insertInto('series')
				.values({
					id: seriesId,
					kind: input.kind,
					title: input.title,
					description: input.description,
					time_zone: input.timeZone,
					venue_id: input.venueId,
					capacity: input.capacity,
					duration_minutes: input.durationMinutes,
					rrule: input.rrule,
					first_start_local: input.firstStartLocal,
					created_by: actorUserId,
					created_at: now.toISOString(),
					updated_at: now.toISOString()
				})
				.execute();
			await trx
				.insertInto('series_host')
				.values(input.hostIds.map((municipality_id) => ({ series_id: seriesId!, municipality_id })))
				.execute();
		}
		const eventIds: string[] = [];
		for (const date of dates) {
			eventIds.push(await insertEvent(trx, { ...input, seriesId, ...date }, origin, now));
		}
		for (const municipalityId of input.hostIds) {
			await audit.record(
				trx,
				{
					actorUserId,
					action: seriesId ? 'series.created' : 'event.created',
					entityType: seriesId ? 'series' : 'event',
					entityId: seriesId ?? eventIds[0]!,
					municipalityId,
					details: { title: input.title, dates: eventIds.length }
				},
				now
			);
		}
		return { ok: true as const, seriesId, eventIds };
	});
}

/**
 * Adds another date like an existing one (same series, hosts, venue, capacity and duration):
 * how a coordinator extends a series by hand or repeats a single event.
 */
export async function addDate(
	db: Kysely<Database>,
	sourceEventId: string,
	startLocal: string,
	actorUserId: string,
	origin: string,
	now: Date
): Promise<{ ok: true; eventId: string } | { ok: false; problem: 'not_found' | 'invalid_start' }> {
	return db.transaction().execute(async (trx) => {
		const source = await get(trx, sourceEventId);
		if (!source) return { ok: false, problem: 'not_found' } as const;
		const startsAt = zonedToUtc(startLocal, source.timeZone);
		if (!startsAt) return { ok: false, problem: 'invalid_start' } as const;
		const day = 24 * 3600_000;
		const eventId = await insertEvent(
			trx,
			{
				kind: source.kind,
				title: source.title,
				description: source.description,
				hostIds: source.hosts.map((h) => h.id),
				venueId: source.venue?.id ?? null,
				capacity: source.capacity,
				timeZone: source.timeZone,
				durationMinutes: Math.round((source.endsAt.getTime() - source.startsAt.getTime()) / 60_000),
				// A copy in the past or of a cancelled date starts as a draft: neither may be published.
				status: source.status === 'cancelled' || startsAt <= now ? 'draft' : source.status,
				registrationOpensDaysBefore: source.registrationOpensAt
					? Math.round((source.startsAt.getTime() - source.registrationOpensAt.getTime()) / day)
					: null,
				registrationClosesHoursBefore: source.registrationClosesAt
					? Math.round((source.startsAt.getTime() - source.registrationClosesAt.getTime()) / 3600_000)
					: null,
				seriesId: source.seriesId,
				startsAt,
				endsAt: new Date(startsAt.getTime() + (source.endsAt.getTime() - source.startsAt.getTime()))
			},
			origin,
			now
		);
		for (const host of source.hosts) {
			await audit.record(trx, { actorUserId, action: 'event.created', entityType: 'event', entityId: eventId, municipalityId: host.id, details: { copiedFrom: source.id } }, now);
		}
		return { ok: true, eventId } as const;
	});
}
