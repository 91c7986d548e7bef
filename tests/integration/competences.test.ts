import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { migrateTo, migrateToLatest } from '../../src/lib/server/db/migrate';
import { addCoordinator, ensureUser, findSessionUser, type SessionUser } from '../../src/lib/server/auth/users';
import * as municipalities from '../../src/lib/server/municipalities';
import * as competences from '../../src/lib/server/competences';
import * as clubs from '../../src/lib/server/clubs';
import * as offers from '../../src/lib/server/clubs/offers';
import * as directory from '../../src/lib/server/clubs/directory';
import { DEFAULT_COMPETENCES } from '../../src/lib/competences';
import { loadHosts } from '../../src/lib/server/matching/problem';
import { score } from '../../src/lib/matching/scoring';
import { reasonWriter } from '../../src/lib/server/matching/notify';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { offerInput as baseOfferInput } from './fixtures';

const ctx = { origin: 'https://miteinander.example', locale: 'de' };
const t0 = new Date('2027-03-01T09:00:00.000Z');

/** This suite's offers: a one-off weekend task. */
const offerInput = (over: Partial<offers.OfferInput> = {}) =>
	baseOfferInput({ title: 'Sanitätsdienst beim Dorffest', commitment: 'one_off', onWeekdays: false, onWeekends: true, ...over });

async function count(db: Kysely<Database>, table: 'competence' | 'offer_competence' | 'offer' | 'audit_log'): Promise<number> {
	const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
	return Number(row.n);
}

describe.each(dialects)('competences on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	let imst: municipalities.Municipality;
	let tarrenz: municipalities.Municipality;
	let coordinatorImst: SessionUser;
	let coordinatorTarrenz: SessionUser;
	let platformAdmin: SessionUser;
	let club: { clubId: string; slug: string; admin: SessionUser };

	async function sessionUser(email: string, municipalityId?: string): Promise<SessionUser> {
		const { id } = await ensureUser(db, { email, name: email.split('@')[0]! }, t0);
		if (municipalityId) await addCoordinator(db, id, municipalityId, t0);
		return (await findSessionUser(db, id))!;
	}

	const slugsOf = async (municipalityId: string) => (await competences.list(db, [municipalityId], 'de')).map((c) => c.slug).sort();
	const idOf = async (municipalityId: string, slug: string) =>
		(await competences.list(db, [municipalityId], 'de')).find((c) => c.slug === slug)!.id;

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		imst = await municipalities.create(db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		tarrenz = await municipalities.create(db, { name: 'Tarrenz', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		coordinatorImst = await sessionUser('koordination@imst.example', imst.id);
		coordinatorTarrenz = await sessionUser('koordination@tarrenz.example', tarrenz.id);
		const admin = await ensureUser(db, { email: 'admin@miteinander.example', name: 'Admin', isPlatformAdmin: true }, t0);
		platformAdmin = (await findSessionUser(db, admin.id))!;
		const registered = await clubs.register(
			db,
			{
				name: 'Rotes Kreuz Imst',
				description: 'Rettungsdienst und mehr.',
				contactEmail: 'kontakt@rk-imst.example',
				contactPhone: '',
				website: '',
				tags: [],
				municipalityId: imst.id,
				logo: null,
				representative: { email: 'vorstand@rk-imst.example', name: 'Vorstand', locale: 'de' }
			},
			ctx,
			t0
		);
		if (!registered.ok) throw new Error(registered.problem);
		expect(await clubs.approve(db, platformAdmin, registered.clubId, ctx, t0)).toEqual({ ok: true });
		club = { clubId: registered.clubId, slug: registered.slug, admin: (await findSessionUser(db, registered.adminUserId))! };
	});
	afterAll(() => test.destroy());

	it('gives every new municipality the default list, in the reader’s language', async () => {
		const defaults = DEFAULT_COMPETENCES.map((c) => c.slug).sort();
		expect(await slugsOf(imst.id)).toEqual(defaults);
		expect(await slugsOf(tarrenz.id)).toEqual(defaults);
		const english = await competences.list(db, [imst.id], 'en');
		expect(english.find((c) => c.slug === 'erste-hilfe')?.label).toBe('First aid');
		expect(await competences.choices(db, [imst.id, tarrenz.id], 'de')).toHaveLength(defaults.length);
	});

	it('lets a coordinator edit only their own municipalities’ lists', async () => {
		const before = await count(db, 'competence');
		expect(await competences.add(db, coordinatorTarrenz, imst.id, { labelDe: 'Gebärdensprache', labelEn: '' }, t0)).toEqual({
			ok: false,
			problem: 'forbidden'
		});
		const firstAidImst = await idOf(imst.id, 'erste-hilfe');
		expect(await competences.rename(db, coordinatorTarrenz, firstAidImst, { labelDe: 'Sanität', labelEn: '' }, t0)).toEqual({
			ok: false,
			problem: 'forbidden'
		});
		expect(await competences.remove(db, coordinatorTarrenz, firstAidImst, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await competences.add(db, coordinatorImst, 'no-such-municipality', { labelDe: 'X', labelEn: '' }, t0)).toEqual({
			ok: false,
			problem: 'not_found'
		});
		expect(await count(db, 'competence')).toBe(before);

		const added = await competences.add(db, coordinatorImst, imst.id, { labelDe: ' Gebärdensprache ', labelEn: '' }, t0);
		expect(added).toMatchObject({ ok: true, label: 'Gebärdensprache' });
		const row = (await competences.list(db, [imst.id], 'en')).find((c) => c.labelDe === 'Gebärdensprache');
		expect(row).toMatchObject({ slug: 'gebaerdensprache', label: 'Gebärdensprache', labelEn: 'Gebärdensprache' });
		expect(await slugsOf(tarrenz.id)).not.toContain('gebaerdensprache');
		expect(await competences.add(db, coordinatorImst, imst.id, { labelDe: 'gebärdensprache', labelEn: '' }, t0)).toEqual({
			ok: false,
			problem: 'duplicate'
		});
		// A platform admin may edit any list.
		expect(await competences.add(db, platformAdmin, tarrenz.id, { labelDe: 'Imkerei', labelEn: 'Beekeeping' }, t0)).toMatchObject({ ok: true });
	});

	it('renames without changing the slug, so profiles and offers keep the competence', async () => {
		const id = await idOf(imst.id, 'handwerk');
		expect(await competences.rename(db, coordinatorImst, id, { labelDe: 'Handwerk und Reparaturen', labelEn: 'Repairs' }, t0)).toMatchObject({
			ok: true
		});
		const renamed = (await competences.list(db, [imst.id], 'en')).find((c) => c.id === id);
		expect(renamed).toMatchObject({ slug: 'handwerk', label: 'Repairs', labelDe: 'Handwerk und Reparaturen' });
		expect(await competences.rename(db, coordinatorImst, id, { labelDe: 'Erste Hilfe', labelEn: '' }, t0)).toEqual({ ok: false, problem: 'duplicate' });
		// The old label is free again: a new entry gets a numbered slug.
		const again = await competences.add(db, coordinatorImst, imst.id, { labelDe: 'Handwerk', labelEn: '' }, t0);
		expect(again.ok).toBe(true);
		expect(await slugsOf(imst.id)).toContain('handwerk-2');
	});

	it('lets an offer ask for its municipality’s competences and keeps the offer when one is removed', async () => {
		const refused = await offers.create(db, club.admin, club.clubId, { ...offerInput({ competences: ['imkerei'] }), status: 'published' }, t0);
		expect(refused).toEqual({ ok: false, problem: 'unknown_competence' });
		const created = await offers.create(
			db,
			club.admin,
			club.clubId,
			{ ...offerInput({ competences: ['erste-hilfe', 'gebaerdensprache'] }), status: 'published' },
			t0
		);
		if (!created.ok) throw new Error(created.problem);
		expect((await offers.find(db, club.admin, created.offerId))?.competences?.sort()).toEqual(['erste-hilfe', 'gebaerdensprache']);
		const firstAid = await idOf(imst.id, 'erste-hilfe');
		expect((await competences.usage(db, [firstAid])).get(firstAid)).toBe(1);
		const labels = await competences.ofOffers(db, [created.offerId], 'de');
		expect(labels.get(created.offerId)?.map((c) => c.label)).toEqual(['Erste Hilfe', 'Gebärdensprache']);

		// Editing without the field leaves them; with it, replaces them.
		expect(await offers.update(db, club.admin, created.offerId, offerInput({ title: 'Sanitätsdienst' }), t0)).toEqual({ ok: true });
		expect((await offers.find(db, club.admin, created.offerId))?.competences).toHaveLength(2);

		const offersBefore = await count(db, 'offer');
		expect(await competences.remove(db, coordinatorImst, firstAid, t0)).toMatchObject({ ok: true, label: 'Erste Hilfe' });
		expect(await count(db, 'offer')).toBe(offersBefore);
		expect((await offers.find(db, club.admin, created.offerId))?.competences).toEqual(['gebaerdensprache']);
		const page = await directory.clubPage(db, imst.slug, club.slug);
		expect(page?.offers.map((o) => o.id)).toContain(created.offerId);
		expect(await offers.update(db, club.admin, created.offerId, offerInput({ competences: [] }), t0)).toEqual({ ok: true });
		expect((await offers.find(db, club.admin, created.offerId))?.competences).toEqual([]);
		expect(await count(db, 'offer_competence')).toBe(0);
	});

	it('hands the wanted competences to the scoring, where a person who brings them scores higher', async () => {
		const created = await offers.create(db, club.admin, club.clubId, { ...offerInput({ title: 'Kochen beim Dorffest', competences: ['kochen'] }), status: 'published' }, t0);
		if (!created.ok) throw new Error(created.problem);
		const [host] = await loadHosts(db, { id: 'no-event', kind: 'round_table', hostIds: [imst.id] }, 6);
		const asking = host!.match.offers.find((o) => o.id === created.offerId);
		expect(asking?.competences).toEqual(['kochen']);
		expect(host!.match.offers.filter((o) => o.id !== created.offerId).every((o) => o.competences === undefined)).toBe(true);
		const person = { id: 'p', residency: 'resident', interests: {}, availability: [], presentMonths: [], languages: ['de'], homePlace: '', secondPlace: '' };
		const cook = score({ ...person, competences: ['kochen'] }, host!.match);
		expect(cook.offerId).toBe(created.offerId);
		expect(cook.reasons).toContainEqual({ code: 'competences', competences: ['kochen'] });
		expect(cook.value).toBeGreaterThan(score(person, host!.match).value);
	});

	it('names a municipality’s own competence by its label in the reasons that mails and calendar entries carry', async () => {
		const reasons = await reasonWriter(db, { hosts: [{ id: imst.id, name: 'Imst', slug: imst.slug, contactEmail: null }] });
		const reason = { code: 'competences' as const, competences: ['gebaerdensprache', 'erste-hilfe'] };
		expect(reasons('de')(reason)).toBe('Sie bringen mit: Gebärdensprache, Erste Hilfe – gesucht');
		expect(reasons('en')(reason)).toBe('You bring Gebärdensprache, First aid, which is wanted');
	});

	it('seeds the municipalities that exist when the migration runs, and rolls back and forward', async () => {
		const fresh = await createTestDatabase(dialect, false);
		try {
			await migrateTo(fresh.db, '2026-12-05T02-stall-opening-feedback-hiding');
			await fresh.db
				.insertInto('municipality')
				.values({ id: 'm-alt', slug: 'altgemeinde', name: 'Altgemeinde', country: 'AT', time_zone: 'Europe/Vienna', created_at: t0.toISOString() })
				.execute();
			await migrateToLatest(fresh.db);
			expect((await competences.list(fresh.db, ['m-alt'], 'de')).length).toBe(DEFAULT_COMPETENCES.length);
			await migrateTo(fresh.db, '2026-12-05T02-stall-opening-feedback-hiding');
			const names = (await fresh.db.introspection.getTables()).map((t) => t.name);
			expect(names).not.toContain('competence');
			expect(names).not.toContain('offer_competence');
			await migrateToLatest(fresh.db);
			expect(await count(fresh.db, 'competence')).toBe(DEFAULT_COMPETENCES.length);
		} finally {
			await fresh.destroy();
		}
	});
});
