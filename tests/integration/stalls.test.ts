import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { addCoordinator, ensureUser, findSessionUser, type SessionUser } from '../../src/lib/server/auth/users';
import * as clubs from '../../src/lib/server/clubs';
import * as events from '../../src/lib/server/events';
import * as municipalities from '../../src/lib/server/municipalities';
import * as stalls from '../../src/lib/server/stalls';
import { connect } from '../../src/lib/server/db/connect';
import ICAL from 'ical.js';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const ctx = { origin: 'https://miteinander.example' };
const t0 = new Date('2027-03-01T09:00:00.000Z');
const needs = (over: Partial<stalls.RequestInput> = {}): stalls.RequestInput => ({
	size: 1, needsPower: false, needsAccessible: false, tables: 1, chairs: 2, staff: 'Anna, Ben', notes: '', ...over
});
const hall = (over: Partial<stalls.NewStalls> = {}): stalls.NewStalls => ({
	prefix: 'A', from: 1, count: 2, zone: 'Halle', size: 2, hasPower: false, indoor: true, accessible: true, ...over
});

describe.each(dialects)('market stalls on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	let coordinator: SessionUser;
	let otherCoordinator: SessionUser;
	let imstId: string;
	const clubAdmins: Record<string, { clubId: string; admin: SessionUser }> = {};

	async function sessionUser(email: string) {
		const { id } = await ensureUser(db, { email, name: email.split('@')[0]! }, t0);
		return (await findSessionUser(db, id))!;
	}

	async function approvedClub(name: string) {
		const result = await clubs.register(
			db,
			{ name, description: '', contactEmail: `${name.toLowerCase().replace(/\W/g, '')}@verein.example`, contactPhone: '', website: '', tags: [], municipalityId: imstId, logo: null, representative: { email: `vorstand.${name.toLowerCase().replace(/\W/g, '')}@example.org`, name, locale: 'de' } },
			ctx, t0
		);
		if (!result.ok) throw new Error(result.problem);
		expect(await clubs.approve(db, coordinator, result.clubId, ctx, t0)).toEqual({ ok: true });
		return { clubId: result.clubId, admin: (await findSessionUser(db, result.adminUserId))! };
	}

	async function market(title: string) {
		const created = await events.create(
			db,
			{ kind: 'market', title, description: '', hostIds: [imstId], venueId: null, capacity: 200, timeZone: 'Europe/Vienna', durationMinutes: 240, status: 'published', registrationOpensDaysBefore: null, registrationClosesHoursBefore: null, firstStartLocal: '2027-05-08T10:00', rrule: null },
			coordinator.id, ctx.origin, t0
		);
		if (!created.ok) throw new Error('no market');
		return created.eventIds[0]!;
	}

	async function statusOf(requestId: string) {
		return db.selectFrom('stall_request').leftJoin('stall', 'stall.id', 'stall_request.stall_id').select(['stall_request.status', 'stall_request.reason', 'stall.number']).where('stall_request.id', '=', requestId).executeTakeFirstOrThrow();
	}

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		const imst = await municipalities.create(db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		const tarrenz = await municipalities.create(db, { name: 'Tarrenz', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		imstId = imst.id;
		coordinator = await sessionUser('k@imst.example');
		await addCoordinator(db, coordinator.id, imst.id, t0);
		coordinator = (await findSessionUser(db, coordinator.id))!;
		otherCoordinator = await sessionUser('k@tarrenz.example');
		await addCoordinator(db, otherCoordinator.id, tarrenz.id, t0);
		otherCoordinator = (await findSessionUser(db, otherCoordinator.id))!;
		for (const name of ['Bergrettung', 'Tafel', 'Chor', 'Imker']) clubAdmins[name] = await approvedClub(name);
	});
	afterAll(() => test.destroy());

	it('assigns stalls by need, waits with the reason, and passes a freed stall to the next waiting club', async () => {
		const eventId = await market('Markt eins');
		expect(await stalls.addStalls(db, coordinator, eventId, hall(), ctx, t0)).toEqual({ ok: true, added: 2 });
		expect(await stalls.addStalls(db, coordinator, eventId, hall({ from: 2, count: 1 }), ctx, t0)).toEqual({ ok: false, problem: 'duplicate_number' });

		// Closed booking: a clear refusal, nothing written.
		const { clubId: bergId, admin: berg } = clubAdmins.Bergrettung!;
		expect(await stalls.request(db, berg, bergId, eventId, needs(), ctx, t0)).toEqual({ ok: false, problem: 'booking_closed' });
		expect(await stalls.setBookingOpen(db, coordinator, eventId, true)).toEqual({ ok: true });

		const ids: Record<string, string> = {};
		for (const [name, over] of [['Bergrettung', {}], ['Tafel', {}], ['Chor', { needsPower: true }], ['Imker', {}]] as const) {
			const { clubId, admin } = clubAdmins[name]!;
			const result = await stalls.request(db, admin, clubId, eventId, needs(over), ctx, t0);
			if (!result.ok) throw new Error(result.problem);
			ids[name] = result.requestId;
		}
		expect(await stalls.request(db, berg, bergId, eventId, needs(), ctx, t0)).toEqual({ ok: false, problem: 'already_requested' });

		expect(await stalls.approve(db, coordinator, ids.Bergrettung!, ctx, t0)).toEqual({ ok: true, status: 'approved', stallNumber: 'A1', reason: null });
		// The Chor needs power; no stall has it.
		expect(await stalls.approve(db, coordinator, ids.Chor!, ctx, t0)).toEqual({ ok: true, status: 'waitlisted', stallNumber: null, reason: 'no_stall_with_power' });
		expect(await stalls.approve(db, coordinator, ids.Tafel!, ctx, t0)).toEqual({ ok: true, status: 'approved', stallNumber: 'A2', reason: null });
		expect(await stalls.approve(db, coordinator, ids.Imker!, ctx, t0)).toEqual({ ok: true, status: 'waitlisted', stallNumber: null, reason: 'no_free_stall' });

		// The Tafel cancels: its stall goes to the Imker (the Chor still needs power).
		expect(await stalls.cancel(db, clubAdmins.Tafel!.admin, ids.Tafel!, ctx, t0)).toEqual({ ok: true, passedOnTo: ids.Imker });
		expect(await statusOf(ids.Imker!)).toMatchObject({ status: 'approved', number: 'A2' });
		// A stall with power arrives: the waiting Chor gets it at once.
		await stalls.addStalls(db, coordinator, eventId, hall({ prefix: 'S', from: 1, count: 1, zone: 'Bühne', hasPower: true }), ctx, t0);
		expect(await statusOf(ids.Chor!)).toMatchObject({ status: 'approved', number: 'S1' });

		const plan = await stalls.plan(db, coordinator, eventId);
		expect(plan.ok && plan.rows.map((r) => [r.zone, r.number, r.club])).toEqual([
			['Bühne', 'S1', 'Chor'],
			['Halle', 'A1', 'Bergrettung'],
			['Halle', 'A2', 'Imker']
		]);

		// Each step was mailed to the club; the approval carries the market's calendar invite.
		const mails = await db.selectFrom('outbox').select(['recipient', 'subject', 'attachments']).where('template', '=', 'stall-update').where('recipient', '=', 'imker@verein.example').orderBy('created_at').execute();
		expect(mails.map((m) => m.subject)).toEqual([
			'Stand bei „Markt eins“: angefragt',
			'Stand bei „Markt eins“: Warteliste',
			'Stand bei „Markt eins“: zugeteilt'
		]);
		const invite = (JSON.parse(mails[2]!.attachments!) as { content: string }[])[0]!.content;
		const vevent = new ICAL.Component(ICAL.parse(invite)).getFirstSubcomponent('vevent')!;
		expect(vevent.getFirstPropertyValue('summary')).toBe('Markt eins');
	});

	// On PostgreSQL through two connection pools (two app instances); SQLite has one writer per file,
	// and a second connection in the same thread would only wait for itself.
	it('never gives one stall twice, also to concurrent approvals', async () => {
		const eventId = await market('Markt zwei');
		await stalls.addStalls(db, coordinator, eventId, hall({ count: 1 }), ctx, t0);
		await stalls.setBookingOpen(db, coordinator, eventId, true);
		const requestIds: string[] = [];
		for (const name of ['Bergrettung', 'Tafel', 'Chor', 'Imker']) {
			const { clubId, admin } = clubAdmins[name]!;
			const result = await stalls.request(db, admin, clubId, eventId, needs(), ctx, t0);
			if (!result.ok) throw new Error(result.problem);
			requestIds.push(result.requestId);
		}
		const second = dialect === 'postgres' ? connect(test.settings) : { db };
		try {
			const results = await Promise.all(requestIds.map((id, i) => stalls.approve(i % 2 ? second.db : db, coordinator, id, ctx, t0)));
			const approved = results.filter((r) => r.ok && r.status === 'approved');
			expect(approved).toHaveLength(1);
			expect(results.filter((r) => r.ok && r.status === 'waitlisted')).toHaveLength(3);
		} finally {
			if (second.db !== db) await second.db.destroy();
		}
		const given = await db.selectFrom('stall_request').select('stall_id').where('event_id', '=', eventId).where('stall_id', 'is not', null).execute();
		expect(given).toHaveLength(1);
	});

	it('refuses other municipalities, other clubs and anonymous viewers, and non-markets', async () => {
		const eventId = await market('Markt drei');
		await stalls.setBookingOpen(db, coordinator, eventId, true);
		const { clubId, admin } = clubAdmins.Bergrettung!;
		const requested = await stalls.request(db, admin, clubId, eventId, needs(), ctx, t0);
		if (!requested.ok) throw new Error(requested.problem);
		const denied = { ok: false, problem: 'forbidden' };
		expect(await stalls.addStalls(db, otherCoordinator, eventId, hall(), ctx, t0)).toEqual(denied);
		expect(await stalls.addStalls(db, null, eventId, hall(), ctx, t0)).toEqual(denied);
		expect(await stalls.setBookingOpen(db, admin, eventId, false)).toEqual(denied);
		expect(await stalls.approve(db, otherCoordinator, requested.requestId, ctx, t0)).toEqual(denied);
		expect(await stalls.approve(db, admin, requested.requestId, ctx, t0)).toEqual(denied);
		expect(await stalls.reject(db, null, requested.requestId, 'nein', ctx, t0)).toEqual(denied);
		expect(await stalls.cancel(db, clubAdmins.Tafel!.admin, requested.requestId, ctx, t0)).toEqual(denied);
		expect(await stalls.plan(db, otherCoordinator, eventId)).toEqual(denied);
		expect(await stalls.requestsForEvent(db, admin, eventId)).toEqual(denied);
		expect(await stalls.requestsForClub(db, clubAdmins.Tafel!.admin, clubId)).toEqual(denied);
		// Another club's member cannot request in the name of this club.
		expect(await stalls.request(db, clubAdmins.Tafel!.admin, clubId, eventId, needs(), ctx, t0)).toEqual(denied);
		expect(await db.selectFrom('stall').select('id').where('event_id', '=', eventId).execute()).toEqual([]);
		expect(await statusOf(requested.requestId)).toMatchObject({ status: 'requested' });

		// The club's own view and the coordinator's list work.
		const own = await stalls.requestsForClub(db, admin, clubId);
		expect(own.ok && own.items.map((i) => i.status)).toContain('requested');
		const list = await stalls.requestsForEvent(db, coordinator, eventId);
		expect(list.ok && list.items.map((i) => i.club)).toEqual(['Bergrettung']);
		// Waitlisted by hand, then rejected with the coordinator's reason.
		expect(await stalls.waitlist(db, otherCoordinator, requested.requestId, ctx, t0)).toEqual(denied);
		expect(await stalls.waitlist(db, coordinator, requested.requestId, ctx, t0)).toEqual({ ok: true });
		expect(await statusOf(requested.requestId)).toMatchObject({ status: 'waitlisted', reason: null });
		expect(await stalls.reject(db, coordinator, requested.requestId, 'Thema passt nicht', ctx, t0)).toEqual({ ok: true });
		expect(await statusOf(requested.requestId)).toMatchObject({ status: 'rejected', reason: 'Thema passt nicht' });
	});

	it('opens booking on the announced date, tells clubs whom to ask meanwhile, and decides an assigned request only by moving or cancelling it', async () => {
		const eventId = await market('Markt mit Datum');
		await stalls.addStalls(db, coordinator, eventId, hall(), ctx, t0);
		const opensAt = new Date('2027-04-01T07:00:00.000Z');
		expect(await stalls.setBookingOpensAt(db, otherCoordinator, eventId, opensAt, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await stalls.setBookingOpensAt(db, coordinator, eventId, new Date('2027-02-01T00:00:00.000Z'), t0)).toEqual({ ok: false, problem: 'in_past' });
		expect(await stalls.setBookingOpensAt(db, coordinator, eventId, new Date('2027-06-01T00:00:00.000Z'), t0)).toEqual({ ok: false, problem: 'after_start' });
		expect(await stalls.setBookingOpensAt(db, coordinator, eventId, opensAt, t0)).toEqual({ ok: true });

		// Before the date: closed, with the date and, without a reply-to address, the coordinators to ask.
		const { clubId, admin } = clubAdmins.Tafel!;
		expect(await stalls.request(db, admin, clubId, eventId, needs(), ctx, t0)).toEqual({ ok: false, problem: 'booking_closed' });
		expect(await stalls.bookingState(db, eventId, t0)).toEqual({ open: false, opensAt });
		const closed = (await stalls.closedMarkets(db, t0)).find((m) => m.id === eventId);
		expect(closed).toMatchObject({ title: 'Markt mit Datum', opensAt, contacts: [{ municipality: 'Imst', emails: ['k@imst.example'] }] });
		await municipalities.setContactEmail(db, imstId, 'ehrenamt@imst.example');
		expect((await stalls.closedMarkets(db, t0)).find((m) => m.id === eventId)?.contacts).toEqual([{ municipality: 'Imst', emails: ['ehrenamt@imst.example'] }]);

		// From the date on it is open by itself.
		const later = new Date('2027-04-01T07:00:01.000Z');
		expect((await stalls.openMarkets(db, later)).map((m) => m.id)).toContain(eventId);
		expect((await stalls.closedMarkets(db, later)).map((m) => m.id)).not.toContain(eventId);
		const requested = await stalls.request(db, admin, clubId, eventId, needs(), ctx, later);
		if (!requested.ok) throw new Error(requested.problem);
		expect(await stalls.approve(db, coordinator, requested.requestId, ctx, later)).toMatchObject({ ok: true, status: 'approved', stallNumber: 'A1' });

		// Assigned: no second assignment, no waiting list, no rejection; nothing changes.
		expect(await stalls.approve(db, coordinator, requested.requestId, ctx, later)).toEqual({ ok: false, problem: 'already_assigned' });
		expect(await stalls.waitlist(db, coordinator, requested.requestId, ctx, later)).toEqual({ ok: false, problem: 'already_assigned' });
		expect(await stalls.reject(db, coordinator, requested.requestId, 'zu spät', ctx, later)).toEqual({ ok: false, problem: 'already_assigned' });
		expect(await statusOf(requested.requestId)).toMatchObject({ status: 'approved', number: 'A1', reason: null });

		// Moving to a named stall and cancelling do apply; after that nothing is left to decide.
		const a2 = await db.selectFrom('stall').select('id').where('event_id', '=', eventId).where('number', '=', 'A2').executeTakeFirstOrThrow();
		expect(await stalls.approve(db, coordinator, requested.requestId, ctx, later, a2.id)).toMatchObject({ ok: true, status: 'approved', stallNumber: 'A2' });
		expect(await stalls.cancel(db, coordinator, requested.requestId, ctx, later)).toMatchObject({ ok: true });
		expect(await stalls.approve(db, coordinator, requested.requestId, ctx, later)).toEqual({ ok: false, problem: 'not_open' });
		expect(await stalls.reject(db, coordinator, requested.requestId, 'nein', ctx, later)).toEqual({ ok: false, problem: 'not_open' });

		// Closing by hand drops the announced date.
		expect(await stalls.setBookingOpen(db, coordinator, eventId, false, later)).toEqual({ ok: true });
		expect(await stalls.bookingState(db, eventId, later)).toEqual({ open: false, opensAt: null });
	});
});
