import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { addCoordinator, ensureUser, findSessionUser, type SessionUser } from '../../src/lib/server/auth/users';
import * as clubs from '../../src/lib/server/clubs';
import * as offers from '../../src/lib/server/clubs/offers';
import * as leads from '../../src/lib/server/leads';
import * as contact from '../../src/lib/server/leads/contact';
import * as municipalities from '../../src/lib/server/municipalities';
import * as reports from '../../src/lib/server/reports';
import * as retention from '../../src/lib/server/retention';
import { migrateTo, migrateToLatest } from '../../src/lib/server/db/migrate';
import { seedDemo } from '../../src/lib/server/demo';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const t0 = new Date('2027-03-01T09:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe.each(dialects)('contacting an offer on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	let coordinator: SessionUser;
	const club: Record<string, { id: string; admin: SessionUser; email: string; slug: string }> = {};
	let municipalitySlug: string;
	let municipalityId: string;
	let offer: contact.ContactOffer;

	async function approvedClub(name: string) {
		const key = name.toLowerCase();
		const email = `${key}@verein.example`;
		const municipality = (await municipalities.list(db))[0]!;
		const result = await clubs.register(
			db,
			{ name, description: '', contactEmail: email, contactPhone: '', website: '', tags: ['sport'], municipalityId: municipality.id, logo: null, representative: { email: `vorstand.${key}@example.org`, name, locale: 'de' } },
			ctx,
			t0
		);
		if (!result.ok) throw new Error(result.problem);
		expect(await clubs.approve(db, coordinator, result.clubId, ctx, t0)).toEqual({ ok: true });
		const { slug } = await db.selectFrom('club').select('slug').where('id', '=', result.clubId).executeTakeFirstOrThrow();
		return { id: result.clubId, admin: (await findSessionUser(db, result.adminUserId))!, email, slug };
	}

	async function publishedOffer(name: string, title: string) {
		const created = await offers.create(
			db,
			club[name]!.admin,
			club[name]!.id,
			{ title, description: '', commitment: 'regular', onWeekdays: true, onWeekends: false, inEvenings: false, months: [], place: 'Imst', isRemote: false, languages: ['de'], minimumAge: null, suitsMultilocal: false, capacity: null, tags: [], status: 'published' },
			t0
		);
		if (!created.ok) throw new Error(created.problem);
		return created.offerId;
	}

	/** The confirm and manage tokens from the latest confirmation email to this address. */
	async function linksFor(email: string) {
		const mail = await db.selectFrom('outbox').select('text_body').where('recipient', '=', email).where('template', '=', 'contact-confirm-request').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
		return {
			confirm: /\/contact\/confirm\/([a-z2-7.]+)/.exec(mail.text_body)![1]!,
			manage: /\/contact\/manage\/([a-z2-7.]+)/.exec(mail.text_body)![1]!
		};
	}

	const input = (email: string, message = 'Ich habe dienstags Zeit.') => ({ name: email.split('@')[0]!, email, message, locale: 'de' as const });
	const clubMails = () => db.selectFrom('outbox').select(['recipient', 'text_body']).where('template', '=', 'offer-lead-contact').execute();
	const leadCount = async () => (await db.selectFrom('lead').select('id').execute()).length;

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		const imst = await municipalities.create(db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		municipalitySlug = imst.slug;
		municipalityId = imst.id;
		const { id } = await ensureUser(db, { email: 'k@imst.example', name: 'K' }, t0);
		await addCoordinator(db, id, imst.id, t0);
		coordinator = (await findSessionUser(db, id))!;
		for (const name of ['Tafel', 'Chor']) club[name] = await approvedClub(name);
		const offerId = await publishedOffer('Tafel', 'Lebensmittel ausgeben');
		offer = (await contact.findOffer(db, municipalitySlug, club.Tafel!.slug, offerId))!;
		expect(offer).toMatchObject({ offerId, title: 'Lebensmittel ausgeben', clubId: club.Tafel!.id, club: 'Tafel' });
	});
	afterAll(() => test.destroy());

	it('finds only published offers of the club named in the address', async () => {
		expect(await contact.findOffer(db, municipalitySlug, club.Chor!.slug, offer.offerId)).toBeNull();
		const draft = await offers.create(db, club.Tafel!.admin, club.Tafel!.id, { title: 'Entwurf', description: '', commitment: 'one_off', onWeekdays: true, onWeekends: false, inEvenings: false, months: [], place: '', isRemote: false, languages: ['de'], minimumAge: null, suitsMultilocal: false, capacity: null, tags: [], status: 'draft' }, t0);
		if (!draft.ok) throw new Error(draft.problem);
		expect(await contact.findOffer(db, municipalitySlug, club.Tafel!.slug, draft.offerId)).toBeNull();
	});

	it('creates no lead and tells the club nothing before the address is confirmed', async () => {
		await contact.request(db, offer, input('anna@example.org'), ctx, t0);
		expect(await leadCount()).toBe(0);
		expect(await clubMails()).toHaveLength(0);
		const row = await db.selectFrom('offer_contact').selectAll().where('email', '=', 'anna@example.org').executeTakeFirstOrThrow();
		const { confirm, manage } = await linksFor('anna@example.org');
		// Only hashes are stored: neither secret appears in the row.
		expect(JSON.stringify(row)).not.toContain(confirm.split('.')[1]);
		expect(JSON.stringify(row)).not.toContain(manage.split('.')[1]);
		expect(await leads.forClub(db, club.Tafel!.admin, club.Tafel!.id)).toMatchObject({ ok: true, total: 0 });
	});

	it('turns a confirmed request into exactly one lead of the club without an event, and mails the club once', async () => {
		const { confirm } = await linksFor('anna@example.org');
		expect(await contact.confirm(db, 'x'.repeat(24) + '.' + 'y'.repeat(24), ctx, later(1))).toEqual({ ok: false, problem: 'invalid' });
		const first = await contact.confirm(db, confirm, ctx, later(5));
		expect(first).toMatchObject({ ok: true, offer: 'Lebensmittel ausgeben', club: 'Tafel' });
		// A replayed link (a mail scanner, a second click) changes nothing.
		expect(await contact.confirm(db, confirm, ctx, later(6))).toMatchObject({ ok: false, problem: 'already', club: 'Tafel' });
		const rows = await db.selectFrom('lead').select(['club_id', 'event_id', 'source', 'offer_id', 'status']).execute();
		expect(rows).toEqual([{ club_id: club.Tafel!.id, event_id: null, source: 'offer', offer_id: offer.offerId, status: 'new' }]);
		const sent = await clubMails();
		expect(sent).toHaveLength(1);
		expect(sent[0]!.recipient).toBe(club.Tafel!.email);
		expect(sent[0]!.text_body).toContain('anna@example.org');
		expect(sent[0]!.text_body).toContain('Ich habe dienstags Zeit.');

		const page = await leads.forClub(db, club.Tafel!.admin, club.Tafel!.id);
		if (!page.ok) throw new Error(page.problem);
		expect(page.items).toHaveLength(1);
		expect(page.items[0]).toMatchObject({ name: 'anna', email: 'anna@example.org', source: 'offer', offer: 'Lebensmittel ausgeben', event: null, message: 'Ich habe dienstags Zeit.', status: 'new' });
		expect(page.hasAnonymous).toBe(false);
	});

	it('keeps one lead when the same address asks about the same offer again', async () => {
		await contact.request(db, offer, input('anna@example.org', 'Noch einmal'), ctx, later(10));
		const { confirm } = await linksFor('anna@example.org');
		expect(await contact.confirm(db, confirm, ctx, later(11))).toMatchObject({ ok: false, problem: 'already' });
		expect(await leadCount()).toBe(1);
		expect(await clubMails()).toHaveLength(1);
	});

	it('does not confirm an expired link', async () => {
		await contact.request(db, offer, input('bert@example.org'), ctx, t0);
		const { confirm } = await linksFor('bert@example.org');
		expect(await contact.confirm(db, confirm, ctx, later(48 * 60 + 1))).toEqual({ ok: false, problem: 'expired' });
		expect(await leadCount()).toBe(1);
		// Housekeeping deletes it (and only the unconfirmed ones whose link has run out).
		expect(await contact.deleteExpired(db, later(48 * 60 + 1))).toBe(1);
		expect(await db.selectFrom('offer_contact').select('email').where('email', '=', 'bert@example.org').execute()).toEqual([]);
		expect(await db.selectFrom('offer_contact').select('id').where('email', '=', 'anna@example.org').execute()).toHaveLength(1);
		expect(await db.selectFrom('offer_contact').select('id').where('confirmed_at', 'is not', null).execute()).toHaveLength(2);
	});

	it('shows the contact only to members of the offer’s club', async () => {
		expect(await leads.forClub(db, club.Chor!.admin, club.Tafel!.id)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await leads.forClub(db, coordinator, club.Tafel!.id)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await leads.forClub(db, null, club.Tafel!.id)).toEqual({ ok: false, problem: 'forbidden' });
		const chor = await leads.forClub(db, club.Chor!.admin, club.Chor!.id);
		expect(chor).toMatchObject({ ok: true, total: 0, items: [] });
		const lead = await db.selectFrom('lead').select('id').executeTakeFirstOrThrow();
		expect(await leads.setStatus(db, club.Chor!.admin, club.Tafel!.id, lead.id, 'joined', later(20))).toEqual({ ok: false, problem: 'forbidden' });
		expect(await leads.setStatus(db, club.Tafel!.admin, club.Tafel!.id, lead.id, 'contacted', later(20))).toEqual({ ok: true, name: 'anna' });
	});

	it('leaves event funnels alone and counts offer contacts apart in the municipality report', async () => {
		// Leads without an event belong to no event's funnel; the municipality's clubs got one (suppressed: < 5).
		const result = await reports.report(db, coordinator, { municipalityId, from: '2027-01-01', to: '2027-12-31' }, later(20));
		expect(result).toMatchObject({ ok: true, totals: { leads: 0 }, offerLeads: { leads: reports.SUPPRESSED, joined: 0 } });
		const before = await reports.report(db, coordinator, { municipalityId, from: '2026-01-01', to: '2026-12-31' }, later(20));
		expect(before).toMatchObject({ ok: true, offerLeads: { leads: 0, joined: 0 } });
	});

	it('withdraws by the manage link: the lead goes, the person’s data is erased, twice is fine', async () => {
		const first = await db.selectFrom('offer_contact').select('id').where('email', '=', 'anna@example.org').where('confirmed_at', 'is not', null).where('withdrawn_at', 'is', null).executeTakeFirstOrThrow();
		const manage = contact.contactManageToken(ctx, first.id);
		expect(await contact.findByManageToken(db, manage)).toMatchObject({ confirmed: true, withdrawn: false, offer: 'Lebensmittel ausgeben', club: 'Tafel' });
		expect(await contact.findByManageToken(db, `${first.id}.${'a'.repeat(24)}`)).toBeNull();
		expect(await contact.withdraw(db, `${first.id}.${'a'.repeat(24)}`, later(30))).toBe(false);
		expect(await leadCount()).toBe(1);

		expect(await contact.withdraw(db, manage, later(30))).toBe(true);
		expect(await contact.withdraw(db, manage, later(31))).toBe(true);
		expect(await leadCount()).toBe(0);
		const row = await db.selectFrom('offer_contact').select(['name', 'email', 'message', 'withdrawn_at']).where('id', '=', first.id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ name: '', email: '', message: '' });
		expect(row.withdrawn_at).not.toBeNull();
		expect(await leads.forClub(db, club.Tafel!.admin, club.Tafel!.id)).toMatchObject({ ok: true, total: 0, items: [] });
		const { confirm } = await linksFor('anna@example.org');
		// The withdrawn request's own confirm link no longer works either.
		const original = (await db.selectFrom('outbox').select('text_body').where('template', '=', 'contact-confirm-request').where('recipient', '=', 'anna@example.org').orderBy('created_at').executeTakeFirstOrThrow()).text_body;
		const originalConfirm = /\/contact\/confirm\/([a-z2-7.]+)/.exec(original)![1]!;
		expect(originalConfirm).not.toBe(confirm);
		expect(await contact.confirm(db, originalConfirm, ctx, later(32))).toEqual({ ok: false, problem: 'invalid' });
	});

	it('erases a request’s contact data after the retention period counted from the club’s last step, and keeps the lead', async () => {
		const day = 24 * 60;
		await db.updateTable('municipality').set({ retention_months: 1 }).where('id', '=', municipalityId).execute();
		await contact.request(db, offer, input('carl@example.org', 'Ich kann kochen.'), ctx, later(40));
		const { confirm } = await linksFor('carl@example.org');
		expect(await contact.confirm(db, confirm, ctx, later(41))).toMatchObject({ ok: true });
		const lead = await db.selectFrom('lead').select('id').where('source', '=', 'offer').executeTakeFirstOrThrow();
		expect(await leads.setStatus(db, club.Tafel!.admin, club.Tafel!.id, lead.id, 'trying', later(20 * day))).toMatchObject({ ok: true });

		// A month after confirming, but not yet a month after the club's last status change: kept.
		expect(await retention.eraseOfferContacts(db, later(35 * day))).toBe(0);
		expect(await retention.eraseOfferContacts(db, later(52 * day))).toBe(1);
		const row = await db.selectFrom('offer_contact').select(['name', 'email', 'message']).where('id', '=', (await db.selectFrom('lead').select('contact_id').where('id', '=', lead.id).executeTakeFirstOrThrow()).contact_id!).executeTakeFirstOrThrow();
		expect(row).toEqual({ name: '', email: '', message: '' });
		const page = await leads.forClub(db, club.Tafel!.admin, club.Tafel!.id);
		expect(page).toMatchObject({ ok: true, total: 1, items: [{ name: null, email: null, message: null, status: 'trying', source: 'offer' }] });
		// Done once: a second pass finds nothing more.
		expect(await retention.eraseOfferContacts(db, later(60 * day))).toBe(0);
	});
});

describe.each(dialects)('the offer-contacts migration on %s', (dialect) => {
	let test: TestDatabase;
	afterAll(() => test.destroy());

	it('keeps every event lead when it rebuilds the lead table, up and down', async () => {
		test = await createTestDatabase(dialect, false);
		// The demo is seeded by today's code, so on today's schema; then back to the schema before this migration.
		await migrateToLatest(test.db);
		await seedDemo(test.db, t0, ctx.origin, ctx.secret);
		await migrateTo(test.db, '2026-12-05T02-stall-opening-feedback-hiding');
		const before = await test.db.selectFrom('lead').select(['id', 'event_id', 'person_id', 'club_id', 'status']).orderBy('id').execute();
		expect(before.length).toBeGreaterThan(0);
		await migrateToLatest(test.db);
		const after = await test.db.selectFrom('lead').select(['id', 'event_id', 'person_id', 'club_id', 'status', 'source']).orderBy('id').execute();
		expect(after).toEqual(before.map((l) => ({ ...l, source: 'event' })));
		await migrateTo(test.db, '2026-12-05T02-stall-opening-feedback-hiding');
		expect(await test.db.selectFrom('lead').select(['id', 'event_id', 'person_id', 'club_id', 'status']).orderBy('id').execute()).toEqual(before);
		await migrateToLatest(test.db);
	});
});
