import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { ensureUser, findSessionUser, type SessionUser } from '../../src/lib/server/auth/users';
import * as municipalities from '../../src/lib/server/municipalities';
import * as clubs from '../../src/lib/server/clubs';
import * as offers from '../../src/lib/server/clubs/offers';
import * as events from '../../src/lib/server/events';
import * as registrations from '../../src/lib/server/registrations';
import * as prefill from '../../src/lib/server/registrations/prefill';
import * as suggestions from '../../src/lib/server/suggestions';
import * as tasks from '../../src/lib/server/tasks';
import { meetsClubs } from '../../src/lib/server/matching/meets-clubs';
import { emptyProfile, type Profile } from '../../src/lib/participant-profile';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { offerInput } from './fixtures';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48, locale: 'de' };
const t0 = new Date('2027-03-01T09:00:00.000Z');

describe.each(dialects)('suggestions on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	let imst: municipalities.Municipality;
	let tarrenz: municipalities.Municipality;
	let platformAdmin: SessionUser;
	let coordinatorId: string;
	const offerIds: Record<string, string> = {};

	async function club(name: string, municipalityId: string, approve = true) {
		const registered = await clubs.register(
			db,
			{
				name,
				description: '',
				contactEmail: `kontakt@${name.toLowerCase().replace(/\W+/g, '-')}.example`,
				contactPhone: '',
				website: '',
				tags: [],
				municipalityId,
				logo: null,
				representative: { email: `vorstand@${name.toLowerCase().replace(/\W+/g, '-')}.example`, name: 'Vorstand', locale: 'de' }
			},
			ctx,
			t0
		);
		if (!registered.ok) throw new Error(registered.problem);
		if (approve) expect(await clubs.approve(db, platformAdmin, registered.clubId, ctx, t0)).toEqual({ ok: true });
		return { clubId: registered.clubId, slug: registered.slug, admin: (await findSessionUser(db, registered.adminUserId))! };
	}

	async function offer(owner: { clubId: string; admin: SessionUser }, key: string, input: Partial<offers.OfferInput>, status: 'published' | 'draft' = 'published') {
		const created = await offers.create(db, owner.admin, owner.clubId, { ...offerInput({ title: key, ...input }), status }, t0);
		if (!created.ok) throw new Error(created.problem);
		offerIds[key] = created.offerId;
	}

	async function event(title: string, kind: 'round_table' | 'market', hostIds: string[]) {
		const created = await events.create(
			db,
			{ kind, title, description: '', hostIds, venueId: null, capacity: 20, timeZone: 'Europe/Vienna', durationMinutes: 120, status: 'published', registrationOpensDaysBefore: null, registrationClosesHoursBefore: null, firstStartLocal: '2027-04-08T18:00', rrule: null },
			coordinatorId,
			ctx.origin,
			t0
		);
		if (!created.ok) throw new Error('event not created');
		return created.eventIds[0]!;
	}

	/** Registers and confirms through the emailed link; returns the manage token. */
	async function keptProfile(eventId: string, email: string, profile: Profile): Promise<string> {
		expect(await registrations.register(db, { eventId, email, name: `Person ${email}`, locale: 'de', profile, consentIntroductions: true }, ctx, t0)).toEqual({ ok: true });
		const mail = await db.selectFrom('outbox').select('text_body').where('recipient', '=', email).where('template', '=', 'registration-confirm-request').executeTakeFirstOrThrow();
		const token = /\/confirm\/([a-z2-7]{24}\.[a-z2-7]{24})/.exec(mail.text_body)![1]!;
		const confirmed = await registrations.confirm(db, token, ctx, t0);
		if (!confirmed.ok) throw new Error('not confirmed');
		return confirmed.manageToken;
	}

	let roundInImst: string;
	let redCross: Awaited<ReturnType<typeof club>>;

	/** An Einsatz of the club with shifts starting at these instants. */
	async function einsatz(title: string, over: Partial<tasks.TaskInput>, starts: string[], status: 'published' | 'draft' = 'published') {
		const created = await tasks.create(
			db,
			redCross.admin,
			{ clubId: redCross.clubId },
			{ title, description: '', place: 'Imst', minAge: null, languages: ['de'], accessibility: '', tags: [], competences: [], ...over, status },
			starts.map((at) => ({ startsAt: new Date(at), endsAt: new Date(new Date(at).getTime() + 3 * 3600_000), places: 4 })),
			ctx.origin,
			t0
		);
		if (!created.ok) throw new Error(created.problem);
		return created.id;
	}

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		imst = await municipalities.create(db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		tarrenz = await municipalities.create(db, { name: 'Tarrenz', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		const admin = await ensureUser(db, { email: 'admin@miteinander.example', name: 'Admin', isPlatformAdmin: true }, t0);
		platformAdmin = (await findSessionUser(db, admin.id))!;
		coordinatorId = admin.id;

		redCross = await club('Rotes Kreuz Imst', imst.id);
		const integration = await club('Miteinander Tarrenz', tarrenz.id);
		const pending = await club('Noch nicht freigegeben', imst.id, false);
		await offer(redCross, 'Sanitätsdienst', { tags: ['rettung'], competences: ['erste-hilfe'], onWeekdays: false, onWeekends: true, commitment: 'one_off' });
		await offer(integration, 'Dolmetschen im Sprachcafé', { tags: ['integration'], languages: ['de', 'tr'], inEvenings: true, place: 'Tarrenz' });
		await offer(integration, 'Nur auf Ukrainisch', { tags: ['integration'], languages: ['uk'] });
		await offer(redCross, 'Entwurf', { tags: ['rettung', 'integration'] }, 'draft');
		await offer(pending, 'Von einem nicht freigegebenen Verein', { tags: ['rettung', 'integration'] });

		roundInImst = await event('Gesprächsrunde Imst', 'round_table', [imst.id]);
	});
	afterAll(() => test.destroy());

	it('ranks the region’s published offers for a kept profile, with the reasons', async () => {
		const token = await keptProfile(roundInImst, 'ayse@example.org', {
			...emptyProfile,
			homePlace: 'Tarrenz',
			interests: ['integration', 'rettung'],
			availability: ['evenings'],
			languages: ['de', 'tr'],
			competences: ['erste-hilfe']
		});
		const found = await suggestions.forManageToken(db, token, 'de');
		expect(found?.hasProfile).toBe(true);
		const titles = found!.suggestions.map((s) => s.title);
		// Drafts, offers of clubs not approved and offers in a language the person lacks stay out.
		expect(titles).toEqual(['Dolmetschen im Sprachcafé', 'Sanitätsdienst']);
		const [first, second] = found!.suggestions;
		expect(first).toMatchObject({ kind: 'offer', id: offerIds['Dolmetschen im Sprachcafé'], club: 'Miteinander Tarrenz', municipality: 'Tarrenz' });
		expect(first!.contactPath).toMatch(new RegExp(`^/clubs/tarrenz/[^/]+/offers/${first!.id}/contact$`));
		expect(first!.path).toBe(`${first!.contactPath.replace(/\/offers\/.*$/, '')}#offer-${first!.id}`);
		expect(first!.reasons).toEqual(
			expect.arrayContaining([
				{ code: 'interests', tags: ['integration'] },
				{ code: 'language', languages: ['de', 'tr'] },
				{ code: 'time', when: ['weekdays', 'evenings'], months: [] },
				{ code: 'place', place: 'Tarrenz', which: 'home' }
			])
		);
		expect(second!.reasons).toContainEqual({ code: 'competences', competences: ['erste-hilfe'] });
		expect(found!.competenceLabels['erste-hilfe']).toBe('Erste Hilfe');
		expect(first!.value).toBeGreaterThanOrEqual(second!.value);
	});

	it('ranks the region’s Einsätze with an open shift to come together with the offers', async () => {
		// Monday evenings in March and April (Europe/Berlin): a weekday evening Einsatz.
		const fitting = await einsatz('Lebensmittel ausgeben', { tags: ['rettung'], languages: ['de'] }, ['2027-03-08T17:30:00.000Z', '2027-04-12T16:30:00.000Z']);
		await einsatz('Nur auf Ukrainisch helfen', { tags: ['rettung'], languages: ['uk'] }, ['2027-03-08T17:30:00.000Z']);
		await einsatz('Noch ein Entwurf', { tags: ['rettung'] }, ['2027-03-08T17:30:00.000Z'], 'draft');
		await einsatz('Schon vorbei', { tags: ['rettung'] }, ['2027-02-20T17:30:00.000Z']);
		const token = await keptProfile(roundInImst, 'einsatz@example.org', {
			...emptyProfile,
			homePlace: 'Imst',
			interests: ['rettung'],
			availability: ['evenings'],
			languages: ['de']
		});
		const found = await suggestions.forManageToken(db, token, 'de', t0);
		const titles = found!.suggestions.map((s) => s.title);
		expect(titles).toContain('Lebensmittel ausgeben');
		expect(titles).toContain('Sanitätsdienst');
		// A language the person lacks, a draft and an Einsatz without shifts to come stay out.
		expect(titles).not.toContain('Nur auf Ukrainisch helfen');
		expect(titles).not.toContain('Noch ein Entwurf');
		expect(titles).not.toContain('Schon vorbei');
		const task = found!.suggestions.find((s) => s.kind === 'task')!;
		expect(task).toMatchObject({
			kind: 'task',
			id: fitting,
			club: 'Rotes Kreuz Imst',
			municipality: 'Imst',
			path: `/einsaetze/${fitting}`,
			contactPath: `/einsaetze/${fitting}`,
			nextShiftAt: '2027-03-08T17:30:00.000Z'
		});
		expect(task.reasons).toEqual(
			expect.arrayContaining([
				{ code: 'interests', tags: ['rettung'] },
				{ code: 'place', place: 'Imst', which: 'home' }
			])
		);
		expect(task.reasons).toContainEqual(expect.objectContaining({ code: 'time', when: expect.arrayContaining(['evenings']) }));
		// Once the last shift has begun, the Einsatz is no longer suggested.
		const later = await suggestions.forManageToken(db, token, 'de', new Date('2027-04-12T17:00:00.000Z'));
		expect(later!.suggestions.map((s) => s.title)).not.toContain('Lebensmittel ausgeben');
	});

	it('has nothing to rank by for a profile without interests or competences', async () => {
		const token = await keptProfile(roundInImst, 'leer@example.org', { ...emptyProfile });
		expect(await suggestions.forManageToken(db, token, 'de')).toMatchObject({ hasProfile: false, suggestions: [] });
	});

	it('gives nothing for a forged or unknown manage token', async () => {
		const token = await keptProfile(roundInImst, 'echt@example.org', { ...emptyProfile, interests: ['rettung'] });
		const forged = `${token.split('.')[0]}.${'a'.repeat(24)}`;
		expect(await suggestions.forManageToken(db, forged, 'de')).toBeNull();
		expect(await suggestions.forManageToken(db, 'nonsense', 'de')).toBeNull();
		expect(await prefill.fromManageToken(db, forged)).toBeNull();
		expect(await prefill.fromManageToken(db, null)).toBeNull();
		expect(await prefill.fromManageToken(db, 'x'.repeat(500))).toBeNull();
	});

	it('pre-fills another registration from the kept profile, and no longer once the data is erased', async () => {
		const profile = { ...emptyProfile, homePlace: 'Imst', interests: ['sport', 'kultur'], languages: ['de', 'en'], competences: ['it'] };
		const token = await keptProfile(roundInImst, 'bernd@example.org', profile);
		expect(await prefill.fromManageToken(db, token)).toEqual({ name: 'Person bernd@example.org', email: 'bernd@example.org', profile, consentIntroductions: true });
		expect(await registrations.deleteData(db, token, ctx, t0)).toBe(true);
		expect(await prefill.fromManageToken(db, token)).toBeNull();
	});

	it('knows which events introduce people to clubs', async () => {
		expect(await meetsClubs(db, { kind: 'round_table', hostIds: [imst.id] })).toBe(true);
		expect(await meetsClubs(db, { kind: 'round_table', hostIds: [tarrenz.id, imst.id] })).toBe(true);
		expect(await meetsClubs(db, { kind: 'round_table', hostIds: [] })).toBe(false);
		// Only the pending club has an offer in Karrösten: nobody would sit at the tables.
		const karroesten = await municipalities.create(db, { name: 'Karrösten', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		const pending = await club('Wartet in Karrösten', karroesten.id, false);
		await offer(pending, 'Noch nicht sichtbar', { tags: ['sport'] });
		expect(await meetsClubs(db, { kind: 'round_table', hostIds: [karroesten.id] })).toBe(false);
		// A market always does: its stalls are approved after people register.
		expect(await meetsClubs(db, { kind: 'market', hostIds: [karroesten.id] })).toBe(true);
	});
});
