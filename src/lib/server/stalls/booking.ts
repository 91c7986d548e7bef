import type { Kysely } from 'kysely';
import { toDate, toDateOrNull, type Database, type Db } from '../db/schema';
import type { Viewer } from '../auth/users';
import * as audit from '../audit';
import type { Denied } from '../clubs/access';
import * as events from '../events';

/**
 * Booking is open when the coordinator opened it by hand, or once the opening date they set has
 * come: a date a club is told must also be the date the booking opens.
 */
export function isBookingOpen(state: { openFlag: boolean; opensAt: Date | null }, now: Date): boolean {
	return state.openFlag || (state.opensAt !== null && state.opensAt <= now);
}

export interface BookingState {
	open: boolean;
	/** The announced opening date while booking is closed; null when none is set or it is open. */
	opensAt: Date | null;
}

export async function bookingState(db: Db, eventId: string, now: Date): Promise<BookingState> {
	const row = await db.selectFrom('event').select(['stall_booking_open', 'stall_booking_opens_at']).where('id', '=', eventId).executeTakeFirst();
	if (!row) return { open: false, opensAt: null };
	const opensAt = toDateOrNull(row.stall_booking_opens_at);
	const open = isBookingOpen({ openFlag: row.stall_booking_open === 1, opensAt }, now);
	return { open, opensAt: open ? null : opensAt };
}

type MarketCheck = { ok: true; event: events.EventDetails } | Denied | { ok: false; problem: 'not_a_market' };

async function managedMarket(db: Db, viewer: Viewer | null, eventId: string): Promise<MarketCheck> {
	const event = await events.get(db, eventId);
	if (!event) return { ok: false, problem: 'not_found' };
	if (!viewer || !events.canManage(viewer, event)) return { ok: false, problem: 'forbidden' };
	if (event.kind !== 'market') return { ok: false, problem: 'not_a_market' };
	return { ok: true, event };
}

/** Opens or closes booking by hand; either way an announced opening date no longer applies. */
export async function setBookingOpen(db: Db, viewer: Viewer | null, eventId: string, open: boolean, now = new Date()): Promise<{ ok: true } | Denied | { ok: false; problem: 'not_a_market' }> {
	const market = await managedMarket(db, viewer, eventId);
	if (!market.ok) return market;
	await db.updateTable('event').set({ stall_booking_open: open ? 1 : 0, stall_booking_opens_at: null }).where('id', '=', eventId).execute();
	await audit.record(db, { actorUserId: viewer!.id, action: open ? 'stalls.booking_opened' : 'stalls.booking_closed', entityType: 'event', entityId: eventId, municipalityId: market.event.hosts[0]?.id }, now);
	return { ok: true };
}

export type OpeningDateProblem = 'not_a_market' | 'in_past' | 'after_start';

/**
 * Announces when booking opens (null removes the date). Booking stays closed until then and
 * opens by itself at that moment; the date must lie between now and the market's start.
 */
export async function setBookingOpensAt(
	db: Kysely<Database>,
	viewer: Viewer | null,
	eventId: string,
	opensAt: Date | null,
	now: Date
): Promise<{ ok: true } | Denied | { ok: false; problem: OpeningDateProblem }> {
	const market = await managedMarket(db, viewer, eventId);
	if (!market.ok) return market;
	if (opensAt && opensAt <= now) return { ok: false, problem: 'in_past' };
	if (opensAt && opensAt >= market.event.startsAt) return { ok: false, problem: 'after_start' };
	await db
		.updateTable('event')
		.set({ stall_booking_open: 0, stall_booking_opens_at: opensAt?.toISOString() ?? null })
		.where('id', '=', eventId)
		.execute();
	await audit.record(db, { actorUserId: viewer!.id, action: 'stalls.opening_date_set', entityType: 'event', entityId: eventId, municipalityId: market.event.hosts[0]?.id, details: { opensAt: opensAt?.toISOString() ?? null } }, now);
	return { ok: true };
}

/** Markets that take stall requests now: published, booking open, not yet begun. */
export async function openMarkets(db: Db, now: Date): Promise<{ id: string; title: string; startsAt: Date }[]> {
	const rows = await db
		.selectFrom('event')
		.select(['event.id', 'event.title', 'event.starts_at'])
		.where('event.kind', '=', 'market')
		.where('event.status', '=', 'published')
		.where('event.starts_at', '>', now.toISOString())
		.where((eb) =>
			eb.or([eb('event.stall_booking_open', '=', 1), eb.and([eb('event.stall_booking_opens_at', 'is not', null), eb('event.stall_booking_opens_at', '<=', now.toISOString())])])
		)
		.orderBy('event.starts_at')
		.limit(50)
		.execute();
	return rows.map((r) => ({ id: r.id, title: r.title, startsAt: toDate(r.starts_at) }));
}

export interface ClosedMarket {
	id: string;
	title: string;
	startsAt: Date;
	timeZone: string;
	opensAt: Date | null;
	/** Whom a club can ask: each host's reply-to address, or its coordinators when it has none. */
	contacts: { municipality: string; emails: string[] }[];
}

/** Coming markets that do not take requests yet: when booking opens (if announced) and whom to ask. */
export async function closedMarkets(db: Db, now: Date): Promise<ClosedMarket[]> {
	const rows = await db
		.selectFrom('event')
		.select(['event.id', 'event.title', 'event.starts_at', 'event.time_zone', 'event.stall_booking_open', 'event.stall_booking_opens_at'])
		.where('event.kind', '=', 'market')
		.where('event.status', '=', 'published')
		.where('event.starts_at', '>', now.toISOString())
		.orderBy('event.starts_at')
		.limit(50)
		.execute();
	const closed = rows
		.map((r) => ({ id: r.id, title: r.title, startsAt: toDate(r.starts_at), timeZone: r.time_zone, openFlag: r.stall_booking_open === 1, opensAt: toDateOrNull(r.stall_booking_opens_at) }))
		.filter((r) => !isBookingOpen(r, now));
	if (closed.length === 0) return [];
	const hosts = await db
		.selectFrom('event_host')
		.innerJoin('municipality', 'municipality.id', 'event_host.municipality_id')
		.select(['event_host.event_id', 'municipality.id', 'municipality.name', 'municipality.contact_email'])
		.where('event_host.event_id', 'in', closed.map((r) => r.id))
		.orderBy('municipality.name')
		.execute();
	const withoutContact = [...new Set(hosts.filter((h) => !h.contact_email).map((h) => h.id))];
	const coordinators = withoutContact.length
		? await db
				.selectFrom('coordinator')
				.innerJoin('user', 'user.id', 'coordinator.user_id')
				.select(['coordinator.municipality_id', 'user.email'])
				.where('coordinator.municipality_id', 'in', withoutContact)
				.orderBy('user.email')
				.execute()
		: [];
	return closed.map((r) => ({
		id: r.id,
		title: r.title,
		startsAt: r.startsAt,
		timeZone: r.timeZone,
		opensAt: r.opensAt,
		contacts: hosts
			.filter((h) => h.event_id === r.id)
			.map((h) => ({
				municipality: h.name,
				emails: h.contact_email ? [h.contact_email] : coordinators.filter((c) => c.municipality_id === h.id).map((c) => c.email)
			}))
	}));
}
