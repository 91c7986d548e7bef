import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database, RegistrationStatus } from '../../src/lib/server/db/schema';
import { addCoordinator, ensureUser, findSessionUser, type SessionUser } from '../../src/lib/server/auth/users';
import { generateId } from '../../src/lib/server/ids';
import * as municipalities from '../../src/lib/server/municipalities';
import * as records from '../../src/lib/server/records';
import * as registrations from '../../src/lib/server/registrations';
import * as boerse from '../../src/lib/server/boerse';
import { sign } from '../../src/lib/server/records/signature';
import { seedDemo } from '../../src/lib/server/demo';
import { emptyProfile } from '../../src/lib/participant-profile';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const secret = 'nachweis-test-secret';
const t0 = new Date('2026-01-10T09:00:00.000Z');
const now = new Date('2026-12-01T12:00:00Z');
const iso = (s: string) => new Date(s).toISOString();

// Events and attendance are seeded row by row: the registration machinery belongs to another area,
// and only the marks the organisers set matter here.
describe.each(dialects)('Ehrenamtsnachweis and hours on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	const mun: Record<string, string> = {};
	const tag: Record<string, string> = {};
	let imstCoordinator: SessionUser;
	let landeckCoordinator: SessionUser;
	let anna: string;
	let ben: string;

	async function sessionUser(email: string, municipalityIds: string[]) {
		const { id } = await ensureUser(db, { email, name: email.split('@')[0]! }, t0);
		for (const mid of municipalityIds) await addCoordinator(db, id, mid, t0);
		return (await findSessionUser(db, id))!;
	}

	async function insertEvent(title: string, hostIds: string[], startsAt: string, hours: number, status: 'published' | 'cancelled' = 'published') {
		const id = generateId();
		const start = new Date(startsAt);
		await db
			.insertInto('event')
			.values({ id, series_id: null, kind: 'round_table', title, starts_at: start.toISOString(), ends_at: new Date(start.getTime() + hours * 3600_000).toISOString(), time_zone: 'Europe/Vienna', venue_id: null, capacity: 50, status, registration_opens_at: null, registration_closes_at: null, ical_uid: `${id}@test`, stall_booking_open: 0, created_at: t0.toISOString(), updated_at: t0.toISOString() })
			.execute();
		await db.insertInto('event_host').values(hostIds.map((municipality_id) => ({ event_id: id, municipality_id }))).execute();
		return id;
	}

	async function insertPerson(name: string, interests: string[] = [], competences: string[] = []) {
		const id = generateId();
		await db
			.insertInto('person')
			.values({ id, email: `${id}@example.org`, name, profile: JSON.stringify({ ...emptyProfile, interests, competences }), consent_introductions: 1, created_at: t0.toISOString(), updated_at: t0.toISOString(), anonymised_at: null })
			.execute();
		if (interests.length) await db.insertInto('person_tag').values(interests.map((t) => ({ person_id: id, tag_id: tag[t]! }))).execute();
		return id;
	}

	async function register(eventId: string, personId: string, status: RegistrationStatus) {
		await db
			.insertInto('registration')
			.values({ id: generateId(), event_id: eventId, person_id: personId, status, waitlist_position: null, submitted_profile: null, manage_secret_hash: generateId(), confirm_secret_hash: null, confirm_expires_at: null, created_at: t0.toISOString(), updated_at: t0.toISOString(), confirmed_at: t0.toISOString(), cancelled_at: null, checked_in_at: status === 'attended' ? t0.toISOString() : null })
			.execute();
	}

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		for (const name of ['Imst', 'Landeck']) mun[name] = (await municipalities.create(db, { name, country: 'AT', timeZone: 'Europe/Vienna' }, t0)).id;
		for (const t of await db.selectFrom('tag').select(['id', 'slug']).execute()) tag[t.slug] = t.id;
		imstCoordinator = await sessionUser('k@imst.example', [mun.Imst!]);
		landeckCoordinator = await sessionUser('k@landeck.example', [mun.Landeck!]);

		anna = await insertPerson('Anna Berger');
		ben = await insertPerson('Ben Öztürk');
		const attended = await insertEvent('Gesprächsrunde Mai', [mun.Imst!], '2026-05-07T16:00:00Z', 2);
		const confirmedOnly = await insertEvent('Markt der Möglichkeiten', [mun.Imst!], '2026-06-07T08:00:00Z', 4);
		const noShow = await insertEvent('Gesprächsrunde Juni', [mun.Imst!], '2026-06-20T16:00:00Z', 2);
		const landeck = await insertEvent('Landeck trifft Vereine', [mun.Landeck!], '2026-09-10T16:00:00Z', 3);
		const cancelled = await insertEvent('Abgesagte Runde', [mun.Imst!], '2026-07-01T16:00:00Z', 2, 'cancelled');
		const future = await insertEvent('Gesprächsrunde 2027', [mun.Imst!], '2027-03-01T16:00:00Z', 2);
		const short = await insertEvent('Kurze Runde', [mun.Imst!], '2026-10-01T16:00:00Z', 1.5);
		await register(attended, anna, 'attended');
		await register(confirmedOnly, anna, 'confirmed');
		await register(noShow, anna, 'no_show');
		await register(landeck, anna, 'attended');
		await register(cancelled, anna, 'attended');
		await register(future, anna, 'confirmed');
		await register(short, ben, 'attended');
	});
	afterAll(() => test.destroy());

	it('lists only the events the organisers marked as attended, with organiser and hours', async () => {
		const entries = await records.attendedEntries(db, anna, now);
		expect(entries).toEqual([
			{ kind: 'event', date: '2026-05-07', title: 'Gesprächsrunde Mai', organiser: 'Imst', minutes: 120 },
			{ kind: 'event', date: '2026-09-10', title: 'Landeck trifft Vereine', organiser: 'Landeck', minutes: 180 }
		]);
		expect(records.totalMinutes(entries)).toBe(300);
		expect(await records.organiserOf(db, { eventId: (await db.selectFrom('event').select('id').where('title', '=', 'Gesprächsrunde Mai').executeTakeFirstOrThrow()).id, taskId: null })).toBe('Imst');
	});

	it('issues a signed record that verifies through its link and shows only the record', async () => {
		const issued = await records.issue(db, secret, { id: anna, name: 'Anna Berger' }, now);
		if (!issued.ok) throw new Error('not issued');
		const token = records.verificationPath(issued.record).replace('/nachweis/', '');
		const result = await records.verify(db, secret, token);
		expect(result).toEqual({
			genuine: true,
			record: { personName: 'Anna Berger', periodFrom: '2026-05-07', periodTo: '2026-09-10', entries: issued.record.entries, totalMinutes: 300, issuedAt: now.toISOString() }
		});
		expect(JSON.stringify(result)).not.toContain('@example.org');
		expect(await records.verify(db, 'another-secret', token)).toEqual({ genuine: false });
	});

	it('rejects a forged signature, an unknown id and an edited record', async () => {
		const issued = await records.issue(db, secret, { id: anna, name: 'Anna Berger' }, now);
		if (!issued.ok) throw new Error('not issued');
		const { id, signature } = issued.record;
		const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
		expect(await records.verify(db, secret, `${id}.${flipped}`)).toEqual({ genuine: false });
		expect(await records.verify(db, secret, `${generateId()}.${signature}`)).toEqual({ genuine: false });
		expect(await records.verify(db, secret, 'nonsense')).toEqual({ genuine: false });
		// A signature made with a guessed key for invented content does not pass either.
		const forged = sign('guessed', { ...issued.record, totalMinutes: 6000 });
		expect(await records.verify(db, secret, `${id}.${forged}`)).toEqual({ genuine: false });
		// Someone with database access raises the hours: the stored signature no longer fits.
		expect((await records.verify(db, secret, `${id}.${signature}`)).genuine).toBe(true);
		await db.updateTable('volunteer_record').set({ total_minutes: 6000 }).where('id', '=', id).execute();
		expect(await records.verify(db, secret, `${id}.${signature}`)).toEqual({ genuine: false });
	});

	it('lets only the person revoke a record, after which its link is not genuine', async () => {
		const issued = await records.issue(db, secret, { id: anna, name: 'Anna Berger' }, now);
		if (!issued.ok) throw new Error('not issued');
		const token = `${issued.record.id}.${issued.record.signature}`;
		expect(await records.revoke(db, ben, issued.record.id, now)).toBe(false);
		expect((await records.verify(db, secret, token)).genuine).toBe(true);
		expect(await records.revoke(db, anna, issued.record.id, now)).toBe(true);
		expect(await records.verify(db, secret, token)).toEqual({ genuine: false });
		expect(await records.revoke(db, anna, issued.record.id, now)).toBe(false);
		expect((await records.listFor(db, anna)).find((r) => r.id === issued.record.id)?.revokedAt).not.toBeNull();
		expect(await records.findFor(db, ben, issued.record.id)).toBeNull();
		const audit = await db.selectFrom('audit_log').select('action').where('entity_id', '=', issued.record.id).execute();
		expect(audit.map((a) => a.action).sort()).toEqual(['record.issued', 'record.revoked']);
	});

	it('erases the records with the person, so their links are no longer genuine', async () => {
		const dora = await insertPerson('Dora Erased');
		const event = await insertEvent('Runde für Dora', [mun.Landeck!], '2026-02-01T16:00:00Z', 1);
		await register(event, dora, 'attended');
		const issued = await records.issue(db, secret, { id: dora, name: 'Dora Erased' }, now);
		if (!issued.ok) throw new Error('not issued');
		const token = `${issued.record.id}.${issued.record.signature}`;
		await registrations.anonymisePerson(db, dora, { origin: 'https://miteinander.example', secret }, now);
		expect(await records.listFor(db, dora)).toEqual([]);
		expect(await records.verify(db, secret, token)).toEqual({ genuine: false });
	});

	it('refuses a record when nothing was attended', async () => {
		const nobody = await insertPerson('Clara Neu');
		expect(await records.issue(db, secret, { id: nobody, name: 'Clara Neu' }, now)).toEqual({ ok: false, problem: 'empty' });
	});

	it('marks who reaches the municipality threshold, in the municipality and period only', async () => {
		expect((await records.hours.thresholds(db, [mun.Imst!])).get(mun.Imst!)).toBe(100);
		expect(await records.hours.setThreshold(db, landeckCoordinator, mun.Imst!, 2, now)).toBe(false);
		expect(await records.hours.setThreshold(db, imstCoordinator, mun.Imst!, 2, now)).toBe(true);
		const result = await records.hours.report(db, imstCoordinator, { municipalityId: mun.Imst!, from: '2026-01-01', to: '2026-12-31' }, now);
		if (!result.ok) throw new Error('forbidden');
		expect(result.report.threshold).toBe(2);
		expect(result.report.people.map((p) => [p.name, p.engagements, p.minutes, p.reachesThreshold])).toEqual([
			['Anna Berger', 1, 120, true],
			['Ben Öztürk', 1, 90, false]
		]);
		const may = await records.hours.report(db, imstCoordinator, { municipalityId: mun.Imst!, from: '2026-05-01', to: '2026-05-31' }, now);
		expect(may.ok && may.report.people.map((p) => p.name)).toEqual(['Anna Berger']);
	});

	it('shows a coordinator of another municipality nothing', async () => {
		expect(await records.hours.report(db, landeckCoordinator, { municipalityId: mun.Imst!, from: '2026-01-01', to: '2026-12-31' }, now)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await boerse.overview(db, landeckCoordinator, mun.Imst!, 'de')).toEqual({ ok: false, problem: 'forbidden' });
		const own = await records.hours.report(db, landeckCoordinator, { municipalityId: mun.Landeck!, from: '2026-01-01', to: '2026-12-31' }, now);
		expect(own.ok && own.report.people.map((p) => [p.name, p.minutes])).toEqual([['Anna Berger', 180]]);
	});

	it('exports hours as German Excel CSV: BOM, semicolons, CRLF, decimal comma', async () => {
		const result = await records.hours.report(db, imstCoordinator, { municipalityId: mun.Imst!, from: '2026-01-01', to: '2026-12-31' }, now);
		if (!result.ok) throw new Error('forbidden');
		const csv = records.hours.csv(result.report, 'de');
		expect(csv.startsWith('\uFEFF')).toBe(true);
		// Every cell quoted, as all exports of the app are.
		const lines = csv.slice(1).split('\r\n').map((line) => line.replaceAll('"', ''));
		expect(lines[0]).toBe('Name;E-Mail;Von;Bis;Teilnahmen;Stunden;Schwelle 2 Std. erreicht');
		expect(lines[1]).toBe(`Anna Berger;${anna}@example.org;2026-01-01;2026-12-31;1;2,00;ja`);
		expect(lines[2]).toBe(`Ben Öztürk;${ben}@example.org;2026-01-01;2026-12-31;1;1,50;nein`);
		expect(lines[3]).toBe('');
	});

	it('sums up the Börse with small numbers suppressed and demand without an offer', async () => {
		const clubId = generateId();
		await db
			.insertInto('club')
			.values({ id: clubId, municipality_id: mun.Imst!, name: 'Tafel Imst', name_key: 'tafelimst', slug: clubId, contact_email: 'tafel@example.org', status: 'approved', logo: null, logo_content_type: null, logo_sha256: null, rejection_reason: null, created_by: null, approved_by: null, approved_at: null, created_at: t0.toISOString(), updated_at: t0.toISOString() })
			.execute();
		const offerId = generateId();
		await db
			.insertInto('offer')
			.values({ id: offerId, club_id: clubId, title: 'Lebensmittel ausgeben', commitment: 'regular', on_weekdays: 1, on_weekends: 0, in_evenings: 0, is_remote: 0, minimum_age: null, suits_multilocal: 1, capacity: null, status: 'published', created_by: null, created_at: t0.toISOString(), updated_at: t0.toISOString() })
			.execute();
		const [firstTag, secondTag] = Object.keys(tag).sort();
		await db.insertInto('offer_tag').values({ offer_id: offerId, tag_id: tag[firstTag!]! }).execute();
		const statuses = ['new', 'new', 'trying', 'joined', 'joined', 'joined', 'trying'] as const;
		for (const status of statuses) {
			await db.insertInto('lead').values({ id: generateId(), event_id: null, person_id: null, club_id: clubId, status, created_at: iso('2026-05-09T10:00:00Z'), updated_at: iso('2026-05-09T10:00:00Z'), updated_by: null, source: 'offer', offer_id: offerId }).execute();
		}
		const event = await insertEvent('Börsenabend', [mun.Imst!], '2026-04-01T16:00:00Z', 2);
		for (let i = 0; i < 6; i++) {
			const person = await insertPerson(`Interessiert ${i}`, [firstTag!, secondTag!], i < 2 ? ['erste-hilfe'] : []);
			await register(event, person, 'confirmed');
		}
		const result = await boerse.overview(db, imstCoordinator, mun.Imst!, 'de');
		if (!result.ok) throw new Error('forbidden');
		expect(result.overview.offers).toEqual([{ id: offerId, title: 'Lebensmittel ausgeben', club: 'Tafel Imst', contacts: 7, trying: '< 5', joined: '< 5' }]);
		const interests = new Map(result.overview.interests.map((i) => [i.people, i.offers]));
		expect(result.overview.interests).toHaveLength(2);
		expect([...interests.keys()]).toEqual([6]);
		expect(result.overview.interests.map((i) => i.offers).sort()).toEqual([0, 1]);
		expect(result.overview.competences).toEqual([{ label: 'Erste Hilfe', people: '< 5', offers: 0 }]);
		expect(result.overview.shifts).toEqual([]);
	});
});

describe.each(dialects)('demo record on %s', (dialect) => {
	it('the demo data holds one genuine record of a past participant', async () => {
		const test = await createTestDatabase(dialect);
		try {
			expect(await seedDemo(test.db, now, 'https://miteinander.example', secret)).toBe(true);
			const rows = await test.db.selectFrom('volunteer_record').select(['id', 'signature', 'person_name']).execute();
			expect(rows.map((r) => r.person_name)).toEqual(['Maria Raggl']);
			const result = await records.verify(test.db, secret, `${rows[0]!.id}.${rows[0]!.signature}`);
			expect(result.genuine && result.record.entries.map((e) => e.organiser)).toEqual(['Imst, Tarrenz']);
		} finally {
			await test.destroy();
		}
	});
});
