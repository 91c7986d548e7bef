import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { connect } from '../../src/lib/server/db/connect';
import type { Database } from '../../src/lib/server/db/schema';
import * as events from '../../src/lib/server/events';
import * as municipalities from '../../src/lib/server/municipalities';
import * as registrations from '../../src/lib/server/registrations';
import * as tasks from '../../src/lib/server/tasks';
import * as boerse from '../../src/lib/server/boerse';
import { attendedEntries } from '../../src/lib/server/records';
import { ensureUser, type Viewer } from '../../src/lib/server/auth/users';
import { generateId } from '../../src/lib/server/ids';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { clubWithMember } from './fixtures';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const t0 = new Date('2027-03-01T09:00:00.000Z');
const shiftAt = (day: number, places: number) => ({
	startsAt: new Date(`2027-04-${String(day).padStart(2, '0')}T08:00:00.000Z`),
	endsAt: new Date(`2027-04-${String(day).padStart(2, '0')}T12:00:00.000Z`),
	places
});
const input = {
	title: 'Uferputz an der Inn',
	description: 'Wir sammeln Müll am Ufer.',
	place: 'Innbrücke, Treffpunkt Parkplatz',
	minAge: 12,
	languages: ['de', 'en'],
	accessibility: 'Unebener Weg',
	tags: [] as string[],
	competences: ['erste-hilfe']
};

const club = (db: Kysely<Database>, municipalityId: string, name: string, memberEmail: string) => clubWithMember(db, municipalityId, name, memberEmail, t0);

async function signUp(db: Kysely<Database>, shiftId: string, email: string, places = 1): Promise<string> {
	const result = await registrations.register(db, { eventId: shiftId, email, name: `Helfer ${email}`, locale: 'de', profile: null, consentIntroductions: false, places }, ctx, t0);
	expect(result).toEqual({ ok: true });
	const mail = await db
		.selectFrom('outbox')
		.select('text_body')
		.where('recipient', '=', email)
		.where('template', '=', 'registration-confirm-request')
		.orderBy('created_at', 'desc')
		.executeTakeFirstOrThrow();
	return /\/confirm\/([a-z2-7]{24}\.[a-z2-7]{24})/.exec(mail.text_body)![1]!;
}

describe.each(dialects)('Einsätze on %s', (dialect) => {
	let test: TestDatabase;
	let municipalityId: string;
	let tafel: { clubId: string; viewer: Viewer };
	let other: { clubId: string; viewer: Viewer };
	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		const imst = (await municipalities.findBySlugOrName(test.db, 'imst')) ?? (await municipalities.create(test.db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0));
		municipalityId = imst.id;
		tafel = await club(test.db, municipalityId, 'Tafel Imst', 'tafel@example.org');
		other = await club(test.db, municipalityId, 'Sportverein', 'sport@example.org');
	});
	afterAll(() => test.destroy());

	async function publishedTask(places: number[], title = input.title): Promise<{ taskId: string; shiftIds: string[] }> {
		const created = await tasks.create(test.db, tafel.viewer, { clubId: tafel.clubId }, { ...input, title, status: 'draft' }, places.map((p, i) => shiftAt(i + 10, p)), ctx.origin, t0);
		if (!created.ok) throw new Error(created.problem);
		expect(await tasks.listPublished(test.db, { now: t0, limit: 50, offset: 0 })).not.toMatchObject({ items: [expect.objectContaining({ id: created.id })] });
		expect((await tasks.publish(test.db, tafel.viewer, created.id, t0)).ok).toBe(true);
		const task = await tasks.get(test.db, null, created.id, t0);
		return { taskId: created.id, shiftIds: task!.shifts.map((s) => s.id) };
	}

	it('a club publishes an Einsatz: public list, details, shifts as events in the region', async () => {
		const created = await tasks.create(test.db, tafel.viewer, { clubId: tafel.clubId }, { ...input, status: 'draft' }, [shiftAt(1, 3), shiftAt(2, 4)], ctx.origin, t0);
		expect(created.ok).toBe(true);
		const id = created.ok ? created.id : '';
		expect(await tasks.get(test.db, null, id, t0)).toBeNull(); // a draft is not public
		expect((await tasks.listPublished(test.db, { now: t0, limit: 50, offset: 0 })).items.map((t) => t.id)).not.toContain(id);
		expect(await tasks.publish(test.db, tafel.viewer, id, t0)).toEqual({ ok: true, id });
		const task = await tasks.get(test.db, null, id, t0);
		expect(task).toMatchObject({ title: input.title, place: input.place, minAge: 12, languages: ['de', 'en'], competences: ['erste-hilfe'], clubName: 'Tafel Imst', status: 'published', canManage: false });
		expect(task!.shifts.map((s) => [s.capacity, s.seatsLeft, s.registration])).toEqual([[3, 3, 'open'], [4, 4, 'open']]);
		const listed = await tasks.listPublished(test.db, { now: t0, limit: 50, offset: 0 });
		expect(listed.items.map((t) => t.id)).toContain(id);
		// The shifts are events of kind 'shift': the home page's list includes them.
		const upcoming = await events.listUpcoming(test.db, { now: t0, kind: 'shift', limit: 50, offset: 0 });
		expect(upcoming.items.filter((e) => e.taskId === id).map((e) => e.place)).toEqual([input.place, input.place]);
		// Unknown competences and shifts that end before they start are refused.
		expect(await tasks.create(test.db, tafel.viewer, { clubId: tafel.clubId }, { ...input, competences: ['zaubern'], status: 'draft' }, [shiftAt(1, 3)], ctx.origin, t0)).toEqual({ ok: false, problem: 'unknown_competence' });
		expect(await tasks.create(test.db, tafel.viewer, { clubId: tafel.clubId }, { ...input, status: 'draft' }, [{ ...shiftAt(1, 3), endsAt: shiftAt(1, 3).startsAt }], ctx.origin, t0)).toEqual({ ok: false, problem: 'bad_shift' });
		expect(await tasks.create(test.db, tafel.viewer, { clubId: tafel.clubId }, { ...input, status: 'draft' }, [], ctx.origin, t0)).toEqual({ ok: false, problem: 'no_shifts' });
	});

	it('sign-up with double opt-in, waiting list and promotion after a cancellation', async () => {
		const { shiftIds } = await publishedTask([1]);
		const shift = shiftIds[0]!;
		const first = await signUp(test.db, shift, 'erste@example.org');
		expect((await events.get(test.db, shift))?.confirmedCount).toBe(0); // nothing held before confirming
		const confirmed = await registrations.confirm(test.db, first, ctx, t0);
		expect(confirmed).toMatchObject({ ok: true, status: 'confirmed' });
		const second = await registrations.confirm(test.db, await signUp(test.db, shift, 'zweite@example.org'), ctx, t0);
		expect(second).toMatchObject({ ok: true, status: 'waitlisted' });
		if (!confirmed.ok) throw new Error('not confirmed');
		expect(await registrations.cancel(test.db, confirmed.manageToken, ctx, t0)).toBe(true);
		const rows = await test.db.selectFrom('registration').innerJoin('person', 'person.id', 'registration.person_id').select(['person.email', 'registration.status']).where('event_id', '=', shift).orderBy('person.email').execute();
		expect(rows).toEqual([{ email: 'erste@example.org', status: 'cancelled' }, { email: 'zweite@example.org', status: 'confirmed' }]);
		const promoted = await test.db.selectFrom('outbox').select(['template', 'text_body']).where('recipient', '=', 'zweite@example.org').where('template', '=', 'registration-promoted').executeTakeFirstOrThrow();
		expect(promoted.text_body).toContain(input.place);
		expect((await events.get(test.db, shift))?.confirmedCount).toBe(1);
	});

	it('team sign-up at the edge of capacity: fits exactly, never more; a waiting team blocks in strict order', async () => {
		const { shiftIds } = await publishedTask([5]);
		const shift = shiftIds[0]!;
		// A team larger than the whole shift is refused at once.
		expect(await registrations.register(test.db, { eventId: shift, email: 'riesig@example.org', name: 'Riesig', locale: 'de', profile: null, consentIntroductions: false, places: 6 }, ctx, t0)).toEqual({ ok: false, problem: 'too_many_places', capacity: 5 });
		const single = await registrations.confirm(test.db, await signUp(test.db, shift, 'solo@example.org'), ctx, t0);
		expect(single).toMatchObject({ status: 'confirmed' });
		const team = await registrations.confirm(test.db, await signUp(test.db, shift, 'team4@example.org', 4), ctx, t0);
		expect(team).toMatchObject({ status: 'confirmed' }); // 1 + 4 = 5: exactly full
		expect((await events.get(test.db, shift))?.seatsLeft).toBe(0);
		const mail = await test.db.selectFrom('outbox').select('text_body').where('recipient', '=', 'team4@example.org').where('template', '=', 'registration-confirmed').executeTakeFirstOrThrow();
		expect(mail.text_body).toContain('4 Plätzen');

		// Full: a team of 3 waits, then a single person behind it.
		const waitingTeam = await registrations.confirm(test.db, await signUp(test.db, shift, 'team3@example.org', 3), ctx, t0);
		expect(waitingTeam).toMatchObject({ status: 'waitlisted' });
		const waitingSolo = await registrations.confirm(test.db, await signUp(test.db, shift, 'danach@example.org'), ctx, t0);
		expect(waitingSolo).toMatchObject({ status: 'waitlisted' });
		// One place frees up: the team of 3 at the head does not fit, and nobody overtakes it.
		if (!single.ok) throw new Error('not confirmed');
		await registrations.cancel(test.db, single.manageToken, ctx, t0);
		const status = async (email: string) =>
			(await test.db.selectFrom('registration').innerJoin('person', 'person.id', 'registration.person_id').select('registration.status').where('event_id', '=', shift).where('person.email', '=', email).executeTakeFirstOrThrow()).status;
		expect([await status('team3@example.org'), await status('danach@example.org')]).toEqual(['waitlisted', 'waitlisted']);
		expect((await events.get(test.db, shift))?.confirmedCount).toBe(4);
		// The team of 4 cancels: 5 free, the team of 3 and then the single person move up.
		if (!team.ok) throw new Error('not confirmed');
		await registrations.cancel(test.db, team.manageToken, ctx, t0);
		expect([await status('team3@example.org'), await status('danach@example.org')]).toEqual(['confirmed', 'confirmed']);
		expect((await events.get(test.db, shift))?.confirmedCount).toBe(4);
		const managed = await registrations.findByManageToken(test.db, waitingTeam.ok ? waitingTeam.manageToken : '');
		expect(managed?.places).toBe(3);
		expect(managed?.event.taskId).toBeTruthy();
		// The team's contact person downloads their data: the places held are in it.
		const exported = await registrations.exportData(test.db, waitingTeam.ok ? waitingTeam.manageToken : '');
		expect(exported?.registrations).toMatchObject([{ status: 'confirmed', places: 3 }]);
	});

	it('200 concurrent sign-ups to one shift never overbook (two connections on PostgreSQL)', async () => {
		const { shiftIds } = await publishedTask([20]);
		const shift = shiftIds[0]!;
		const tokens: string[] = [];
		// Singles and teams of 2 and 3 mixed.
		for (let i = 0; i < 200; i++) tokens.push(await signUp(test.db, shift, `ansturm${i}@example.org`, (i % 3) + 1));
		const second = dialect === 'postgres' ? connect(test.settings).db : test.db;
		try {
			if (dialect === 'postgres') {
				const sleep = sql`select pg_sleep(0.1)`;
				await Promise.all(Array.from({ length: 20 }, (_, i) => sleep.execute(i % 2 === 0 ? test.db : second)));
			}
			const results = [];
			for (let start = 0; start < tokens.length; start += 40) {
				const wave = tokens.slice(start, start + 40);
				results.push(...(await Promise.all(wave.map((token, i) => registrations.confirm(i % 2 === 0 ? test.db : second, token, ctx, t0)))));
			}
			expect(results.every((r) => r.ok)).toBe(true);
		} finally {
			if (second !== test.db) await second.destroy();
		}
		const rows = await test.db.selectFrom('registration').select(['status', 'places']).where('event_id', '=', shift).execute();
		const held = rows.filter((r) => r.status === 'confirmed').reduce((sum, r) => sum + r.places, 0);
		expect(held).toBeLessThanOrEqual(20);
		expect(held).toBeGreaterThanOrEqual(18); // only a team that did not fit leaves places free
		expect((await events.get(test.db, shift))?.confirmedCount).toBe(held);
		expect(rows.filter((r) => r.status === 'waitlisted').length + rows.filter((r) => r.status === 'confirmed').length).toBe(200);
	});

	it('authorisation: another club can neither edit the Einsatz nor see its helpers; the owner marks attendance', async () => {
		const { taskId, shiftIds } = await publishedTask([3]);
		const shift = shiftIds[0]!;
		const helper = await registrations.confirm(test.db, await signUp(test.db, shift, 'kam@example.org'), ctx, t0);
		if (!helper.ok) throw new Error('not confirmed');
		const registrationId = helper.manageToken.split('.')[0]!;

		expect(await tasks.update(test.db, other.viewer, taskId, { ...input, title: 'Gekapert' }, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await tasks.addShift(test.db, other.viewer, taskId, shiftAt(20, 2), ctx.origin, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await tasks.cancel(test.db, other.viewer, taskId, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await tasks.helpers(test.db, other.viewer, taskId, shift)).toBeNull();
		expect(await tasks.helpers(test.db, null, taskId, shift)).toBeNull();
		expect(await tasks.listForClub(test.db, other.viewer, tafel.clubId, t0)).toBeNull();
		expect(await tasks.markAttendance(test.db, other.viewer, taskId, shift, registrationId, 'attended', t0)).toBe(false);
		// A shift of another task cannot be reached through this task's id.
		const foreign = await publishedTask([2]);
		expect(await tasks.helpers(test.db, tafel.viewer, taskId, foreign.shiftIds[0]!)).toBeNull();

		expect((await tasks.helpers(test.db, tafel.viewer, taskId, shift))?.map((h) => [h.email, h.status, h.places])).toEqual([['kam@example.org', 'confirmed', 1]]);
		expect(await tasks.markAttendance(test.db, tafel.viewer, taskId, shift, registrationId, 'attended', t0)).toBe(true);
		expect((await tasks.helpers(test.db, tafel.viewer, taskId, shift))?.map((h) => h.status)).toEqual(['attended']);
		expect((await tasks.update(test.db, tafel.viewer, taskId, { ...input, title: 'Uferputz (neu)' }, t0)).ok).toBe(true);
		expect((await events.get(test.db, shift))?.title).toBe('Uferputz (neu)');
		expect((await tasks.listForClub(test.db, tafel.viewer, tafel.clubId, t0))?.map((t) => t.id)).toContain(taskId);

		// Messages to the helpers of a shift: the owner only, once per message id.
		const draft = { audiences: ['confirmed' as const, 'attended' as const], subjectDe: 'Treffpunkt geändert', bodyDe: 'Wir treffen uns am Parkplatz.', subjectEn: '', bodyEn: '' };
		expect(await tasks.messageHelpers(test.db, other.viewer, taskId, shift, 'nachricht000001', draft, ctx, t0)).toBeNull();
		expect(await tasks.messageHelpers(test.db, tafel.viewer, taskId, foreign.shiftIds[0]!, 'nachricht000001', draft, ctx, t0)).toBeNull();
		expect(await tasks.messageHelpers(test.db, tafel.viewer, taskId, shift, 'nachricht000001', draft, ctx, t0)).toEqual({ recipients: 1, alreadySent: false });
		expect(await tasks.messageHelpers(test.db, tafel.viewer, taskId, shift, 'nachricht000001', draft, ctx, t0)).toEqual({ recipients: 1, alreadySent: true });
		const sent = await test.db.selectFrom('outbox').select('subject').where('recipient', '=', 'kam@example.org').where('template', '=', 'coordinator-message').execute();
		expect(sent).toHaveLength(1);
	});

	it('cancelling an Einsatz cancels its shifts and tells the helpers', async () => {
		const { taskId, shiftIds } = await publishedTask([2]);
		await registrations.confirm(test.db, await signUp(test.db, shiftIds[0]!, 'abgesagt@example.org'), ctx, t0);
		expect((await tasks.cancel(test.db, tafel.viewer, taskId, ctx, t0)).ok).toBe(true);
		expect((await events.get(test.db, shiftIds[0]!))?.status).toBe('cancelled');
		const mails = await test.db.selectFrom('outbox').select('template').where('recipient', '=', 'abgesagt@example.org').where('template', '=', 'event-cancelled').execute();
		expect(mails).toHaveLength(1);
	});

	it('a helper the club marks present has the shift on their record, confirmed by the club; the Börse counts the places filled', async () => {
		const title = 'Regale einräumen';
		const { taskId, shiftIds } = await publishedTask([4], title);
		const shift = shiftIds[0]!;
		for (const [email, places] of [['anwesend@example.org', 1], ['team.abwesend@example.org', 2]] as const) {
			expect(await registrations.confirm(test.db, await signUp(test.db, shift, email, places), ctx, t0)).toMatchObject({ ok: true, status: 'confirmed' });
		}
		const fills = await boerse.shiftsOf(test.db, municipalityId, t0);
		expect(fills.filter((f) => f.task === title)).toEqual([{ task: title, startsAt: shiftAt(10, 4).startsAt, places: 4, filled: 3 }]);
		const rows = await test.db.selectFrom('registration').innerJoin('person', 'person.id', 'registration.person_id').select(['registration.id', 'person.id as personId', 'person.email']).where('event_id', '=', shift).execute();
		const present = rows.find((r) => r.email === 'anwesend@example.org')!;
		const absent = rows.find((r) => r.email === 'team.abwesend@example.org')!;
		expect(await tasks.markAttendance(test.db, tafel.viewer, taskId, shift, present.id, 'attended', t0)).toBe(true);
		const afterShift = new Date('2027-04-11T00:00:00.000Z');
		expect(await attendedEntries(test.db, present.personId, afterShift)).toEqual([{ kind: 'shift', date: '2027-04-10', title, organiser: 'Tafel Imst', minutes: 240 }]);
		expect(await attendedEntries(test.db, absent.personId, afterShift)).toEqual([]);
		// A shift that has ended is no longer an open place on the Börse.
		expect((await boerse.shiftsOf(test.db, municipalityId, afterShift)).filter((f) => f.task === title)).toEqual([]);
	});

	it('a coordinator publishes an Einsatz for their municipality, lists it with the clubs\' and marks attendance; another municipality\'s coordinator is refused', async () => {
		const coordinator: Viewer = { id: (await ensureUser(test.db, { email: 'koordination.einsatz@example.org', name: 'Koordination' }, t0)).id, isPlatformAdmin: false, municipalityIds: [municipalityId] };
		const telfs = await municipalities.create(test.db, { name: `Telfs ${generateId().slice(0, 6)}`, country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		const stranger: Viewer = { id: (await ensureUser(test.db, { email: 'koordination.telfs@example.org', name: 'Telfs' }, t0)).id, isPlatformAdmin: false, municipalityIds: [telfs.id] };
		const title = 'Gemeindeputz';
		expect(await tasks.create(test.db, stranger, { municipalityId }, { ...input, title, status: 'draft' }, [shiftAt(14, 2)], ctx.origin, t0)).toEqual({ ok: false, problem: 'forbidden' });
		const created = await tasks.create(test.db, coordinator, { municipalityId }, { ...input, title, status: 'draft' }, [shiftAt(14, 2), shiftAt(15, 3)], ctx.origin, t0);
		if (!created.ok) throw new Error(created.problem);
		const clubDraft = await tasks.create(test.db, tafel.viewer, { clubId: tafel.clubId }, { ...input, title: 'Entwurf der Tafel', status: 'draft' }, [shiftAt(14, 2)], ctx.origin, t0);
		const { taskId: clubTask } = await publishedTask([2], 'Veröffentlicht von der Tafel');

		const listed = await tasks.listForCoordinator(test.db, coordinator, { now: t0, limit: 500, offset: 0 });
		const own = listed.items.find((t) => t.id === created.id);
		expect(own).toMatchObject({ title, clubId: null, status: 'draft', canManage: true });
		expect(own?.shifts.map((s) => s.capacity)).toEqual([2, 3]);
		expect(listed.items.find((t) => t.id === clubTask)).toMatchObject({ clubName: 'Tafel Imst', canManage: false });
		expect(listed.items.map((t) => t.id)).not.toContain(clubDraft.ok ? clubDraft.id : ''); // a club's draft stays the club's
		expect(listed.total).toBe(listed.items.length);
		expect((await tasks.listForCoordinator(test.db, coordinator, { now: t0, limit: 1, offset: 0 })).items).toHaveLength(1);
		expect(await tasks.listForCoordinator(test.db, stranger, { now: t0, limit: 50, offset: 0 })).toEqual({ items: [], total: 0 });
		const admin: Viewer = { id: coordinator.id, isPlatformAdmin: true, municipalityIds: [] };
		expect((await tasks.listForCoordinator(test.db, admin, { now: t0, limit: 500, offset: 0 })).items.map((t) => t.id)).toContain(created.id);

		expect(await tasks.publish(test.db, stranger, created.id, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await tasks.update(test.db, stranger, created.id, { ...input, title: 'Gekapert' }, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await tasks.publish(test.db, coordinator, created.id, t0)).toEqual({ ok: true, id: created.id });
		const task = await tasks.get(test.db, coordinator, created.id, t0);
		expect(task).toMatchObject({ status: 'published', clubId: null, canManage: true });
		expect((await tasks.get(test.db, stranger, created.id, t0))?.canManage).toBe(false);
		const shift = task!.shifts[0]!.id;
		const helper = await registrations.confirm(test.db, await signUp(test.db, shift, 'gemeinde.helfer@example.org'), ctx, t0);
		if (!helper.ok) throw new Error('not confirmed');
		const registrationId = helper.manageToken.split('.')[0]!;
		expect(await tasks.helpers(test.db, stranger, created.id, shift)).toBeNull();
		expect(await tasks.markAttendance(test.db, stranger, created.id, shift, registrationId, 'attended', t0)).toBe(false);
		expect((await tasks.helpers(test.db, coordinator, created.id, shift))?.map((h) => [h.email, h.status])).toEqual([['gemeinde.helfer@example.org', 'confirmed']]);
		expect(await tasks.markAttendance(test.db, coordinator, created.id, shift, registrationId, 'attended', t0)).toBe(true);
		expect((await tasks.helpers(test.db, coordinator, created.id, shift))?.map((h) => h.status)).toEqual(['attended']);
		expect(await tasks.cancel(test.db, stranger, created.id, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
	});
});
