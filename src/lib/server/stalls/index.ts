import type { Kysely } from 'kysely';
import { toDate, type Database, type Db, type StallRequestStatus } from '../db/schema';
import type { Viewer } from '../auth/users';
import * as audit from '../audit';
import { inviteAttachment } from '../calendar/invites';
import { authorize, canEdit, inTransaction, type Denied } from '../clubs/access';
import { paths } from '../clubs/paths';
import * as events from '../events';
import { generateId } from '../ids';
import * as outbox from '../mail/outbox';
import { eventFacts } from '../registrations/mail';
import { canTake } from './actions';
import { bookingState } from './booking';

export { applicableActions, type StallAction } from './actions';
export { bookingState, closedMarkets, isBookingOpen, openMarkets, setBookingOpen, setBookingOpensAt, type BookingState, type ClosedMarket, type OpeningDateProblem } from './booking';

export const STALL_SIZES = { small: 1, medium: 2, large: 3 } as const;
export type StallSize = keyof typeof STALL_SIZES;

/** Why a request waits: no free stall meets its needs. Shown to the club and the coordinator. */
export type WaitReason = 'no_free_stall' | 'no_stall_large_enough' | 'no_stall_with_power' | 'no_accessible_stall';

export interface StallNeeds {
	size: number;
	needsPower: boolean;
	needsAccessible: boolean;
}

export interface StallSpec {
	id: string;
	number: string;
	zone: string;
	size: number;
	hasPower: boolean;
	indoor: boolean;
	accessible: boolean;
}

/** Hall order: by zone, then by number as people read it (A2 before A10). */
function byZoneAndNumber(a: { zone: string; number: string }, b: { zone: string; number: string }): number {
	return a.zone.localeCompare(b.zone, 'de') || a.number.localeCompare(b.number, 'de', { numeric: true });
}

/**
 * The free stall that meets the needs and wastes least (smallest size, no power when none is
 * needed), in zone and number order; or why there is none. Pure, so it is unit-tested alone.
 */
export function pickStall(free: StallSpec[], needs: StallNeeds): { stall: StallSpec } | { reason: WaitReason } {
	if (free.length === 0) return { reason: 'no_free_stall' };
	let fitting = free.filter((s) => s.size >= needs.size);
	if (fitting.length === 0) return { reason: 'no_stall_large_enough' };
	if (needs.needsPower) fitting = fitting.filter((s) => s.hasPower);
	if (fitting.length === 0) return { reason: 'no_stall_with_power' };
	if (needs.needsAccessible) fitting = fitting.filter((s) => s.accessible);
	if (fitting.length === 0) return { reason: 'no_accessible_stall' };
	const waste = (s: StallSpec) => (s.size - needs.size) * 2 + (s.hasPower && !needs.needsPower ? 1 : 0);
	const [best] = [...fitting].sort((a, b) => waste(a) - waste(b) || byZoneAndNumber(a, b));
	return { stall: best! };
}

type ManagedEvent = { ok: true; event: events.EventDetails } | Denied | { ok: false; problem: 'not_a_market' };

/** The coordinator side: a market of the viewer's municipalities. */
async function managedMarket(db: Db, viewer: Viewer | null, eventId: string): Promise<ManagedEvent> {
	const event = await events.get(db, eventId);
	if (!event) return { ok: false, problem: 'not_found' };
	if (!viewer || !events.canManage(viewer, event)) return { ok: false, problem: 'forbidden' };
	if (event.kind !== 'market') return { ok: false, problem: 'not_a_market' };
	return { ok: true, event };
}

/**
 * Takes the event row's write lock for the rest of the transaction (a no-op update), so stall
 * decisions for one market run one after the other; the unique stall_id is the last safety net.
 */
async function lockMarket(db: Db, eventId: string): Promise<void> {
	await db.updateTable('event').set((eb) => ({ stall_booking_open: eb.ref('stall_booking_open') })).where('id', '=', eventId).execute();
}

export interface NewStalls {
	/** e.g. "A" gives A1, A2, … */
	prefix: string;
	from: number;
	count: number;
	zone: string;
	size: number;
	hasPower: boolean;
	indoor: boolean;
	accessible: boolean;
}

/** Adds one or many stalls at once; a number already in use changes nothing. */
export async function addStalls(
	db: Kysely<Database>,
	viewer: Viewer | null,
	eventId: string,
	input: NewStalls,
	ctx: { origin: string },
	now: Date
): Promise<{ ok: true; added: number } | Denied | { ok: false; problem: 'not_a_market' | 'duplicate_number' }> {
	return inTransaction(db, async (trx) => {
		const market = await managedMarket(trx, viewer, eventId);
		if (!market.ok) return market;
		const numbers = Array.from({ length: input.count }, (_, i) => `${input.prefix}${input.from + i}`);
		const taken = await trx.selectFrom('stall').select('number').where('event_id', '=', eventId).where('number', 'in', numbers).execute();
		if (taken.length > 0) return { ok: false, problem: 'duplicate_number' } as const;
		await trx
			.insertInto('stall')
			.values(
				numbers.map((number) => ({
					id: generateId(),
					event_id: eventId,
					number,
					zone: input.zone,
					size: input.size,
					has_power: input.hasPower ? 1 : 0,
					indoor: input.indoor ? 1 : 0,
					accessible: input.accessible ? 1 : 0,
					created_at: now.toISOString()
				}))
			)
			.execute();
		for (const host of market.event.hosts) {
			await audit.record(trx, { actorUserId: viewer!.id, action: 'stalls.added', entityType: 'event', entityId: eventId, municipalityId: host.id, details: { numbers } }, now);
		}
		// New stalls may fit clubs that are waiting.
		await offerFreeStalls(trx, market.event, viewer!.id, ctx, now);
		return { ok: true, added: numbers.length } as const;
	});
}

export interface RequestInput extends StallNeeds {
	tables: number;
	chairs: number;
	staff: string;
	notes: string;
}

export type RequestProblem = 'not_a_market' | 'booking_closed' | 'club_not_approved' | 'already_requested';

/** A club member asks for a stall at a market whose booking is open. */
export async function request(
	db: Kysely<Database>,
	viewer: Viewer | null,
	clubId: string,
	eventId: string,
	input: RequestInput,
	ctx: { origin: string },
	now: Date
): Promise<{ ok: true; requestId: string } | Denied | { ok: false; problem: RequestProblem }> {
	return inTransaction(db, async (trx) => {
		const allowed = await authorize(trx, viewer, clubId, canEdit);
		if (!allowed.ok) return allowed;
		if (allowed.access.status !== 'approved') return { ok: false, problem: 'club_not_approved' } as const;
		const event = await events.get(trx, eventId);
		if (!event || event.status !== 'published') return { ok: false, problem: 'not_found' } as const;
		if (event.kind !== 'market') return { ok: false, problem: 'not_a_market' } as const;
		if (!(await bookingState(trx, eventId, now)).open || event.startsAt <= now) return { ok: false, problem: 'booking_closed' } as const;

		const existing = await trx.selectFrom('stall_request').select(['id', 'status']).where('event_id', '=', eventId).where('club_id', '=', clubId).executeTakeFirst();
		if (existing && existing.status !== 'cancelled' && existing.status !== 'rejected') return { ok: false, problem: 'already_requested' } as const;
		const values = {
			status: 'requested' as const,
			size: input.size,
			needs_power: input.needsPower ? 1 : 0,
			needs_accessible: input.needsAccessible ? 1 : 0,
			tables: input.tables,
			chairs: input.chairs,
			staff: input.staff,
			notes: input.notes,
			stall_id: null,
			reason: null,
			requested_by: viewer!.id,
			updated_at: now.toISOString()
		};
		const requestId = existing?.id ?? generateId();
		if (existing) await trx.updateTable('stall_request').set(values).where('id', '=', requestId).execute();
		else await trx.insertInto('stall_request').values({ id: requestId, event_id: eventId, club_id: clubId, created_at: now.toISOString(), ...values }).execute();
		await notifyClub(trx, requestId, ctx, now);
		await audit.record(trx, { actorUserId: viewer!.id, action: 'stall.requested', entityType: 'stall_request', entityId: requestId, municipalityId: event.hosts[0]?.id }, now);
		return { ok: true, requestId } as const;
	});
}

async function freeStalls(db: Db, eventId: string): Promise<StallSpec[]> {
	const rows = await db
		.selectFrom('stall')
		.leftJoin('stall_request', 'stall_request.stall_id', 'stall.id')
		.select(['stall.id', 'stall.number', 'stall.zone', 'stall.size', 'stall.has_power', 'stall.indoor', 'stall.accessible'])
		.where('stall.event_id', '=', eventId)
		.where('stall_request.id', 'is', null)
		.execute();
	return rows.map((r) => ({ id: r.id, number: r.number, zone: r.zone, size: r.size, hasPower: r.has_power === 1, indoor: r.indoor === 1, accessible: r.accessible === 1 }));
}

async function loadRequest(db: Db, requestId: string) {
	return db.selectFrom('stall_request').selectAll().where('id', '=', requestId).executeTakeFirst();
}

/** Locks the request's market, then reads the request again: a decision sees its current state. */
async function lockAndReload(db: Db, row: { id: string; event_id: string }) {
	await lockMarket(db, row.event_id);
	return (await loadRequest(db, row.id))!;
}

async function setDecision(db: Db, requestId: string, status: StallRequestStatus, stallId: string | null, reason: string | null, actorId: string | null, now: Date) {
	await db
		.updateTable('stall_request')
		.set({ status, stall_id: stallId, reason, decided_by: actorId, updated_at: now.toISOString() })
		.where('id', '=', requestId)
		.execute();
}

/** `already_assigned`: the request holds a stall; it can be moved or taken back, not decided again. */
export type DecisionProblem = 'not_a_market' | 'not_open' | 'already_assigned' | 'stall_taken' | 'unknown_stall';

/**
 * The coordinator approves a request: the best free stall that meets its needs is assigned, or the
 * coordinator's choice (`stallId`, an override that may ignore needs). If no stall fits, the request
 * waits with the reason. Returns what happened.
 */
export async function approve(
	db: Kysely<Database>,
	viewer: Viewer | null,
	requestId: string,
	ctx: { origin: string },
	now: Date,
	stallId?: string
): Promise<{ ok: true; status: 'approved' | 'waitlisted'; stallNumber: string | null; reason: WaitReason | null } | Denied | { ok: false; problem: DecisionProblem }> {
	return db.transaction().execute(async (trx) => {
		const row = await loadRequest(trx, requestId);
		if (!row) return { ok: false, problem: 'not_found' } as const;
		const market = await managedMarket(trx, viewer, row.event_id);
		if (!market.ok) return market;
		const current = await lockAndReload(trx, row);
		// An assigned request only moves to a stall the coordinator names.
		const action = current.status === 'approved' ? 'move' : 'assign';
		if (!canTake(current.status, action)) return { ok: false, problem: 'not_open' } as const;
		if (action === 'move' && !stallId) return { ok: false, problem: 'already_assigned' } as const;

		const free = await freeStalls(trx, row.event_id);
		let picked: { stall: StallSpec } | { reason: WaitReason };
		if (stallId) {
			const chosen = free.find((s) => s.id === stallId);
			if (!chosen) {
				const exists = await trx.selectFrom('stall').select('id').where('id', '=', stallId).where('event_id', '=', row.event_id).executeTakeFirst();
				return { ok: false, problem: exists ? 'stall_taken' : 'unknown_stall' } as const;
			}
			picked = { stall: chosen };
		} else {
			picked = pickStall(free, { size: current.size, needsPower: current.needs_power === 1, needsAccessible: current.needs_accessible === 1 });
		}
		if ('reason' in picked) {
			await setDecision(trx, requestId, 'waitlisted', null, picked.reason, viewer!.id, now);
		} else {
			await setDecision(trx, requestId, 'approved', picked.stall.id, null, viewer!.id, now);
		}
		await notifyClub(trx, requestId, ctx, now);
		// An override moved the club: its former stall may fit someone waiting.
		if (stallId && current.stall_id && current.stall_id !== stallId) await offerFreeStalls(trx, market.event, viewer!.id, ctx, now);
		const approved = 'stall' in picked;
		await audit.record(trx, { actorUserId: viewer!.id, action: approved ? 'stall.approved' : 'stall.waitlisted', entityType: 'stall_request', entityId: requestId, municipalityId: market.event.hosts[0]?.id }, now);
		return 'stall' in picked
			? ({ ok: true, status: 'approved', stallNumber: picked.stall.number, reason: null } as const)
			: ({ ok: true, status: 'waitlisted', stallNumber: null, reason: picked.reason } as const);
	});
}

/**
 * The coordinator puts an open request on the waiting list by hand (e.g. to keep stalls for
 * others). It is given a stall automatically when one frees up that meets its needs.
 */
export async function waitlist(
	db: Kysely<Database>,
	viewer: Viewer | null,
	requestId: string,
	ctx: { origin: string },
	now: Date
): Promise<{ ok: true } | Denied | { ok: false; problem: DecisionProblem }> {
	return db.transaction().execute(async (trx) => {
		const row = await loadRequest(trx, requestId);
		if (!row) return { ok: false, problem: 'not_found' } as const;
		const market = await managedMarket(trx, viewer, row.event_id);
		if (!market.ok) return market;
		const current = await lockAndReload(trx, row);
		if (current.status === 'approved') return { ok: false, problem: 'already_assigned' } as const;
		if (!canTake(current.status, 'waitlist')) return { ok: false, problem: 'not_open' } as const;
		await setDecision(trx, requestId, 'waitlisted', null, null, viewer!.id, now);
		await notifyClub(trx, requestId, ctx, now);
		await audit.record(trx, { actorUserId: viewer!.id, action: 'stall.waitlisted', entityType: 'stall_request', entityId: requestId, municipalityId: market.event.hosts[0]?.id }, now);
		return { ok: true } as const;
	});
}

/** The coordinator turns an open request down with a reason (an assigned one is cancelled instead). */
export async function reject(
	db: Kysely<Database>,
	viewer: Viewer | null,
	requestId: string,
	reason: string,
	ctx: { origin: string },
	now: Date
): Promise<{ ok: true } | Denied | { ok: false; problem: DecisionProblem }> {
	return db.transaction().execute(async (trx) => {
		const row = await loadRequest(trx, requestId);
		if (!row) return { ok: false, problem: 'not_found' } as const;
		const market = await managedMarket(trx, viewer, row.event_id);
		if (!market.ok) return market;
		const current = await lockAndReload(trx, row);
		if (current.status === 'approved') return { ok: false, problem: 'already_assigned' } as const;
		if (!canTake(current.status, 'reject')) return { ok: false, problem: 'not_open' } as const;
		await setDecision(trx, requestId, 'rejected', null, reason, viewer!.id, now);
		await notifyClub(trx, requestId, ctx, now);
		await audit.record(trx, { actorUserId: viewer!.id, action: 'stall.rejected', entityType: 'stall_request', entityId: requestId, municipalityId: market.event.hosts[0]?.id }, now);
		return { ok: true } as const;
	});
}

/**
 * The club (any member) or the coordinator cancels a request. A freed stall goes to the longest
 * waiting club whose needs it meets.
 */
export async function cancel(
	db: Kysely<Database>,
	viewer: Viewer | null,
	requestId: string,
	ctx: { origin: string },
	now: Date
): Promise<{ ok: true; passedOnTo: string | null } | Denied | { ok: false; problem: 'not_open' }> {
	return db.transaction().execute(async (trx) => {
		const row = await loadRequest(trx, requestId);
		if (!row) return { ok: false, problem: 'not_found' } as const;
		const event = (await events.get(trx, row.event_id))!;
		const isCoordinator = !!viewer && events.canManage(viewer, event);
		if (!isCoordinator) {
			const allowed = await authorize(trx, viewer, row.club_id, canEdit);
			if (!allowed.ok) return allowed;
		}
		const current = await lockAndReload(trx, row);
		if (!['requested', 'waitlisted', 'approved'].includes(current.status)) return { ok: false, problem: 'not_open' } as const;
		await setDecision(trx, requestId, 'cancelled', null, null, viewer!.id, now);
		await notifyClub(trx, requestId, ctx, now);
		await audit.record(trx, { actorUserId: viewer!.id, action: 'stall.cancelled', entityType: 'stall_request', entityId: requestId, municipalityId: event.hosts[0]?.id }, now);
		const passedOnTo = current.stall_id ? await offerFreeStalls(trx, event, viewer!.id, ctx, now) : [];
		return { ok: true, passedOnTo: passedOnTo[0] ?? null } as const;
	});
}

/** Gives free stalls to waiting requests, longest waiting first, where a stall meets the needs. */
async function offerFreeStalls(db: Db, event: events.EventDetails, actorId: string, ctx: { origin: string }, now: Date): Promise<string[]> {
	const waiting = await db
		.selectFrom('stall_request')
		.select(['id', 'size', 'needs_power', 'needs_accessible'])
		.where('event_id', '=', event.id)
		.where('status', '=', 'waitlisted')
		.orderBy('created_at')
		.orderBy('id')
		.execute();
	const given: string[] = [];
	for (const request of waiting) {
		const picked = pickStall(await freeStalls(db, event.id), { size: request.size, needsPower: request.needs_power === 1, needsAccessible: request.needs_accessible === 1 });
		if ('reason' in picked) continue;
		await setDecision(db, request.id, 'approved', picked.stall.id, null, actorId, now);
		await notifyClub(db, request.id, ctx, now);
		given.push(request.id);
	}
	return given;
}

/** Tells the club (its contact address) where its request stands; an approval carries the market's invite. */
async function notifyClub(db: Db, requestId: string, ctx: { origin: string }, now: Date): Promise<void> {
	const row = await db
		.selectFrom('stall_request')
		.innerJoin('club', 'club.id', 'stall_request.club_id')
		.leftJoin('stall', 'stall.id', 'stall_request.stall_id')
		.select(['stall_request.status', 'stall_request.reason', 'stall_request.event_id', 'stall_request.updated_at', 'club.name', 'club.contact_email', 'stall.number', 'stall.zone'])
		.where('stall_request.id', '=', requestId)
		.executeTakeFirstOrThrow();
	const event = (await events.get(db, row.event_id))!;
	const url = `${ctx.origin}${paths.clubArea}`;
	await outbox.enqueue(
		db,
		{
			idempotencyKey: `stall:${requestId}:${row.status}:${toDate(row.updated_at).toISOString()}`,
			recipient: row.contact_email,
			locale: 'de',
			template: 'stall-update',
			payload: { club: row.name, event: eventFacts(event), status: row.status, stall: row.number, zone: row.zone, reason: row.reason, url },
			attachments:
				row.status === 'approved'
					? [inviteAttachment(event, { name: row.name, email: row.contact_email }, 'REQUEST', { origin: ctx.origin, manageUrl: url })]
					: [],
			municipalityId: event.hosts[0]?.id
		},
		now
	);
}

export interface PlanRow {
	stallId: string;
	number: string;
	zone: string;
	size: number;
	hasPower: boolean;
	indoor: boolean;
	accessible: boolean;
	club: string | null;
	requestId: string | null;
	tables: number | null;
	chairs: number | null;
	staff: string | null;
}

/** The hall plan: every stall by zone and number, with the club it is given to. */
export async function plan(db: Db, viewer: Viewer | null, eventId: string): Promise<{ ok: true; rows: PlanRow[] } | Denied | { ok: false; problem: 'not_a_market' }> {
	const market = await managedMarket(db, viewer, eventId);
	if (!market.ok) return market;
	const rows = await db
		.selectFrom('stall')
		.leftJoin('stall_request', 'stall_request.stall_id', 'stall.id')
		.leftJoin('club', 'club.id', 'stall_request.club_id')
		.select(['stall.id', 'stall.number', 'stall.zone', 'stall.size', 'stall.has_power', 'stall.indoor', 'stall.accessible', 'club.name', 'stall_request.id as request_id', 'stall_request.tables', 'stall_request.chairs', 'stall_request.staff'])
		.where('stall.event_id', '=', eventId)
		.execute();
	const sorted = rows.sort(byZoneAndNumber);
	return {
		ok: true,
		rows: sorted.map((r) => ({
			stallId: r.id,
			number: r.number,
			zone: r.zone,
			size: r.size,
			hasPower: r.has_power === 1,
			indoor: r.indoor === 1,
			accessible: r.accessible === 1,
			club: r.name,
			requestId: r.request_id,
			tables: r.tables,
			chairs: r.chairs,
			staff: r.staff
		}))
	};
}

export interface RequestListItem {
	id: string;
	club: string;
	clubId: string;
	status: StallRequestStatus;
	size: number;
	needsPower: boolean;
	needsAccessible: boolean;
	tables: number;
	chairs: number;
	staff: string;
	notes: string;
	stall: string | null;
	reason: string | null;
	createdAt: Date;
}

function listQuery(db: Db) {
	return db
		.selectFrom('stall_request')
		.innerJoin('club', 'club.id', 'stall_request.club_id')
		.leftJoin('stall', 'stall.id', 'stall_request.stall_id')
		.select([
			'stall_request.id',
			'club.name',
			'club.id as club_id',
			'stall_request.status',
			'stall_request.size',
			'stall_request.needs_power',
			'stall_request.needs_accessible',
			'stall_request.tables',
			'stall_request.chairs',
			'stall_request.staff',
			'stall_request.notes',
			'stall.number',
			'stall_request.reason',
			'stall_request.created_at'
		]);
}

function toItem(r: Awaited<ReturnType<ReturnType<typeof listQuery>['execute']>>[number]): RequestListItem {
	return {
		id: r.id,
		club: r.name,
		clubId: r.club_id,
		status: r.status,
		size: r.size,
		needsPower: r.needs_power === 1,
		needsAccessible: r.needs_accessible === 1,
		tables: r.tables,
		chairs: r.chairs,
		staff: r.staff,
		notes: r.notes,
		stall: r.number,
		reason: r.reason,
		createdAt: toDate(r.created_at)
	};
}

/** All requests for a market, oldest first (the coordinator's list). */
export async function requestsForEvent(db: Db, viewer: Viewer | null, eventId: string): Promise<{ ok: true; items: RequestListItem[] } | Denied | { ok: false; problem: 'not_a_market' }> {
	const market = await managedMarket(db, viewer, eventId);
	if (!market.ok) return market;
	const rows = await listQuery(db).where('stall_request.event_id', '=', eventId).orderBy('stall_request.created_at').orderBy('stall_request.id').execute();
	return { ok: true, items: rows.map(toItem) };
}

/** A club's requests across markets (its members' view). */
export async function requestsForClub(db: Db, viewer: Viewer | null, clubId: string): Promise<{ ok: true; items: (RequestListItem & { eventId: string })[] } | Denied> {
	return inTransaction(db, async (trx) => {
		const allowed = await authorize(trx, viewer, clubId, canEdit);
		if (!allowed.ok) return allowed;
		const rows = await listQuery(trx).select('stall_request.event_id').where('stall_request.club_id', '=', clubId).orderBy('stall_request.created_at').execute();
		return { ok: true as const, items: rows.map((r) => ({ ...toItem(r), eventId: r.event_id })) };
	});
}
