// A registration in Arabic or Turkish gets its confirmation request, confirmation, calendar invite
// and reminder in that language, through the real SMTP test server. The invites are read by an
// independent iCalendar parser (ical.js), and their lines are checked byte by byte: folded at 75
// octets (RFC 5545 §3.1) without splitting a multi-byte UTF-8 character.
import ICAL from 'ical.js';
import type { Kysely } from 'kysely';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser } from '../../src/lib/server/auth/users';
import type { Database } from '../../src/lib/server/db/schema';
import * as feeds from '../../src/lib/server/calendar/feeds';
import * as events from '../../src/lib/server/events';
import { smtpTransport, type MailTransport } from '../../src/lib/server/mail/transport';
import { deliverDue } from '../../src/lib/server/mail/worker';
import * as municipalities from '../../src/lib/server/municipalities';
import * as registrations from '../../src/lib/server/registrations';
import { emptyProfile } from '../../src/lib/participant-profile';
import * as m from '../../src/lib/paraglide/messages';
import type { Locale } from '../../src/lib/paraglide/runtime';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { startSmtp, type TestSmtp } from './smtp';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const FROM = 'Miteinander <no-reply@miteinander.example>';
const t0 = new Date('2027-03-01T09:00:00.000Z');
// The organiser's words stay as written, in whatever script: long enough to be folded.
const TITLE = 'Gönüllülük Pazarı – Şenlik ve tanışma günü: herkes davetlidir, çay ve simit bizden';
const DESCRIPTION = 'سوق التطوع في إمست: تعرّفوا على الجمعيات المحلية، وتحدّثوا مع المتطوعين، واكتشفوا ما يناسبكم. Dernekler sizi bekliyor — ğüşıöç.';
const VENUE = { name: 'Kültür ve Buluşma Merkezi – مركز الثقافة واللقاء', street: 'Stadtplatz 1', postalCode: '6460', city: 'Imst' };

/** Every physical line at most 75 octets, CRLF only, continuation lines start with one space, valid UTF-8 each. */
function expectFoldedByOctets(raw: Buffer): void {
	const text = raw.toString('latin1');
	expect(text).not.toMatch(/[^\r]\n|\r(?!\n)/);
	const decoder = new TextDecoder('utf-8', { fatal: true });
	let start = 0;
	let folded = 0;
	while (start < raw.length) {
		let end = raw.indexOf('\r\n', start);
		if (end === -1) end = raw.length;
		const line = raw.subarray(start, end);
		expect(line.length, `line ${JSON.stringify(decoder.decode(line))}`).toBeLessThanOrEqual(75);
		// Throws if a fold split a character: its bytes would be spread over two lines.
		expect(() => decoder.decode(line)).not.toThrow();
		if (line[0] === 0x20) folded++;
		start = end + 2;
	}
	expect(folded).toBeGreaterThan(0);
}

function inviteOf(mail: ParsedMail): Buffer {
	const invite = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
	expect(invite, `an invite in "${mail.subject}"`).toBeDefined();
	return invite!.content;
}

describe.each(dialects)('mail in the newcomers\' languages on %s', (dialect) => {
	let test: TestDatabase;
	let smtp: TestSmtp;
	let transport: MailTransport;
	let eventId: string;
	let event: events.EventDetails;

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		smtp = await startSmtp();
		transport = smtpTransport(smtp.url);
		const imst = await municipalities.create(test.db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna', contactEmail: 'buergerservice@imst.example' }, t0);
		const venueId = (await municipalities.createVenue(test.db, { municipalityId: imst.id, ...VENUE, capacity: 200, accessibilityNotes: '' }, t0)).id;
		const actor = (await ensureUser(test.db, { email: 'k@imst.example', name: 'K' }, t0)).id;
		const created = await events.create(
			test.db,
			{
				kind: 'market', title: TITLE, description: DESCRIPTION, hostIds: [imst.id], venueId, capacity: 50,
				timeZone: 'Europe/Vienna', durationMinutes: 240, status: 'published',
				registrationOpensDaysBefore: null, registrationClosesHoursBefore: null, firstStartLocal: '2027-05-08T10:00', rrule: null
			},
			actor, ctx.origin, t0
		);
		if (!created.ok) throw new Error('not created');
		eventId = created.eventIds[0]!;
		event = (await events.get(test.db, eventId))!;
	});
	afterAll(async () => {
		transport.close();
		await smtp.close();
		await test.destroy();
	});

	const deliver = (now: Date) => deliverDue(test.db, { transport, from: FROM, owner: 'test', maxAttempts: 3, now });
	const mailsTo = (email: string) => smtp.received.filter((mail) => JSON.stringify(mail.to).includes(email));

	/** Registers through the service as the form does, in `locale`, and confirms with the mailed link. */
	async function registerAndConfirm(db: Kysely<Database>, email: string, name: string, locale: Locale) {
		await registrations.register(db, { eventId, email, name, locale, profile: emptyProfile, consentIntroductions: false }, ctx, t0);
		await deliver(t0);
		const [request] = mailsTo(email);
		expect(request, `confirm request to ${email}`).toBeDefined();
		const token = new RegExp(`${ctx.origin}/${locale}/confirm/([a-z2-7]{24}\\.[a-z2-7]{24})`).exec(request!.text ?? '')?.[1];
		expect(token, 'the confirm link carries the language').toBeDefined();
		const confirmed = await registrations.confirm(db, token!, ctx, t0);
		if (!confirmed.ok) throw new Error(confirmed.problem);
		await deliver(t0);
		return { request: request!, confirmation: mailsTo(email)[1]!, manageToken: confirmed.manageToken };
	}

	it('a registration in Arabic gets its confirmation, invite and reminder in Arabic', async () => {
		const { request, confirmation, manageToken } = await registerAndConfirm(test.db, 'layla@example.org', 'ليلى حداد', 'ar');
		const manageUrl = `${ctx.origin}/ar/manage/${manageToken}`;

		expect(request.subject).toBe(m.email_confirm_request_subject({ title: TITLE }, { locale: 'ar' }));
		expect(request.html).toContain('<html lang="ar" dir="rtl">');
		expect(request.text).toContain(m.email_greeting({ name: 'ليلى حداد' }, { locale: 'ar' }));
		expect(request.text).toContain(m.email_footer({}, { locale: 'ar' }));

		expect(confirmation.subject).toBe(m.email_confirmed_subject({ title: TITLE }, { locale: 'ar' }));
		expect(confirmation.html).toContain('dir="rtl"');
		expect(confirmation.text).toContain(manageUrl);

		const raw = inviteOf(confirmation);
		expectFoldedByOctets(raw);
		const calendar = new ICAL.Component(ICAL.parse(raw.toString('utf8')));
		expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
		const [vevent] = calendar.getAllSubcomponents('vevent');
		// The organiser's title and words as written; the generated line in Arabic.
		expect(vevent!.getFirstPropertyValue('summary')).toBe(TITLE);
		expect(vevent!.getFirstPropertyValue('location')).toBe(`${VENUE.name}, ${VENUE.street}, ${VENUE.postalCode} ${VENUE.city}`);
		expect(vevent!.getFirstPropertyValue('description')).toBe(`${DESCRIPTION}\n\n${m.invite_manage_line({ url: manageUrl }, { locale: 'ar' })}`);
		const start = vevent!.getFirstProperty('dtstart')!;
		expect(start.getParameter('tzid')).toBe('Europe/Vienna');
		expect(String(start.getFirstValue())).toBe('2027-05-08T10:00:00');
		expect(String(vevent!.getFirstPropertyValue('uid'))).toBe(event.icalUid);
		expect(vevent!.getFirstProperty('attendee')!.getParameter('cn')).toBe('ليلى حداد');

		// The reminders: 7 days and 1 day before, at 09:00 in Vienna.
		await deliver(new Date('2027-05-01T07:00:00.000Z'));
		const reminder = mailsTo('layla@example.org')[2];
		expect(reminder?.subject).toBe(m.email_reminder_subject({ title: TITLE }, { locale: 'ar' }));
		expect(reminder!.html).toContain('<html lang="ar" dir="rtl">');
		expect(reminder!.text).toContain(manageUrl);
		expect(reminder!.text).toContain(m.email_greeting({ name: 'ليلى حداد' }, { locale: 'ar' }));
		expect(reminder!.text).toContain(m.email_footer({}, { locale: 'ar' }));
	});

	it('a registration in Turkish gets its mail and invite in Turkish, the invite read back exactly', async () => {
		const { request, confirmation, manageToken } = await registerAndConfirm(test.db, 'emre@example.org', 'Emre Yıldız', 'tr');
		expect(request.subject).toBe(m.email_confirm_request_subject({ title: TITLE }, { locale: 'tr' }));
		expect(request.html).toContain('<html lang="tr" dir="ltr">');
		expect(confirmation.subject).toBe(m.email_confirmed_subject({ title: TITLE }, { locale: 'tr' }));
		expect(confirmation.subject).not.toBe(m.email_confirmed_subject({ title: TITLE }, { locale: 'de' }));
		expect(confirmation.text).toContain(m.email_greeting({ name: 'Emre Yıldız' }, { locale: 'tr' }));
		expect(confirmation.text).toContain(`${ctx.origin}/tr/manage/${manageToken}`);

		const raw = inviteOf(confirmation);
		expectFoldedByOctets(raw);
		const [vevent] = new ICAL.Component(ICAL.parse(raw.toString('utf8'))).getAllSubcomponents('vevent');
		expect(vevent!.getFirstPropertyValue('summary')).toBe(TITLE);
		expect(vevent!.getFirstPropertyValue('description')).toBe(
			`${DESCRIPTION}\n\n${m.invite_manage_line({ url: `${ctx.origin}/tr/manage/${manageToken}` }, { locale: 'tr' })}`
		);
		const attendee = vevent!.getFirstProperty('attendee')!;
		expect(attendee.getParameter('cn')).toBe('Emre Yıldız');
	});
	it('the public feeds carry the Turkish and Arabic words unchanged, folded at 75 octets', async () => {
		// The region's name is a deployment setting: a long one in both scripts becomes X-WR-CALNAME.
		const regionName = 'Gönüllü Takvimi – İmst Bölgesi; تقويم التطوع في منطقة إمست، للجميع';
		for (const ref of [{ kind: 'region' }, { kind: 'municipality', slug: 'imst' }] as const) {
			const feed = await feeds.find(test.db, ref, regionName);
			expect(feed, ref.kind).not.toBeNull();
			const text = await feeds.render(test.db, feed!, ctx.origin, t0);
			expectFoldedByOctets(Buffer.from(text, 'utf8'));
			const calendar = new ICAL.Component(ICAL.parse(text));
			expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
			if (ref.kind === 'region') {
				// ical.js hands an X- property back raw (value type "unknown"), so undo the TEXT escaping here.
				const calname = String(calendar.getFirstPropertyValue('x-wr-calname')).replace(/\\([\\;,nN])/g, (_, c: string) => (c.toLowerCase() === 'n' ? '\n' : c));
				expect(calname).toBe(feed!.name);
				expect(text.replace(/\r\n /g, '')).toContain('Bölgesi\\;');
			}
			const vevent = calendar.getAllSubcomponents('vevent').find((v) => String(v.getFirstPropertyValue('uid')) === event.icalUid);
			expect(vevent, `${ref.kind} feed lists the event`).toBeDefined();
			expect(vevent!.getFirstPropertyValue('summary')).toBe(TITLE);
			expect(vevent!.getFirstPropertyValue('description')).toBe(DESCRIPTION);
			expect(vevent!.getFirstPropertyValue('location')).toBe(`${VENUE.name}, ${VENUE.street}, ${VENUE.postalCode} ${VENUE.city}`);
			const start = vevent!.getFirstProperty('dtstart')!;
			expect(start.getParameter('tzid')).toBe('Europe/Vienna');
			expect(String(start.getFirstValue())).toBe('2027-05-08T10:00:00');
		}
	});
});
