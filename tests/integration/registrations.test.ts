import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { connect } from '../../src/lib/server/db/connect';
import type { Database } from '../../src/lib/server/db/schema';
import * as events from '../../src/lib/server/events';
import * as municipalities from '../../src/lib/server/municipalities';
import * as registrations from '../../src/lib/server/registrations';
import { registrationsTotal } from '../../src/lib/server/http/metrics';
import * as retention from '../../src/lib/server/retention';
import { emptyProfile } from '../../src/lib/participant-profile';
import { CHECK_IN_CID, checkInUrl } from '../../src/lib/server/registrations/check-in-code';
import QRCode from 'qrcode';
import ICAL from 'ical.js';
import { ensureUser } from '../../src/lib/server/auth/users';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const t0 = new Date('2027-03-01T09:00:00.000Z');

async function setup(db: Kysely<Database>, capacity: number) {
	const imst = (await municipalities.findBySlugOrName(db, 'imst')) ?? (await municipalities.create(db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0));
	const user = await ensureUser(db, { email: 'k@imst.example', name: 'K' }, t0);
	const created = await events.create(
		db,
		{
			kind: 'round_table',
			title: 'Gesprächsrunde Frühling',
			description: '',
			hostIds: [imst.id],
			venueId: null,
			capacity,
			timeZone: 'Europe/Vienna',
			durationMinutes: 150,
			status: 'published',
			registrationOpensDaysBefore: null,
			registrationClosesHoursBefore: null,
			firstStartLocal: '2027-04-08T18:00',
			rrule: null
		},
		user.id,
		ctx.origin,
		t0
	);
	if (!created.ok) throw new Error('event not created');
	return created.eventIds[0]!;
}

/** Registers and returns the confirmation token taken from the queued email, as a person would. */
async function registerAndGetConfirmToken(db: Kysely<Database>, eventId: string, email: string, now = t0): Promise<string> {
	const result = await registrations.register(
		db,
		{ eventId, email, name: `Person ${email}`, locale: 'de', profile: { ...emptyProfile, interests: ['sport'] }, consentIntroductions: true },
		ctx,
		now
	);
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

async function statuses(db: Kysely<Database>, eventId: string) {
	return db.selectFrom('registration').select(['id', 'status', 'waitlist_position']).where('event_id', '=', eventId).execute();
}

describe.each(dialects)('registrations on %s', (dialect) => {
	let test: TestDatabase;
	beforeAll(async () => {
		test = await createTestDatabase(dialect);
	});
	afterAll(() => test.destroy());

	it('holds a seat only after the emailed link is confirmed, and a replay changes nothing', async () => {
		const eventId = await setup(test.db, 2);
		const requestedBefore = registrationsTotal.get({ outcome: 'requested' });
		const token = await registerAndGetConfirmToken(test.db, eventId, 'anna@example.org');
		expect((await events.get(test.db, eventId))?.confirmedCount).toBe(0);
		// /metrics counts what happened: one registration requested, then one confirmed, a replay not.
		expect(registrationsTotal.get({ outcome: 'requested' })).toBe(requestedBefore + 1);
		const confirmedBefore = registrationsTotal.get({ outcome: 'confirmed' });

		const confirmed = await registrations.confirm(test.db, token, ctx, t0);
		expect(confirmed).toMatchObject({ ok: true, status: 'confirmed' });
		expect((await events.get(test.db, eventId))?.confirmedCount).toBe(1);

		const replay = await registrations.confirm(test.db, token, ctx, t0);
		expect(replay).toMatchObject({ ok: false, problem: 'already', status: 'confirmed' });
		expect((await events.get(test.db, eventId))?.confirmedCount).toBe(1);
		expect(registrationsTotal.get({ outcome: 'confirmed' })).toBe(confirmedBefore + 1);

		const forged = await registrations.confirm(test.db, `${token.split('.')[0]}.${'a'.repeat(24)}`, ctx, t0);
		expect(forged).toMatchObject({ ok: false, problem: 'invalid' });

		const person = await test.db.selectFrom('person').select(['name', 'profile', 'consent_introductions']).where('email', '=', 'anna@example.org').executeTakeFirstOrThrow();
		expect(person.name).toBe('Person anna@example.org');
		expect(JSON.parse(person.profile).interests).toEqual(['sport']);
		expect(person.consent_introductions).toBe(1);
		const mails = await test.db.selectFrom('outbox').select(['template', 'attachments', 'html_body']).where('recipient', '=', 'anna@example.org').execute();
		// Plus the two default reminders, scheduled ahead.
		expect(mails.map((m) => m.template).sort()).toEqual(['event-reminder', 'event-reminder', 'registration-confirm-request', 'registration-confirmed']);

		// The confirmation carries a QR code of the coordinator's check-in entry for this person.
		const confirmation = mails.find((m) => m.template === 'registration-confirmed')!;
		const [qr, invite] = JSON.parse(confirmation.attachments!) as { contentType: string; content: string; cid: string }[];
		// … and the calendar invite for the event.
		const vcalendar = new ICAL.Component(ICAL.parse(invite!.content));
		expect(vcalendar.getFirstPropertyValue('method')).toBe('REQUEST');
		const vevent = vcalendar.getFirstSubcomponent('vevent')!;
		expect(vevent.getFirstPropertyValue('uid')).toBe((await events.get(test.db, eventId))!.icalUid);
		expect(String(vevent.getFirstProperty('dtstart')!.getFirstValue())).toBe('2027-04-08T18:00:00');
		expect(String(vevent.getFirstPropertyValue('attendee')).toLowerCase()).toBe('mailto:anna@example.org');
		expect(qr).toMatchObject({ contentType: 'image/png', cid: CHECK_IN_CID });
		expect(confirmation.html_body).toContain(`src="cid:${CHECK_IN_CID}"`);
		const registrationId = token.split('.')[0]!;
		const expected = await QRCode.toBuffer(checkInUrl(ctx, eventId, registrationId), { type: 'png', width: 320, margin: 2 });
		expect(qr!.content).toBe(expected.toString('base64'));
	});

	it('registering twice takes no second seat and only resends the right email', async () => {
		const eventId = await setup(test.db, 5);
		const first = await registerAndGetConfirmToken(test.db, eventId, 'ben@example.org');
		const second = await registerAndGetConfirmToken(test.db, eventId, 'ben@example.org', new Date(t0.getTime() + 1000));
		expect(second).not.toBe(first);
		expect(await registrations.confirm(test.db, first, ctx, t0)).toMatchObject({ ok: false, problem: 'invalid' });
		expect(await registrations.confirm(test.db, second, ctx, t0)).toMatchObject({ ok: true, status: 'confirmed' });

		const again = await registrations.register(
			test.db,
			{ eventId, email: 'BEN@example.org', name: 'Someone else', locale: 'en', profile: emptyProfile, consentIntroductions: false },
			ctx,
			new Date(t0.getTime() + 2000)
		);
		expect(again).toEqual({ ok: true });
		expect((await statuses(test.db, eventId)).filter((r) => r.status === 'confirmed')).toHaveLength(1);
		expect((await events.get(test.db, eventId))?.confirmedCount).toBe(1);
		const already = await test.db.selectFrom('outbox').select('template').where('recipient', '=', 'ben@example.org').where('template', '=', 'registration-already').execute();
		expect(already).toHaveLength(1);
		// The stranger's name did not overwrite Ben's confirmed profile.
		const ben = await test.db.selectFrom('person').select('name').where('email', '=', 'ben@example.org').executeTakeFirstOrThrow();
		expect(ben.name).toBe('Person ben@example.org');
	});

	it('refuses closed, past and cancelled events and expired links', async () => {
		const eventId = await setup(test.db, 5);
		const late = new Date('2027-04-09T00:00:00Z');
		const result = await registrations.register(test.db, { eventId, email: 'late@example.org', name: 'L', locale: 'de', profile: emptyProfile, consentIntroductions: false }, ctx, late);
		expect(result).toEqual({ ok: false, problem: 'past' });
		expect(await registrations.register(test.db, { eventId: 'nope', email: 'x@example.org', name: 'X', locale: 'de', profile: emptyProfile, consentIntroductions: false }, ctx, t0)).toEqual({ ok: false, problem: 'not_found' });

		const token = await registerAndGetConfirmToken(test.db, eventId, 'slow@example.org');
		const afterExpiry = new Date(t0.getTime() + 48 * 3600_000);
		expect(await registrations.confirm(test.db, token, ctx, afterExpiry)).toMatchObject({ ok: false, problem: 'expired' });
		expect(await registrations.expirePending(test.db, afterExpiry)).toBeGreaterThanOrEqual(1);
		const row = (await statuses(test.db, eventId)).find(Boolean);
		expect(row?.status).toBe('expired');
		expect((await events.get(test.db, eventId))?.confirmedCount).toBe(0);
	});

	it('waitlists when full and promotes the first waiting person when a seat frees', async () => {
		const eventId = await setup(test.db, 1);
		const tokens = [];
		for (const who of ['c1', 'c2', 'c3']) tokens.push(await registerAndGetConfirmToken(test.db, eventId, `${who}@example.org`));
		const results = [];
		for (const token of tokens) results.push(await registrations.confirm(test.db, token, ctx, t0));
		expect(results.map((r) => (r.ok ? [r.status, r.position] : r.problem))).toEqual([
			['confirmed', null],
			['waitlisted', 1],
			['waitlisted', 2]
		]);
		const first = results[0]!;
		if (!first.ok) throw new Error('unreachable');
		const later = new Date(t0.getTime() + 3600_000);
		expect(await registrations.cancel(test.db, first.manageToken, ctx, later)).toBe(true);
		expect(await registrations.cancel(test.db, first.manageToken, ctx, later)).toBe(false);

		const rows = await test.db
			.selectFrom('registration')
			.innerJoin('person', 'person.id', 'registration.person_id')
			.select(['person.email', 'registration.status'])
			.where('registration.event_id', '=', eventId)
			.orderBy('person.email')
			.execute();
		expect(rows.map((r) => [r.email, r.status])).toEqual([
			['c1@example.org', 'cancelled'],
			['c2@example.org', 'confirmed'],
			['c3@example.org', 'waitlisted']
		]);
		expect((await events.get(test.db, eventId))?.confirmedCount).toBe(1);
		const promoted = await test.db.selectFrom('outbox').select('subject').where('recipient', '=', 'c2@example.org').where('template', '=', 'registration-promoted').execute();
		expect(promoted).toHaveLength(1);
		const trail = await test.db.selectFrom('audit_log').select('action').where('at', '=', later.toISOString()).orderBy('action').execute();
		expect(trail.map((a) => a.action)).toEqual(['registration.cancelled_by_person', 'registration.promoted']);
		const c3 = results[2]!;
		const managed = c3.ok ? await registrations.findByManageToken(test.db, c3.manageToken) : null;
		expect(managed?.waitlistRank).toBe(1);
		// The check-in code is shown only to people who hold a seat, and leads to their check-in entry.
		expect(await registrations.checkInCode(ctx, managed!)).toBeNull();
		const c2 = results[1]!;
		const seated = c2.ok ? await registrations.findByManageToken(test.db, c2.manageToken) : null;
		expect(seated?.status).toBe('confirmed');
		const code = await registrations.checkInCode(ctx, seated!);
		expect(code).toMatch(/^data:image\/svg\+xml;base64,/);
		expect(Buffer.from(code!.split(',')[1]!, 'base64').toString('utf8')).toContain('<svg');
		expect(await registrations.checkInCode(ctx, { ...seated!, status: 'cancelled' })).toBeNull();
	});

	it('exports and erases a person through the manage link, passing the seat on', async () => {
		const eventId = await setup(test.db, 1);
		const a = await registrations.confirm(test.db, await registerAndGetConfirmToken(test.db, eventId, 'erase-me@example.org'), ctx, t0);
		await registrations.confirm(test.db, await registerAndGetConfirmToken(test.db, eventId, 'next@example.org'), ctx, t0);
		if (!a.ok) throw new Error('not confirmed');
		const data = await registrations.exportData(test.db, a.manageToken);
		expect(data?.person.email).toBe('erase-me@example.org');
		expect(data?.registrations).toHaveLength(1);

		expect(await registrations.deleteData(test.db, a.manageToken, ctx, t0)).toBe(true);
		expect(await registrations.findByManageToken(test.db, a.manageToken)).toBeNull();
		const people = await test.db.selectFrom('person').select('email').execute();
		expect(people.map((p) => p.email)).not.toContain('erase-me@example.org');
		const rows = await statuses(test.db, eventId);
		expect(rows).toHaveLength(2); // counts kept
		expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(1);
		const next = await test.db.selectFrom('outbox').select('id').where('recipient', '=', 'next@example.org').where('template', '=', 'registration-promoted').execute();
		expect(next).toHaveLength(1);
	});

	it('erases personal data once the host municipality’s retention has passed', async () => {
		const eventId = await setup(test.db, 10);
		await registrations.confirm(test.db, await registerAndGetConfirmToken(test.db, eventId, 'old@example.org'), ctx, t0);
		const ends = (await events.get(test.db, eventId))!.endsAt.getTime();
		const month = 30.44 * 24 * 3600_000;
		expect(await retention.apply(test.db, ctx, new Date(ends + 11 * month))).toBe(0);
		const erased = await retention.apply(test.db, ctx, new Date(ends + 12.5 * month));
		expect(erased).toBeGreaterThanOrEqual(1);
		const emails = (await test.db.selectFrom('person').select('email').execute()).map((p) => p.email);
		expect(emails).not.toContain('old@example.org');
		const rows = await statuses(test.db, eventId);
		expect(rows.map((r) => r.status)).toEqual(['confirmed']); // the count stays
	});

	it('never confirms more than capacity: 200 confirmations, 40 at once, for 20 seats', async () => {
		const eventId = await setup(test.db, 20);
		const tokens: string[] = [];
		for (let i = 0; i < 200; i++) tokens.push(await registerAndGetConfirmToken(test.db, eventId, `rush${i}@example.org`));

		// On PostgreSQL the confirmations go through two independent pools: two app instances.
		const second = dialect === 'postgres' ? connect(test.settings).db : test.db;
		try {
			// 40 at once keep every pooled connection busy with a competing confirmation; all 200 at once
			// would mostly wait for a pooled connection and, on a loaded machine, time out there instead.
			const results = [];
			for (let start = 0; start < tokens.length; start += 40) {
				const wave = tokens.slice(start, start + 40);
				results.push(...(await Promise.all(wave.map((token, i) => registrations.confirm(i % 2 === 0 ? test.db : second, token, ctx, t0)))));
			}
			expect(results).toHaveLength(200);
			expect(results.every((r) => r.ok)).toBe(true);
		} finally {
			if (second !== test.db) await second.destroy();
		}
		const rows = await statuses(test.db, eventId);
		const confirmed = rows.filter((r) => r.status === 'confirmed');
		const waitlisted = rows.filter((r) => r.status === 'waitlisted');
		expect(confirmed).toHaveLength(20);
		expect(waitlisted).toHaveLength(180);
		expect(waitlisted.map((r) => r.waitlist_position).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));
		expect((await events.get(test.db, eventId))?.confirmedCount).toBe(20);
	});

	it('50 simultaneous registrations of one address on two instances: no error, one person, one registration', async () => {
		const eventId = await setup(test.db, 20);
		// On PostgreSQL through two independent pools (two app instances); SQLite serialises writers.
		const second = dialect === 'postgres' ? connect(test.settings).db : test.db;
		const input = { eventId, email: 'Zwilling@Example.org', name: 'Zwilling', locale: 'de' as const, profile: emptyProfile, consentIntroductions: false };
		try {
			if (dialect === 'postgres') {
				// Open every pooled connection first, so the registrations really overlap instead of
				// queueing behind connection set-up one by one.
				const sleep = sql`select pg_sleep(0.1)`;
				await Promise.all(Array.from({ length: 20 }, (_, i) => sleep.execute(i % 2 === 0 ? test.db : second)));
			}
			const results = await Promise.allSettled(
				Array.from({ length: 50 }, (_, i) => registrations.register(i % 2 === 0 ? test.db : second, input, ctx, t0))
			);
			expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
			expect(results.every((r) => r.status === 'fulfilled' && r.value.ok)).toBe(true);
		} finally {
			if (second !== test.db) await second.destroy();
		}
		const people = await test.db.selectFrom('person').select('id').where('email', '=', 'zwilling@example.org').execute();
		expect(people).toHaveLength(1);
		const rows = await test.db.selectFrom('registration').select('status').where('event_id', '=', eventId).where('person_id', '=', people[0]!.id).execute();
		expect(rows).toEqual([{ status: 'pending' }]);
		// Every registration that went through sent a confirmation request; the last link is the valid one.
		const mails = await test.db.selectFrom('outbox').select('id').where('recipient', '=', 'zwilling@example.org').where('template', '=', 'registration-confirm-request').execute();
		expect(mails.length).toBeGreaterThanOrEqual(1);
		const token = await registerAndGetConfirmToken(test.db, eventId, 'zwilling@example.org', new Date(t0.getTime() + 60_000));
		expect((await registrations.confirm(test.db, token, ctx, t0)).ok).toBe(true);
	});
});
