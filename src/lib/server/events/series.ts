import type { Kysely } from 'kysely';
import type { Database, Db, EventKind } from '../db/schema';
import type { Viewer } from '../auth/users';
import type { LinkContext } from '../registrations/links';
import { updateWithin } from './changes';
import { publicHolidays } from './holidays';
import { listBySeries, seriesDates, type EventDetails } from './index';
import {
	MAX_DATES,
	RecurrenceError,
	ruleFor,
	utcToZoned,
	withEnd,
	zonedToUtc,
	type RepeatEnd,
	type RepeatKind
} from './recurrence';

export interface PlanInput {
	firstStartLocal: string;
	timeZone: string;
	durationMinutes: number;
	repeat: RepeatKind;
	/** The hand-written RRULE for `custom`. */
	customRule: string;
	end: RepeatEnd;
}

export interface PlannedDate {
	/** Wall time in the series' zone, `YYYY-MM-DDTHH:mm`: what the preview's checkboxes send back. */
	startLocal: string;
	startsAt: Date;
	endsAt: Date;
	/** The public holiday on that day, if any. */
	holiday: string | null;
}

export interface PlannedSeries {
	ok: true;
	rrule: string | null;
	dates: PlannedDate[];
	/** The rule would give more dates than a series may have. */
	capped: boolean;
}

export type PlanResult =
	| PlannedSeries
	| { ok: false; problem: 'invalid_start' | 'invalid_rule' | 'no_dates' | 'past' };

/**
 * The dates a new event or series would get, with the public holidays of the host's country marked.
 * Nothing is stored: the coordinator sees this list first and ticks the dates to create.
 */
export function plan(input: PlanInput, holidays: { country: string; language: string }, now: Date): PlanResult {
	const startsAt = zonedToUtc(input.firstStartLocal, input.timeZone);
	if (!startsAt) return { ok: false, problem: 'invalid_start' };
	let rrule: string | null = null;
	let occurrences;
	if (input.repeat === 'none') {
		if (startsAt <= now) return { ok: false, problem: 'past' };
		occurrences = [{ startsAt, endsAt: new Date(startsAt.getTime() + input.durationMinutes * 60_000) }];
	} else {
		rrule = input.repeat === 'custom' ? withEnd(input.customRule, input.end) : ruleFor(input.repeat, input.firstStartLocal, input.end);
		if (!rrule) return { ok: false, problem: 'invalid_start' };
		try {
			occurrences = seriesDates({ ...input, rrule }, now);
		} catch (error) {
			if (error instanceof RecurrenceError) return { ok: false, problem: 'invalid_rule' };
			throw error;
		}
		if (occurrences.length === 0) return { ok: false, problem: 'no_dates' };
	}
	const dates = occurrences.map((o) => ({ ...o, startLocal: utcToZoned(o.startsAt, input.timeZone) }));
	const marked = publicHolidays(holidays.country, dates.map((d) => d.startLocal.slice(0, 10)), holidays.language);
	return {
		ok: true,
		rrule,
		dates: dates.map((d) => ({ ...d, holiday: marked.get(d.startLocal.slice(0, 10)) ?? null })),
		capped: occurrences.length >= MAX_DATES
	};
}

export interface SeriesDetails {
	id: string;
	kind: EventKind;
	title: string;
	timeZone: string;
	rrule: string | null;
	venueId: string | null;
	capacity: number;
	durationMinutes: number;
	hosts: { id: string; name: string }[];
}

export async function get(db: Db, id: string): Promise<SeriesDetails | null> {
	const row = await db
		.selectFrom('series')
		.select(['id', 'kind', 'title', 'time_zone', 'rrule', 'venue_id', 'capacity', 'duration_minutes'])
		.where('id', '=', id)
		.executeTakeFirst();
	if (!row) return null;
	const hosts = await db
		.selectFrom('series_host')
		.innerJoin('municipality', 'municipality.id', 'series_host.municipality_id')
		.select(['municipality.id', 'municipality.name'])
		.where('series_host.series_id', '=', id)
		.orderBy('municipality.name')
		.execute();
	return {
		id: row.id,
		kind: row.kind,
		title: row.title,
		timeZone: row.time_zone,
		rrule: row.rrule,
		venueId: row.venue_id,
		capacity: row.capacity,
		durationMinutes: row.duration_minutes,
		hosts
	};
}

export function canManage(viewer: Viewer, series: Pick<SeriesDetails, 'hosts'>): boolean {
	return viewer.isPlatformAdmin || series.hosts.some((h) => viewer.municipalityIds.includes(h.id));
}

export { listBySeries as dates };

/** A date can still be changed from the series page: it has not begun and is not cancelled. */
export function isChangeable(event: Pick<EventDetails, 'startsAt' | 'status'>, now: Date): boolean {
	return event.startsAt > now && event.status !== 'cancelled';
}

export interface FutureChanges {
	/** Local start time `HH:mm`; each date keeps its day. */
	startTime: string;
	durationMinutes: number;
	venueId: string | null;
	capacity: number;
}

export type FutureResult =
	| { ok: true; changed: number; moved: number; promoted: number }
	| { ok: false; problem: 'not_found' | 'invalid_start' | 'no_future_dates'; date?: string };

/**
 * Changes every date that has not begun, in one transaction: past and cancelled dates stay as they
 * were, registrations stay, and each moved date tells its registrants (as a single edit does).
 */
export async function changeFuture(
	db: Kysely<Database>,
	seriesId: string,
	changes: FutureChanges,
	actorUserId: string,
	ctx: LinkContext,
	now: Date
): Promise<FutureResult> {
	return db.transaction().execute(async (trx): Promise<FutureResult> => {
		const series = await get(trx, seriesId);
		if (!series) return { ok: false, problem: 'not_found' };
		const future = (await listBySeries(trx, seriesId)).filter((e) => isChangeable(e, now));
		if (future.length === 0) return { ok: false, problem: 'no_future_dates' };
		let moved = 0;
		let promoted = 0;
		for (const event of future) {
			const startLocal = `${utcToZoned(event.startsAt, event.timeZone).slice(0, 10)}T${changes.startTime}`;
			const result = await updateWithin(
				trx,
				event.id,
				{
					title: event.title,
					description: event.description,
					startLocal,
					durationMinutes: changes.durationMinutes,
					venueId: changes.venueId,
					capacity: changes.capacity,
					status: event.status === 'published' ? 'published' : 'draft'
				},
				actorUserId,
				ctx,
				now
			);
			if (!result.ok) {
				// A time that does not exist on one day (the spring DST gap) or now lies in the past: change nothing.
				// Throwing rolls the whole transaction back, including the dates already changed.
				throw new FutureChangeRefused(startLocal);
			}
			if (result.moved) moved++;
			promoted += result.promoted;
		}
		await trx
			.updateTable('series')
			.set({
				venue_id: changes.venueId,
				capacity: changes.capacity,
				duration_minutes: changes.durationMinutes,
				updated_at: now.toISOString()
			})
			.where('id', '=', seriesId)
			.execute();
		return { ok: true, changed: future.length, moved, promoted };
	}).catch((error) => {
		if (error instanceof FutureChangeRefused) return { ok: false, problem: 'invalid_start', date: error.startLocal } as const;
		throw error;
	});
}

class FutureChangeRefused extends Error {
	constructor(readonly startLocal: string) {
		super(`cannot move a date to ${startLocal}`);
	}
}

export type ListRow =
	| { kind: 'single'; event: EventDetails }
	| { kind: 'series'; seriesId: string; title: string; next: EventDetails; dates: EventDetails[] };

/**
 * One row per series (its next date that is not cancelled, else its last) and one per single date,
 * ordered by that date: a weekly series is one line, not fifty.
 */
export function groupBySeries(events: EventDetails[], now: Date): ListRow[] {
	const rows: ListRow[] = [];
	const bySeries = new Map<string, EventDetails[]>();
	for (const event of events) {
		if (!event.seriesId) rows.push({ kind: 'single', event });
		else bySeries.set(event.seriesId, [...(bySeries.get(event.seriesId) ?? []), event]);
	}
	for (const [seriesId, dates] of bySeries) {
		const sorted = [...dates].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
		const next = sorted.find((e) => e.endsAt >= now && e.status !== 'cancelled') ?? sorted[sorted.length - 1]!;
		rows.push({ kind: 'series', seriesId, title: next.title, next, dates: sorted });
	}
	const when = (row: ListRow) => (row.kind === 'single' ? row.event : row.next).startsAt.getTime();
	return rows.sort((a, b) => when(a) - when(b));
}
