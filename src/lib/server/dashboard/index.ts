import type { Viewer } from '../auth/users';
import * as clubs from '../clubs';
import { toDate, type Db, type EventKind, type EventStatus } from '../db/schema';
import * as events from '../events';
import * as outbox from '../mail/outbox';

/** How many coming dates the dashboard lists; the events page has them all. */
export const NEXT_DATES = 5;

export interface NextDate {
	id: string;
	title: string;
	kind: EventKind;
	status: EventStatus;
	startsAt: Date;
	endsAt: Date;
	timeZone: string;
	confirmed: number;
	capacity: number;
	waitlisted: number;
}

export interface OpenStallRequests {
	eventId: string;
	title: string;
	startsAt: Date;
	timeZone: string;
	requested: number;
	waitlisted: number;
}

export interface Dashboard {
	nextDates: NextDate[];
	stallRequests: OpenStallRequests[];
	pendingClubs: { id: string; name: string; municipality: string; createdAt: Date }[];
	failedMails: number;
}

/**
 * What needs doing, for the viewer's municipalities only (everything for a platform admin): the
 * next dates that are not cancelled, stall requests still waiting for a decision at markets that
 * have not begun, clubs waiting for approval, mail that could not be delivered.
 */
export async function overview(db: Db, viewer: Viewer, now: Date): Promise<Dashboard> {
	const coming = (await events.listForCoordinator(db, viewer, { from: now })).filter((e) => e.status !== 'cancelled' && e.startsAt > now);
	const managed = coming.map((e) => e.id);
	const next = coming.slice(0, NEXT_DATES);
	const waiting = next.length
		? await db
				.selectFrom('registration')
				.select(['event_id', (eb) => eb.fn.countAll<number | string>().as('n')])
				.where('event_id', 'in', next.map((e) => e.id))
				.where('status', '=', 'waitlisted')
				.groupBy('event_id')
				.execute()
		: [];
	const requests = managed.length
		? await db
				.selectFrom('stall_request')
				.select(['event_id', 'status', (eb) => eb.fn.countAll<number | string>().as('n')])
				.where('event_id', 'in', managed)
				.where('status', 'in', ['requested', 'waitlisted'])
				.groupBy(['event_id', 'status'])
				.execute()
		: [];
	const count = (eventId: string, status: string) => Number(requests.find((r) => r.event_id === eventId && r.status === status)?.n ?? 0);
	const pending = await clubs.listForReview(db, viewer, { status: 'pending' });
	const mails = await outbox.countByStatus(db, viewer);
	return {
		nextDates: next.map((e) => ({
			id: e.id,
			title: e.title,
			kind: e.kind,
			status: e.status,
			startsAt: e.startsAt,
			endsAt: e.endsAt,
			timeZone: e.timeZone,
			confirmed: e.confirmedCount,
			capacity: e.capacity,
			waitlisted: Number(waiting.find((w) => w.event_id === e.id)?.n ?? 0)
		})),
		stallRequests: coming
			.filter((e) => count(e.id, 'requested') + count(e.id, 'waitlisted') > 0)
			.map((e) => ({ eventId: e.id, title: e.title, startsAt: e.startsAt, timeZone: e.timeZone, requested: count(e.id, 'requested'), waitlisted: count(e.id, 'waitlisted') })),
		pendingClubs: pending.map((c) => ({ id: c.id, name: c.name, municipality: c.municipality.name, createdAt: toDate(c.createdAt) })),
		failedMails: mails.failed
	};
}
