import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import ICAL from 'ical.js';
import type { Database } from '../../src/lib/server/db/schema';
import * as events from '../../src/lib/server/events';
import * as municipalities from '../../src/lib/server/municipalities';
import * as registrations from '../../src/lib/server/registrations';
import * as tasks from '../../src/lib/server/tasks';
import { parseOneShift, parseShiftChange, parseTask, shiftChangeError } from '../../src/lib/server/tasks/form';
import { shiftTimes } from '../../src/lib/server/tasks/match';
import { ensureUser, type Viewer } from '../../src/lib/server/auth/users';
import { generateId } from '../../src/lib/server/ids';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { clubWithMember } from './fixtures';

// Changing and removing one shift of an Einsatz, and shift times in the municipality's zone.

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const t0 = new Date('2027-03-01T09:00:00.000Z');
// Imst is in Europe/Vienna: in April 10:00 local is 08:00 UTC.
const shiftOn = (day: number, places: number) => ({
	startsAt: new Date(`2027-04-${String(day).padStart(2, '0')}T08:00:00.000Z`),
	endsAt: new Date(`2027-04-${String(day).padStart(2, '0')}T12:00:00.000Z`),
	places
});
const input = { title: 'Frühjahrsputz am Inn', description: 'Müll sammeln.', place: 'Innbrücke', minAge: null, languages: ['de'], accessibility: '', tags: [] as string[], competences: [] as string[] };

const club = (db: Kysely<Database>, municipalityId: string, name: string, memberEmail: string) => clubWithMember(db, municipalityId, name, memberEmail, t0);

describe.each(dialects)('Changing and removing shifts on %s', (dialect) => {
	let test: TestDatabase;
	let imstId: string;
	let tafel: { clubId: string; viewer: Viewer };
	let other: { clubId: string; viewer: Viewer };
	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		const imst = (await municipalities.findBySlugOrName(test.db, 'imst')) ?? (await municipalities.create(test.db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0));
		imstId = imst.id;
		tafel = await club(test.db, imstId, 'Tafel Imst', 'tafel@example.org');
		other = await club(test.db, imstId, 'Sportverein', 'sport@example.org');
	});
	afterAll(() => test.destroy());

	async function publishedTask(places: number[]): Promise<{ taskId: string; shiftIds: string[] }> {
		const created = await tasks.create(test.db, tafel.viewer, { clubId: tafel.clubId }, { ...input, status: 'published' }, places.map((p, i) => shiftOn(i + 10, p)), ctx.origin, t0);
		if (!created.ok) throw new Error(created.problem);
		const task = await tasks.get(test.db, null, created.id, t0);
		return { taskId: created.id, shiftIds: task!.shifts.map((s) => s.id) };
	}

	/** Signs someone up and confirms; returns the registration's status. */
	async function helper(shiftId: string, email: string, places = 1): Promise<string> {
		expect(await registrations.register(test.db, { eventId: shiftId, email, name: `Helfer ${email}`, locale: 'de', profile: null, consentIntroductions: false, places }, ctx, t0)).toEqual({ ok: true });
		const mail = await test.db.selectFrom('outbox').select('text_body').where('recipient', '=', email).where('template', '=', 'registration-confirm-request').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
		const token = /\/confirm\/([a-z2-7]{24}\.[a-z2-7]{24})/.exec(mail.text_body)![1]!;
		const confirmed = await registrations.confirm(test.db, token, ctx, t0);
		if (!confirmed.ok) throw new Error('not confirmed');
		return confirmed.status;
	}

	const statusOf = async (shiftId: string, email: string) =>
		(
			await test.db
				.selectFrom('registration')
				.innerJoin('person', 'person.id', 'registration.person_id')
				.select('registration.status')
				.where('registration.event_id', '=', shiftId)
				.where('person.email', '=', email)
				.executeTakeFirstOrThrow()
		).status;

	const attachmentsOf = async (recipient: string, template: string) => {
		const row = await test.db.selectFrom('outbox').select('attachments').where('recipient', '=', recipient).where('template', '=', template).executeTakeFirstOrThrow();
		return (JSON.parse(row.attachments ?? '[]') as { content: string; contentType: string }[])
			.filter((a) => a.contentType.startsWith('text/calendar'))
			.map((a) => new ICAL.Component(ICAL.parse(a.content)));
	};

	it('moving a shift tells its helpers and updates their calendar entry', async () => {
		const { taskId, shiftIds } = await publishedTask([3, 3]);
		const shiftId = shiftIds[0]!;
		expect(await helper(shiftId, 'verschoben@example.org')).toBe('confirmed');
		const before = (await events.get(test.db, shiftId))!;
		const result = await tasks.changeShift(test.db, tafel.viewer, taskId, shiftId, { startLocal: '2027-04-10T11:00', endLocal: '2027-04-10T15:30', places: 3 }, ctx, t0);
		expect(result).toEqual({ ok: true, moved: true, promoted: 0 });
		const after = (await events.get(test.db, shiftId))!;
		expect(after.startsAt.toISOString()).toBe('2027-04-10T09:00:00.000Z');
		expect(after.endsAt.toISOString()).toBe('2027-04-10T13:30:00.000Z');
		expect(after.icalSequence).toBe(before.icalSequence + 1);
		const [invite] = await attachmentsOf('verschoben@example.org', 'event-moved');
		expect(invite!.getFirstPropertyValue('method')).toBe('REQUEST');
		const vevent = invite!.getFirstSubcomponent('vevent')!;
		expect(vevent.getFirstPropertyValue('uid')).toBe(after.icalUid);
		expect(vevent.getFirstPropertyValue('sequence')).toBe(after.icalSequence);
		expect(String(vevent.getFirstProperty('dtstart')!.getFirstValue())).toBe('2027-04-10T11:00:00');
		// Only the number of places: nobody is told of a move.
		expect(await tasks.changeShift(test.db, tafel.viewer, taskId, shiftId, { startLocal: '2027-04-10T11:00', endLocal: '2027-04-10T15:30', places: 5 }, ctx, t0)).toEqual({ ok: true, moved: false, promoted: 0 });
		expect(await test.db.selectFrom('outbox').select('id').where('recipient', '=', 'verschoben@example.org').where('template', '=', 'event-moved').execute()).toHaveLength(1);
		const audit = await test.db.selectFrom('audit_log').select('action').where('entity_id', '=', taskId).where('action', '=', 'task.shift_changed').execute();
		expect(audit).toHaveLength(2);
	});

	it('fewer places than already confirmed are refused with the number; bad times are refused; nothing changes', async () => {
		const { taskId, shiftIds } = await publishedTask([4, 4]);
		const shiftId = shiftIds[0]!;
		expect(await helper(shiftId, 'team@example.org', 2)).toBe('confirmed');
		expect(await helper(shiftId, 'solo@example.org')).toBe('confirmed');
		const before = (await events.get(test.db, shiftId))!;
		const same = { startLocal: '2027-04-10T10:00', endLocal: '2027-04-10T14:00' };
		const refused = await tasks.changeShift(test.db, tafel.viewer, taskId, shiftId, { ...same, startLocal: '2027-04-10T09:00', places: 2 }, ctx, t0);
		expect(refused).toEqual({ ok: false, problem: 'below_confirmed', confirmed: 3 });
		expect(shiftChangeError(refused as { problem: string; confirmed: number }).places).toBe(
			'3 Plätze sind schon fest vergeben. Bitte geben Sie mindestens 3 Plätze an – wer zugesagt hat, behält seinen Platz.'
		);
		expect(await tasks.changeShift(test.db, tafel.viewer, taskId, shiftId, { startLocal: '2027-04-10T14:00', endLocal: '2027-04-10T10:00', places: 4 }, ctx, t0)).toEqual({ ok: false, problem: 'bad_end' });
		expect(await tasks.changeShift(test.db, tafel.viewer, taskId, shiftId, { ...same, startLocal: '2027-04-31T10:00', places: 4 }, ctx, t0)).toEqual({ ok: false, problem: 'bad_start' });
		expect(await tasks.changeShift(test.db, tafel.viewer, taskId, shiftId, { ...same, places: 0 }, ctx, t0)).toEqual({ ok: false, problem: 'bad_places' });
		const after = (await events.get(test.db, shiftId))!;
		expect([after.capacity, after.confirmedCount, after.startsAt.toISOString(), after.icalSequence]).toEqual([before.capacity, 3, before.startsAt.toISOString(), before.icalSequence]);
		expect(await test.db.selectFrom('outbox').select('id').where('template', '=', 'event-moved').where('recipient', 'in', ['team@example.org', 'solo@example.org']).execute()).toEqual([]);
		// Exactly the places taken is allowed: the shift is then full.
		expect(await tasks.changeShift(test.db, tafel.viewer, taskId, shiftId, { ...same, places: 3 }, ctx, t0)).toEqual({ ok: true, moved: false, promoted: 0 });
		expect((await events.get(test.db, shiftId))!.seatsLeft).toBe(0);
		// The form names wrong input in German and keeps what was typed.
		const form = new FormData();
		for (const [k, v] of Object.entries({ shiftId, startLocal: '10.04.2027', endLocal: '2027-04-10T14:00', places: 'viele' })) form.set(k, v);
		const parsed = parseShiftChange(form);
		expect(parsed.change).toBeNull();
		expect(parsed.values).toEqual({ shiftId, startLocal: '10.04.2027', endLocal: '2027-04-10T14:00', places: 'viele' });
		expect(parsed.errors).toEqual({ startLocal: 'Bitte geben Sie einen gültigen Beginn mit Datum und Uhrzeit ein.', places: 'Bitte geben Sie eine ganze Zahl von 1 bis 10.000 ein.' });
	});

	it('more places let the waiting list move up in strict order', async () => {
		const { taskId, shiftIds } = await publishedTask([2, 2]);
		const shiftId = shiftIds[0]!;
		const times = { startLocal: '2027-04-10T10:00', endLocal: '2027-04-10T14:00' };
		expect(await helper(shiftId, 'erste@example.org')).toBe('confirmed');
		expect(await helper(shiftId, 'zweite@example.org')).toBe('confirmed');
		expect(await helper(shiftId, 'wartet-team@example.org', 2)).toBe('waitlisted');
		expect(await helper(shiftId, 'wartet-solo@example.org')).toBe('waitlisted');
		// One more place: the team at the head does not fit yet, and nobody overtakes it.
		expect(await tasks.changeShift(test.db, tafel.viewer, taskId, shiftId, { ...times, places: 3 }, ctx, t0)).toEqual({ ok: true, moved: false, promoted: 0 });
		expect([await statusOf(shiftId, 'wartet-team@example.org'), await statusOf(shiftId, 'wartet-solo@example.org')]).toEqual(['waitlisted', 'waitlisted']);
		expect(await tasks.changeShift(test.db, tafel.viewer, taskId, shiftId, { ...times, places: 4 }, ctx, t0)).toEqual({ ok: true, moved: false, promoted: 1 });
		expect([await statusOf(shiftId, 'wartet-team@example.org'), await statusOf(shiftId, 'wartet-solo@example.org')]).toEqual(['confirmed', 'waitlisted']);
		const invites = await attachmentsOf('wartet-team@example.org', 'registration-promoted');
		expect(invites.some((c) => c.getFirstPropertyValue('method') === 'REQUEST')).toBe(true);
		expect(await tasks.changeShift(test.db, tafel.viewer, taskId, shiftId, { ...times, places: 5 }, ctx, t0)).toEqual({ ok: true, moved: false, promoted: 1 });
		expect(await statusOf(shiftId, 'wartet-solo@example.org')).toBe('confirmed');
		expect((await events.get(test.db, shiftId))!.confirmedCount).toBe(5);
	});

	it('removing a shift tells its helpers and withdraws their calendar entries; the last shift stays', async () => {
		const { taskId, shiftIds } = await publishedTask([1, 2]);
		const [gone, kept] = [shiftIds[0]!, shiftIds[1]!];
		expect(await helper(gone, 'fest@example.org')).toBe('confirmed');
		expect(await helper(gone, 'warte@example.org')).toBe('waitlisted');
		expect(await test.db.selectFrom('outbox').select('id').where('event_id', '=', gone).where('template', '=', 'event-reminder').where('status', '=', 'pending').execute()).not.toEqual([]);
		expect(await tasks.removeShift(test.db, tafel.viewer, taskId, gone, ctx, t0)).toEqual({ ok: true, notified: 2 });
		expect((await events.get(test.db, gone))!.status).toBe('cancelled');
		const [cancel] = await attachmentsOf('fest@example.org', 'event-cancelled');
		expect(cancel!.getFirstPropertyValue('method')).toBe('CANCEL');
		expect(cancel!.getFirstSubcomponent('vevent')!.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(await attachmentsOf('warte@example.org', 'event-cancelled')).toEqual([]); // waiting people had no invite to withdraw
		expect(await test.db.selectFrom('outbox').select('id').where('event_id', '=', gone).where('template', '=', 'event-reminder').where('status', '=', 'pending').execute()).toEqual([]);
		// The cancelled shift takes no sign-ups and no changes any more.
		expect(events.registrationState((await events.get(test.db, gone))!, t0)).toBe('cancelled');
		expect(await registrations.register(test.db, { eventId: gone, email: 'spaet@example.org', name: 'Spät', locale: 'de', profile: null, consentIntroductions: false }, ctx, t0)).toMatchObject({ ok: false });
		expect(await tasks.changeShift(test.db, tafel.viewer, taskId, gone, { startLocal: '2027-04-10T10:00', endLocal: '2027-04-10T14:00', places: 3 }, ctx, t0)).toEqual({ ok: false, problem: 'cancelled' });
		// The Einsatz's only remaining shift is not removed: the way is to cancel the Einsatz.
		expect(await tasks.removeShift(test.db, tafel.viewer, taskId, kept, ctx, t0)).toEqual({ ok: false, problem: 'last_shift' });
		expect((await events.get(test.db, kept))!.status).toBe('published');
		expect(await test.db.selectFrom('outbox').select('id').where('recipient', '=', 'fest@example.org').where('template', '=', 'event-cancelled').execute()).toHaveLength(1);
		expect(await test.db.selectFrom('audit_log').select('action').where('entity_id', '=', taskId).where('action', '=', 'task.shift_removed').execute()).toHaveLength(1);
	});

	it('another club, another municipality\'s coordinator and a shift of another Einsatz are refused; nothing changes', async () => {
		const { taskId, shiftIds } = await publishedTask([2, 2]);
		const foreign = await publishedTask([2, 2]);
		const change = { startLocal: '2027-04-10T12:00', endLocal: '2027-04-10T14:00', places: 5 };
		const tarrenz = await municipalities.create(test.db, { name: `Tarrenz ${generateId().slice(0, 4)}`, country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		const stranger: Viewer = { id: (await ensureUser(test.db, { email: `koordination-${tarrenz.id}@example.org`, name: 'Fremd' }, t0)).id, isPlatformAdmin: false, municipalityIds: [tarrenz.id] };
		for (const viewer of [other.viewer, stranger]) {
			expect(await tasks.changeShift(test.db, viewer, taskId, shiftIds[0]!, change, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
			expect(await tasks.removeShift(test.db, viewer, taskId, shiftIds[0]!, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
		}
		expect(await tasks.changeShift(test.db, tafel.viewer, taskId, foreign.shiftIds[0]!, change, ctx, t0)).toEqual({ ok: false, problem: 'not_found' });
		expect(await tasks.removeShift(test.db, tafel.viewer, taskId, foreign.shiftIds[0]!, ctx, t0)).toEqual({ ok: false, problem: 'not_found' });
		for (const id of [...shiftIds, ...foreign.shiftIds]) {
			const shift = (await events.get(test.db, id))!;
			expect([shift.status, shift.capacity, shift.startsAt.getUTCHours()]).toEqual(['published', 2, 8]);
		}
		// The coordinators of the club's own municipality review but do not manage a club's Einsatz.
		const imstCoordinator: Viewer = { id: stranger.id, isPlatformAdmin: false, municipalityIds: [imstId] };
		expect(await tasks.removeShift(test.db, imstCoordinator, taskId, shiftIds[0]!, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
	});

	it('a municipality in Europe/London: shifts are entered, stored and changed in its zone', async () => {
		const london = await municipalities.create(test.db, { name: `London ${generateId().slice(0, 4)}`, country: 'GB', timeZone: 'Europe/London' }, t0);
		const coordinator: Viewer = { id: (await ensureUser(test.db, { email: `council-${london.id}@example.org`, name: 'Council' }, t0)).id, isPlatformAdmin: false, municipalityIds: [london.id] };
		const form = new FormData();
		for (const [k, v] of Object.entries({ title: 'Park clean-up', status: 'published', shiftStart0: '2027-07-01T09:00', shiftEnd0: '2027-07-01T12:00', shiftPlaces0: '5' })) form.set(k, v);
		const parsed = parseTask(form, { tagSlugs: [], competenceSlugs: [], timeZone: london.timeZone, withShifts: true });
		if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
		// 09:00 in London in summer (BST, UTC+1) is 08:00 UTC; read as Vienna time it would be 07:00.
		expect(parsed.shifts[0]!.startsAt.toISOString()).toBe('2027-07-01T08:00:00.000Z');
		const created = await tasks.create(test.db, coordinator, { municipalityId: london.id }, { ...parsed.data, status: parsed.status }, parsed.shifts, ctx.origin, t0);
		if (!created.ok) throw new Error(created.problem);
		const added = new FormData();
		for (const [k, v] of Object.entries({ shiftStart0: '2027-12-01T09:00', shiftEnd0: '2027-12-01T12:00', shiftPlaces0: '5' })) added.set(k, v);
		// In winter London is on UTC.
		expect((await tasks.addShift(test.db, coordinator, created.id, parseOneShift(added, london.timeZone)!, ctx.origin, t0)).ok).toBe(true);
		const task = (await tasks.get(test.db, coordinator, created.id, t0))!;
		expect(task.timeZone).toBe('Europe/London');
		expect(task.shifts.map((s) => [s.startsAt.toISOString(), s.timeZone])).toEqual([
			['2027-07-01T08:00:00.000Z', 'Europe/London'],
			['2027-12-01T09:00:00.000Z', 'Europe/London']
		]);
		const summer = task.shifts[0]!;
		expect(await tasks.changeShift(test.db, coordinator, created.id, summer.id, { startLocal: '2027-07-01T10:00', endLocal: '2027-07-01T13:00', places: 5 }, ctx, t0)).toMatchObject({ ok: true, moved: true });
		expect((await events.get(test.db, summer.id))!.startsAt.toISOString()).toBe('2027-07-01T09:00:00.000Z');
		// Another municipality's coordinator may not touch the council's own Einsatz.
		const imstCoordinator: Viewer = { id: coordinator.id, isPlatformAdmin: false, municipalityIds: [imstId] };
		expect(await tasks.changeShift(test.db, imstCoordinator, created.id, summer.id, { startLocal: '2027-07-01T12:00', endLocal: '2027-07-01T13:00', places: 9 }, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await tasks.removeShift(test.db, imstCoordinator, created.id, summer.id, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
		// A wall time the clocks skip (last Sunday of March, 01:00 → 02:00) is refused, not shifted.
		expect(await tasks.changeShift(test.db, coordinator, created.id, summer.id, { startLocal: '2027-03-28T01:30', endLocal: '2027-03-28T04:00', places: 5 }, ctx, t0)).toEqual({ ok: false, problem: 'bad_start' });
		// Evenings are judged in the shift's own zone: 16:30 in London is not an evening, 17:30 in Berlin is.
		const at = new Date('2027-07-01T15:30:00.000Z');
		expect(shiftTimes([{ at, timeZone: 'Europe/London' }]).inEvenings).toBe(false);
		expect(shiftTimes([{ at, timeZone: 'Europe/Berlin' }]).inEvenings).toBe(true);
	});
});
