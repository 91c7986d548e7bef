import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { migrateTo, migrateToLatest } from '../../src/lib/server/db/migrate';
import { addCoordinator, ensureUser, findSessionUser, findUserByEmail, type SessionUser } from '../../src/lib/server/auth/users';
import { DEMO_CLUB_MEMBER_EMAIL, seedDemo } from '../../src/lib/server/demo';
import { checkLoginToken } from '../../src/lib/server/auth/login-token';
import { sha256Hex, splitToken } from '../../src/lib/server/ids';
import * as municipalities from '../../src/lib/server/municipalities';
import * as clubs from '../../src/lib/server/clubs';
import * as members from '../../src/lib/server/clubs/members';
import * as offers from '../../src/lib/server/clubs/offers';
import * as directory from '../../src/lib/server/clubs/directory';
import * as forms from '../../src/lib/server/clubs/form';
import * as outbox from '../../src/lib/server/mail/outbox';
import { checkLogo, MAX_LOGO_BYTES } from '../../src/lib/server/clubs/logo';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { offerInput } from './fixtures';

const ctx = { origin: 'https://miteinander.example', locale: 'de' };
const t0 = new Date('2027-03-01T09:00:00.000Z');
const day = 86_400_000;

// A real 1×1 PNG.
const PNG = Uint8Array.from(
	Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
);
const TEXT_AS_PNG = new TextEncoder().encode('Das ist kein Bild, auch wenn die Datei logo.png heißt.\n');
function oversizedPng(): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(MAX_LOGO_BYTES + 1);
	bytes.set(PNG);
	return bytes;
}

function profile(name: string, over: Partial<clubs.ClubProfile> = {}): clubs.ClubProfile {
	return {
		name,
		description: `${name} stellt sich vor.`,
		contactEmail: 'kontakt@verein.example',
		contactPhone: '+43 5412 1234',
		website: 'https://verein.example/',
		tags: ['soziales'],
		...over
	};
}

const TABLES = ['club', 'club_tag', 'club_member', 'club_invitation', 'offer', 'offer_tag', 'user', 'outbox', 'audit_log', 'login_token'] as const;

/** Row counts of every table a club service may write: equal snapshots mean nothing changed. */
async function snapshot(db: Kysely<Database>) {
	const counts: Record<string, number> = {};
	for (const table of TABLES) {
		const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
		counts[table] = Number(row.n);
	}
	return counts;
}

describe.each(dialects)('clubs on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	let imst: municipalities.Municipality;
	let tarrenz: municipalities.Municipality;
	let coordinatorImst: SessionUser;
	let coordinatorTarrenz: SessionUser;
	let platformAdmin: SessionUser;

	async function sessionUser(email: string): Promise<SessionUser> {
		const { id } = await ensureUser(db, { email, name: email.split('@')[0]! }, t0);
		return (await findSessionUser(db, id))!;
	}

	/** Registers a club; returns its id and its first admin as a signed-in user. */
	async function register(name: string, municipalityId: string, email: string, over: Partial<clubs.ClubProfile> = {}) {
		const result = await clubs.register(
			db,
			{ ...profile(name, over), municipalityId, logo: null, representative: { email, name: `Vorstand ${name}`, locale: 'de' } },
			ctx,
			t0
		);
		if (!result.ok) throw new Error(`not registered: ${result.problem}`);
		return { clubId: result.clubId, slug: result.slug, admin: (await findSessionUser(db, result.adminUserId))! };
	}

	async function registerApproved(name: string, municipalityId: string, email: string, over: Partial<clubs.ClubProfile> = {}) {
		const club = await register(name, municipalityId, email, over);
		expect(await clubs.approve(db, platformAdmin, club.clubId, ctx, t0)).toEqual({ ok: true });
		return club;
	}

	async function addOffer(viewer: SessionUser, clubId: string, status: offers.OfferStatus, over: Partial<offers.OfferInput> = {}) {
		const created = await offers.create(db, viewer, clubId, { ...offerInput(over), status: 'draft' }, t0);
		if (!created.ok) throw new Error(`offer not created: ${created.problem}`);
		const path: Record<offers.OfferStatus, offers.OfferStatus[]> = {
			draft: [],
			published: ['published'],
			paused: ['published', 'paused'],
			archived: ['archived']
		};
		for (const step of path[status]) expect(await offers.setStatus(db, viewer, created.offerId, step, t0)).toEqual({ ok: true });
		return created.offerId;
	}

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		imst = await municipalities.create(db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		tarrenz = await municipalities.create(db, { name: 'Tarrenz', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		coordinatorImst = await sessionUser('koordination@imst.example');
		await addCoordinator(db, coordinatorImst.id, imst.id, t0);
		coordinatorImst = (await findSessionUser(db, coordinatorImst.id))!;
		coordinatorTarrenz = await sessionUser('koordination@tarrenz.example');
		await addCoordinator(db, coordinatorTarrenz.id, tarrenz.id, t0);
		coordinatorTarrenz = (await findSessionUser(db, coordinatorTarrenz.id))!;
		const admin = await ensureUser(db, { email: 'admin@miteinander.example', name: 'Admin', isPlatformAdmin: true }, t0);
		platformAdmin = (await findSessionUser(db, admin.id))!;
	});
	afterAll(() => test.destroy());

	it('registers a pending club: new admin account, tags, logo, sign-in mail, reviewers asked, audit', async () => {
		const result = await clubs.register(
			db,
			{
				...profile('Bergrettung  Imst ', { tags: ['rettung', 'sport'] }),
				municipalityId: imst.id,
				logo: PNG,
				representative: { email: ' Lukas@Bergrettung.example ', name: 'Lukas Berger', locale: 'de' }
			},
			ctx,
			t0
		);
		expect(result).toMatchObject({ ok: true, slug: 'bergrettung-imst', createdAccount: true });
		if (!result.ok) return;

		const row = await db.selectFrom('club').selectAll().where('id', '=', result.clubId).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ name: 'Bergrettung Imst', name_key: 'bergrettungimst', status: 'pending', logo_content_type: 'image/png', created_by: result.adminUserId });
		expect(Buffer.from(row.logo!, 'base64').equals(Buffer.from(PNG))).toBe(true);
		const admin = (await findSessionUser(db, result.adminUserId))!;
		expect(admin.email).toBe('lukas@bergrettung.example');
		expect(await members.listForUser(db, admin.id)).toEqual([
			{ id: result.clubId, name: 'Bergrettung Imst', slug: 'bergrettung-imst', status: 'pending', role: 'admin', municipality: { slug: 'imst', name: 'Imst' } }
		]);
		expect((await clubs.find(db, admin, result.clubId))?.tags).toEqual(['rettung', 'sport']);

		const mails = await db.selectFrom('outbox').select(['id', 'recipient', 'template', 'text_body']).where('text_body', 'like', '%Bergrettung Imst%').execute();
		expect(mails.map((m) => [m.template, m.recipient]).sort()).toEqual([
			['club-registered', 'lukas@bergrettung.example'],
			['club-submitted', 'koordination@imst.example']
		]);
		const signIn = /\/sign-in\/link\?token=([a-z2-7.]+)&redirectTo=%2Fclub/.exec(mails.find((m) => m.template === 'club-registered')!.text_body);
		expect(signIn).not.toBeNull();
		expect(await checkLoginToken(db, signIn![1]!, t0)).toEqual({ ok: true, userId: admin.id });
		// The coordinator reads the municipality's mail, but not the one that signs the club in.
		expect(await outbox.find(db, coordinatorImst, mails.find((m) => m.template === 'club-submitted')!.id)).not.toBeNull();
		expect(await outbox.find(db, coordinatorImst, mails.find((m) => m.template === 'club-registered')!.id)).toBeNull();

		const entry = await db.selectFrom('audit_log').select(['action', 'actor_user_id', 'municipality_id']).where('entity_id', '=', result.clubId).executeTakeFirstOrThrow();
		expect(entry).toEqual({ action: 'club.registered', actor_user_id: admin.id, municipality_id: imst.id });

		// Pending: visible to its admin and the Imst coordinator, not to Tarrenz's or the public.
		expect((await clubs.find(db, coordinatorImst, result.clubId))?.viewer).toEqual({ role: null, canEdit: false, canManageMembers: false, canReview: true });
		expect(await clubs.find(db, coordinatorTarrenz, result.clubId)).toBeNull();
		expect(await clubs.find(db, null, result.clubId)).toBeNull();
		expect((await clubs.listForReview(db, coordinatorImst)).map((c) => c.name)).toContain('Bergrettung Imst');
		expect((await clubs.listForReview(db, coordinatorTarrenz)).map((c) => c.name)).not.toContain('Bergrettung Imst');
	});

	it('refuses a duplicate name in the municipality, also in other case and spacing, and writes nothing', async () => {
		await register('Tarrenzer Tafel', tarrenz.id, 'tafel@tarrenz.example');
		const before = await snapshot(db);
		for (const name of ['Tarrenzer Tafel', 'tarrenzer   TAFEL', ' TarrenzerTafel ']) {
			const result = await clubs.register(
				db,
				{ ...profile(name), municipalityId: tarrenz.id, logo: PNG, representative: { email: 'neu@tafel.example', name: 'Neu', locale: 'de' } },
				ctx,
				t0
			);
			expect(result).toEqual({ ok: false, problem: 'duplicate_name' });
		}
		expect(await snapshot(db)).toEqual(before);
		expect(await db.selectFrom('user').select('id').where('email', '=', 'neu@tafel.example').executeTakeFirst()).toBeUndefined();

		// The same name is fine in another municipality; a name that only shares the slug gets its own.
		expect((await register('Tarrenzer Tafel', imst.id, 'tafel@imst.example')).slug).toBe('tarrenzer-tafel');
		expect((await register('Tarrenzer-Tafel', tarrenz.id, 'bindestrich@tarrenz.example')).slug).toBe('tarrenzer-tafel-2');

		// Renaming onto another club's name is refused the same way.
		const other = await register('Musikkapelle Tarrenz', tarrenz.id, 'musik@tarrenz.example');
		const beforeRename = await snapshot(db);
		expect(await clubs.update(db, other.admin, other.clubId, profile('TARRENZER tafel'), ctx, t0)).toEqual({ ok: false, problem: 'duplicate_name' });
		expect(await snapshot(db)).toEqual(beforeRename);
		expect((await clubs.find(db, other.admin, other.clubId))?.name).toBe('Musikkapelle Tarrenz');
		// Its own name in another spelling is no conflict.
		expect(await clubs.update(db, other.admin, other.clubId, profile('Musikkapelle  TARRENZ'), ctx, t0)).toEqual({ ok: true, resubmitted: false });
	});

	it('checks logos by their bytes: a PNG is taken, a text file named .png and an oversized image are not', async () => {
		expect(checkLogo(PNG)).toMatchObject({ ok: true, logo: { contentType: 'image/png' } });
		expect(checkLogo(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toMatchObject({ ok: true, logo: { contentType: 'image/jpeg' } });
		expect(checkLogo(new TextEncoder().encode('RIFF\x24\0\0\0WEBPVP8 '))).toMatchObject({ ok: true, logo: { contentType: 'image/webp' } });
		expect(checkLogo(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({ ok: false, problem: 'logo_not_image' });
		expect(checkLogo(TEXT_AS_PNG)).toEqual({ ok: false, problem: 'logo_not_image' });
		expect(checkLogo(oversizedPng())).toEqual({ ok: false, problem: 'logo_too_large' });

		const before = await snapshot(db);
		for (const [logo, problem] of [
			[TEXT_AS_PNG, 'logo_not_image'],
			[oversizedPng(), 'logo_too_large']
		] as const) {
			const result = await clubs.register(
				db,
				{ ...profile('Fotoclub Imst'), municipalityId: imst.id, logo, representative: { email: 'foto@imst.example', name: 'Foto', locale: 'de' } },
				ctx,
				t0
			);
			expect(result).toEqual({ ok: false, problem });
		}
		expect(await snapshot(db)).toEqual(before);

		const club = await register('Fotoclub Imst', imst.id, 'foto@imst.example');
		expect(await clubs.setLogo(db, club.admin, club.clubId, TEXT_AS_PNG, t0)).toEqual({ ok: false, problem: 'logo_not_image' });
		expect(await clubs.getLogo(db, club.admin, club.clubId)).toBeNull();
		expect(await clubs.setLogo(db, club.admin, club.clubId, PNG, t0)).toEqual({ ok: true });
		const logo = await clubs.getLogo(db, club.admin, club.clubId);
		expect(logo?.contentType).toBe('image/png');
		expect(Buffer.from(logo!.bytes).equals(Buffer.from(PNG))).toBe(true);
		expect(logo?.sha256).toBe((await clubs.find(db, club.admin, club.clubId))?.logoVersion);
		// The public sees the logo only once the club is approved.
		expect(await clubs.getLogo(db, null, club.clubId)).toBeNull();
		await clubs.approve(db, coordinatorImst, club.clubId, ctx, t0);
		expect((await clubs.getLogo(db, null, club.clubId))?.contentType).toBe('image/png');
		expect(await clubs.setLogo(db, club.admin, club.clubId, null, t0)).toEqual({ ok: true });
		expect(await clubs.getLogo(db, club.admin, club.clubId)).toBeNull();
	});

	it('lets only a coordinator of the municipality or a platform admin approve or reject', async () => {
		const club = await register('Schützenkompanie Imst', imst.id, 'schuetzen@imst.example');
		const before = await snapshot(db);
		expect(await clubs.approve(db, coordinatorTarrenz, club.clubId, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await clubs.approve(db, club.admin, club.clubId, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await clubs.approve(db, null, club.clubId, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await clubs.reject(db, coordinatorTarrenz, club.clubId, 'nein', ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await clubs.approve(db, coordinatorImst, 'no-such-club', ctx, t0)).toEqual({ ok: false, problem: 'not_found' });
		expect(await snapshot(db)).toEqual(before);

		expect(await clubs.approve(db, coordinatorImst, club.clubId, ctx, t0)).toEqual({ ok: true });
		expect(await clubs.approve(db, coordinatorImst, club.clubId, ctx, t0)).toEqual({ ok: false, problem: 'not_pending' });
		expect(await clubs.reject(db, coordinatorImst, club.clubId, 'zu spät', ctx, t0)).toEqual({ ok: false, problem: 'not_pending' });
		const approved = (await clubs.find(db, club.admin, club.clubId))!;
		expect(approved.status).toBe('approved');
		expect(approved.approvedAt?.toISOString()).toBe(t0.toISOString());
		const mail = await db.selectFrom('outbox').select(['recipient', 'subject']).where('template', '=', 'club-approved').where('recipient', '=', 'schuetzen@imst.example').execute();
		expect(mail).toEqual([{ recipient: 'schuetzen@imst.example', subject: 'Ihr Verein ist freigeschaltet: Schützenkompanie Imst' }]);

		// Rejected with a reason; saving the profile again resubmits it; a platform admin may decide too.
		const second = await register('Theatergruppe Tarrenz', tarrenz.id, 'theater@tarrenz.example');
		expect(await clubs.reject(db, coordinatorTarrenz, second.clubId, 'Bitte Kontaktadresse des Vereins angeben.', ctx, t0)).toEqual({ ok: true });
		const rejected = (await clubs.find(db, second.admin, second.clubId))!;
		expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: 'Bitte Kontaktadresse des Vereins angeben.' });
		const rejection = await db.selectFrom('outbox').select('text_body').where('template', '=', 'club-rejected').where('recipient', '=', 'theater@tarrenz.example').executeTakeFirstOrThrow();
		expect(rejection.text_body).toContain('Begründung: Bitte Kontaktadresse des Vereins angeben.');
		const asked = async () =>
			(await db.selectFrom('outbox').select('id').where('template', '=', 'club-submitted').where('recipient', '=', 'koordination@tarrenz.example').where('text_body', 'like', '%Theatergruppe%').execute()).length;
		expect(await asked()).toBe(1);
		const later = new Date(t0.getTime() + 60_000);
		expect(await clubs.update(db, second.admin, second.clubId, profile('Theatergruppe Tarrenz', { contactEmail: 'theater@verein.example' }), ctx, later)).toEqual({ ok: true, resubmitted: true });
		expect((await clubs.find(db, second.admin, second.clubId))).toMatchObject({ status: 'pending', rejectionReason: null });
		expect(await asked()).toBe(2);
		expect(await clubs.approve(db, platformAdmin, second.clubId, ctx, later)).toEqual({ ok: true });
	});

	it('the public directory shows approved clubs and their published offers only', async () => {
		const open = await registerApproved('Offene Werkstatt Imst', imst.id, 'werkstatt@imst.example', { tags: ['digitales'] });
		const published = await addOffer(open.admin, open.clubId, 'published', { title: 'Reparieren im Repair-Café' });
		await addOffer(open.admin, open.clubId, 'draft', { title: 'Entwurf: Lötkurs' });
		await addOffer(open.admin, open.clubId, 'paused', { title: 'Pausiert: Fahrradwerkstatt' });
		await addOffer(open.admin, open.clubId, 'archived', { title: 'Archiv: Adventbasteln' });
		const pending = await register('Imster Lesepaten', imst.id, 'lesen@imst.example', { tags: ['digitales'] });
		await addOffer(pending.admin, pending.clubId, 'published', { title: 'Vorlesen in der Bücherei' });

		const all = await directory.search(db, { tag: 'digitales', page: 1, pageSize: 50 });
		expect(all.items.map((c) => c.name)).toEqual(['Offene Werkstatt Imst']);
		expect(all.items[0]!.offers.map((o) => o.title)).toEqual(['Reparieren im Repair-Café']);
		const region = await directory.search(db, { page: 1, pageSize: 100 });
		expect(region.items.map((c) => c.name)).not.toContain('Imster Lesepaten');
		expect(region.items.flatMap((c) => c.offers.map((o) => o.title))).toEqual(['Reparieren im Repair-Café']);

		expect(await directory.clubPage(db, 'imst', pending.slug)).toBeNull();
		expect(await directory.clubPage(db, 'tarrenz', open.slug)).toBeNull();
		const page = (await directory.clubPage(db, 'imst', open.slug))!;
		expect(page).toMatchObject({ name: 'Offene Werkstatt Imst', contactEmail: 'kontakt@verein.example', municipality: { slug: 'imst', name: 'Imst' }, tags: ['digitales'] });
		expect(page.offers.map((o) => o.id)).toEqual([published]);

		// A paused offer leaves the directory; with an offer filter the club has nothing left to show.
		expect(await offers.setStatus(db, open.admin, published, 'paused', t0)).toEqual({ ok: true });
		expect((await directory.clubPage(db, 'imst', open.slug))!.offers).toEqual([]);
		expect((await directory.search(db, { tag: 'digitales', page: 1, pageSize: 50 })).items.map((c) => c.name)).toEqual(['Offene Werkstatt Imst']);
		expect((await directory.search(db, { tag: 'digitales', commitment: 'regular', page: 1, pageSize: 50 })).items).toEqual([]);
	});

	it('filters by tag, municipality, commitment, multilocal and language, searches text and pages', async () => {
		const kultur = await registerApproved('Kulturverein Gurgltal', tarrenz.id, 'kultur@gurgltal.example', { tags: ['kultur'], description: 'Theater, Lesungen und Übungsabende für den Chor.' });
		await addOffer(kultur.admin, kultur.clubId, 'published', { title: 'Bühnenbau', commitment: 'occasional', tags: ['kultur'], languages: ['de', 'en'], suitsMultilocal: true, place: 'Gemeindesaal Tarrenz' });
		await addOffer(kultur.admin, kultur.clubId, 'published', { title: 'Kassa beim Konzert', commitment: 'one_off', tags: ['freizeit'], languages: ['de'] });
		const chor = await registerApproved('Kirchenchor Imst', imst.id, 'chor@imst.example', { tags: ['kirche', 'kultur'] });
		await addOffer(chor.admin, chor.clubId, 'published', { title: 'Mitsingen im Projektchor', commitment: 'regular', tags: ['kultur'], languages: ['de', 'uk'], inEvenings: true });
		const names = async (filter: Omit<directory.DirectoryFilter, 'page' | 'pageSize'>) =>
			(await directory.search(db, { ...filter, page: 1, pageSize: 100 })).items.map((c) => [c.name, c.offers.map((o) => o.title)]);

		expect(await names({ tag: 'kultur' })).toEqual([
			['Kirchenchor Imst', ['Mitsingen im Projektchor']],
			// The club has the tag, so all its offers match.
			['Kulturverein Gurgltal', ['Bühnenbau', 'Kassa beim Konzert']]
		]);
		expect(await names({ tag: 'freizeit' })).toEqual([['Kulturverein Gurgltal', ['Kassa beim Konzert']]]);
		expect(await names({ tag: 'kultur', municipality: 'imst' })).toEqual([['Kirchenchor Imst', ['Mitsingen im Projektchor']]]);
		expect(await names({ tag: 'kultur', commitment: 'one_off' })).toEqual([['Kulturverein Gurgltal', ['Kassa beim Konzert']]]);
		expect(await names({ suitsMultilocal: true })).toEqual([['Kulturverein Gurgltal', ['Bühnenbau']]]);
		expect(await names({ language: 'uk' })).toEqual([['Kirchenchor Imst', ['Mitsingen im Projektchor']]]);
		expect(await names({ language: 'en', tag: 'kultur' })).toEqual([['Kulturverein Gurgltal', ['Bühnenbau']]]);
		expect(await names({ language: 'en', municipality: 'imst' })).toEqual([]);

		// Text: in the offer (place too), or in the club, case-insensitive also for umlauts.
		expect(await names({ query: 'GEMEINDESAAL' })).toEqual([['Kulturverein Gurgltal', ['Bühnenbau']]]);
		expect(await names({ query: 'übungsabende' })).toEqual([['Kulturverein Gurgltal', ['Bühnenbau', 'Kassa beim Konzert']]]);
		expect(await names({ query: 'PROJEKTCHOR', tag: 'kirche' })).toEqual([['Kirchenchor Imst', ['Mitsingen im Projektchor']]]);
		expect(await names({ query: '%' })).toEqual([]);
		expect(await names({ query: 'Bühnenbau', commitment: 'regular' })).toEqual([]);

		const first = await directory.search(db, { tag: 'kultur', page: 1, pageSize: 1 });
		const second = await directory.search(db, { tag: 'kultur', page: 2, pageSize: 1 });
		expect([first.total, second.total]).toEqual([2, 2]);
		expect([...first.items, ...second.items].map((c) => c.name)).toEqual(['Kirchenchor Imst', 'Kulturverein Gurgltal']);
		expect((await directory.search(db, { tag: 'kultur', page: 3, pageSize: 1 })).items).toEqual([]);
	});

	it('counts approved clubs and published offers per tag and municipality for coordinators', async () => {
		const rescue = await registerApproved('Freiwillige Feuerwehr Tarrenz', tarrenz.id, 'ff@tarrenz.example', { tags: ['rettung'] });
		await addOffer(rescue.admin, rescue.clubId, 'published', { title: 'Jugendfeuerwehr', tags: ['rettung', 'kinder-jugend'] });
		await addOffer(rescue.admin, rescue.clubId, 'published', { title: 'Atemschutz', tags: ['rettung'] });
		await addOffer(rescue.admin, rescue.clubId, 'draft', { title: 'Entwurf', tags: ['rettung'] });
		const pending = await register('Wasserrettung Tarrenz', tarrenz.id, 'wasser@tarrenz.example', { tags: ['rettung'] });
		await addOffer(pending.admin, pending.clubId, 'published', { title: 'Schwimmkurs', tags: ['rettung'] });

		const tarrenzView = await directory.countsByTagAndMunicipality(db, coordinatorTarrenz);
		expect(tarrenzView.ok).toBe(true);
		if (!tarrenzView.ok) return;
		expect(tarrenzView.municipalities.map((m) => m.name)).toEqual(['Tarrenz']);
		const cell = (tag: string) => tarrenzView.rows.find((r) => r.tag === tag)!.byMunicipality[tarrenz.id];
		expect(cell('rettung')).toEqual({ clubs: 1, offers: 2 });
		expect(cell('kinder-jugend')).toEqual({ clubs: 0, offers: 1 });
		expect(cell('tiere')).toEqual({ clubs: 0, offers: 0 });
		expect(tarrenzView.rows.map((r) => r.tag)).toContain('umwelt');

		const imstView = await directory.countsByTagAndMunicipality(db, coordinatorImst);
		expect(imstView.ok && imstView.municipalities.map((m) => m.name)).toEqual(['Imst']);
		expect(imstView.ok && Object.keys(imstView.rows[0]!.byMunicipality)).toEqual([imst.id]);
		const everything = await directory.countsByTagAndMunicipality(db, platformAdmin);
		expect(everything.ok && everything.municipalities.map((m) => m.name)).toEqual(['Imst', 'Tarrenz']);
		expect(await directory.countsByTagAndMunicipality(db, null)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await directory.countsByTagAndMunicipality(db, rescue.admin)).toEqual({ ok: false, problem: 'forbidden' });
	});

	it('invites by email: only the hash is stored, it expires, members are not invited twice, and it is accepted once', async () => {
		const club = await register('Alpenverein Imst', imst.id, 'alpen@imst.example');
		expect(await members.invite(db, club.admin, club.clubId, { email: ' Anna@Example.org ', name: 'Anna' }, ctx, t0)).toMatchObject({ ok: true });
		const mail = await db.selectFrom('outbox').select(['recipient', 'text_body', 'subject']).where('template', '=', 'club-invitation').where('recipient', '=', 'anna@example.org').executeTakeFirstOrThrow();
		expect(mail.subject).toBe('Einladung in den Verein Alpenverein Imst');
		const token = /\/club\/invitations\/([a-z2-7]+\.[a-z2-7]+)/.exec(mail.text_body)![1]!;
		const { id, secret } = splitToken(token)!;
		const row = await db.selectFrom('club_invitation').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ club_id: club.clubId, email: 'anna@example.org', secret_hash: sha256Hex(secret), invited_by: club.admin.id, accepted_at: null });
		expect(JSON.stringify(row)).not.toContain(secret);
		expect((await outbox.list(db, coordinatorImst, { page: 1, pageSize: 500 })).items.map((m) => m.recipient)).not.toContain('anna@example.org');
		const anna = (await findSessionUser(db, (await db.selectFrom('user').select('id').where('email', '=', 'anna@example.org').executeTakeFirstOrThrow()).id))!;

		// Already a member: refused with nothing written.
		const before = await snapshot(db);
		expect(await members.invite(db, club.admin, club.clubId, { email: 'ALPEN@imst.example' }, ctx, t0)).toEqual({ ok: false, problem: 'already_member' });
		expect(await snapshot(db)).toEqual(before);

		expect(await members.checkInvitation(db, token, t0)).toEqual({ ok: true, invitation: { id, clubId: club.clubId, clubName: 'Alpenverein Imst', email: 'anna@example.org' } });
		expect(await members.accept(db, `${id}.${'a'.repeat(24)}`, anna, t0)).toEqual({ ok: false, problem: 'invalid' });
		expect(await members.accept(db, 'nonsense', anna, t0)).toEqual({ ok: false, problem: 'invalid' });
		expect(await members.accept(db, token, coordinatorImst, t0)).toEqual({ ok: false, problem: 'wrong_account' });
		expect(await members.accept(db, token, anna, new Date(t0.getTime() + members.INVITATION_LIFETIME_DAYS * day))).toEqual({ ok: false, problem: 'expired' });
		expect(await members.listForUser(db, anna.id)).toEqual([]);

		expect(await members.accept(db, token, anna, new Date(t0.getTime() + day))).toEqual({ ok: true, clubId: club.clubId });
		expect(await members.accept(db, token, anna, new Date(t0.getTime() + day))).toEqual({ ok: false, problem: 'used' });
		expect((await members.listForUser(db, anna.id)).map((c) => [c.name, c.role])).toEqual([['Alpenverein Imst', 'member']]);
		const listed = await members.list(db, club.admin, club.clubId, t0);
		expect(listed.ok && listed.members.map((m) => [m.email, m.role])).toEqual([
			['alpen@imst.example', 'admin'],
			['anna@example.org', 'member']
		]);
		expect(await members.invite(db, club.admin, club.clubId, { email: 'anna@example.org' }, ctx, t0)).toEqual({ ok: false, problem: 'already_member' });
		// A plain member may not invite.
		expect(await members.invite(db, anna, club.clubId, { email: 'ben@example.org' }, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });

		// Inviting again replaces the open invitation; the old link stops working; an admin can revoke.
		await members.invite(db, club.admin, club.clubId, { email: 'ben@example.org' }, ctx, t0);
		const firstBen = await db.selectFrom('club_invitation').select('id').where('email', '=', 'ben@example.org').executeTakeFirstOrThrow();
		const again = await members.invite(db, club.admin, club.clubId, { email: 'ben@example.org' }, ctx, t0);
		expect(again.ok).toBe(true);
		const open = await members.list(db, club.admin, club.clubId, t0);
		expect(open.ok && open.invitations.map((i) => i.email)).toEqual(['ben@example.org']);
		expect(open.ok && open.invitations[0]!.id).not.toBe(firstBen.id);
		expect(await members.revokeInvitation(db, club.admin, club.clubId, firstBen.id, t0)).toEqual({ ok: false, problem: 'invitation_not_found' });
		expect(await members.revokeInvitation(db, club.admin, club.clubId, again.ok ? again.invitationId : '', t0)).toEqual({ ok: true });
		const none = await members.list(db, club.admin, club.clubId, t0);
		expect(none.ok && none.invitations).toEqual([]);
	});

	it('removes members and roles but never the last admin', async () => {
		const club = await register('Imster Tafel', imst.id, 'tafel-admin@imst.example');
		const join = async (email: string) => {
			await members.invite(db, club.admin, club.clubId, { email }, ctx, t0);
			const mail = await db.selectFrom('outbox').select('text_body').where('template', '=', 'club-invitation').where('recipient', '=', email).executeTakeFirstOrThrow();
			const user = await sessionUser(email);
			expect(await members.accept(db, /\/club\/invitations\/([a-z2-7.]+)/.exec(mail.text_body)![1]!, user, t0)).toMatchObject({ ok: true });
			return user;
		};
		const carla = await join('carla@example.org');
		const dora = await join('dora@example.org');

		expect(await members.remove(db, club.admin, club.clubId, club.admin.id, t0)).toEqual({ ok: false, problem: 'last_admin' });
		expect(await members.setRole(db, club.admin, club.clubId, club.admin.id, 'member', t0)).toEqual({ ok: false, problem: 'last_admin' });
		expect(await members.remove(db, carla, club.clubId, dora.id, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await members.setRole(db, carla, club.clubId, carla.id, 'admin', t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await members.remove(db, club.admin, club.clubId, coordinatorImst.id, t0)).toEqual({ ok: false, problem: 'not_member' });

		expect(await members.remove(db, club.admin, club.clubId, dora.id, t0)).toEqual({ ok: true });
		expect(await clubs.find(db, dora, club.clubId)).toBeNull();
		expect(await offers.create(db, dora, club.clubId, { ...offerInput(), status: 'draft' }, t0)).toEqual({ ok: false, problem: 'forbidden' });

		expect(await members.setRole(db, club.admin, club.clubId, carla.id, 'admin', t0)).toEqual({ ok: true });
		// With a second admin the first may step down or leave.
		expect(await members.remove(db, club.admin, club.clubId, club.admin.id, t0)).toEqual({ ok: true });
		expect(await members.remove(db, carla, club.clubId, carla.id, t0)).toEqual({ ok: false, problem: 'last_admin' });
		const left = await members.list(db, carla, club.clubId, t0);
		expect(left.ok && left.members.map((m) => [m.email, m.role])).toEqual([['carla@example.org', 'admin']]);
		const actions = await db.selectFrom('audit_log').select('action').where('entity_id', '=', club.clubId).orderBy('action').execute();
		expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['club.member_left', 'club.member_removed', 'club.member_role_changed']));
	});

	it('a user in two clubs sees both and has each club’s rights only there', async () => {
		const first = await register('Eisschützen Imst', imst.id, 'eva@example.org');
		const second = await clubs.register(
			db,
			{ ...profile('Obst- und Gartenbauverein Tarrenz'), municipalityId: tarrenz.id, logo: null, representative: { email: 'EVA@example.org', name: 'Eva', locale: 'de' } },
			ctx,
			t0
		);
		expect(second).toMatchObject({ ok: true, adminUserId: first.admin.id, createdAccount: false });
		const third = await register('Krippenverein Imst', imst.id, 'krippe@imst.example');
		await members.invite(db, third.admin, third.clubId, { email: 'eva@example.org' }, ctx, t0);
		const mail = await db.selectFrom('outbox').select('text_body').where('template', '=', 'club-invitation').where('recipient', '=', 'eva@example.org').executeTakeFirstOrThrow();
		expect(await members.accept(db, /\/club\/invitations\/([a-z2-7.]+)/.exec(mail.text_body)![1]!, first.admin, t0)).toMatchObject({ ok: true });

		const mine = await members.listForUser(db, first.admin.id);
		expect(mine.map((c) => [c.name, c.role, c.municipality.name])).toEqual([
			['Eisschützen Imst', 'admin', 'Imst'],
			['Krippenverein Imst', 'member', 'Imst'],
			['Obst- und Gartenbauverein Tarrenz', 'admin', 'Tarrenz']
		]);
		expect(await members.invite(db, first.admin, third.clubId, { email: 'x@example.org' }, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await offers.create(db, first.admin, third.clubId, { ...offerInput({ title: 'Krippen bauen' }), status: 'draft' }, t0)).toMatchObject({ ok: true });
		expect((await clubs.find(db, first.admin, third.clubId))?.viewer).toEqual({ role: 'member', canEdit: true, canManageMembers: false, canReview: false });
	});

	it('offers: created, edited, published, paused, archived and restored as the transitions allow', async () => {
		const club = await register('Sportunion Imst', imst.id, 'sport@imst.example');
		const created = await offers.create(
			db,
			club.admin,
			club.clubId,
			{
				...offerInput({
					title: 'Übungsleitung Kinderturnen',
					commitment: 'regular',
					onWeekdays: true,
					inEvenings: true,
					months: [10, 3, 3, 11],
					languages: ['de', 'en'],
					minimumAge: 16,
					suitsMultilocal: true,
					capacity: 2,
					tags: ['sport', 'kinder-jugend']
				}),
				status: 'draft'
			},
			t0
		);
		expect(created.ok).toBe(true);
		if (!created.ok) return;
		const offerId = created.offerId;
		expect(await offers.find(db, club.admin, offerId)).toMatchObject({
			title: 'Übungsleitung Kinderturnen',
			status: 'draft',
			onWeekdays: true,
			onWeekends: false,
			inEvenings: true,
			months: [3, 10, 11],
			languages: ['de', 'en'],
			minimumAge: 16,
			suitsMultilocal: true,
			capacity: 2,
			tags: ['kinder-jugend', 'sport']
		});

		expect(await offers.update(db, club.admin, offerId, offerInput({ title: 'Kinderturnen', isRemote: true, place: '', tags: ['sport'] }), t0)).toEqual({ ok: true });
		expect(await offers.find(db, club.admin, offerId)).toMatchObject({ title: 'Kinderturnen', isRemote: true, capacity: null, minimumAge: null, tags: ['sport'] });
		const before = await snapshot(db);
		expect(await offers.update(db, club.admin, offerId, offerInput({ tags: ['no-such-tag'] }), t0)).toEqual({ ok: false, problem: 'unknown_tag' });
		expect(await offers.setStatus(db, club.admin, offerId, 'paused', t0)).toEqual({ ok: false, problem: 'invalid_transition' });
		expect(await offers.update(db, club.admin, 'no-such-offer', offerInput(), t0)).toEqual({ ok: false, problem: 'not_found' });
		expect(await snapshot(db)).toEqual(before);

		for (const status of ['published', 'paused', 'published', 'archived'] as const) {
			expect(await offers.setStatus(db, club.admin, offerId, status, t0)).toEqual({ ok: true });
		}
		expect(await offers.update(db, club.admin, offerId, offerInput(), t0)).toEqual({ ok: false, problem: 'archived' });
		expect(await offers.setStatus(db, club.admin, offerId, 'published', t0)).toEqual({ ok: false, problem: 'invalid_transition' });
		const listed = await offers.listForClub(db, club.admin, club.clubId);
		expect(listed.ok && listed.offers).toEqual([]);
		const withArchive = await offers.listForClub(db, club.admin, club.clubId, { includeArchived: true });
		expect(withArchive.ok && withArchive.offers.map((o) => o.status)).toEqual(['archived']);
		expect(await offers.setStatus(db, club.admin, offerId, 'draft', t0)).toEqual({ ok: true });
		const history = await db.selectFrom('audit_log').select('details').where('entity_id', '=', offerId).where('action', '=', 'offer.status_changed').execute();
		// All at t0, so the log has no order to read back: compare the transitions as a set with counts.
		expect(history.map((h) => JSON.parse(h.details!).to).sort()).toEqual(['archived', 'draft', 'paused', 'published', 'published']);
	});

	it('refuses every change to a member of another club, a coordinator of another municipality and the public', async () => {
		const club = await register('Bergrettung Tarrenz', tarrenz.id, 'br@tarrenz.example');
		const offerId = await addOffer(club.admin, club.clubId, 'published');
		await members.invite(db, club.admin, club.clubId, { email: 'helga@example.org' }, ctx, t0);
		const invitation = await db.selectFrom('club_invitation').select('id').where('club_id', '=', club.clubId).executeTakeFirstOrThrow();
		const otherClub = await register('Imster Schachklub', imst.id, 'schach@imst.example');

		const changes: [string, (viewer: SessionUser | null) => Promise<{ ok: boolean; problem?: string }>][] = [
			['update', (v) => clubs.update(db, v, club.clubId, profile('Gekapert'), ctx, t0)],
			['setLogo', (v) => clubs.setLogo(db, v, club.clubId, PNG, t0)],
			['removeLogo', (v) => clubs.setLogo(db, v, club.clubId, null, t0)],
			['approve', (v) => clubs.approve(db, v, club.clubId, ctx, t0)],
			['reject', (v) => clubs.reject(db, v, club.clubId, 'nein', ctx, t0)],
			['invite', (v) => members.invite(db, v, club.clubId, { email: 'fremd@example.org' }, ctx, t0)],
			['revokeInvitation', (v) => members.revokeInvitation(db, v, club.clubId, invitation.id, t0)],
			['remove', (v) => members.remove(db, v, club.clubId, club.admin.id, t0)],
			['setRole', (v) => members.setRole(db, v, club.clubId, club.admin.id, 'member', t0)],
			['createOffer', (v) => offers.create(db, v, club.clubId, { ...offerInput(), status: 'published' }, t0)],
			['updateOffer', (v) => offers.update(db, v, offerId, offerInput({ title: 'Gekapert' }), t0)],
			['pauseOffer', (v) => offers.setStatus(db, v, offerId, 'paused', t0)],
			['archiveOffer', (v) => offers.setStatus(db, v, offerId, 'archived', t0)]
		];
		const outsiders: [string, SessionUser | null][] = [
			['member of another club', otherClub.admin],
			['coordinator of another municipality', coordinatorImst],
			['anonymous', null]
		];
		const before = await snapshot(db);
		for (const [who, viewer] of outsiders) {
			for (const [name, change] of changes) {
				expect({ who, name, result: await change(viewer) }).toEqual({ who, name, result: { ok: false, problem: 'forbidden' } });
			}
			expect(await clubs.find(db, viewer, club.clubId)).toBeNull();
			expect(await offers.find(db, viewer, offerId)).toBeNull();
			expect(await members.list(db, viewer, club.clubId, t0)).toEqual({ ok: false, problem: 'forbidden' });
			expect(await offers.listForClub(db, viewer, club.clubId)).toEqual({ ok: false, problem: 'forbidden' });
		}
		expect(await snapshot(db)).toEqual(before);
		expect((await clubs.find(db, club.admin, club.clubId))?.name).toBe('Bergrettung Tarrenz');

		// The club's own coordinator reviews and reads, but does not edit the club's data.
		expect(await clubs.update(db, coordinatorTarrenz, club.clubId, profile('Gekapert'), ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await offers.setStatus(db, coordinatorTarrenz, offerId, 'paused', t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect((await offers.listForClub(db, coordinatorTarrenz, club.clubId)).ok).toBe(true);
		expect(await members.list(db, coordinatorTarrenz, club.clubId, t0)).toEqual({ ok: false, problem: 'forbidden' });
	});

	it('seeds two approved demo clubs with published offers; the demo club account administers one', async () => {
		const fresh = await createTestDatabase(dialect);
		try {
			expect(await seedDemo(fresh.db, t0, ctx.origin)).toBe(true);
			const found = await directory.search(fresh.db, { page: 1, pageSize: 10 });
			expect(found.items.map((c) => [c.name, c.municipality.name, c.offers.length])).toEqual([
				['Bergrettung Imst', 'Imst', 2],
				['Tarrenzer Tafel', 'Tarrenz', 2]
			]);
			expect((await directory.search(fresh.db, { suitsMultilocal: true, municipality: 'tarrenz', page: 1, pageSize: 10 })).total).toBe(1);
			const member = (await findUserByEmail(fresh.db, DEMO_CLUB_MEMBER_EMAIL))!;
			expect(member.name).toBe('Josef Vereinsmitglied');
			expect((await members.listForUser(fresh.db, member.id)).map((c) => [c.name, c.role, c.status])).toEqual([['Tarrenzer Tafel', 'admin', 'approved']]);
			expect(await fresh.db.selectFrom('outbox').select('template').where('template', 'like', 'club-%').execute()).toEqual([]);
		} finally {
			await fresh.destroy();
		}
	});

	it('the clubs migration rolls back and forward', async () => {
		const fresh = await createTestDatabase(dialect);
		try {
			const clubTables = ['club', 'club_invitation', 'club_member', 'club_tag', 'offer', 'offer_tag'];
			const tables = async () => (await fresh.db.introspection.getTables()).map((t) => t.name).filter((name) => clubTables.includes(name)).sort();
			expect(await tables()).toEqual(clubTables);
			// Every later migration refers to clubs: rolling back to the one before clubs undoes them all.
			await migrateTo(fresh.db, '2026-11-23T03-mail-reminders-messages');
			expect(await tables()).toEqual([]);
			await migrateToLatest(fresh.db);
			expect(await tables()).toEqual(clubTables);
		} finally {
			await fresh.destroy();
		}
	});
});

describe('club forms', () => {
	function formData(entries: [string, string | File][]): FormData {
		const form = new FormData();
		for (const [key, value] of entries) form.append(key, value);
		return form;
	}
	const scope = { tagSlugs: ['sport', 'soziales'], municipalityIds: ['m1'], signedIn: false };

	it('parses a registration, normalises the website and reports each bad field in German', () => {
		const good = forms.parseRegistration(
			formData([
				['name', '  Tarrenzer Tafel '],
				['municipalityId', 'm1'],
				['contactEmail', ' Tafel@Tarrenz.example '],
				['website', 'www.tafel-tarrenz.at'],
				['tags', 'soziales'],
				['representativeName', 'Josef'],
				['representativeEmail', 'josef@tarrenz.example']
			]),
			scope
		);
		expect(good).toMatchObject({
			ok: true,
			data: { name: 'Tarrenzer Tafel', contactEmail: 'tafel@tarrenz.example', website: 'https://www.tafel-tarrenz.at/', tags: ['soziales'], municipalityId: 'm1', representative: { name: 'Josef', email: 'josef@tarrenz.example' } }
		});
		const bad = forms.parseRegistration(
			formData([
				['name', ''],
				['municipalityId', 'elsewhere'],
				['contactEmail', 'keine-adresse'],
				['contactPhone', '0664 <b>'],
				['website', 'javascript:alert(1)'],
				['tags', 'hacking'],
				['representativeEmail', 'x']
			]),
			scope
		);
		expect(bad.ok).toBe(false);
		if (bad.ok) return;
		expect(bad.errors).toMatchObject({
			name: 'Bitte füllen Sie dieses Feld aus.',
			municipalityId: 'Bitte wählen Sie die Gemeinde Ihres Vereins.',
			contactEmail: expect.stringContaining('gültige E-Mail-Adresse'),
			contactPhone: expect.stringContaining('Ziffern'),
			website: expect.stringContaining('Webadresse'),
			tags: 'Diese Auswahl ist nicht möglich.',
			representativeName: 'Bitte füllen Sie dieses Feld aus.',
			representativeEmail: expect.stringContaining('gültige E-Mail-Adresse')
		});
		expect(bad.values.contactPhone).toBe('0664 <b>');
		expect(forms.parseProfile(formData([['name', 'X'], ['contactEmail', 'a@b.at']]), scope)).toMatchObject({ ok: false, errors: { tags: 'Bitte wählen Sie mindestens einen Engagementbereich.' } });
	});

	it('reads a logo by its bytes, not its name', async () => {
		expect(await forms.readLogo(formData([['logo', new File([], '', { type: 'application/octet-stream' })]]))).toEqual({ ok: true, bytes: null });
		const png = await forms.readLogo(formData([['logo', new File([PNG], 'anything.txt', { type: 'text/plain' })]]));
		expect(png.ok && png.bytes?.length).toBe(PNG.length);
		expect(await forms.readLogo(formData([['logo', new File([TEXT_AS_PNG], 'logo.png', { type: 'image/png' })]]))).toEqual({
			ok: false,
			error: 'Das Logo muss ein Bild im Format PNG, JPEG oder WebP sein.'
		});
		expect(await forms.readLogo(formData([['logo', new File([oversizedPng()], 'logo.png', { type: 'image/png' })]]))).toEqual({
			ok: false,
			error: 'Das Logo ist zu groß: höchstens 500 kB.'
		});
	});

	it('parses an offer: place or remote, at least one language, numbers in range', () => {
		const base: [string, string][] = [
			['title', 'Bühnenbau'],
			['commitment', 'occasional'],
			['languages', 'de'],
			['languages', 'uk'],
			['months', '12'],
			['months', '1'],
			['onWeekends', 'on'],
			['suitsMultilocal', 'on'],
			['tags', 'sport']
		];
		const remote = forms.parseOffer(formData([...base, ['isRemote', 'on'], ['capacity', '3'], ['status', 'published']]), { tagSlugs: ['sport'], withStatus: true });
		expect(remote).toMatchObject({
			ok: true,
			status: 'published',
			data: { title: 'Bühnenbau', months: [12, 1], languages: ['de', 'uk'], onWeekends: true, onWeekdays: false, isRemote: true, suitsMultilocal: true, capacity: 3, minimumAge: null }
		});
		expect(forms.parseOffer(formData(base), { tagSlugs: ['sport'] })).toMatchObject({ ok: false, errors: { place: expect.stringContaining('Ort') } });
		const bad = forms.parseOffer(
			formData([['title', 'X'], ['commitment', 'always'], ['place', 'Imst'], ['minimumAge', '-1'], ['capacity', '0'], ['months', '13']]),
			{ tagSlugs: [] }
		);
		expect(bad.ok).toBe(false);
		if (bad.ok) return;
		expect(Object.keys(bad.errors).sort()).toEqual(['capacity', 'commitment', 'languages', 'minimumAge', 'months']);
	});

	it('reads the directory query leniently and maps every problem to a message', () => {
		const filter = forms.parseDirectoryQuery(new URLSearchParams('q=%20Chor%20&tag=sport&municipality=nowhere&commitment=regular&multilocal=on&language=xx&page=-3'), {
			tagSlugs: ['sport'],
			municipalitySlugs: ['imst']
		});
		expect(filter).toEqual({ query: 'Chor', tag: 'sport', municipality: undefined, commitment: 'regular', suitsMultilocal: true, language: undefined, page: 1, pageSize: 20 });
		expect(forms.clubProblemMessage('duplicate_name')).toContain('bereits ein Verein mit diesem Namen');
		expect(forms.clubProblemMessage('last_admin')).toContain('Administrationsrechten');
		expect(forms.clubProblemMessage('already_member')).toBe('Diese Person gehört bereits zum Verein.');
		expect(forms.offerProblemMessage('invalid_transition')).toContain('Statuswechsel');
	});
});
