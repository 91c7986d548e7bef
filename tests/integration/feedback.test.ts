import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { addCoordinator, ensureUser, findSessionUser, type SessionUser } from '../../src/lib/server/auth/users';
import * as clubs from '../../src/lib/server/clubs';
import * as events from '../../src/lib/server/events';
import * as feedback from '../../src/lib/server/feedback';
import * as leads from '../../src/lib/server/leads';
import * as municipalities from '../../src/lib/server/municipalities';
import * as registrations from '../../src/lib/server/registrations';
import * as reminders from '../../src/lib/server/reminders';
import * as stalls from '../../src/lib/server/stalls';
import { smtpTransport, type MailTransport } from '../../src/lib/server/mail/transport';
import { deliverBacklog } from '../../src/lib/server/mail/worker';
import { emptyProfile } from '../../src/lib/participant-profile';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { startSmtp, type TestSmtp } from './smtp';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const FROM = 'Miteinander <no-reply@miteinander.example>';
const t0 = new Date('2027-03-01T09:00:00.000Z');
// The market runs 2027-05-08 10:00–14:00 in Vienna (UTC+2).
const eventEnd = new Date('2027-05-08T12:00:00.000Z');
const hours = (h: number) => new Date(eventEnd.getTime() + h * 3600_000);
const DAY_H = 24;

describe.each(dialects)('feedback, leads and thanks on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	let smtp: TestSmtp;
	let transport: MailTransport;
	let coordinator: SessionUser;
	let marketId: string;
	let otherEventId: string;
	const club: Record<string, { id: string; admin: SessionUser; email: string }> = {};
	const person: Record<string, string> = {};
	const requestedAt = hours(25);

	async function approvedClub(name: string) {
		const key = name.toLowerCase();
		const email = `${key}@verein.example`;
		const result = await clubs.register(
			db,
			{ name, description: '', contactEmail: email, contactPhone: '', website: '', tags: ['sport'], municipalityId: (await municipalities.list(db))[0]!.id, logo: null, representative: { email: `vorstand.${key}@example.org`, name, locale: 'de' } },
			ctx,
			t0
		);
		if (!result.ok) throw new Error(result.problem);
		expect(await clubs.approve(db, coordinator, result.clubId, ctx, t0)).toEqual({ ok: true });
		return { id: result.clubId, admin: (await findSessionUser(db, result.adminUserId))!, email };
	}

	async function createMarket(title: string, start: string) {
		const created = await events.create(
			db,
			{ kind: 'market', title, description: '', hostIds: [(await municipalities.list(db))[0]!.id], venueId: null, capacity: 50, timeZone: 'Europe/Vienna', durationMinutes: 240, status: 'published', registrationOpensDaysBefore: null, registrationClosesHoursBefore: null, firstStartLocal: start, rrule: null },
			coordinator.id,
			ctx.origin,
			t0
		);
		if (!created.ok) throw new Error('no event');
		return created.eventIds[0]!;
	}

	async function withStalls(eventId: string, names: string[]) {
		await stalls.addStalls(db, coordinator, eventId, { prefix: 'A', from: 1, count: names.length, zone: 'Halle', size: 2, hasPower: false, indoor: true, accessible: true }, ctx, t0);
		await stalls.setBookingOpen(db, coordinator, eventId, true);
		for (const name of names) {
			const requested = await stalls.request(db, club[name]!.admin, club[name]!.id, eventId, { size: 1, needsPower: false, needsAccessible: false, tables: 1, chairs: 2, staff: '', notes: '' }, ctx, t0);
			if (!requested.ok) throw new Error(requested.problem);
			expect(await stalls.approve(db, coordinator, requested.requestId, ctx, t0)).toMatchObject({ ok: true, status: 'approved' });
		}
	}

	async function confirmed(eventId: string, email: string, consent = false) {
		await registrations.register(db, { eventId, email, name: email.split('@')[0]!, locale: 'de', profile: emptyProfile, consentIntroductions: consent }, ctx, t0);
		const mail = await db.selectFrom('outbox').select('text_body').where('recipient', '=', email).where('template', '=', 'registration-confirm-request').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
		const token = /\/confirm\/([a-z2-7.]+)/.exec(mail.text_body)![1]!;
		expect(await registrations.confirm(db, token, ctx, t0)).toMatchObject({ ok: true, status: 'confirmed' });
		return (await db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
	}

	async function tokenOf(who: { personId?: string; clubId?: string }, eventId = marketId) {
		let query = db.selectFrom('feedback').select('id').where('event_id', '=', eventId);
		query = who.personId ? query.where('person_id', '=', who.personId) : query.where('club_id', '=', who.clubId!);
		const row = await query.executeTakeFirstOrThrow();
		return feedback.feedbackToken(ctx.secret, row.id);
	}

	const mails = (template: string) => db.selectFrom('outbox').select(['recipient', 'text_body', 'idempotency_key']).where('template', '=', template).execute();

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		smtp = await startSmtp();
		transport = smtpTransport(smtp.url);
		const imst = await municipalities.create(db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		const { id } = await ensureUser(db, { email: 'k@imst.example', name: 'K' }, t0);
		await addCoordinator(db, id, imst.id, t0);
		coordinator = (await findSessionUser(db, id))!;
		for (const name of ['Bergrettung', 'Chor', 'Fremdverein']) club[name] = await approvedClub(name);
		marketId = await createMarket('Markt', '2027-05-08T10:00');
		otherEventId = await createMarket('Anderer Markt', '2027-06-12T10:00');
		await withStalls(marketId, ['Bergrettung', 'Chor']);
		await withStalls(otherEventId, ['Fremdverein']);
		for (const name of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'optout', 'erased']) person[name] = await confirmed(marketId, `${name}@example.org`, name === 'p1');
		await reminders.setOptOut(db, person.optout!, true, ctx, t0);
		await registrations.anonymisePerson(db, person.erased!, ctx, hours(1));
	});
	afterAll(async () => {
		transport.close();
		await smtp.close();
		await test.destroy();
	});

	it('sends no request before the event’s feedback delay has passed', async () => {
		expect(await feedback.requestDue(db, ctx, hours(-1))).toBe(0);
		expect(await feedback.requestDue(db, ctx, hours(23))).toBe(0);
		expect(await db.selectFrom('feedback').select('id').execute()).toHaveLength(0);
	});

	it('requests feedback once after the delay, from attendees and clubs, never from opted-out or erased people', async () => {
		expect(await feedback.requestDue(db, ctx, requestedAt)).toBe(6 + 2);
		expect(await feedback.requestDue(db, ctx, hours(26))).toBe(0);
		const sent = await mails('feedback-request');
		const recipients = sent.map((m) => m.recipient).sort();
		expect(recipients).toEqual(['bergrettung@verein.example', 'chor@verein.example', 'p1@example.org', 'p2@example.org', 'p3@example.org', 'p4@example.org', 'p5@example.org', 'p6@example.org']);
		const rows = await db.selectFrom('feedback').select(['respondent', 'requested_at', 'editable_until']).execute();
		expect(rows.filter((r) => r.respondent === 'club')).toHaveLength(2);
		expect(new Date(rows[0]!.editable_until).getTime() - new Date(rows[0]!.requested_at).getTime()).toBe(14 * 24 * 3600_000);

		// The link in the delivered mail opens exactly that person's form.
		await deliverBacklog(db, { transport, from: FROM, owner: 'w', maxAttempts: 3, clock: () => requestedAt });
		const mail = smtp.received.find((m) => JSON.stringify(m.to).includes('p2@example.org') && m.subject?.includes('Rückmeldung'));
		const token = /\/feedback\/([a-z2-7.]+)/.exec(mail?.text ?? '')![1]!;
		const form = await feedback.findByToken(db, ctx.secret, token, requestedAt);
		expect(form).toMatchObject({ respondent: 'person', isOpen: true, event: { title: 'Markt' } });
		expect(form!.options.map((o) => o.name)).toEqual(['Bergrettung', 'Chor']);
		expect(token).toBe(await tokenOf({ personId: person.p2 }));
	});

	it('refuses forged tokens and answers of the wrong kind or for clubs of another event', async () => {
		const token = await tokenOf({ personId: person.p3 });
		const forged = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
		expect(await feedback.findByToken(db, ctx.secret, forged, requestedAt)).toBeNull();
		expect(await feedback.findByToken(db, 'another-secret', token, requestedAt)).toBeNull();
		expect(await feedback.findByToken(db, ctx.secret, 'nonsense', requestedAt)).toBeNull();
		expect(await feedback.save(db, ctx, forged, { usefulness: 5, talkedTo: [], wantsToTry: [], comment: '', consent: false }, requestedAt)).toEqual({ ok: false, problem: 'not_found' });
		const clubToken = await tokenOf({ clubId: club.Chor!.id });
		expect(await feedback.save(db, ctx, clubToken, { usefulness: 5, talkedTo: [], wantsToTry: [], comment: '', consent: false }, requestedAt)).toEqual({ ok: false, problem: 'wrong_respondent' });
		expect(await feedback.save(db, ctx, token, { usefulness: 4, talkedTo: [club.Fremdverein!.id], wantsToTry: [], comment: '', consent: true }, requestedAt)).toEqual({ ok: false, problem: 'unknown_club' });
		const row = await db.selectFrom('feedback').select(['answered_at', 'usefulness']).where('person_id', '=', person.p3!).executeTakeFirstOrThrow();
		expect(row).toEqual({ answered_at: null, usefulness: null });
	});

	it('turns "want to try" with consent into a lead and one contact mail; without consent only a count', async () => {
		const { Bergrettung: berg, Chor: chor } = club;
		const now = hours(30);
		const p1 = await tokenOf({ personId: person.p1 });
		expect((await feedback.findByToken(db, ctx.secret, p1, now))!.consent).toBe(true);
		expect(await feedback.save(db, ctx, p1, { usefulness: 5, talkedTo: [berg!.id, chor!.id], wantsToTry: [berg!.id, chor!.id], comment: 'Schön', consent: true }, now)).toEqual({ ok: true, leadsCreated: 2, leads: 2 });
		const contact = (await mails('lead-contact')).filter((m) => m.recipient === berg!.email);
		expect(contact).toHaveLength(1);
		expect(contact[0]!.text_body).toContain('p1@example.org');

		// Editing within two weeks: Chor is unticked (its lead was still new, so it goes), saved twice.
		const later = hours(5 * DAY_H);
		expect(await feedback.save(db, ctx, p1, { usefulness: 4, talkedTo: [berg!.id], wantsToTry: [berg!.id], comment: 'Schön', consent: true }, later)).toEqual({ ok: true, leadsCreated: 0, leads: 1 });
		expect(await feedback.save(db, ctx, p1, { usefulness: 4, talkedTo: [berg!.id], wantsToTry: [berg!.id], comment: 'Schön', consent: true }, later)).toMatchObject({ ok: true, leadsCreated: 0 });
		const leadRows = await db.selectFrom('lead').select(['club_id', 'status']).where('person_id', '=', person.p1!).execute();
		expect(leadRows).toEqual([{ club_id: berg!.id, status: 'new' }]);
		expect((await mails('lead-contact')).filter((m) => m.recipient === berg!.email)).toHaveLength(1);
		const row = await db.selectFrom('feedback').select(['usefulness', 'answered_at', 'updated_at']).where('person_id', '=', person.p1!).executeTakeFirstOrThrow();
		expect(row.usefulness).toBe(4);
		expect(new Date(row.answered_at!).toISOString()).toBe(now.toISOString());
		expect(new Date(row.updated_at!).toISOString()).toBe(later.toISOString());

		// p2..p6 talk to the Bergrettung and want to try it, without consent: no lead, no contact.
		for (const name of ['p2', 'p3', 'p4', 'p5', 'p6']) {
			const result = await feedback.save(db, ctx, await tokenOf({ personId: person[name] }), { usefulness: 3, talkedTo: [berg!.id], wantsToTry: [berg!.id], comment: '', consent: false }, now);
			expect(result).toEqual({ ok: true, leadsCreated: 0, leads: 0 });
		}
		expect(await db.selectFrom('lead').select('id').execute()).toHaveLength(1);
		expect(await mails('lead-contact')).toHaveLength(2);
		const page = await leads.forClub(db, berg!.admin, berg!.id);
		expect(page).toMatchObject({ ok: true, total: 1, anonymous: 5, hasAnonymous: true });
		if (page.ok) expect(page.items[0]).toMatchObject({ name: 'p1', email: 'p1@example.org', event: 'Markt', status: 'new' });

		// The club answers its own form.
		const chorToken = await tokenOf({ clubId: chor!.id });
		expect(await feedback.save(db, ctx, chorToken, { talks: 12, newVolunteers: 2, changes: 'Mehr Platz' }, now)).toEqual({ ok: true, leadsCreated: 0, leads: 0 });
		expect((await feedback.findByToken(db, ctx.secret, chorToken, now))!.answers).toMatchObject({ talks: 12, newVolunteers: 2, changes: 'Mehr Platz' });
	});

	it('lets only members of the lead’s club change its status', async () => {
		const lead = await db.selectFrom('lead').select('id').where('club_id', '=', club.Bergrettung!.id).executeTakeFirstOrThrow();
		const now = hours(6 * DAY_H);
		expect(await leads.setStatus(db, club.Chor!.admin, club.Chor!.id, lead.id, 'joined', now)).toEqual({ ok: false, problem: 'not_found' });
		expect(await leads.setStatus(db, club.Chor!.admin, club.Bergrettung!.id, lead.id, 'joined', now)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await leads.setStatus(db, coordinator, club.Bergrettung!.id, lead.id, 'joined', now)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await leads.forClub(db, club.Chor!.admin, club.Bergrettung!.id)).toEqual({ ok: false, problem: 'forbidden' });
		expect((await db.selectFrom('lead').select('status').where('id', '=', lead.id).executeTakeFirstOrThrow()).status).toBe('new');
		expect(await leads.setStatus(db, club.Bergrettung!.admin, club.Bergrettung!.id, lead.id, 'contacted', now)).toEqual({ ok: true, name: 'p1' });
		const row = await db.selectFrom('lead').select(['status', 'updated_by']).where('id', '=', lead.id).executeTakeFirstOrThrow();
		expect(row).toEqual({ status: 'contacted', updated_by: club.Bergrettung!.admin.id });
		const audit = await db.selectFrom('audit_log').select('action').where('entity_id', '=', lead.id).execute();
		expect(audit.map((a) => a.action).sort()).toEqual(['lead.created', 'lead.status_changed']);

		// A lead the club has worked on stays when the person unticks the club.
		const p1 = await tokenOf({ personId: person.p1 });
		await feedback.save(db, ctx, p1, { usefulness: 4, talkedTo: [], wantsToTry: [], comment: '', consent: true }, now);
		expect(await db.selectFrom('lead').select('status').where('id', '=', lead.id).executeTakeFirst()).toEqual({ status: 'contacted' });
		await leads.setStatus(db, club.Bergrettung!.admin, club.Bergrettung!.id, lead.id, 'joined', now);
		await feedback.save(db, ctx, p1, { usefulness: 4, talkedTo: [club.Bergrettung!.id], wantsToTry: [club.Bergrettung!.id], comment: '', consent: true }, now);
	});

	it('reminds once, a week after the request, only those who have not answered', async () => {
		expect(await feedback.remindDue(db, ctx, hours(25 + 6 * DAY_H))).toBe(0);
		const when = hours(26 + 7 * DAY_H);
		expect(await feedback.remindDue(db, ctx, when)).toBe(1);
		expect(await feedback.remindDue(db, ctx, hours(27 + 7 * DAY_H))).toBe(0);
		expect((await mails('feedback-reminder')).map((m) => m.recipient)).toEqual([club.Bergrettung!.email]);
	});

	it('closes the form after two weeks: read-only, and a reused link changes nothing', async () => {
		const p2 = await tokenOf({ personId: person.p2 });
		const closedAt = new Date(requestedAt.getTime() + 14 * DAY_H * 3600_000);
		expect((await feedback.findByToken(db, ctx.secret, p2, new Date(closedAt.getTime() - 1000)))!.isOpen).toBe(true);
		const form = await feedback.findByToken(db, ctx.secret, p2, closedAt);
		expect(form).toMatchObject({ isOpen: false, answers: { usefulness: 3 } });
		expect(await feedback.save(db, ctx, p2, { usefulness: 1, talkedTo: [], wantsToTry: [], comment: 'zu spät', consent: false }, closedAt)).toEqual({ ok: false, problem: 'closed' });
		expect((await db.selectFrom('feedback').select('usefulness').where('person_id', '=', person.p2!).executeTakeFirstOrThrow()).usefulness).toBe(3);
	});

	it('thanks clubs and people once when the window closes, with figures below 5 suppressed', async () => {
		const closedAt = new Date(requestedAt.getTime() + 14 * DAY_H * 3600_000 + 60_000);
		expect(await feedback.thankDue(db, ctx, new Date(closedAt.getTime() - 120_000))).toBe(0);
		expect(await feedback.thankDue(db, ctx, closedAt)).toBe(2 + 6);
		expect(await feedback.thankDue(db, ctx, new Date(closedAt.getTime() + 60_000))).toBe(0);
		expect(await feedback.clubFigures(db, marketId, club.Bergrettung!.id)).toEqual({ matched: null, talkedTo: 6, wantsToTry: 6, leads: null, joined: null });
		const thanks = await mails('thanks-club');
		const berg = thanks.find((m) => m.recipient === club.Bergrettung!.email)!;
		expect(berg.text_body).toContain('Menschen, die mit Ihnen gesprochen haben: 6');
		expect(berg.text_body).toContain('davon mit Kontaktdaten für Sie: weniger als 5');
		const chor = thanks.find((m) => m.recipient === club.Chor!.email)!;
		expect(chor.text_body).toContain('Menschen, die mit Ihnen gesprochen haben: weniger als 5');
		const p1 = (await mails('thanks-person')).find((m) => m.recipient === 'p1@example.org')!;
		expect(p1.text_body).toContain('Sie haben diese Vereine getroffen: Bergrettung');
		expect(p1.text_body).toMatch(/\/manage\/[a-z2-7]{24}\.[a-z2-7]{24}\/record\.csv/);
		expect(await mails('thanks-person')).toHaveLength(6);
	});

	it('keeps the engagement record per person', async () => {
		const entries = await feedback.engagementRecord(db, person.p1!, hours(20 * DAY_H));
		expect(entries).toEqual([{ event: 'Markt', startsAt: new Date('2027-05-08T08:00:00.000Z'), timeZone: 'Europe/Vienna', clubsMet: ['Bergrettung'], interests: [{ club: 'Bergrettung', status: 'joined' }] }]);
		expect(await feedback.engagementRecord(db, person.p1!, hours(-2))).toEqual([]);
	});

	it('erasing a person keeps the counts but nothing that points to them', async () => {
		const p1 = await tokenOf({ personId: person.p1 });
		const registration = await db.selectFrom('registration').select('id').where('person_id', '=', person.p1!).executeTakeFirstOrThrow();
		const { manageToken } = await import('../../src/lib/server/registrations/links');
		const exported = await registrations.exportData(db, manageToken(ctx, registration.id));
		expect(exported?.feedback).toMatchObject([{ event: 'Markt', usefulness: 4, talkedTo: ['Bergrettung'], wantsToTry: ['Bergrettung'] }]);
		expect(exported?.leads).toMatchObject([{ event: 'Markt', club: 'Bergrettung', status: 'joined' }]);
		const before = await feedback.clubFigures(db, marketId, club.Bergrettung!.id);
		await registrations.anonymisePerson(db, person.p1!, ctx, hours(21 * DAY_H));
		expect(await feedback.clubFigures(db, marketId, club.Bergrettung!.id)).toEqual(before);
		expect(await db.selectFrom('lead').select('person_id').where('club_id', '=', club.Bergrettung!.id).execute()).toEqual([{ person_id: null }]);
		expect(await db.selectFrom('feedback').select('id').where('event_id', '=', marketId).where('respondent', '=', 'person').execute()).toHaveLength(6);
		expect(await feedback.findByToken(db, ctx.secret, p1, hours(2 * DAY_H))).toBeNull();
		const page = await leads.forClub(db, club.Bergrettung!.admin, club.Bergrettung!.id);
		if (!page.ok) throw new Error('forbidden');
		expect(page.items[0]).toMatchObject({ name: null, email: null, status: 'joined' });
	});
});
