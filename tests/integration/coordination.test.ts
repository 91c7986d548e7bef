import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { ensureUser } from '../../src/lib/server/auth/users';
import * as events from '../../src/lib/server/events';
import * as changes from '../../src/lib/server/events/changes';
import { utcToZoned } from '../../src/lib/server/events/recurrence';
import * as series from '../../src/lib/server/events/series';
import * as municipalities from '../../src/lib/server/municipalities';
import * as registrations from '../../src/lib/server/registrations';
import * as roster from '../../src/lib/server/registrations/roster';
import { emptyProfile } from '../../src/lib/participant-profile';
import ICAL from 'ical.js';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const t0 = new Date('2027-03-01T09:00:00.000Z');

async function confirmedPeople(db: Kysely<Database>, eventId: string, emails: string[], residency: 'resident' | 'incoming' = 'resident') {
	for (const email of emails) {
		await registrations.register(db, { eventId, email, name: `Name ${email}`, locale: 'de', profile: { ...emptyProfile, residency }, consentIntroductions: false }, ctx, t0);
		const mail = await db.selectFrom('outbox').select('text_body').where('recipient', '=', email).where('template', '=', 'registration-confirm-request').executeTakeFirstOrThrow();
		const token = /\/confirm\/([a-z2-7.]+)/.exec(mail.text_body)![1]!;
		await registrations.confirm(db, token, ctx, t0);
	}
}

describe.each(dialects)('coordinator tools on %s', (dialect) => {
	let test: TestDatabase;
	let eventId: string;
	let actor: string;

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		const imst = await municipalities.create(test.db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		actor = (await ensureUser(test.db, { email: 'k@imst.example', name: 'K' }, t0)).id;
		const created = await events.create(
			test.db,
			{
				kind: 'market', title: 'Markt', description: '', hostIds: [imst.id], venueId: null, capacity: 2,
				timeZone: 'Europe/Vienna', durationMinutes: 240, status: 'published',
				registrationOpensDaysBefore: null, registrationClosesHoursBefore: null,
				firstStartLocal: '2027-05-08T10:00', rrule: null
			},
			actor, ctx.origin, t0
		);
		if (!created.ok) throw new Error('not created');
		eventId = created.eventIds[0]!;
		await confirmedPeople(test.db, eventId, ['zoe@example.org', 'adam@example.org'], 'incoming');
		await confirmedPeople(test.db, eventId, ['maria@example.org', 'bernd@example.org']);
	});
	afterAll(() => test.destroy());

	const base = (over: Partial<changes.EventChanges> = {}): changes.EventChanges => ({
		title: 'Markt', description: '', startLocal: '2027-05-08T10:00', durationMinutes: 240, venueId: null, capacity: 2, status: 'published', ...over
	});

	it('lists, searches, filters, sorts and pages the registrations', async () => {
		const counts = await roster.counts(test.db, eventId);
		expect(counts).toMatchObject({ confirmed: 2, waitlisted: 2 });
		const byName = await roster.list(test.db, eventId, { sort: 'name', page: 1, pageSize: 3 });
		expect(byName.total).toBe(4);
		expect(byName.items.map((i) => i.email)).toEqual(['adam@example.org', 'bernd@example.org', 'maria@example.org']);
		const search = await roster.list(test.db, eventId, { query: 'MARIA', sort: 'name', page: 1, pageSize: 10 });
		expect(search.items.map((i) => i.email)).toEqual(['maria@example.org']);
		const wildcard = await roster.list(test.db, eventId, { query: '%', sort: 'name', page: 1, pageSize: 10 });
		expect(wildcard.total).toBe(0);
		const incoming = await roster.list(test.db, eventId, { residency: 'incoming', sort: 'name', page: 1, pageSize: 10 });
		expect(incoming.items.map((i) => i.email)).toEqual(['adam@example.org', 'zoe@example.org']);
		const waiting = await roster.list(test.db, eventId, { status: 'waitlisted', sort: 'status', page: 1, pageSize: 10 });
		expect(waiting.items.map((i) => [i.email, i.waitlistPosition])).toEqual([['maria@example.org', 1], ['bernd@example.org', 2]]);
	});

	it('lowering capacity keeps the confirmed; raising it promotes in order', async () => {
		const lower = await changes.update(test.db, eventId, base({ capacity: 1 }), actor, ctx, t0);
		expect(lower).toEqual({ ok: true, moved: false, promoted: 0 });
		expect((await roster.counts(test.db, eventId)).confirmed).toBe(2);

		const raise = await changes.update(test.db, eventId, base({ capacity: 3 }), actor, ctx, t0);
		expect(raise).toEqual({ ok: true, moved: false, promoted: 1 });
		const confirmed = await roster.all(test.db, eventId, ['confirmed']);
		expect(confirmed.map((c) => c.email)).toContain('maria@example.org');
		expect(confirmed.map((c) => c.email)).not.toContain('bernd@example.org');
	});

	it('sets the feedback delay of a date, and keeps it when a form leaves it out', async () => {
		expect((await events.get(test.db, eventId))!.feedbackDelayHours).toBe(24);
		await changes.update(test.db, eventId, { ...base({ capacity: 3 }), feedbackDelayHours: 72 }, actor, ctx, t0);
		expect((await events.get(test.db, eventId))!.feedbackDelayHours).toBe(72);
		await changes.update(test.db, eventId, base({ capacity: 3 }), actor, ctx, t0);
		expect((await events.get(test.db, eventId))!.feedbackDelayHours).toBe(72);
	});

	it('moving the date bumps the sequence and emails everyone registered', async () => {
		const before = (await events.get(test.db, eventId))!.icalSequence;
		const moved = await changes.update(test.db, eventId, base({ capacity: 3, startLocal: '2027-05-15T10:00' }), actor, ctx, t0);
		expect(moved).toMatchObject({ ok: true, moved: true });
		const after = (await events.get(test.db, eventId))!;
		expect(after.icalSequence).toBe(before + 1);
		expect(after.startsAt.toISOString()).toBe('2027-05-15T08:00:00.000Z');
		const mails = await test.db.selectFrom('outbox').select(['recipient', 'attachments']).where('template', '=', 'event-moved').execute();
		expect(mails.map((m) => m.recipient).sort()).toEqual(['adam@example.org', 'bernd@example.org', 'maria@example.org', 'zoe@example.org']);
		// Confirmed people get the calendar update (same UID, higher SEQUENCE); the waiting person got no invite before.
		const invite = (recipient: string) => {
			const list = JSON.parse(mails.find((m) => m.recipient === recipient)!.attachments ?? '[]') as { content: string }[];
			return list.map((a) => new ICAL.Component(ICAL.parse(a.content)));
		};
		const [update] = invite('zoe@example.org');
		expect(update!.getFirstPropertyValue('method')).toBe('REQUEST');
		const vevent = update!.getFirstSubcomponent('vevent')!;
		expect(vevent.getFirstPropertyValue('uid')).toBe(after.icalUid);
		expect(vevent.getFirstPropertyValue('sequence')).toBe(after.icalSequence);
		expect(String(vevent.getFirstProperty('dtstart')!.getFirstValue())).toBe('2027-05-15T10:00:00');
		expect(invite('bernd@example.org')).toEqual([]);
		expect(await changes.update(test.db, eventId, base({ startLocal: '2027-02-30T10:00' }), actor, ctx, t0)).toEqual({ ok: false, problem: 'invalid_start' });
	});

	it('checks people in and exports a CSV that German Excel opens', async () => {
		const [first] = await roster.all(test.db, eventId, ['confirmed']);
		expect(await roster.checkIn(test.db, eventId, first!.id, 'attended', actor, t0)).toBe(true);
		const waiting = (await roster.all(test.db, eventId, ['waitlisted']))[0]!;
		expect(await roster.checkIn(test.db, eventId, waiting.id, 'attended', actor, t0)).toBe(false);
		expect(await roster.checkIn(test.db, 'other-event', first!.id, 'no_show', actor, t0)).toBe(false);
		expect((await roster.find(test.db, eventId, first!.id))?.email).toBe(first!.email);
		expect(await roster.find(test.db, 'other-event', first!.id)).toBeNull();
		expect((await roster.counts(test.db, eventId)).attended).toBe(1);

	});

	it('adds another date to the same series and hosts', async () => {
		const added = await events.addDate(test.db, eventId, '2027-06-12T10:00', actor, ctx.origin, t0);
		expect(added.ok).toBe(true);
		if (!added.ok) return;
		const copy = (await events.get(test.db, added.eventId))!;
		const source = (await events.get(test.db, eventId))!;
		expect(copy.startsAt.toISOString()).toBe('2027-06-12T08:00:00.000Z');
		expect(copy.endsAt.getTime() - copy.startsAt.getTime()).toBe(source.endsAt.getTime() - source.startsAt.getTime());
		expect(copy.hosts.map((h) => h.id)).toEqual(source.hosts.map((h) => h.id));
		expect(copy.confirmedCount).toBe(0);
		expect(copy.icalUid).not.toBe(source.icalUid);
		expect(await events.addDate(test.db, eventId, '2027-03-28T02:30', actor, ctx.origin, t0)).toEqual({ ok: false, problem: 'invalid_start' });
	});

	it('cancelling the event emails everyone once and refuses to cancel twice', async () => {
		const result = await changes.cancel(test.db, eventId, actor, ctx, t0);
		expect(result).toMatchObject({ ok: true, notified: 3 });
		const cancellations = await test.db.selectFrom('outbox').select(['recipient', 'attachments']).where('template', '=', 'event-cancelled').execute();
		const maria = JSON.parse(cancellations.find((m) => m.recipient === 'maria@example.org')!.attachments!) as { content: string }[];
		const vcalendar = new ICAL.Component(ICAL.parse(maria[0]!.content));
		expect(vcalendar.getFirstPropertyValue('method')).toBe('CANCEL');
		expect(vcalendar.getFirstSubcomponent('vevent')!.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(await changes.cancel(test.db, eventId, actor, ctx, t0)).toEqual({ ok: false });
		expect((await events.get(test.db, eventId))!.status).toBe('cancelled');
		expect(await changes.update(test.db, eventId, base(), actor, ctx, t0)).toEqual({ ok: false, problem: 'cancelled' });
	});

	it('refuses to publish a date that has begun, and a cancelled one', async () => {
		const draft = await events.create(
			test.db,
			{
				kind: 'round_table', title: 'Entwurf', description: '', hostIds: (await events.get(test.db, eventId))!.hosts.map((h) => h.id), venueId: null, capacity: 10,
				timeZone: 'Europe/Vienna', durationMinutes: 120, status: 'draft',
				registrationOpensDaysBefore: null, registrationClosesHoursBefore: null, firstStartLocal: '2027-05-20T18:00', rrule: null
			},
			actor, ctx.origin, t0
		);
		if (!draft.ok) throw new Error('not created');
		const id = draft.eventIds[0]!;
		const edit = { title: 'Entwurf', description: '', startLocal: '2027-05-20T18:00', durationMinutes: 120, venueId: null, capacity: 10, status: 'published' as const };
		const afterStart = new Date('2027-05-20T16:30:00Z');
		expect(await changes.update(test.db, id, edit, actor, ctx, afterStart)).toEqual({ ok: false, problem: 'past' });
		expect((await events.get(test.db, id))!.status).toBe('draft');
		// Still a draft, it can be edited; moved to a later day it may be published again.
		expect(await changes.update(test.db, id, { ...edit, status: 'draft', capacity: 12 }, actor, ctx, afterStart)).toMatchObject({ ok: true });
		expect(await changes.update(test.db, id, { ...edit, startLocal: '2027-06-20T18:00' }, actor, ctx, afterStart)).toMatchObject({ ok: true });
		expect((await events.get(test.db, id))!.status).toBe('published');
		// A copy of a date into the past starts as a draft.
		const copy = await events.addDate(test.db, id, '2027-05-01T18:00', actor, ctx.origin, afterStart);
		expect(copy.ok && (await events.get(test.db, copy.eventId))!.status).toBe('draft');
		// The cancelled event of this suite (cancelled in the test before).
		expect(await changes.update(test.db, eventId, base({ startLocal: '2027-07-01T10:00' }), actor, ctx, t0)).toEqual({ ok: false, problem: 'cancelled' });
	});
});

describe.each(dialects)('series as people say them on %s', (dialect) => {
	let test: TestDatabase;
	let actor: string;
	let hostId: string;

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		hostId = (await municipalities.create(test.db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0)).id;
		actor = (await ensureUser(test.db, { email: 'k@imst.example', name: 'K' }, t0)).id;
	});
	afterAll(() => test.destroy());

	const now = new Date('2027-01-10T09:00:00.000Z');
	const input = (firstStartLocal: string, repeat: series.PlanInput['repeat'], count: number) => ({
		kind: 'round_table' as const, title: 'Stammtisch', description: '', hostIds: [hostId], venueId: null, capacity: 10,
		timeZone: 'Europe/Vienna', durationMinutes: 120, status: 'published' as const,
		registrationOpensDaysBefore: null, registrationClosesHoursBefore: null,
		firstStartLocal, repeat, customRule: '', end: { count }
	});

	/** Plans, creates the ticked dates, and reads them back from the database as local wall times. */
	async function createAndReadBack(data: ReturnType<typeof input>, skip: (d: series.PlannedDate) => boolean = () => false) {
		const plan = series.plan(data, { country: 'AT', language: 'de' }, now);
		if (!plan.ok) throw new Error(plan.problem);
		const chosen = plan.dates.filter((d) => !skip(d)).map((d) => d.startLocal);
		const created = await events.create(test.db, { ...data, rrule: plan.rrule, onlyStartsLocal: chosen }, actor, ctx.origin, now);
		if (!created.ok) throw new Error(created.problem);
		const stored = await series.dates(test.db, created.seriesId!);
		return { plan, created, stored, local: stored.map((e) => utcToZoned(e.startsAt, e.timeZone)) };
	}

	it('"2. Mittwoch im Monat" stays on the second Wednesday at 19:00 local across both DST changes', async () => {
		const { plan, stored, local } = await createAndReadBack(input('2027-02-10T19:00', 'monthly_nth', 10));
		expect(plan.rrule).toBe('FREQ=MONTHLY;BYDAY=2WE;COUNT=10');
		expect(local).toEqual([
			'2027-02-10T19:00', '2027-03-10T19:00', '2027-04-14T19:00', '2027-05-12T19:00', '2027-06-09T19:00',
			'2027-07-14T19:00', '2027-08-11T19:00', '2027-09-08T19:00', '2027-10-13T19:00', '2027-11-10T19:00'
		]);
		// Winter is UTC+1, summer UTC+2: the instants differ, the wall time does not.
		expect(stored.map((e) => e.startsAt.toISOString().slice(11, 16))).toEqual(['18:00', '18:00', '17:00', '17:00', '17:00', '17:00', '17:00', '17:00', '17:00', '18:00']);
		expect(stored.every((e) => e.endsAt.getTime() - e.startsAt.getTime() === 120 * 60_000)).toBe(true);
	});

	it('"letzter Freitag" stays on the last Friday at 18:30 across March and October, and holidays can be left out', async () => {
		const { plan, local, created } = await createAndReadBack(input('2027-02-26T18:30', 'monthly_last', 11), (d) => d.holiday !== null);
		expect(plan.rrule).toBe('FREQ=MONTHLY;BYDAY=-1FR;COUNT=11');
		expect(plan.dates.map((d) => d.startLocal.slice(0, 10))).toEqual([
			'2027-02-26', '2027-03-26', '2027-04-30', '2027-05-28', '2027-06-25', '2027-07-30',
			'2027-08-27', '2027-09-24', '2027-10-29', '2027-11-26', '2027-12-31'
		]);
		// None of these Fridays is an Austrian public holiday (31 December is not one).
		expect(plan.dates.filter((d) => d.holiday).map((d) => d.startLocal)).toEqual([]);
		expect(local.every((l) => l.endsWith('T18:30'))).toBe(true);
		expect(created.eventIds).toHaveLength(11);
	});

	it('marks public holidays of the country and creates only the ticked dates', async () => {
		// Weekly on Mondays from 22 March 2027: Easter Monday (29 March) is a holiday in Austria.
		const { plan, local } = await createAndReadBack(input('2027-03-22T19:00', 'weekly', 3), (d) => d.holiday !== null);
		expect(plan.dates.map((d) => [d.startLocal, d.holiday])).toEqual([
			['2027-03-22T19:00', null], ['2027-03-29T19:00', 'Ostermontag'], ['2027-04-05T19:00', null]
		]);
		expect(local).toEqual(['2027-03-22T19:00', '2027-04-05T19:00']);
		const german = series.plan(input('2027-10-01T19:00', 'yearly', 1), { country: 'DE', language: 'de' }, now);
		expect(german.ok && german.dates.map((d) => d.holiday)).toEqual([null]);
		const unity = series.plan(input('2027-10-03T19:00', 'none', 1), { country: 'DE', language: 'de' }, now);
		expect(unity.ok && unity.dates.map((d) => d.holiday)).toEqual(['Tag der Deutschen Einheit']);
	});

	it('changes all future dates together: past ones untouched, registrations kept, registrants told', async () => {
		const { created, stored } = await createAndReadBack(input('2027-02-10T19:00', 'monthly_nth', 4));
		const [february, march, april] = stored;
		await registrations.register(test.db, { eventId: april!.id, email: 'eva@example.org', name: 'Eva', locale: 'de', profile: emptyProfile, consentIntroductions: false }, ctx, now);
		const token = /\/confirm\/([a-z2-7.]+)/.exec((await test.db.selectFrom('outbox').select('text_body').where('recipient', '=', 'eva@example.org').executeTakeFirstOrThrow()).text_body)![1]!;
		await registrations.confirm(test.db, token, ctx, now);

		// On 20 March the February and March dates are past.
		const later = new Date('2027-03-20T12:00:00.000Z');
		const result = await series.changeFuture(test.db, created.seriesId!, { startTime: '18:00', durationMinutes: 90, venueId: null, capacity: 25 }, actor, ctx, later);
		expect(result).toEqual({ ok: true, changed: 2, moved: 2, promoted: 0 });
		const after = await series.dates(test.db, created.seriesId!);
		expect(after.map((e) => utcToZoned(e.startsAt, e.timeZone))).toEqual(['2027-02-10T19:00', '2027-03-10T19:00', '2027-04-14T18:00', '2027-05-12T18:00']);
		expect(after.map((e) => e.capacity)).toEqual([10, 10, 25, 25]);
		expect(after[0]!.icalSequence).toBe(february!.icalSequence);
		expect(after[1]!.icalSequence).toBe(march!.icalSequence);
		expect(after[2]!.icalSequence).toBe(april!.icalSequence + 1);
		expect(after[2]!.confirmedCount).toBe(1);
		expect(after[2]!.endsAt.getTime() - after[2]!.startsAt.getTime()).toBe(90 * 60_000);
		const moved = await test.db.selectFrom('outbox').select('recipient').where('template', '=', 'event-moved').execute();
		expect(moved.map((m) => m.recipient)).toEqual(['eva@example.org']);

		// Once every date has begun there is nothing left to change.
		expect(await series.changeFuture(test.db, created.seriesId!, { startTime: '18:00', durationMinutes: 90, venueId: null, capacity: 25 }, actor, ctx, new Date('2027-06-01T00:00:00Z'))).toEqual({ ok: false, problem: 'no_future_dates' });
	});

	it('refuses a time that does not exist on one of the days and changes none of them', async () => {
		const { created } = await createAndReadBack(input('2027-03-21T10:00', 'weekly', 2));
		const result = await series.changeFuture(test.db, created.seriesId!, { startTime: '02:30', durationMinutes: 60, venueId: null, capacity: 10 }, actor, ctx, now);
		expect(result).toEqual({ ok: false, problem: 'invalid_start', date: '2027-03-28T02:30' });
		const after = await series.dates(test.db, created.seriesId!);
		expect(after.map((e) => utcToZoned(e.startsAt, e.timeZone))).toEqual(['2027-03-21T10:00', '2027-03-28T10:00']);
	});
});
