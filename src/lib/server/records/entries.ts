import { DateTime } from 'luxon';
import { toDate, type Db } from '../db/schema';

/** One line of an Ehrenamtsnachweis, exactly as it is signed and stored. */
export interface RecordEntry {
	kind: 'event' | 'shift';
	/** Day of the engagement in its own time zone, YYYY-MM-DD. */
	date: string;
	title: string;
	/** The club or municipality that confirms it. */
	organiser: string;
	minutes: number;
}

/** What `organiserOf` needs to name who held an engagement. */
export interface Engagement {
	eventId: string;
	/** Set for an Einsatz's shift (an `event` row of kind 'shift'); null for events. */
	taskId: string | null;
}

/**
 * The club or municipality that confirms an engagement: for an Einsatz's shift the club (or, for a
 * coordinator's Einsatz, the municipality) that published it; for events the host municipalities.
 */
export async function organiserOf(db: Db, engagement: Engagement): Promise<string> {
	if (engagement.taskId) {
		const task = await db
			.selectFrom('task')
			.innerJoin('municipality', 'municipality.id', 'task.municipality_id')
			.leftJoin('club', 'club.id', 'task.club_id')
			.select(['club.name as club', 'municipality.name as municipality'])
			.where('task.id', '=', engagement.taskId)
			.executeTakeFirst();
		if (task) return task.club ?? task.municipality;
	}
	const hosts = await db
		.selectFrom('event_host')
		.innerJoin('municipality', 'municipality.id', 'event_host.municipality_id')
		.select('municipality.name')
		.where('event_host.event_id', '=', engagement.eventId)
		.orderBy('municipality.name')
		.execute();
	return hosts.map((h) => h.name).join(', ');
}

/**
 * Events and Einsatz shifts a person verifiably took part in: only attendance marked by the organiser (status
 * "attended" or a check-in) counts, never a mere confirmation; cancelled events and events that have
 * not ended by `now` do not. Oldest first.
 */
export async function attendedEntries(db: Db, personId: string, now: Date): Promise<RecordEntry[]> {
	const rows = await db
		.selectFrom('registration')
		.innerJoin('event', 'event.id', 'registration.event_id')
		.select(['event.id', 'event.kind', 'event.task_id', 'event.title', 'event.starts_at', 'event.ends_at', 'event.time_zone'])
		.where('registration.person_id', '=', personId)
		.where((eb) => eb.or([eb('registration.status', '=', 'attended'), eb.and([eb('registration.checked_in_at', 'is not', null), eb('registration.status', '!=', 'no_show')])]))
		.where('event.status', '!=', 'cancelled')
		.where('event.ends_at', '<=', now.toISOString())
		.orderBy('event.starts_at')
		.orderBy('event.id')
		.execute();
	const entries: RecordEntry[] = [];
	for (const row of rows) {
		const startsAt = toDate(row.starts_at);
		entries.push({
			kind: row.kind === 'shift' ? 'shift' : 'event',
			date: DateTime.fromJSDate(startsAt, { zone: row.time_zone }).toISODate()!,
			title: row.title,
			organiser: await organiserOf(db, { eventId: row.id, taskId: row.task_id }),
			minutes: Math.max(0, Math.round((toDate(row.ends_at).getTime() - startsAt.getTime()) / 60_000))
		});
	}
	return entries;
}

export function totalMinutes(entries: RecordEntry[]): number {
	return entries.reduce((sum, e) => sum + e.minutes, 0);
}
