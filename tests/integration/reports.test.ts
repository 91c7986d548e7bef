import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database, RegistrationStatus } from '../../src/lib/server/db/schema';
import { addCoordinator, ensureUser, findSessionUser, type SessionUser } from '../../src/lib/server/auth/users';
import { generateId } from '../../src/lib/server/ids';
import * as municipalities from '../../src/lib/server/municipalities';
import * as registrations from '../../src/lib/server/registrations';
import * as reports from '../../src/lib/server/reports';
import { reportCsv } from '../../src/lib/server/reports/csv';
import { seedDemo } from '../../src/lib/server/demo';
import * as feedback from '../../src/lib/server/feedback';
import { emptyProfile, type Residency } from '../../src/lib/participant-profile';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret' };
const t0 = new Date('2026-01-10T09:00:00.000Z');
const iso = (s: string) => new Date(s).toISOString();
const period2026 = { from: '2026-01-01', to: '2026-12-31' };
/** When the reports are read: after every seeded event but the one in 2027. */
const now = new Date('2026-12-01T12:00:00Z');

// Seeded row by row (the feedback and lead services belong to another area): an Imst round table in
// May with eleven people who held a seat, a small Tarrenz event, an Imst event in 2027 and a
// Landeck event that the Imst coordinator must not see.
describe.each(dialects)('reports on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	let coordinator: SessionUser;
	let landeckCoordinator: SessionUser;
	const m: Record<string, string> = {};
	const club: Record<string, string> = {};
	const tag: Record<string, string> = {};
	let seriesId: string;
	let mayEvent: string;
	let tarrenzEvent: string;
	let landeckEvent: string;
	const people: string[] = [];

	async function sessionUser(email: string, municipalityIds: string[]) {
		const { id } = await ensureUser(db, { email, name: email.split('@')[0]! }, t0);
		for (const mid of municipalityIds) await addCoordinator(db, id, mid, t0);
		return (await findSessionUser(db, id))!;
	}

	async function insertEvent(title: string, hostIds: string[], startsAt: string, series: string | null = null) {
		const id = generateId();
		const start = new Date(startsAt);
		await db
			.insertInto('event')
			.values({ id, series_id: series, kind: 'round_table', title, starts_at: start.toISOString(), ends_at: new Date(start.getTime() + 2 * 3600_000).toISOString(), time_zone: 'Europe/Vienna', venue_id: null, capacity: 50, status: 'published', registration_opens_at: null, registration_closes_at: null, ical_uid: `${id}@test`, stall_booking_open: 0, created_at: t0.toISOString(), updated_at: t0.toISOString() })
			.execute();
		await db.insertInto('event_host').values(hostIds.map((municipality_id) => ({ event_id: id, municipality_id }))).execute();
		return id;
	}

	async function insertClub(name: string, municipalityId: string, tags: string[], status: 'approved' | 'pending' = 'approved') {
		const id = generateId();
		await db
			.insertInto('club')
			.values({ id, municipality_id: municipalityId, name, name_key: name.toLowerCase().replace(/\s/g, ''), slug: id, contact_email: `${id}@verein.example`, status, logo: null, logo_content_type: null, logo_sha256: null, rejection_reason: null, created_by: null, approved_by: null, approved_at: null, created_at: t0.toISOString(), updated_at: t0.toISOString() })
			.execute();
		if (tags.length) await db.insertInto('club_tag').values(tags.map((t) => ({ club_id: id, tag_id: tag[t]! }))).execute();
		return id;
	}

	async function insertOffer(clubId: string, tags: string[], updatedAt: string, status: 'published' | 'draft' = 'published') {
		const id = generateId();
		await db
			.insertInto('offer')
			.values({ id, club_id: clubId, title: `Angebot ${id}`, commitment: 'regular', on_weekdays: 1, on_weekends: 0, in_evenings: 0, is_remote: 0, minimum_age: null, suits_multilocal: 1, capacity: null, status, created_by: null, created_at: t0.toISOString(), updated_at: iso(updatedAt) })
			.execute();
		if (tags.length) await db.insertInto('offer_tag').values(tags.map((t) => ({ offer_id: id, tag_id: tag[t]! }))).execute();
		return id;
	}

	async function register(eventId: string, residency: Residency, status: RegistrationStatus, options: { confirmed?: boolean; interests?: string[] } = {}) {
		const personId = generateId();
		const interests = options.interests ?? [];
		await db
			.insertInto('person')
			.values({ id: personId, email: `${personId}@example.org`, name: `Person ${personId}`, profile: JSON.stringify({ ...emptyProfile, residency, interests }), consent_introductions: 1, created_at: t0.toISOString(), updated_at: t0.toISOString(), anonymised_at: null })
			.execute();
		if (interests.length) await db.insertInto('person_tag').values(interests.map((t) => ({ person_id: personId, tag_id: tag[t]! }))).execute();
		const confirmed = options.confirmed ?? ['confirmed', 'attended', 'no_show'].includes(status);
		await db
			.insertInto('registration')
			.values({ id: generateId(), event_id: eventId, person_id: personId, status, waitlist_position: status === 'waitlisted' ? 1 : null, submitted_profile: null, manage_secret_hash: generateId(), confirm_secret_hash: null, confirm_expires_at: null, created_at: t0.toISOString(), updated_at: t0.toISOString(), confirmed_at: confirmed ? t0.toISOString() : null, cancelled_at: status === 'cancelled' ? t0.toISOString() : null, checked_in_at: status === 'attended' ? iso('2026-05-07T16:05:00Z') : null })
			.execute();
		return personId;
	}

	async function feedback(eventId: string, personId: string | null, talkedTo: string[], answered = true) {
		await db
			.insertInto('feedback')
			.values({ id: generateId(), event_id: eventId, respondent: 'person', person_id: personId, club_id: null, usefulness: 4, talked_to: JSON.stringify(talkedTo), wants_to_try: '[]', talks: null, new_volunteers: null, requested_at: iso('2026-05-08T16:00:00Z'), reminded_at: null, answered_at: answered ? iso('2026-05-09T10:00:00Z') : null, updated_at: null, editable_until: iso('2026-05-22T16:00:00Z') })
			.execute();
	}

	async function lead(eventId: string, personId: string | null, clubId: string, status: 'new' | 'contacted' | 'trying' | 'joined' | 'not_a_fit', createdAt = '2026-05-09T10:00:00Z') {
		await db
			.insertInto('lead')
			.values({ id: generateId(), event_id: eventId, person_id: personId, club_id: clubId, status, created_at: iso(createdAt), updated_at: iso(createdAt), updated_by: null })
			.execute();
	}

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		for (const name of ['Imst', 'Tarrenz', 'Landeck']) m[name] = (await municipalities.create(db, { name, country: 'AT', timeZone: 'Europe/Vienna' }, t0)).id;
		for (const t of await db.selectFrom('tag').select(['id', 'slug']).execute()) tag[t.slug] = t.id;
		coordinator = await sessionUser('k@imst.example', [m.Imst!, m.Tarrenz!]);
		landeckCoordinator = await sessionUser('k@landeck.example', [m.Landeck!]);

		seriesId = generateId();
		await db.insertInto('series').values({ id: seriesId, kind: 'round_table', title: 'Gesprächsrunde Imst', time_zone: 'Europe/Vienna', venue_id: null, capacity: 50, duration_minutes: 120, rrule: null, first_start_local: null, created_by: null, created_at: t0.toISOString(), updated_at: t0.toISOString() }).execute();
		await db.insertInto('series_host').values({ series_id: seriesId, municipality_id: m.Imst! }).execute();
		mayEvent = await insertEvent('Gesprächsrunde Mai', [m.Imst!], '2026-05-07T16:00:00Z', seriesId);
		await insertEvent('Gesprächsrunde 2027', [m.Imst!], '2027-05-06T16:00:00Z', seriesId);
		tarrenzEvent = await insertEvent('Ankommen in Tarrenz', [m.Tarrenz!], '2026-06-10T17:00:00Z');
		landeckEvent = await insertEvent('Landeck trifft Vereine', [m.Landeck!], '2026-05-20T16:00:00Z');

		club.sport = await insertClub('Sportverein Imst', m.Imst!, ['sport']);
		club.tafel = await insertClub('Tafel Tarrenz', m.Tarrenz!, ['soziales', 'sport']);
		club.kultur = await insertClub('Kulturkreis Imst', m.Imst!, []);
		await insertClub('Wartender Verein', m.Imst!, ['integration'], 'pending');
		await insertOffer(club.sport, ['sport'], '2026-05-17T10:00:00Z'); // ten days after: changed afterwards
		await insertOffer(club.tafel, ['soziales'], '2026-12-20T10:00:00Z'); // more than 90 days after
		await insertOffer(club.kultur, ['kultur'], '2026-01-20T10:00:00Z'); // before the event
		await insertOffer(club.kultur, ['bildung'], '2026-05-20T10:00:00Z', 'draft'); // a draft: neither changed offer nor supply

		// Eleven held a seat: 7 residents and 2 Incomings attended, an Outgoing stayed away, a
		// newcomer cancelled after confirming. Three never held one.
		for (let i = 0; i < 7; i++) people.push(await register(mayEvent, 'resident', 'attended', { interests: i < 2 ? ['sport'] : [] }));
		for (let i = 0; i < 2; i++) people.push(await register(mayEvent, 'incoming', 'attended', { interests: ['integration'] }));
		people.push(await register(mayEvent, 'outgoing', 'no_show'));
		people.push(await register(mayEvent, 'new_in_town', 'cancelled', { confirmed: true }));
		await register(mayEvent, 'resident', 'pending');
		await register(mayEvent, 'guest', 'waitlisted');
		await register(mayEvent, 'guest', 'cancelled', { confirmed: false });

		// A stall for the Kulturkreis and a published plan: 8 people with the two other clubs.
		await db.insertInto('stall_request').values({ id: generateId(), event_id: mayEvent, club_id: club.kultur, status: 'approved', size: 1, needs_power: 0, needs_accessible: 0, tables: 1, chairs: 2, requested_by: null, created_at: t0.toISOString(), updated_at: t0.toISOString() }).execute();
		await db.insertInto('stall_request').values({ id: generateId(), event_id: mayEvent, club_id: club.tafel, status: 'rejected', size: 1, needs_power: 0, needs_accessible: 0, tables: 1, chairs: 2, requested_by: null, created_at: t0.toISOString(), updated_at: t0.toISOString() }).execute();
		const planId = generateId();
		await db.insertInto('match_plan').values({ id: planId, event_id: mayEvent, status: 'published', created_by: null, created_at: t0.toISOString(), published_at: t0.toISOString(), figures: JSON.stringify({ coverage: [8, 3] }) }).execute();
		await db.insertInto('match_plan').values({ id: generateId(), event_id: mayEvent, status: 'superseded', created_by: null, created_at: t0.toISOString(), figures: JSON.stringify({ coverage: [11] }) }).execute();
		for (let i = 0; i < 8; i++) {
			await db.insertInto('match_slot').values({ id: generateId(), plan_id: planId, person_id: people[i]!, club_id: i < 4 ? club.sport : club.tafel, round: 1, stall_id: null, score: 50, reasons: '[]' }).execute();
		}

		// Feedback: six talked to a club, one talked to nobody, one did not answer.
		for (let i = 0; i < 6; i++) await feedback(mayEvent, people[i]!, [i % 2 ? club.sport : club.tafel]);
		await feedback(mayEvent, people[6]!, []);
		await feedback(mayEvent, people[7]!, [club.sport], false);

		// Leads: five people, two of them joined; person 0 has two leads.
		await lead(mayEvent, people[0]!, club.sport, 'joined');
		await lead(mayEvent, people[0]!, club.tafel, 'new');
		await lead(mayEvent, people[1]!, club.sport, 'joined');
		await lead(mayEvent, people[2]!, club.sport, 'contacted');
		await lead(mayEvent, people[3]!, club.tafel, 'trying');
		await lead(mayEvent, people[4]!, club.tafel, 'not_a_fit');

		// Person 0 erases their data: feedback and leads lose person_id (as the schema describes; set
		// here too, so the test does not depend on which service does it).
		await registrations.anonymisePerson(db, people[0]!, ctx, new Date('2026-07-01T10:00:00Z'));
		await db.updateTable('feedback').set({ person_id: null }).where('person_id', '=', people[0]!).execute();
		await db.updateTable('lead').set({ person_id: null }).where('person_id', '=', people[0]!).execute();

		// Tarrenz: three people, all below the threshold.
		for (let i = 0; i < 3; i++) await register(tarrenzEvent, 'incoming', 'attended', { interests: ['soziales'] });
		for (let i = 0; i < 6; i++) await register(landeckEvent, 'resident', 'attended');
	});

	afterAll(async () => {
		await test?.destroy();
	});

	it('counts the funnel of an event, keeping an erased person in every step', async () => {
		const result = await reports.funnel(db, coordinator, { eventId: mayEvent }, now);
		expect(result).toEqual({
			ok: true,
			title: 'Gesprächsrunde Mai',
			events: 1,
			// 11 held a seat, 9 attended, 8 in the plan (the erased one included), 6 talked,
			// 5 with a lead (the erased person's two leads count once), 2 joined → "< 5".
			steps: { registered: 11, attended: 9, matched: 8, talked: 6, lead: 5, joined: reports.SUPPRESSED }
		});
	});

	it('counts a series over its published events', async () => {
		const result = await reports.funnel(db, coordinator, { seriesId }, now);
		// The 2027 date has not taken place yet.
		expect(result).toMatchObject({ ok: true, title: 'Gesprächsrunde Imst', events: 1, steps: { registered: 11, attended: 9 } });
		expect(await reports.funnel(db, coordinator, { seriesId }, new Date('2027-06-01T00:00:00Z'))).toMatchObject({ events: 2, steps: { registered: 11 } });
	});

	it('refuses the funnel and the report of another municipality', async () => {
		expect(await reports.funnel(db, landeckCoordinator, { eventId: mayEvent }, now)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await reports.funnel(db, landeckCoordinator, { seriesId }, now)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await reports.funnel(db, coordinator, { eventId: landeckEvent }, now)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await reports.report(db, coordinator, { municipalityId: m.Landeck!, ...period2026 }, now)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await reports.report(db, coordinator, { municipalityId: 'nope', ...period2026 }, now)).toEqual({ ok: false, problem: 'not_found' });
		expect(await reports.landscape(db, coordinator, { municipalityIds: [m.Imst!, m.Landeck!], ...period2026 })).toEqual({ ok: false, problem: 'forbidden' });
		const admin = { id: 'admin', isPlatformAdmin: true, municipalityIds: [] };
		expect(await reports.report(db, admin, { municipalityId: m.Landeck!, ...period2026 }, now)).toMatchObject({ ok: true, totals: { registered: 6 } });
	});

	it('reports per event with residency, rates, clubs and changed offers; small counts are suppressed', async () => {
		const result = await reports.report(db, coordinator, { municipalityId: m.Imst!, ...period2026 }, now);
		if (!result.ok) throw new Error(result.problem);
		expect(result.events.map((e) => e.title)).toEqual(['Gesprächsrunde Mai']);
		const [may] = result.events;
		expect(may).toMatchObject({
			registered: 11,
			// Residents 6 (+ the erased one as unknown); every other group is 1 or 2 → "< 5".
			residency: { resident: 6, incoming: '< 5', outgoing: '< 5', new_in_town: '< 5', guest: 0, unknown: '< 5' },
			attended: 9,
			attendanceRate: 82,
			matched: 8,
			talked: 6,
			leads: 5,
			joined: '< 5',
			// Sportverein and Tafel from the plan, Kulturkreis from its stall; the rejected stall does not count.
			clubs: 3,
			// Only the Sportverein's offer changed within 90 days after the event.
			offersChanged: 1
		});
		expect(result.totals).toMatchObject({ registered: 11, attended: 9, joined: '< 5', clubs: 3, offersChanged: 1 });
		expect(result.funnels).toEqual([{ id: seriesId, title: 'Gesprächsrunde Imst', steps: { registered: 11, attended: 9, matched: 8, talked: 6, lead: 5, joined: '< 5' } }]);
		// Nothing below five leaves the service as a number.
		const small = JSON.stringify(result).match(/"\w+":[1-4][,}]/g) ?? [];
		expect(small.filter((n) => !n.startsWith('"clubs"') && !n.startsWith('"offersChanged"'))).toEqual([]);
	});

	it('hides a second event in a column when the total would reveal a small one', async () => {
		const small = await insertEvent('Landeck klein', [m.Landeck!], '2026-09-01T16:00:00Z');
		for (let i = 0; i < 2; i++) await register(small, 'resident', 'attended');
		const admin = { id: 'admin', isPlatformAdmin: true, municipalityIds: [] };
		const result = await reports.report(db, admin, { municipalityId: m.Landeck!, ...period2026 }, now);
		if (!result.ok) throw new Error(result.problem);
		// 6 + 2 = 8: with 8 and 6 shown the 2 would follow, so the 6 is hidden as well.
		expect(result.events.map((e) => [e.title, e.registered, e.attended, e.attendanceRate])).toEqual([
			['Landeck trifft Vereine', 'hidden', 'hidden', null],
			['Landeck klein', '< 5', '< 5', null]
		]);
		expect(result.totals).toMatchObject({ registered: 8, attended: 8, attendanceRate: 100 });
		await db.deleteFrom('registration').where('event_id', '=', small).execute();
		await db.deleteFrom('event_host').where('event_id', '=', small).execute();
		await db.deleteFrom('event').where('id', '=', small).execute();
	});

	it('suppresses a small event and its rate, also in a co-hosting municipality', async () => {
		const result = await reports.report(db, coordinator, { municipalityId: m.Tarrenz!, ...period2026 }, now);
		if (!result.ok) throw new Error(result.problem);
		expect(result.events).toHaveLength(1);
		expect(result.events[0]).toMatchObject({ registered: '< 5', attended: '< 5', attendanceRate: null, residency: { incoming: '< 5', resident: 0 } });
	});

	it('gives an empty report for an empty period and filters by series', async () => {
		const empty = await reports.report(db, coordinator, { municipalityId: m.Imst!, from: '2025-01-01', to: '2025-12-31' }, now);
		expect(empty).toMatchObject({ ok: true, events: [], funnels: [], totals: { registered: 0, attended: 0, attendanceRate: null, clubs: 0 } });
		const period2027 = { municipalityId: m.Imst!, seriesId, from: '2027-01-01', to: '2027-12-31' };
		// Upcoming dates are not reported yet; once they have ended they are.
		expect(await reports.report(db, coordinator, period2027, now)).toMatchObject({ ok: true, events: [] });
		const later = await reports.report(db, coordinator, period2027, new Date('2027-06-01T00:00:00Z'));
		expect(later).toMatchObject({ ok: true, series: { title: 'Gesprächsrunde Imst' }, events: [{ title: 'Gesprächsrunde 2027', registered: 0 }] });
	});

	it('exports CSV for German Excel with suppressed cells and neutralised formulas', async () => {
		await db.updateTable('event').set({ title: '=HYPERLINK("http://evil")' }).where('id', '=', tarrenzEvent).execute();
		const result = await reports.report(db, coordinator, { municipalityId: m.Tarrenz!, ...period2026 }, now);
		if (!result.ok) throw new Error(result.problem);
		const csv = reportCsv(result, 'de');
		expect(csv.startsWith('\uFEFF"Veranstaltung";"Datum";"Reihe";"Angemeldet";"Einheimische";"Incomings (zeitweise hier)"')).toBe(true);
		expect(csv.endsWith('\r\n')).toBe(true);
		const lines = csv.slice(1).split('\r\n');
		expect(lines).toHaveLength(5); // header, the event, the total, the offer contacts, and the final empty string
		expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")";"10.06.2026";"";"< 5";"0";"< 5"`);
		expect(lines[2]).toMatch(/^"Summe";"2026-01-01 – 2026-12-31";"";"< 5"/);
		// Contacts through offers have their own row; every row has as many cells as the header.
		expect(lines[3]).toMatch(/^"Kontaktwunsch über Angebote";"2026-01-01 – 2026-12-31";"";("";){11}"0";"0";"";""$/);
		for (const line of lines.slice(1, 4)) expect(line.split('";"')).toHaveLength(lines[0]!.split('";"').length);
		expect(csv).not.toMatch(/";"[1-4]";"/);
	});

	it('maps the landscape: supply, suppressed demand, blind spots and duplicates', async () => {
		const result = await reports.landscape(db, coordinator, { municipalityIds: [], ...period2026 });
		if (!result.ok) throw new Error(result.problem);
		expect(result.municipalities.map((x) => x.name)).toEqual(['Imst', 'Tarrenz']);
		const row = (slug: string) => result.rows.find((r) => r.tag.slug === slug);
		// Sport: a club in each town → duplicate; demand from the two remaining sporty residents (the erased one's interests are gone).
		expect(row('sport')).toMatchObject({
			isDuplicate: true,
			isBlindSpotEverywhere: false,
			cells: [
				{ clubs: ['Sportverein Imst'], offers: 1, demand: '< 5', isBlindSpot: false },
				{ clubs: ['Tafel Tarrenz'], offers: 0, demand: 0, isBlindSpot: false }
			]
		});
		// Integration: two Incomings are interested in Imst, only a pending club offers it → blind spot.
		expect(row('integration')).toMatchObject({ isDuplicate: false, isBlindSpotEverywhere: true, cells: [{ clubs: [], demand: '< 5', isBlindSpot: true }, { clubs: [], demand: 0, isBlindSpot: false }] });
		expect(row('soziales')).toMatchObject({ isDuplicate: false, isBlindSpotEverywhere: false, cells: [{ clubs: [], isBlindSpot: false }, { clubs: ['Tafel Tarrenz'], offers: 1, demand: '< 5' }] });
		expect(row('kultur')?.cells[0]).toMatchObject({ clubs: ['Kulturkreis Imst'], offers: 1 });
		// A draft offer is no supply; an area nobody offers or wants is left out.
		expect(row('bildung')).toBeUndefined();
		const empty = await reports.landscape(db, coordinator, { municipalityIds: [m.Imst!], from: '2025-01-01', to: '2025-12-31' });
		if (!empty.ok) throw new Error(empty.problem);
		expect(empty.rows.every((r) => r.cells.every((c) => c.demand === 0 && !c.isBlindSpot))).toBe(true);
	});

	it('shows demand of five or more as a number', async () => {
		const extra = [];
		for (let i = 0; i < 5; i++) extra.push(await register(tarrenzEvent, 'resident', 'confirmed', { interests: ['umwelt'] }));
		const result = await reports.landscape(db, coordinator, { municipalityIds: [m.Tarrenz!], ...period2026 });
		if (!result.ok) throw new Error(result.problem);
		expect(result.rows.find((r) => r.tag.slug === 'umwelt')?.cells[0]).toMatchObject({ demand: 5, isBlindSpot: true });
		await db.deleteFrom('person_tag').where('person_id', 'in', extra).execute();
		await db.deleteFrom('registration').where('person_id', 'in', extra).execute();
	});
});

describe.each(dialects)('the demo report on %s', (dialect) => {
	let test: TestDatabase;
	afterAll(async () => {
		await test?.destroy();
	});

	it('has a past round of the series with feedback and leads to report', async () => {
		test = await createTestDatabase(dialect);
		const today = new Date();
		expect(await seedDemo(test.db, today, 'https://x.example')).toBe(true);
		const imst = await test.db.selectFrom('municipality').select('id').where('slug', '=', 'imst').executeTakeFirstOrThrow();
		const admin = { id: 'admin', isPlatformAdmin: true, municipalityIds: [] };
		const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
		const result = await reports.report(test.db, admin, { municipalityId: imst.id, from: day(-200), to: day(0) }, today);
		expect(result).toMatchObject({
			ok: true,
			events: [{ title: 'Gesprächsrunde Ehrenamt Imst–Tarrenz', registered: 14, attended: 11, matched: 11, talked: 7, leads: 6, joined: '< 5', clubs: 2 }]
		});
		// Nothing of it is due for feedback mail: it lies outside the request, reminder and thank-you windows.
		expect(await feedback.runDue(test.db, ctx, today)).toEqual({ requested: 0, reminded: 0, thanked: 0 });
	});
});
