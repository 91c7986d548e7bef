import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { addCoordinator, ensureUser, findSessionUser, type SessionUser } from '../../src/lib/server/auth/users';
import * as clubs from '../../src/lib/server/clubs';
import * as dashboard from '../../src/lib/server/dashboard';
import * as events from '../../src/lib/server/events';
import * as municipalities from '../../src/lib/server/municipalities';
import * as registrations from '../../src/lib/server/registrations';
import * as stalls from '../../src/lib/server/stalls';
import { emptyProfile } from '../../src/lib/participant-profile';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const t0 = new Date('2027-03-01T09:00:00.000Z');

describe.each(dialects)('the coordinator dashboard on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	let imstCoordinator: SessionUser;
	let tarrenzCoordinator: SessionUser;
	const ids: Record<string, string> = {};

	async function coordinatorOf(email: string, municipalityId: string) {
		const { id } = await ensureUser(db, { email, name: email.split('@')[0]! }, t0);
		await addCoordinator(db, id, municipalityId, t0);
		return (await findSessionUser(db, id))!;
	}

	async function date(kind: 'market' | 'round_table', title: string, hostId: string, start: string, capacity: number, status: 'published' | 'draft' = 'published') {
		const created = await events.create(
			db,
			{ kind, title, description: '', hostIds: [hostId], venueId: null, capacity, timeZone: 'Europe/Vienna', durationMinutes: 120, status, registrationOpensDaysBefore: null, registrationClosesHoursBefore: null, firstStartLocal: start, rrule: null },
			imstCoordinator.id,
			ctx.origin,
			t0
		);
		if (!created.ok) throw new Error('no event');
		return created.eventIds[0]!;
	}

	async function register(eventId: string, email: string) {
		await registrations.register(db, { eventId, email, name: email.split('@')[0]!, locale: 'de', profile: emptyProfile, consentIntroductions: false }, ctx, t0);
		const mail = await db.selectFrom('outbox').select('text_body').where('recipient', '=', email).where('template', '=', 'registration-confirm-request').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
		const token = /\/confirm\/([a-z2-7.]+)/.exec(mail.text_body)![1]!;
		await registrations.confirm(db, token, ctx, t0);
	}

	async function club(name: string, municipalityId: string) {
		const key = name.toLowerCase().replace(/\W/g, '');
		const result = await clubs.register(db, { name, description: '', contactEmail: `${key}@verein.example`, contactPhone: '', website: '', tags: [], municipalityId, logo: null, representative: { email: `vorstand.${key}@example.org`, name, locale: 'de' } }, ctx, t0);
		if (!result.ok) throw new Error(result.problem);
		return { id: result.clubId, admin: (await findSessionUser(db, result.adminUserId))! };
	}

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		const imst = await municipalities.create(db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		const tarrenz = await municipalities.create(db, { name: 'Tarrenz', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		imstCoordinator = await coordinatorOf('k@imst.example', imst.id);
		tarrenzCoordinator = await coordinatorOf('k@tarrenz.example', tarrenz.id);

		ids.past = await date('round_table', 'Vorbei', imst.id, '2027-02-01T18:00', 10);
		ids.small = await date('round_table', 'Kleine Runde', imst.id, '2027-03-10T18:00', 1);
		ids.market = await date('market', 'Markt Imst', imst.id, '2027-04-10T10:00', 100);
		ids.draft = await date('round_table', 'Entwurf', imst.id, '2027-05-10T18:00', 20, 'draft');
		ids.tarrenz = await date('round_table', 'Runde Tarrenz', tarrenz.id, '2027-03-05T18:00', 20);
		for (const email of ['a@example.org', 'b@example.org', 'c@example.org']) await register(ids.small, email);

		const approved = await club('Bergrettung', imst.id);
		expect(await clubs.approve(db, imstCoordinator, approved.id, ctx, t0)).toEqual({ ok: true });
		await club('Neuer Verein Imst', imst.id);
		await club('Neuer Verein Tarrenz', tarrenz.id);
		await stalls.addStalls(db, imstCoordinator, ids.market, { prefix: 'A', from: 1, count: 1, zone: '', size: 2, hasPower: false, indoor: true, accessible: true }, ctx, t0);
		await stalls.setBookingOpen(db, imstCoordinator, ids.market, true, t0);
		const request = await stalls.request(db, approved.admin, approved.id, ids.market, { size: 1, needsPower: false, needsAccessible: false, tables: 1, chairs: 2, staff: '', notes: '' }, ctx, t0);
		if (!request.ok) throw new Error(request.problem);
	});
	afterAll(() => test.destroy());

	it('shows the coming dates with seats and waiting list, open stall requests and clubs to approve, of the own municipalities only', async () => {
		const imst = await dashboard.overview(db, imstCoordinator, t0);
		expect(imst.nextDates.map((d) => [d.title, d.status, d.confirmed, d.capacity, d.waitlisted])).toEqual([
			['Kleine Runde', 'published', 1, 1, 2],
			['Markt Imst', 'published', 0, 100, 0],
			['Entwurf', 'draft', 0, 20, 0]
		]);
		expect(imst.stallRequests).toMatchObject([{ eventId: ids.market, title: 'Markt Imst', requested: 1, waitlisted: 0 }]);
		expect(imst.pendingClubs.map((c) => c.name)).toEqual(['Neuer Verein Imst']);

		const tarrenz = await dashboard.overview(db, tarrenzCoordinator, t0);
		expect(tarrenz.nextDates.map((d) => d.title)).toEqual(['Runde Tarrenz']);
		expect(tarrenz.stallRequests).toEqual([]);
		expect(tarrenz.pendingClubs.map((c) => c.name)).toEqual(['Neuer Verein Tarrenz']);
	});

	it('drops a stall request once it is decided, and a market once it has begun', async () => {
		const [request] = await db.selectFrom('stall_request').select('id').where('event_id', '=', ids.market!).execute();
		expect(await stalls.approve(db, imstCoordinator, request!.id, ctx, t0)).toMatchObject({ ok: true, status: 'approved' });
		expect((await dashboard.overview(db, imstCoordinator, t0)).stallRequests).toEqual([]);
		const afterStart = await dashboard.overview(db, imstCoordinator, new Date('2027-04-10T09:00:00.000Z'));
		expect(afterStart.nextDates.map((d) => d.title)).toEqual(['Entwurf']);
	});
});
