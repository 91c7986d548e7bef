import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { ensureUser } from '../../src/lib/server/auth/users';
import * as events from '../../src/lib/server/events';
import * as changes from '../../src/lib/server/events/changes';
import { smtpTransport, type MailTransport } from '../../src/lib/server/mail/transport';
import { deliverDue } from '../../src/lib/server/mail/worker';
import * as messages from '../../src/lib/server/messages';
import * as municipalities from '../../src/lib/server/municipalities';
import * as registrations from '../../src/lib/server/registrations';
import * as reminders from '../../src/lib/server/reminders';
import { emptyProfile } from '../../src/lib/participant-profile';
import type { Locale } from '../../src/lib/paraglide/runtime';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { startSmtp, type TestSmtp } from './smtp';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const FROM = 'Miteinander <no-reply@miteinander.example>';
const t0 = new Date('2027-03-01T09:00:00.000Z');
const day = 24 * 3600_000;

async function signUp(db: Kysely<Database>, eventId: string, email: string, now: Date, locale: Locale = 'de') {
	await registrations.register(db, { eventId, email, name: `Name ${email}`, locale, profile: emptyProfile, consentIntroductions: false }, ctx, now);
	const mail = await db
		.selectFrom('outbox')
		.select('text_body')
		.where('recipient', '=', email)
		.where('template', '=', 'registration-confirm-request')
		.orderBy('created_at', 'desc')
		.executeTakeFirstOrThrow();
	const token = /\/confirm\/([a-z2-7.]+)/.exec(mail.text_body)![1]!;
	const result = await registrations.confirm(db, token, ctx, now);
	if (!result.ok) throw new Error(`not confirmed: ${result.problem}`);
	return { registrationId: token.split('.')[0]!, manageToken: result.manageToken, status: result.status };
}

async function pendingReminders(db: Kysely<Database>, registrationId: string) {
	const rows = await db
		.selectFrom('outbox')
		.select(['next_attempt_at', 'expires_at', 'status'])
		.where('registration_id', '=', registrationId)
		.where('template', '=', 'event-reminder')
		.where('status', '=', 'pending')
		.orderBy('next_attempt_at')
		.execute();
	return rows.map((r) => new Date(r.next_attempt_at).toISOString());
}

describe.each(dialects)('reminders and coordinator messages on %s', (dialect) => {
	let test: TestDatabase;
	let smtp: TestSmtp;
	let transport: MailTransport;
	let actor: string;
	let hostId: string;

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		smtp = await startSmtp();
		transport = smtpTransport(smtp.url);
		hostId = (await municipalities.create(test.db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna', contactEmail: 'buergerservice@imst.example' }, t0)).id;
		actor = (await ensureUser(test.db, { email: 'k@imst.example', name: 'K' }, t0)).id;
	});
	afterAll(async () => {
		transport.close();
		await smtp.close();
		await test.destroy();
	});

	async function newEvent(capacity: number, firstStartLocal = '2027-05-08T10:00', rrule: string | null = null) {
		const created = await events.create(
			test.db,
			{
				kind: 'round_table', title: 'Gesprächsrunde', description: '', hostIds: [hostId], venueId: null, capacity,
				timeZone: 'Europe/Vienna', durationMinutes: 120, status: 'published',
				registrationOpensDaysBefore: null, registrationClosesHoursBefore: null, firstStartLocal, rrule
			},
			actor, ctx.origin, t0
		);
		if (!created.ok) throw new Error('not created');
		return created.eventIds;
	}

	it('schedules the default reminders at 09:00 local time, 7 and 1 days before, for confirmed people only', async () => {
		const [eventId] = await newEvent(1);
		const confirmed = await signUp(test.db, eventId!, 'anna@example.org', t0);
		const waiting = await signUp(test.db, eventId!, 'ben@example.org', t0);
		expect(waiting.status).toBe('waitlisted');
		// 8 May 2027 10:00 CEST: reminders on 1 May and 7 May at 09:00 CEST (07:00 UTC).
		expect(await pendingReminders(test.db, confirmed.registrationId)).toEqual(['2027-05-01T07:00:00.000Z', '2027-05-07T07:00:00.000Z']);
		expect(await pendingReminders(test.db, waiting.registrationId)).toEqual([]);

		// Anna cancels: her reminders are withdrawn, Ben moves up and gets his.
		expect(await registrations.cancel(test.db, confirmed.manageToken, ctx, t0)).toBe(true);
		expect(await pendingReminders(test.db, confirmed.registrationId)).toEqual([]);
		expect(await pendingReminders(test.db, waiting.registrationId)).toEqual(['2027-05-01T07:00:00.000Z', '2027-05-07T07:00:00.000Z']);
	});

	it('does not send a reminder late to someone who registers after its time', async () => {
		const [eventId] = await newEvent(10);
		const late = await signUp(test.db, eventId!, 'late@example.org', new Date('2027-05-03T12:00:00.000Z'));
		expect(await pendingReminders(test.db, late.registrationId)).toEqual(['2027-05-07T07:00:00.000Z']);
	});

	it('reschedules on a move and withdraws on cancellation', async () => {
		const [eventId] = await newEvent(10);
		const person = await signUp(test.db, eventId!, 'carla@example.org', t0);
		const edit = { title: 'Gesprächsrunde', description: '', durationMinutes: 120, venueId: null, capacity: 10, status: 'published' as const };
		await changes.update(test.db, eventId!, { ...edit, startLocal: '2027-05-15T18:00' }, actor, ctx, t0);
		expect(await pendingReminders(test.db, person.registrationId)).toEqual(['2027-05-08T07:00:00.000Z', '2027-05-14T07:00:00.000Z']);
		await changes.cancel(test.db, eventId!, actor, ctx, t0);
		expect(await pendingReminders(test.db, person.registrationId)).toEqual([]);
	});

	it('follows rules set per date or for the whole series, and can be turned off', async () => {
		const eventIds = await newEvent(10, '2027-04-08T18:00', 'FREQ=WEEKLY;COUNT=3');
		const person = await signUp(test.db, eventIds[1]!, 'dora@example.org', t0); // 15 April
		expect(await pendingReminders(test.db, person.registrationId)).toHaveLength(2);

		await reminders.setRules(test.db, eventIds[0]!, [{ daysBefore: 2, at: '17:30' }], 'series', actor, ctx, t0);
		expect(await pendingReminders(test.db, person.registrationId)).toEqual(['2027-04-13T15:30:00.000Z']);
		const series = await events.get(test.db, eventIds[1]!);
		expect(series?.reminders).toEqual({ rules: [{ daysBefore: 2, at: '17:30' }], source: 'series' });

		await reminders.setRules(test.db, eventIds[1]!, [], 'event', actor, ctx, t0);
		expect(await pendingReminders(test.db, person.registrationId)).toEqual([]);
		expect((await events.get(test.db, eventIds[1]!))?.reminders.source).toBe('event');
		expect((await events.get(test.db, eventIds[2]!))?.reminders.source).toBe('series');
	});

	it('delivers each reminder once, on time, from the municipality with Reply-To and List-Unsubscribe', async () => {
		const [eventId] = await newEvent(10, '2027-06-10T18:00');
		const person = await signUp(test.db, eventId!, 'emil@example.org', t0, 'en');
		const firstDue = new Date('2027-06-03T07:00:00.000Z');
		const before = smtp.received.length;

		// Before its time nothing goes out; two workers at its time send it once.
		await deliverDue(test.db, { transport, from: FROM, owner: 'a', maxAttempts: 3, now: new Date(firstDue.getTime() - 60_000) });
		expect(smtp.received.slice(before).filter((m) => m.subject?.startsWith('Reminder'))).toHaveLength(0);
		await Promise.all([
			deliverDue(test.db, { transport, from: FROM, owner: 'a', maxAttempts: 3, now: firstDue }),
			deliverDue(test.db, { transport, from: FROM, owner: 'b', maxAttempts: 3, now: firstDue })
		]);
		// Rescheduling after it was sent (an edit) does not send it again.
		await reminders.scheduleForEvent(test.db, eventId!, ctx, firstDue);
		await deliverDue(test.db, { transport, from: FROM, owner: 'a', maxAttempts: 3, now: new Date(firstDue.getTime() + 60_000) });

		const sent = smtp.received.filter((m) => m.subject === 'Reminder: Gesprächsrunde' && m.to && JSON.stringify(m.to).includes('emil@example.org'));
		expect(sent).toHaveLength(1);
		const mail = sent[0]!;
		expect(mail.from?.value[0]).toEqual({ name: 'Imst · Miteinander', address: 'no-reply@miteinander.example' });
		expect(mail.replyTo?.value[0]?.address).toBe('buergerservice@imst.example');
		const unsubscribe = `${ctx.origin}/en/manage/${person.manageToken}/unsubscribe`;
		// mailparser gathers List-* headers under "list".
		const list = mail.headers.get('list') as Record<string, Record<string, string>>;
		expect(list['unsubscribe-post']?.name).toBe('List-Unsubscribe=One-Click');
		expect(JSON.stringify(list.unsubscribe)).toContain(unsubscribe);
		expect(mail.text).toContain(unsubscribe);
		expect(mail.text).toContain(`${ctx.origin}/en/manage/${person.manageToken}`);
		expect(mail.text).toContain('Thursday, 10 June 2027, 18:00');
		expect(mail.messageId).toMatch(/^<[^@]+@miteinander\.example>$/);
		expect(mail.date).toBeInstanceOf(Date);
		expect(mail.html).not.toMatch(/<img(?![^>]*cid:)/); // no remote images, no tracking pixels
		expect(await pendingReminders(test.db, person.registrationId)).toEqual(['2027-06-09T07:00:00.000Z']);
	});

	it('drops a reminder that could not go out before the event began', async () => {
		const [eventId] = await newEvent(10, '2027-07-10T18:00');
		const person = await signUp(test.db, eventId!, 'frida@example.org', t0);
		const afterStart = new Date('2027-07-10T17:00:00.000Z');
		const before = smtp.received.length;
		await deliverDue(test.db, { transport, from: FROM, owner: 'a', maxAttempts: 3, now: afterStart });
		const reminders = smtp.received.slice(before).filter((m) => JSON.stringify(m.to).includes('frida@example.org') && m.subject?.startsWith('Erinnerung'));
		expect(reminders).toHaveLength(0);
		const rows = await test.db.selectFrom('outbox').select(['status', 'last_error']).where('registration_id', '=', person.registrationId).where('template', '=', 'event-reminder').execute();
		expect(rows.map((r) => r.status)).toEqual(['failed', 'failed']);
		expect(rows.every((r) => (r.last_error ?? '').length > 0)).toBe(true);
	});

	it('one-click opt-out withdraws reminders and circulars; opting in again brings them back', async () => {
		const [eventId] = await newEvent(10, '2027-08-10T18:00');
		const person = await signUp(test.db, eventId!, 'gina@example.org', t0);
		const managed = (await registrations.findByManageToken(test.db, person.manageToken))!;
		await reminders.setOptOut(test.db, managed.person.id, true, ctx, t0);
		expect(await pendingReminders(test.db, person.registrationId)).toEqual([]);
		expect(await messages.audienceCounts(test.db, eventId!)).toMatchObject({ confirmed: 0, optedOut: 1 });
		await reminders.setOptOut(test.db, managed.person.id, false, ctx, t0);
		expect(await pendingReminders(test.db, person.registrationId)).toHaveLength(2);
	});

	it('sends a coordinator message to the chosen audiences in each person’s language, once', async () => {
		const [eventId] = await newEvent(1, '2027-09-10T18:00');
		await signUp(test.db, eventId!, 'hans@example.org', t0, 'de');
		await signUp(test.db, eventId!, 'ivy@example.org', t0, 'en');
		const draft = {
			audiences: ['confirmed', 'waitlisted'] as const,
			subjectDe: 'Bitte Hausschuhe mitbringen',
			bodyDe: 'Liebe Gäste,\n\nder Saal ist frisch <b>geputzt</b>.',
			subjectEn: 'Please bring slippers',
			bodyEn: 'Dear guests,\n\nthe hall has just been cleaned.'
		};
		const event = (await events.get(test.db, eventId!))!;
		const preview = messages.preview({ ...draft, audiences: [...draft.audiences] }, event, ctx, 'Maria Muster');
		expect(preview.de.subject).toBe('Bitte Hausschuhe mitbringen');
		expect(preview.de.html).toContain('frisch &lt;b&gt;geputzt&lt;/b&gt;');
		expect(preview.en.text).toContain('the hall has just been cleaned.');

		const messageId = 'msg-1';
		const first = await messages.send(test.db, messageId, eventId!, { ...draft, audiences: [...draft.audiences] }, actor, ctx, t0);
		const again = await messages.send(test.db, messageId, eventId!, { ...draft, audiences: [...draft.audiences] }, actor, ctx, t0);
		expect(first).toEqual({ recipients: 2, alreadySent: false });
		expect(again).toEqual({ recipients: 2, alreadySent: true });
		const rows = await test.db.selectFrom('outbox').select(['recipient', 'subject', 'text_body']).where('template', '=', 'coordinator-message').where('event_id', '=', eventId!).orderBy('recipient').execute();
		expect(rows.map((r) => [r.recipient, r.subject])).toEqual([
			['hans@example.org', 'Bitte Hausschuhe mitbringen'],
			['ivy@example.org', 'Please bring slippers']
		]);
		expect(await messages.listSent(test.db, eventId!)).toMatchObject([{ subject: 'Bitte Hausschuhe mitbringen', recipients: 2 }]);

		// Only the waiting list: one person. English without an English text falls back to German.
		const waitlistOnly = await messages.send(test.db, 'msg-2', eventId!, { audiences: ['waitlisted'], subjectDe: 'Warteliste', bodyDe: 'Noch etwas Geduld.', subjectEn: '', bodyEn: '' }, actor, ctx, t0);
		expect(waitlistOnly).toEqual({ recipients: 1, alreadySent: false });
		const ivy = await test.db.selectFrom('outbox').select(['subject', 'text_body']).where('idempotency_key', 'like', 'message:msg-2:%').executeTakeFirstOrThrow();
		expect(ivy.subject).toBe('Warteliste');
		expect(ivy.text_body).toContain('Hello');
	});

	it('gives readers of other languages the German text with the English one below, in their own frame', async () => {
		const [eventId] = await newEvent(5, '2027-09-12T18:00');
		await signUp(test.db, eventId!, 'leyla@example.org', t0, 'tr');
		await signUp(test.db, eventId!, 'mira@example.org', t0, 'uk');
		const both = { audiences: ['confirmed' as const], subjectDe: 'Treffpunkt geändert', bodyDe: 'Wir treffen uns im Foyer.', subjectEn: 'New meeting point', bodyEn: 'We meet in the foyer.' };
		await messages.send(test.db, 'msg-tr', eventId!, both, actor, ctx, t0);
		const leyla = await test.db.selectFrom('outbox').select(['subject', 'text_body', 'html_body']).where('idempotency_key', 'like', 'message:msg-tr:%').where('recipient', '=', 'leyla@example.org').executeTakeFirstOrThrow();
		expect(leyla.subject).toBe('Treffpunkt geändert');
		expect(leyla.text_body).toMatch(/Wir treffen uns im Foyer\.\s+———\s+We meet in the foyer\./);
		// The frame (greeting, note, footer) is Turkish, and says the organisers write in German or English.
		expect(leyla.text_body).toContain('Düzenleyiciler mesajlarını Almanca');
		expect(leyla.html_body).toContain('<html lang="tr" dir="ltr">');

		await messages.send(test.db, 'msg-uk', eventId!, { ...both, subjectEn: '', bodyEn: '' }, actor, ctx, t0);
		const mira = await test.db.selectFrom('outbox').select(['text_body']).where('idempotency_key', 'like', 'message:msg-uk:%').where('recipient', '=', 'mira@example.org').executeTakeFirstOrThrow();
		expect(mira.text_body).toContain('Wir treffen uns im Foyer.');
		expect(mira.text_body).not.toContain('———');
		expect(mira.text_body).toContain('Організатори пишуть свої повідомлення німецькою');
	});

	it('changing the language on the manage page rewrites the scheduled reminders and the alerts in it', async () => {
		const [eventId] = await newEvent(5, '2027-09-20T18:00');
		const person = await signUp(test.db, eventId!, 'nadia@example.org', t0, 'de');
		const reminderLocales = () =>
			test.db.selectFrom('outbox').select(['locale', 'subject', 'text_body']).where('registration_id', '=', person.registrationId).where('template', '=', 'event-reminder').where('status', '=', 'pending').execute();
		expect((await reminderLocales()).map((r) => r.locale)).toEqual(['de', 'de']);

		expect(await registrations.setLanguage(test.db, person.manageToken, 'ar', ctx, t0)).toBe(true);
		const managed = (await registrations.findByManageToken(test.db, person.manageToken))!;
		expect(managed.person.locale).toBe('ar');
		const rewritten = await reminderLocales();
		expect(rewritten.map((r) => r.locale)).toEqual(['ar', 'ar']);
		expect(rewritten[0]!.subject).toMatch(/[\u0600-\u06ff]/);
		// The emailed manage link opens the page in the new language on any device.
		expect(rewritten[0]!.text_body).toContain(`${ctx.origin}/ar/manage/${person.manageToken}`);
		expect(await registrations.setLanguage(test.db, 'nobody.secret', 'tr', ctx, t0)).toBe(false);
	});
});
