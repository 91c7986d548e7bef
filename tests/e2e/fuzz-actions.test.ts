import { execFileSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { allFieldNames, discoverActions, type Action } from './fuzz/actions';
import { changedTables, Fingerprint } from './fuzz/fingerprint';
import { formsIn, plausible, type BaseField } from './fuzz/forms';
import { E2E_DATABASE_URL, ORIGIN, withServices } from './helpers';

// Every form action of every page, posted by every kind of visitor with random fields, values and
// content types (fast-check, fixed seed): no answer may be a 5xx, and a refused request (≥ 400,
// a fail() included) must leave every table as it was. Successful requests change the demo data at
// random, so this file runs after all others (its own project in playwright.config.ts).
// Replay a run with FUZZ_SEED=<seed>; FUZZ_RUNS sets the number of requests.

const ROOT = path.resolve(import.meta.dirname, '../..');
const DB_FILE = path.join(ROOT, '.e2e-data/miteinander.sqlite');
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1200);

// ---------------------------------------------------------------------------------------------
// Demo entities and roles

const OTHER_CLUB_ADMIN = 'ortsstelle@bergrettung-imst.example';
const CLUB_ADMIN = 'verein@tarrenz.example';
const ROLE_EMAILS = {
	member: 'mitglied.fuzz@tarrenz.example',
	clubAdmin: CLUB_ADMIN,
	otherClubAdmin: OTHER_CLUB_ADMIN,
	coordinator: 'koordination@imst.example',
	otherCoordinator: 'koordination.fuzz@tarrenz.example',
	platformAdmin: 'plattform.fuzz@miteinander.example'
} as const;
type SignedInRole = keyof typeof ROLE_EMAILS;
const ROLES = ['anonymous', 'participant', ...(Object.keys(ROLE_EMAILS) as SignedInRole[])] as const;
type Role = (typeof ROLES)[number];
const isSignedIn = (role: Role): role is SignedInRole => role in ROLE_EMAILS;

interface Setup {
	events: string[];
	imstMarket: string;
	/** Future events made for this run: the only ones `?/cancel` may hit with a real id. */
	spareEvents: string[];
	clubs: string[];
	offers: string[];
	/** Offers made for this run: the only ones `?/archive` may hit. */
	spareOffers: string[];
	outbox: string[];
	series: string[];
	manageTokens: string[];
	/** Registrations made for this run: the only ones `?/delete` may hit. */
	spareManageTokens: string[];
	confirmTokens: string[];
	feedbackTokens: string[];
	invitationTokens: string[];
	/** Public addresses of published offers: municipality and club slugs, offer ids (aligned). */
	publicOffers: { municipality: string[]; club: string[]; offerId: string[] };
	/** Offer contact requests made for this run, awaiting confirmation, and their manage links. */
	contactConfirmTokens: string[];
	contactManageTokens: string[];
	/** Ids of every kind of row, as values of id fields (a registration id where an offer is expected …). */
	pool: string[];
	tagSlugs: string[];
	loginTokens: Record<SignedInRole, string[]>;
	memberships: { club_id: string; user_id: string; role: string }[];
	/** Einsätze and their shifts (events of kind 'shift'). */
	tasks: string[];
	shifts: string[];
}

function cli(...args: string[]) {
	execFileSync('npx', ['tsx', 'scripts/admin.ts', ...args], {
		cwd: ROOT,
		env: { ...process.env, DATABASE_URL: E2E_DATABASE_URL, DATA_DIR: '.e2e-data', DATABASE_PATH: '', ORIGIN },
		encoding: 'utf8'
	});
}

function setUp(): Setup {
	cli('create-coordinator', '--email', ROLE_EMAILS.otherCoordinator, '--municipality', 'Tarrenz');
	cli('create-coordinator', '--email', ROLE_EMAILS.platformAdmin, '--platform-admin');
	return withServices<Setup>(
		`const { generateId, sha256Hex } = await import('./src/lib/server/ids');
		const { manageToken } = await import('./src/lib/server/registrations/links');
		const { feedbackToken } = await import('./src/lib/server/feedback/links');
		const feedback = await import('./src/lib/server/feedback');
		const events = await import('./src/lib/server/events');
		const registrations = await import('./src/lib/server/registrations');
		const members = await import('./src/lib/server/clubs/members');
		const offers = await import('./src/lib/server/clubs/offers');
		const contact = await import('./src/lib/server/leads/contact');
		const { createLoginToken } = await import('./src/lib/server/auth/login-token');
		const fs = await import('node:fs');
		const secret = fs.readFileSync('.e2e-data/app-secret', 'utf8').trim();
		const ctx = { origin: input.origin, secret, confirmHours: 48 };
		// The server's worker writes meanwhile: a transaction that read before its commit must start over.
		const retry = async (write) => {
			for (let attempt = 0; ; attempt++) {
				try { return await write(); } catch (e) { if (!String(e.code).startsWith('SQLITE_BUSY') || attempt > 50) throw e; await new Promise((r) => setTimeout(r, 20)); }
			}
		};
		const id = async (table, column, value) => (await db.selectFrom(table).select('id').where(column, '=', value).executeTakeFirstOrThrow()).id;
		const imst = await id('municipality', 'slug', 'imst');
		const tarrenz = await id('municipality', 'slug', 'tarrenz');
		const tafel = await id('club', 'name', 'Tarrenzer Tafel');
		const bergrettung = await id('club', 'name', 'Bergrettung Imst');
		const coordinator = await users.findSessionUser(db, await id('user', 'email', input.roles.coordinator));
		const tafelAdmin = await users.findSessionUser(db, await id('user', 'email', input.roles.clubAdmin));
		const bergAdmin = await users.findSessionUser(db, await id('user', 'email', input.roles.otherClubAdmin));
		const day = (offset, time) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10) + 'T' + time;

		// A non-admin member of the Tafel.
		const member = await users.ensureUser(db, { email: input.roles.member, name: 'Fuzz Mitglied' }, now);
		await db.insertInto('club_member').values({ club_id: tafel, user_id: member.id, role: 'member', joined_at: now.toISOString() }).onConflict((oc) => oc.doNothing()).execute();

		// A club waiting for approval.
		await retry(() => clubs.register(db, { name: 'Fuzz-Verein Imst', description: '', contactEmail: 'fuzz@verein.example', contactPhone: '', website: '', tags: [], municipalityId: imst, logo: null, representative: { email: 'fuzz@verein.example', name: 'Fuzz', locale: 'de' } }, { origin: input.origin }, now));

		// Spare events in both municipalities (one a market), for cancelling.
		const spare = [];
		for (const [hostId, kind, title] of [[imst, 'market', 'Fuzz-Markt Imst'], [tarrenz, 'round_table', 'Fuzz-Runde Tarrenz']]) {
			const created = await retry(() => events.create(db, { description: '', timeZone: 'Europe/Vienna', status: 'published', registrationOpensDaysBefore: null, registrationClosesHoursBefore: 2, kind, title, hostIds: [hostId], venueId: null, capacity: 2, durationMinutes: 120, firstStartLocal: day(40, '18:00'), rrule: null }, coordinator.id, input.origin, now));
			spare.push(created.eventIds[0]);
		}

		// Spare offers, for archiving.
		const offerInput = { title: 'Fuzz-Angebot', description: '', commitment: 'one_off', onWeekdays: true, onWeekends: false, inEvenings: false, months: [], place: 'Imst', isRemote: false, languages: ['de'], minimumAge: null, suitsMultilocal: false, capacity: null, tags: [], status: 'published' };
		const spareOffers = [];
		for (const [viewer, clubId] of [[tafelAdmin, tafel], [bergAdmin, bergrettung]]) {
			const created = await retry(() => offers.create(db, viewer, clubId, offerInput, now));
			spareOffers.push(created.offerId);
		}

		// Registrations by the services, their links read from the queued mail.
		const linkFrom = async (recipient, pattern) => {
			const rows = await db.selectFrom('outbox').select('text_body').where('recipient', '=', recipient).orderBy('created_at', 'desc').execute();
			for (const row of rows) { const match = pattern.exec(row.text_body); if (match) return match[1]; }
			throw new Error('no link for ' + recipient);
		};
		const roundTable = await id('event', 'title', 'Ankommen in Tarrenz – Gesprächsrunde für Neuzugezogene');
		const register = async (email) => {
			const result = await retry(() => registrations.register(db, { eventId: roundTable, email, name: 'Fuzz ' + email.split('@')[0], locale: 'de', profile: { residency: 'resident', interests: [], availability: [], languages: ['de'] }, consentIntroductions: false }, ctx, now));
			if (!result.ok) throw new Error('register: ' + JSON.stringify(result));
			return linkFrom(email, /\\/confirm\\/([a-z2-7]{24}\\.[a-z2-7]{24})/);
		};
		const manageTokens = [];
		for (let i = 0; i < 6; i++) {
			const token = await register('teilnahme' + i + '.fuzz@example.org');
			const confirmed = await retry(() => registrations.confirm(db, token, ctx, now));
			if (!confirmed.ok) throw new Error('confirm: ' + JSON.stringify(confirmed));
			manageTokens.push(confirmed.manageToken);
		}
		const confirmTokens = [await register('offen.fuzz@example.org'), await register('offen2.fuzz@example.org')];

		// A market that ended two days ago with two people who came and both clubs at stalls: open feedback forms.
		const endsAt = new Date(now.getTime() - 2 * 86_400_000);
		const startsAt = new Date(endsAt.getTime() - 3 * 3600_000);
		const pastId = generateId();
		await db.insertInto('event').values({ id: pastId, series_id: null, kind: 'market', title: 'Fuzz-Rückblick', description: '', starts_at: startsAt.toISOString(), ends_at: endsAt.toISOString(), time_zone: 'Europe/Vienna', venue_id: null, capacity: 30, confirmed_count: 2, status: 'published', registration_opens_at: null, registration_closes_at: null, ical_uid: pastId + '@fuzz', stall_booking_open: 0, created_at: startsAt.toISOString(), updated_at: startsAt.toISOString() }).execute();
		await db.insertInto('event_host').values({ event_id: pastId, municipality_id: tarrenz }).execute();
		for (const clubId of [tafel, bergrettung]) {
			await db.insertInto('stall_request').values({ id: generateId(), event_id: pastId, club_id: clubId, status: 'approved', size: 1, needs_power: 0, needs_accessible: 0, tables: 1, chairs: 2, requested_by: null, created_at: startsAt.toISOString(), updated_at: startsAt.toISOString() }).execute();
		}
		for (const name of ['Fuzz Eins', 'Fuzz Zwei']) {
			const personId = generateId();
			const registrationId = generateId();
			await db.insertInto('person').values({ id: personId, email: name.replace(' ', '.').toLowerCase() + '@example.org', name, locale: 'de', profile: '{}', consent_introductions: 0, created_at: startsAt.toISOString(), updated_at: startsAt.toISOString() }).execute();
			await db.insertInto('registration').values({ id: registrationId, event_id: pastId, person_id: personId, status: 'attended', waitlist_position: null, submitted_profile: null, manage_secret_hash: sha256Hex(generateId()), confirm_secret_hash: null, confirm_expires_at: null, created_at: startsAt.toISOString(), updated_at: startsAt.toISOString(), confirmed_at: startsAt.toISOString(), cancelled_at: null, checked_in_at: startsAt.toISOString() }).execute();
		}
		await retry(() => feedback.requestDue(db, ctx, now));
		const feedbackIds = (await db.selectFrom('feedback').select('id').where('event_id', '=', pastId).execute()).map((r) => r.id);

		// Offer contact requests, waiting for their confirmation.
		const published = await db.selectFrom('offer').innerJoin('club', 'club.id', 'offer.club_id').innerJoin('municipality', 'municipality.id', 'club.municipality_id')
			.select(['offer.id', 'club.slug as club', 'municipality.slug as municipality']).where('offer.status', '=', 'published').where('club.status', '=', 'approved').where('offer.id', 'not in', spareOffers).orderBy('offer.id').execute();
		const contactOffer = await contact.findOffer(db, published[0].municipality, published[0].club, published[0].id);
		const contactConfirmTokens = [];
		const contactManageTokens = [];
		for (let i = 0; i < 3; i++) {
			const email = 'kontakt' + i + '.fuzz@example.org';
			await retry(() => contact.request(db, contactOffer, { name: 'Fuzz Kontakt', email, message: 'Hallo', locale: 'de' }, ctx, now));
			contactConfirmTokens.push(await linkFrom(email, /\\/contact\\/confirm\\/([a-z2-7]{24}\\.[a-z2-7]{24})/));
			contactManageTokens.push(await linkFrom(email, /\\/contact\\/manage\\/([a-z2-7]{24}\\.[a-z2-7]{24})/));
		}

		// An invitation to an address that is none of the roles: accepting it is always refused.
		const invited = await retry(() => members.invite(db, tafelAdmin, tafel, { email: 'eingeladen.fuzz@example.org' }, { origin: input.origin, locale: 'de' }, now));
		if (!invited.ok) throw new Error('invite: ' + JSON.stringify(invited));
		const invitationToken = await linkFrom('eingeladen.fuzz@example.org', /\\/club\\/invitations\\/([a-z2-7]{24}\\.[a-z2-7]{24})/);

		const ids = async (table, limit = 12) => (await db.selectFrom(table).select('id').limit(limit).execute()).map((r) => r.id);
		const loginTokens = {};
		for (const [role, email] of Object.entries(input.roles)) {
			const user = await id('user', 'email', email);
			loginTokens[role] = [];
			for (let i = 0; i < 40; i++) loginTokens[role].push(await createLoginToken(db, user, now));
		}
		const allEvents = (await db.selectFrom('event').select('id').execute()).map((r) => r.id);
		const pool = [];
		for (const table of ['event', 'club', 'offer', 'registration', 'person', 'user', 'stall', 'stall_request', 'club_invitation', 'lead', 'outbox', 'municipality', 'venue', 'feedback', 'tag', 'series', 'match_plan']) pool.push(...(await ids(table)));
		return {
			events: allEvents,
			imstMarket: await id('event', 'title', 'Markt der Möglichkeiten Imst'),
			spareEvents: spare,
			clubs: (await db.selectFrom('club').select('id').execute()).map((r) => r.id),
			offers: (await db.selectFrom('offer').select('id').where('id', 'not in', spareOffers).execute()).map((r) => r.id),
			spareOffers,
			outbox: await ids('outbox', 30),
			series: await ids('series', 6),
			manageTokens: manageTokens.slice(0, 2),
			spareManageTokens: manageTokens.slice(2),
			confirmTokens,
			feedbackTokens: feedbackIds.map((f) => feedbackToken(secret, f)),
			invitationTokens: [invitationToken],
			publicOffers: { municipality: published.map((o) => o.municipality), club: published.map((o) => o.club), offerId: published.map((o) => o.id) },
			contactConfirmTokens,
			contactManageTokens,
			pool,
			tagSlugs: (await db.selectFrom('tag').select('slug').execute()).map((r) => r.slug),
			loginTokens,
			memberships: await db.selectFrom('club_member').select(['club_id', 'user_id', 'role']).execute(),
			tasks: (await db.selectFrom('task').select('id').execute()).map((r) => r.id),
			shifts: (await db.selectFrom('event').select('id').where('kind', '=', 'shift').execute()).map((r) => r.id)
		};`,
		{ roles: ROLE_EMAILS, origin: ORIGIN }
	);
}

/** Puts the roles' club memberships back after a successful leave, remove or role change. */
function restoreMemberships(memberships: Setup['memberships']) {
	withServices(
		`for (const m of input) {
			await db.insertInto('club_member').values({ club_id: m.club_id, user_id: m.user_id, role: m.role, joined_at: now.toISOString() })
				.onConflict((oc) => oc.columns(['club_id', 'user_id']).doUpdateSet({ role: m.role })).execute();
		}
		return true;`,
		memberships
	);
}

// ---------------------------------------------------------------------------------------------
// Where each route lives: a value for every parameter. A route with an action that is missing
// here fails the first test, so a new action cannot be left out of the fuzzing.

const GARBAGE_IDS = ['', 'x', 'aaaaaaaaaaaaaaaaaaaaaaaa', '%2e%2e', '0', '-1', 'a'.repeat(300), '%F0%9F%92%A5', 'null'];
const GARBAGE_TOKENS = ['aaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbb', 'kaputt', 'a.b', 'x'.repeat(200)];

type Params = Record<string, string[]>;
const URLS: Record<string, (s: Setup, action: string) => Params> = {
	'/account': () => ({}),
	'/admin/clubs': () => ({}),
	'/admin/events/new': () => ({}),
	// Cancelling is final: with a real id only the spare events are cancelled.
	'/admin/events/[id]': (s, action) => ({ id: action === 'cancel' ? s.spareEvents : s.events }),
	'/admin/events/[id]/check-in': (s) => ({ id: s.events }),
	'/admin/events/[id]/feedback': (s) => ({ id: s.events }),
	'/admin/events/[id]/matching': (s) => ({ id: s.events }),
	'/admin/events/[id]/message': (s) => ({ id: s.events }),
	'/admin/events/[id]/registrations': (s) => ({ id: s.events }),
	'/admin/events/[id]/stalls': (s) => ({ id: [s.imstMarket, ...s.events] }),
	'/admin/outbox/[id]': (s) => ({ id: s.outbox }),
	'/admin/series/[id]': (s) => ({ id: s.series }),
	'/admin/settings': () => ({}),
	'/club': () => ({}),
	'/club/register': () => ({}),
	'/club/invitations/[token]': (s) => ({ token: s.invitationTokens }),
	'/club/[clubId]/leads': (s) => ({ clubId: s.clubs }),
	'/club/[clubId]/offers/new': (s) => ({ clubId: s.clubs }),
	// Archiving is final for the club's own pages: with a real id only the spare offers go.
	'/club/[clubId]/offers/[offerId]': (s, action) => ({ clubId: s.clubs, offerId: action === 'archive' ? s.spareOffers : [...s.offers, ...s.spareOffers] }),
	'/club/[clubId]/profile': (s) => ({ clubId: s.clubs }),
	'/club/[clubId]/stalls': (s) => ({ clubId: s.clubs }),
	'/club/[clubId]/tasks/new': (s) => ({ clubId: s.clubs }),
	'/club/[clubId]/tasks/[taskId]': (s) => ({ clubId: s.clubs, taskId: s.tasks }),
	'/club/[clubId]/tasks/[taskId]/shifts/[shiftId]': (s) => ({ clubId: s.clubs, taskId: s.tasks, shiftId: s.shifts }),
	'/einsaetze/[id]': (s) => ({ id: s.tasks }),
	'/clubs/[municipality]/[club]/offers/[offerId]/contact': (s) => ({ ...s.publicOffers }),
	'/confirm/[token]': (s) => ({ token: s.confirmTokens }),
	'/contact/confirm/[token]': (s) => ({ token: s.contactConfirmTokens }),
	'/contact/manage/[token]': (s) => ({ token: s.contactManageTokens }),
	'/events/[id]': (s) => ({ id: s.events }),
	'/feedback/[token]': (s) => ({ token: s.feedbackTokens }),
	// Deleting a registration kills its link: with a real link only the spare ones are deleted.
	'/manage/[token]': (s, action) => ({ token: action === 'delete' ? s.spareManageTokens : s.manageTokens }),
	'/manage/[token]/unsubscribe': (s) => ({ token: s.manageTokens }),
	'/manage/[token]/nachweis': (s) => ({ token: s.manageTokens }),
	'/sign-in': () => ({}),
	'/sign-in/link': () => ({}),
	// Alert links come only by mail to a subscribed person: forged ones here.
	'/alerts/confirm/[token]': () => ({ token: GARBAGE_TOKENS.slice(0, 1) }),
	'/alerts/unsubscribe/[token]': () => ({ token: GARBAGE_TOKENS.slice(0, 1) }),
	'/admin/tasks/new': () => ({}),
	'/admin/tasks/[taskId]': (s) => ({ taskId: s.tasks }),
	'/admin/tasks/[taskId]/shifts/[shiftId]': (s) => ({ taskId: s.tasks, shiftId: s.shifts })
};

const TOKEN_ROUTES = /\/(manage|feedback|confirm)\//;

// ---------------------------------------------------------------------------------------------
// Forms as the pages render them (fuzz/forms.ts): real hidden ids and choices, so that some requests
// get past the first check and reach the services (where a half-done write would hide).

/** Where to look at each route's forms from: a viewer who sees them. */
function viewerOf(route: string): Role {
	if (route.startsWith('/admin') || route === '/account') return 'coordinator';
	if (route.startsWith('/club/') && !route.startsWith('/club/register') && !route.startsWith('/club/invitations')) return 'clubAdmin';
	if (route === '/club') return 'clubAdmin';
	return 'anonymous';
}

async function harvestForms(actions: Action[], s: Setup, contexts: Map<Role, APIRequestContext>): Promise<Map<number, BaseField[][]>> {
	const found = new Map<number, BaseField[][]>();
	for (const route of new Set(actions.map((a) => a.route))) {
		const params = URLS[route]!(s, '');
		const combos = Math.max(1, ...Object.values(params).map((list) => Math.min(list.length, 4)));
		for (let c = 0; c < combos; c++) {
			const pathname = route.replace(/\[(\w+)\]/g, (_, param: string) => encodeURIComponent(params[param]![c % params[param]!.length]!));
			const response = await contexts.get(viewerOf(route))!.get(`/de${pathname === '/' ? '' : pathname}`, { maxRedirects: 0 });
			if (response.status() !== 200) continue;
			for (const form of formsIn(await response.text())) {
				const index = actions.findIndex((a) => a.route === route && a.name === form.action);
				if (index < 0) continue;
				const list = found.get(index) ?? [];
				if (list.length < 12) list.push(form.fields);
				found.set(index, list);
			}
		}
	}
	return found;
}

// ---------------------------------------------------------------------------------------------
// Requests

const BODY_KINDS = ['urlencoded', 'multipart', 'multipart-bad-boundary', 'multipart-truncated', 'multipart-no-boundary', 'text-plain', 'json', 'none', 'random-bytes'] as const;
type BodyKind = (typeof BODY_KINDS)[number];

interface Spec {
	action: number;
	role: Role;
	locale: '/de' | '/en' | '';
	/** Index into each parameter's candidates; a high one picks a garbage value instead. */
	params: number[];
	fields: [string, string][];
	file: { name: string; bytes: number[]; type: string } | null;
	body: BodyKind;
	randomBytes: number[];
	randomType: string;
	truncateAt: number;
	origin: 'same' | 'cross' | 'none';
	accept: 'html' | 'enhance' | 'none';
}

function valueArb(s: Setup) {
	const plausible = ['on', 'true', 'false', 'published', 'paused', 'draft', 'archived', 'admin', 'member', 'confirmed', 'attended', 'no_show', 'pending', 'pin', 'ban', 'regular', 'one_off', 'market', 'round_table', 'resident', 'new_in_town', 'de', 'en', 'Europe/Vienna', 'weekly', '09:00', '1,3,7', 'new', 'contacted', 'joined', 'not_a_fit', 'trying', 'all', 'waitlisted'];
	const strange = ['مرحبا بالعالم', 'שלום עולם', '\u202Eevil\u202C', '👩‍👩‍👧‍👦🏳️‍🌈', 'Zoë Ŧęśŧ Ω', '\u0000', '\uFEFF', '𝕏𝕐', '\uD800', "' OR 1=1 --", '<script>alert(1)</script>', '../../etc/passwd', '%00', '{{7*7}}', '__proto__', 'a@b', 'x@example.org', '  spaced  ', '\r\n\r\n'];
	return fc.oneof(
		{ weight: 3, arbitrary: fc.constantFrom('', ' ', '\t\n ', ...plausible) },
		{ weight: 2, arbitrary: fc.constantFrom(...strange) },
		{ weight: 2, arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String) },
		{ weight: 1, arbitrary: fc.constantFrom('0', '1', '2', '3', '5', '-1', '1e3', '1.5', 'NaN', 'Infinity', '99999999999999999999', '0x10') },
		{ weight: 1, arbitrary: fc.double().map(String) },
		{
			weight: 2,
			arbitrary: fc
				.tuple(fc.date({ min: new Date('1899-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }), fc.constantFrom(10, 16, 19, 24))
				.map(([d, n]) => d.toISOString().slice(0, n))
		},
		{ weight: 1, arbitrary: fc.constantFrom('2026-02-30T25:61', '2026-13-01', '0000-00-00T00:00', '2026-03-29T02:30', '9999-12-31T23:59') },
		{ weight: 3, arbitrary: fc.constantFrom(...s.pool, ...s.tagSlugs) },
		{ weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
		{ weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
		{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
		{ weight: 1, arbitrary: fc.emailAddress() },
		{ weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'é', '😀', 'ש'), fc.integer({ min: 100, max: 20_000 })).map(([c, n]) => c.repeat(n)) }
	);
}

function specArb(actions: Action[], s: Setup, globalFields: string[], baselines: Map<number, BaseField[][]>): fc.Arbitrary<Spec> {
	const value = valueArb(s);
	return fc
		.integer({ min: 0, max: actions.length - 1 })
		.chain((action) => {
			const own = actions[action]!.fields;
			const name = fc.oneof(
				{ weight: own.length ? 6 : 0, arbitrary: own.length ? fc.constantFrom(...own) : fc.constant('x') },
				{ weight: 2, arbitrary: fc.constantFrom(...globalFields) },
				{ weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
				{ weight: 1, arbitrary: fc.constantFrom('', '__proto__', 'constructor', '/', 'a[]', 'a.b') }
			);
			return fc.record({
				action: fc.constant(action),
				role: fc.constantFrom(...ROLES),
				locale: fc.constantFrom('/de' as const, '/en' as const, '' as const),
				params: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 3, maxLength: 3 }),
				// Repeated keys come in as arrays (getAll).
				fields: fc.oneof(
					{ weight: 1, arbitrary: fc.array(fc.tuple(name, value), { maxLength: 14 }) },
					{ weight: baselines.has(action) ? 2 : 0, arbitrary: mutatedForm(baselines.get(action) ?? [[]], name, value) }
				),
				file: fc.option(
					fc.record({
						name: fc.constantFrom('logo', 'logo', 'file', ...own),
						bytes: fc.oneof(fc.constant<number[]>([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 600 })),
						type: fc.constantFrom('image/png', 'image/svg+xml', 'application/octet-stream', 'text/plain', '')
					}),
					{ freq: 4 }
				),
				body: fc.oneof(
					{ weight: 8, arbitrary: fc.constant('urlencoded' as const) },
					{ weight: 5, arbitrary: fc.constant('multipart' as const) },
					{ weight: 1, arbitrary: fc.constantFrom(...BODY_KINDS) }
				),
				randomBytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 400 }),
				randomType: fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain', 'application/json', 'application/octet-stream', 'application/x-www-form-urlencoded; charset=latin1'),
				truncateAt: fc.integer({ min: 0, max: 400 }),
				origin: fc.oneof({ weight: 18, arbitrary: fc.constant('same' as const) }, { weight: 1, arbitrary: fc.constantFrom('cross' as const, 'none' as const) }),
				accept: fc.constantFrom('html' as const, 'enhance' as const, 'none' as const)
			});
		});
}

/** A rendered form, filled in or not, with a few fields dropped, changed, repeated or added. */
function mutatedForm(forms: BaseField[][], name: fc.Arbitrary<string>, value: fc.Arbitrary<string>): fc.Arbitrary<[string, string][]> {
	const op = fc.record({ at: fc.nat(), kind: fc.constantFrom('drop', 'replace', 'repeat'), value });
	return fc
		.record({
			form: fc.constantFrom(...forms),
			filled: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
			ops: fc.array(op, { maxLength: 3 }),
			extra: fc.array(fc.tuple(name, value), { maxLength: 3 })
		})
		.map(({ form, filled, ops, extra }) => {
			const fields: [string, string][] = form
				.filter((f) => filled || !f.unticked)
				.map((f) => [f.name, filled && f.value === '' ? plausible(f.name) : f.value]);
			for (const { at, kind, value: v } of ops) {
				if (!fields.length) break;
				const i = at % fields.length;
				if (kind === 'drop') fields.splice(i, 1);
				else if (kind === 'replace') fields[i] = [fields[i]![0], v];
				else fields.push([fields[i]![0], v]);
			}
			return [...fields, ...extra];
		});
}

/**
 * First, a sweep: every action in every role, with its form as the page renders it, filled in (no
 * fields where no page shows the form), plus field names that are object keys in JavaScript; and
 * once more as a multipart post by the viewer who sees the form.
 */
function sweep(actions: Action[], baselines: Map<number, BaseField[][]>): Spec[] {
	const none: Omit<Spec, 'action' | 'role' | 'fields' | 'body' | 'accept'> = { file: null, randomBytes: [], randomType: '', truncateAt: 0, origin: 'same', params: [0, 0, 0], locale: '/de' };
	return actions.flatMap((a, action) => {
		const form = baselines.get(action)?.[0] ?? [];
		const fields: [string, string][] = [...form.map((f): [string, string] => [f.name, f.value === '' ? plausible(f.name) : f.value]), ['__proto__', 'x'], ['constructor', 'y']];
		return [
			...ROLES.map((role, i): Spec => ({ ...none, action, role, fields, body: 'urlencoded', accept: i % 2 ? 'html' : 'enhance' })),
			{ ...none, action, role: viewerOf(a.route), fields, body: 'multipart', accept: 'html' }
		];
	});
}

function multipart(fields: [string, string][], file: Spec['file'], boundary: string): Buffer {
	const parts: Buffer[] = [];
	const escape = (name: string) => name.replace(/"/g, '%22').replace(/\r|\n/g, ' ');
	for (const [name, value] of fields) {
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${escape(name)}"\r\n\r\n${value}\r\n`));
	}
	if (file) {
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${escape(file.name)}"; filename="logo.png"\r\n${file.type ? `Content-Type: ${file.type}\r\n` : ''}\r\n`));
		parts.push(Buffer.from(file.bytes), Buffer.from('\r\n'));
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return Buffer.concat(parts);
}

function encodeBody(spec: Spec): { body: Buffer; type: string | null } {
	const { fields } = spec;
	const urlencoded = () => Buffer.from(new URLSearchParams(fields).toString());
	const boundary = '----fuzz7MA4YWxkTrZu0gW';
	switch (spec.body) {
		case 'urlencoded':
			return { body: urlencoded(), type: 'application/x-www-form-urlencoded' };
		case 'multipart':
			return { body: multipart(fields, spec.file, boundary), type: `multipart/form-data; boundary=${boundary}` };
		case 'multipart-bad-boundary':
			return { body: multipart(fields, spec.file, boundary), type: 'multipart/form-data; boundary=somethingelse' };
		case 'multipart-truncated': {
			const whole = multipart(fields, spec.file, boundary);
			return { body: whole.subarray(0, Math.min(spec.truncateAt, Math.max(0, whole.length - 3))), type: `multipart/form-data; boundary=${boundary}` };
		}
		case 'multipart-no-boundary':
			return { body: multipart(fields, spec.file, boundary), type: 'multipart/form-data' };
		case 'text-plain':
			return { body: Buffer.from(fields.map(([k, v]) => `${k}=${v}`).join('\r\n')), type: 'text/plain' };
		case 'json':
			return { body: Buffer.from(JSON.stringify(Object.fromEntries(fields))), type: 'application/json' };
		case 'none':
			return { body: urlencoded(), type: null };
		case 'random-bytes':
			return { body: Buffer.from(spec.randomBytes), type: spec.randomType };
	}
}

interface Target {
	url: string;
	action: Action;
}

function targetOf(spec: Spec, actions: Action[], s: Setup): Target {
	const action = actions[spec.action]!;
	const params = URLS[action.route]!(s, action.name);
	let index = 0;
	const pathname = action.route.replace(/\[(\w+)\]/g, (_, param: string) => {
		const real = params[param] ?? [];
		const pick = spec.params[index++] ?? 0;
		// Participants open their own links; everyone else gets real and forged ones.
		const forged = param === 'token' ? GARBAGE_TOKENS : GARBAGE_IDS;
		if (real.length && (pick < 30 || (spec.role === 'participant' && TOKEN_ROUTES.test(action.route)))) return encodeURIComponent(real[pick % real.length]!);
		return encodeURIComponent(forged[pick % forged.length]!);
	});
	const query = action.kind === 'endpoint' || action.name === 'default' ? '' : `?/${action.name}`;
	return { url: `${spec.locale}${pathname === '/' ? '' : pathname}${query}` || '/', action };
}

/**
 * Node closes a kept-alive connection when it answered before reading a large body; the client only
 * learns it on its next request over that connection, which never reached the app: send it again.
 */
async function resending<T>(send: () => Promise<T>, onReset: () => void = () => {}): Promise<T> {
	try {
		return await send();
	} catch (error) {
		if (!String(error).includes('ECONNRESET')) throw error;
		onReset();
		return send();
	}
}

interface Outcome {
	status: number;
	/** The status the app meant: for enhance/JSON answers the one inside the body. */
	effective: number;
	type: string;
	detail: string;
}

async function outcomeOf(response: APIResponse): Promise<Outcome> {
	const status = response.status();
	const contentType = response.headers()['content-type'] ?? '';
	let effective = status;
	let type = '';
	let detail = '';
	if (contentType.includes('application/json')) {
		const text = await response.text();
		try {
			const json = JSON.parse(text) as { type?: string; status?: number; error?: { message?: string } };
			type = json.type ?? '';
			// fail() and redirect() carry their status in the body; an error's is the response's own.
			if (type === 'failure' || type === 'redirect') effective = json.status ?? status;
			detail = text.slice(0, 300);
		} catch {
			detail = text.slice(0, 300);
		}
	} else if (status >= 500) {
		detail = (await response.text()).slice(0, 300);
	}
	return { status, effective, type, detail };
}

// ---------------------------------------------------------------------------------------------

test.describe('fuzzing every form action', () => {
	test('every action in the source tree has a URL to fuzz it at', () => {
		const actions = discoverActions();
		expect(actions.length).toBeGreaterThan(40);
		const unmapped = [...new Set(actions.map((a) => a.route))].filter((route) => !URLS[route]);
		expect(unmapped, 'routes with form actions but no entry in URLS').toEqual([]);
		const stale = Object.keys(URLS).filter((route) => !actions.some((a) => a.route === route));
		expect(stale, 'URLS entries for routes without actions').toEqual([]);
	});

	test('random submissions in every role: no 5xx, and nothing written by a refused request', async ({ playwright }) => {
		// On PostgreSQL each fingerprint is a psql call (about a third of a second here).
		test.setTimeout((E2E_DATABASE_URL ? 25 : 10) * 60_000);
		const actions = discoverActions();
		const setup = setUp();
		const globalFields = allFieldNames();

		const contexts = new Map<Role, APIRequestContext>();
		const tokens = Object.fromEntries(Object.entries(setup.loginTokens).map(([role, list]) => [role, [...list]])) as Record<SignedInRole, string[]>;
		const signIn = async (role: SignedInRole) => {
			const context = contexts.get(role)!;
			if (tokens[role].length === 0) {
				tokens[role] = withServices<string[]>(
					`const { createLoginToken } = await import('./src/lib/server/auth/login-token');
					const user = await users.findUserByEmail(db, input);
					const list = [];
					for (let i = 0; i < 20; i++) list.push(await createLoginToken(db, user.id, now));
					return list;`,
					ROLE_EMAILS[role]
				);
			}
			const token = tokens[role].shift();
			const response = await resending(() => context.post('/de/sign-in/link', { form: { token: token! }, headers: { origin: ORIGIN, accept: 'text/html' }, maxRedirects: 0 }));
			expect(response.status(), `sign-in of ${role}`).toBe(303);
		};
		for (const role of ROLES) {
			contexts.set(role, await playwright.request.newContext({ baseURL: ORIGIN }));
			if (isSignedIn(role)) await signIn(role);
		}

		const baselines = await harvestForms(actions, setup, contexts);
		const fingerprint = new Fingerprint(DB_FILE);
		// The fingerprint sees a write: a participant turns reminders off.
		const unchanged = fingerprint.take();
		const optOut = await contexts.get('participant')!.post(`/de/manage/${setup.manageTokens[0]}?/mailPreference`, { form: { optOut: 'true' }, headers: { origin: ORIGIN, accept: 'text/html' } });
		expect(optOut.status()).toBe(200);
		expect(changedTables(unchanged, fingerprint.take())).toContain('person');
		const failures: string[] = [];
		const serverErrors = new Map<BodyKind, number>();
		const succeeded = new Set<string>();
		const counts = { requests: 0, refused: 0, byStatus: new Map<number, number>(), resignIns: 0, restores: 0, resets: 0 };
		const specs = [...sweep(actions, baselines), ...fc.sample(specArb(actions, setup, globalFields, baselines), { seed: SEED, numRuns: RUNS })];
		const started = Date.now();
		// One take per request: the state after a request is the state before the next one (what
		// changes by itself, the worker's delivery columns and sessions' expiry, is not hashed).
		let state = fingerprint.take();
		try {
			for (const [i, spec] of specs.entries()) {
				const { url, action } = targetOf(spec, actions, setup);
				const { body, type } = encodeBody(spec);
				const headers: Record<string, string> = {};
				if (type) headers['content-type'] = type;
				if (spec.origin === 'same') headers.origin = ORIGIN;
				if (spec.origin === 'cross') headers.origin = 'https://evil.example';
				if (spec.accept === 'html') headers.accept = 'text/html';
				if (spec.accept === 'enhance') Object.assign(headers, { accept: 'application/json', 'x-sveltekit-action': 'true' });

				let before = state;
				const request = () => contexts.get(spec.role)!.fetch(url, { method: action.kind === 'endpoint' ? action.name : 'POST', data: body, headers, maxRedirects: 0, failOnStatusCode: false });
				const response = await resending(request, () => {
					counts.resets++;
					before = fingerprint.take();
				});
				const outcome = await outcomeOf(response);
				counts.requests++;
				counts.byStatus.set(outcome.effective, (counts.byStatus.get(outcome.effective) ?? 0) + 1);
				const describe = () =>
					`#${i} ${spec.role} POST ${url} (${spec.body}, origin ${spec.origin}, accept ${spec.accept}) → ${outcome.status}` +
					`${outcome.effective !== outcome.status ? ` (${outcome.type} ${outcome.effective})` : ''}\n    fields: ${JSON.stringify(spec.fields).slice(0, 400)}${outcome.detail ? `\n    body: ${outcome.detail}` : ''}`;

				if (outcome.status >= 500 || outcome.effective >= 500) {
					failures.push(`5xx: ${describe()}`);
					serverErrors.set(spec.body, (serverErrors.get(spec.body) ?? 0) + 1);
				}
				const key = `${action.route} ${action.name}`;
				// An anonymous visitor sent to sign in was refused too, only politely.
				const toSignIn = outcome.effective === 303 && /\/sign-in\?redirectTo=/.test(response.headers().location ?? '');
				const refused = outcome.effective >= 400 || toSignIn;
				if (!refused) succeeded.add(key);
				if (refused) {
					counts.refused++;
					state = fingerprint.take();
					const changed = changedTables(before, state);
					if (changed.length) failures.push(`refused but wrote to ${changed.join(', ')}: ${describe()}`);
					continue;
				}
				// Successes that take away what later requests need.
				if (isSignedIn(spec.role) && action.route === '/account') {
					const account = await resending(() => contexts.get(spec.role)!.get('/de/account', { maxRedirects: 0 }));
					if (account.status() !== 200) {
						await signIn(spec.role);
						counts.resignIns++;
					}
				}
				if (action.route === '/club' && ['leave', 'remove', 'role'].includes(action.name) && !fingerprint.hasRows('club_member', setup.memberships)) {
					restoreMemberships(setup.memberships);
					counts.restores++;
				}
				state = fingerprint.take();
			}
		} finally {
			fingerprint.close();
			for (const context of contexts.values()) await context.dispose();
			const seconds = ((Date.now() - started) / 1000).toFixed(0);
			const statuses = [...counts.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
			const never = actions.map((a) => `${a.route} ${a.name}`).filter((key) => !succeeded.has(key));
			console.log(`rendered forms found for ${baselines.size} of ${actions.length} actions`);
			console.log(`actions no request got through (${never.length}): ${never.join(', ')}`);
			console.log(`fuzz seed ${SEED}: ${counts.requests} requests over ${actions.length} actions in ${seconds} s; ${counts.refused} refused; statuses ${statuses}; ${counts.resignIns} re-sign-ins, ${counts.restores} membership restores, ${counts.resets} reset connections retried; 5xx by body: ${JSON.stringify(Object.fromEntries(serverErrors))}`);
		}
		expect(failures, `fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}):\n${failures.join('\n')}`).toEqual([]);
	});
});
