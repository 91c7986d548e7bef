import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { ensureUser } from '../../src/lib/server/auth/users';
import * as events from '../../src/lib/server/events';
import * as changes from '../../src/lib/server/events/changes';
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

		const csv = roster.toCsv(['Name', 'Notiz'], [['Zoë', '=HYPERLINK("x")'], ['A "B"', 'ä;ö']]);
		expect(csv.startsWith('\uFEFF"Name";"Notiz"\r\n')).toBe(true);
		expect(csv).toContain(`"Zoë";"'=HYPERLINK(""x"")"`);
		expect(csv).toContain('"A ""B""";"ä;ö"');
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
});
