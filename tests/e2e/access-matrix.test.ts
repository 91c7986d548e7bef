import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { cliSignInLink, CLUB_MEMBER, confirmSignInLink, COORDINATOR, E2E_DATABASE_URL, ORIGIN, withServices } from './helpers';

// Every club and admin route, tried as an anonymous visitor, as a member of another club and as a
// coordinator of another municipality: each must be denied, and nothing may change.

const OTHER_CLUB_ADMIN = 'ortsstelle@bergrettung-imst.example'; // Bergrettung Imst, not the Tafel
const TARRENZ_COORDINATOR = 'koordination@tarrenz.example'; // created below, Tarrenz only

interface Ids {
	tafel: string;
	tafelOffer: string;
	tafelLead: string;
	bergrettung: string;
	imstMarket: string;
	pendingImstClub: string;
	imst: string;
	tafelTask: string;
	tafelShift: string;
	tafelHelper: string;
}

function ids(): Ids {
	return withServices<Ids>(
		`const club = async (name) => (await db.selectFrom('club').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
		const tafel = await club('Tarrenzer Tafel');
		const task = await db.selectFrom('task').select('id').where('club_id', '=', tafel).where('title', '=', 'Lebensmittel sortieren in der Tafel').executeTakeFirstOrThrow();
		const shift = await db.selectFrom('event').select('id').where('task_id', '=', task.id).orderBy('starts_at').executeTakeFirstOrThrow();
		let pending = await db.selectFrom('club').select('id').where('name', '=', 'Matrix-Verein Imst').executeTakeFirst();
		if (!pending) {
			const imst = await db.selectFrom('municipality').select('id').where('slug', '=', 'imst').executeTakeFirstOrThrow();
			const result = await clubs.register(db, { name: 'Matrix-Verein Imst', description: '', contactEmail: 'matrix@verein.example', contactPhone: '', website: '', tags: [], municipalityId: imst.id, logo: null, representative: { email: 'matrix@verein.example', name: 'Matrix', locale: 'de' } }, { origin: '${ORIGIN}' }, now);
			pending = { id: result.clubId };
		}
		return {
			tafel,
			tafelOffer: (await db.selectFrom('offer').select('id').where('club_id', '=', tafel).executeTakeFirstOrThrow()).id,
			tafelLead: (await db.selectFrom('lead').select('id').where('club_id', '=', tafel).orderBy('id').executeTakeFirstOrThrow()).id,
			bergrettung: await club('Bergrettung Imst'),
			imstMarket: (await db.selectFrom('event').select('id').where('title', '=', 'Markt der Möglichkeiten Imst').executeTakeFirstOrThrow()).id,
			pendingImstClub: pending.id,
			imst: (await db.selectFrom('municipality').select('id').where('slug', '=', 'imst').executeTakeFirstOrThrow()).id,
			tafelTask: task.id,
			tafelShift: shift.id,
			tafelHelper: (await db.selectFrom('registration').select('id').where('event_id', '=', shift.id).orderBy('id').executeTakeFirstOrThrow()).id
		};`,
		{}
	);
}

/** Row counts and a few values that a successful attack would change. */
function fingerprint(): unknown {
	return withServices(
		`const count = async (table) => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
		const result = {};
		for (const table of ['club_member', 'club_invitation', 'offer', 'stall', 'stall_request', 'coordinator_message', 'registration', 'match_setting', 'match_rule', 'match_plan', 'match_slot', 'task', 'volunteer_record']) result[table] = await count(table);
		result.tasks = await db.selectFrom('task').select(['title', 'status']).orderBy('title').execute();
		result.helpers = await db.selectFrom('registration').innerJoin('event', 'event.id', 'registration.event_id').select(['registration.id', 'registration.status', 'registration.checked_in_at']).where('event.kind', '=', 'shift').orderBy('registration.id').execute();
		result.clubs = await db.selectFrom('club').select(['name', 'status', 'description']).orderBy('name').execute();
		result.offers = await db.selectFrom('offer').select(['title', 'status']).orderBy('title').execute();
		result.leads = await db.selectFrom('lead').select(['id', 'status']).orderBy('id').execute();
		result.events = await db.selectFrom('event').select(['title', 'status', 'starts_at', 'capacity', 'stall_booking_open']).orderBy('title').execute();
		return result;`,
		{}
	);
}

interface Post {
	url: string;
	form: Record<string, string>;
}

function routes(id: Ids): { clubPages: string[]; clubPosts: Post[]; adminPages: string[]; adminPosts: Post[] } {
	const club = (suffix: string) => `/de/club/${id.tafel}${suffix}`;
	const event = (suffix: string) => `/de/admin/events/${id.imstMarket}${suffix}`;
	const task = (suffix: string) => club(`/tasks/${id.tafelTask}${suffix}`);
	const shift = (suffix: string) => task(`/shifts/${id.tafelShift}${suffix}`);
	return {
		clubPages: [club('/profile'), club('/offers/new'), club(`/offers/${id.tafelOffer}`), club('/stalls'), club('/matching'), club(`/matching/${id.imstMarket}`), club('/leads'), club('/tasks'), club('/tasks/new'), task(''), shift('')],
		clubPosts: [
			{ url: club('/profile?/save'), form: { name: 'Übernommen', contactEmail: 'x@example.org', description: '' } },
			{ url: club('/profile?/removeLogo'), form: {} },
			{ url: club('/offers/new'), form: { title: 'Fremdes Angebot', commitment: 'regular', place: 'Imst', status: 'published' } },
			{ url: club(`/offers/${id.tafelOffer}?/archive`), form: { confirmArchive: 'on' } },
			{ url: club('/leads?/status'), form: { leadId: id.tafelLead, status: 'not_a_fit' } },
			{ url: club('/stalls?/request'), form: { eventId: id.imstMarket, size: '1', tables: '1', chairs: '1', staff: '', notes: '' } },
			{ url: club('/tasks/new'), form: { title: 'Fremder Einsatz', place: 'Imst', shiftStart1: '2030-01-01T10:00', shiftEnd1: '2030-01-01T12:00', shiftPlaces1: '3', status: 'published' } },
			{ url: task('?/save'), form: { title: 'Übernommen', place: 'Imst' } },
			{ url: task('?/cancel'), form: { confirm: 'on' } },
			{ url: task('?/shift'), form: { shiftStart1: '2030-01-01T10:00', shiftEnd1: '2030-01-01T12:00', shiftPlaces1: '3' } },
			{ url: task('?/changeShift'), form: { shiftId: id.tafelShift, startLocal: '2030-01-01T10:00', endLocal: '2030-01-01T12:00', places: '50' } },
			{ url: task('?/removeShift'), form: { shiftId: id.tafelShift, confirmRemove: 'on' } },
			{ url: shift('?/mark'), form: { registrationId: id.tafelHelper, outcome: 'no_show' } },
			{ url: shift('?/message'), form: { subject: 'Spam', body: 'Spam', messageId: 'aaaaaaaaaaaaaaaaaaaaaaaa' } },
			{ url: '/de/club?/invite', form: { clubId: id.tafel, email: 'eindringling@example.org', role: 'admin' } },
			{ url: '/de/club?/offerStatus', form: { clubId: id.tafel, offerId: id.tafelOffer, status: 'paused' } }
		],
		adminPages: [
			event(''), event('/registrations'), event('/registrations.csv'), event('/attendance'), event('/check-in'), event('/message'), event('/stalls'), event('/stalls/plan'), event('/matching'), event('/matching/timetable'), event('/funnel'),
			// Reports name the municipality: another municipality's coordinator asks for Imst's.
			`/de/admin/reports?municipality=${id.imst}`, `/de/admin/reports/print?municipality=${id.imst}`, `/de/admin/reports.csv?municipality=${id.imst}`, `/de/admin/reports/landscape?municipality=${id.imst}`,
			`/de/admin/hours?municipality=${id.imst}`, `/de/admin/hours.csv?municipality=${id.imst}`, `/de/admin/boerse?municipality=${id.imst}`
		],
		adminPosts: [
			{ url: event('?/cancel'), form: { confirmCancel: 'on' } },
			{ url: event('?/reminders'), form: { reminderDays: '', reminderTime: '09:00' } },
			{ url: event('/message?/send'), form: { audience: 'confirmed', subjectDe: 'Spam', bodyDe: 'Spam', confirmSend: 'on', messageId: 'aaaaaaaaaaaaaaaaaaaaaaaa' } },
			{ url: event('/stalls?/add'), form: { prefix: 'X', from: '1', count: '5', zone: '', size: '1' } },
			{ url: event('/stalls?/booking'), form: { open: 'true' } },
			{ url: event('/matching?/settings'), form: { k: '1', rounds: '1', roundMinutes: '5', tableSeats: '2', firstRoundAt: '' } },
			{ url: event('/matching?/run'), form: {} },
			{ url: event('/matching?/publish'), form: { confirm: 'on' } },
			{ url: '/de/admin/clubs?/approve', form: { clubId: id.pendingImstClub } }
		]
	};
}

async function expectDenied(request: APIRequestContext, method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
	const response =
		method === 'GET'
			? await request.get(url, { maxRedirects: 0 })
			: // As a browser posts a form (with Accept: */* SvelteKit would answer JSON, always 200).
				await request.post(url, { form: form ?? {}, headers: { origin: ORIGIN, accept: 'text/html' }, maxRedirects: 0 });
	const status = response.status();
	// Anonymous: off to sign-in; signed in: forbidden or not found (no hint that the id exists).
	const redirectsToSignIn = status === 303 && (response.headers().location ?? '').includes('/sign-in');
	expect(redirectsToSignIn || status === 403 || status === 404, `${method} ${url} answered ${status}`).toBe(true);
}

test.describe('access matrix', () => {
	test.beforeAll(() => {
		execFileSync('npx', ['tsx', 'scripts/admin.ts', 'create-coordinator', '--email', TARRENZ_COORDINATOR, '--municipality', 'Tarrenz'], {
			cwd: path.resolve(import.meta.dirname, '../..'),
			env: { ...process.env, DATABASE_URL: E2E_DATABASE_URL, DATA_DIR: '.e2e-data', DATABASE_PATH: '', ORIGIN },
			encoding: 'utf8'
		});
	});

	for (const who of ['anonymous', 'member of another club', 'coordinator of another municipality'] as const) {
		test(`every club and admin route denies the ${who}`, async ({ page, playwright }) => {
			const id = ids();
			const before = fingerprint();
			let request: APIRequestContext;
			if (who === 'anonymous') {
				request = await playwright.request.newContext({ baseURL: ORIGIN });
			} else {
				await confirmSignInLink(page, cliSignInLink(who === 'member of another club' ? OTHER_CLUB_ADMIN : TARRENZ_COORDINATOR));
				request = page.request;
			}
			const r = routes(id);
			for (const url of r.clubPages) await expectDenied(request, 'GET', url);
			for (const { url, form } of r.clubPosts) await expectDenied(request, 'POST', url, form);
			for (const url of r.adminPages) await expectDenied(request, 'GET', url);
			for (const { url, form } of r.adminPosts) await expectDenied(request, 'POST', url, form);
			expect(fingerprint()).toEqual(before);
		});
	}

	test('the club’s own member and the right coordinator are let in (the matrix is not denying everyone)', async ({ page }) => {
		const id = ids();
		await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
		expect((await page.request.get(`/de/club/${id.tafel}/profile`)).status()).toBe(200);
		expect((await page.request.get(`/de/club/${id.tafel}/stalls`)).status()).toBe(200);
		expect((await page.request.get(`/de/club/${id.tafel}/matching`)).status()).toBe(200);
		expect((await page.request.get(`/de/club/${id.tafel}/leads`)).status()).toBe(200);
		expect((await page.request.get(`/de/club/${id.tafel}/tasks/${id.tafelTask}/shifts/${id.tafelShift}`)).status()).toBe(200);
		const coordinator = await page.context().browser()!.newPage({ locale: 'de-DE' });
		await confirmSignInLink(coordinator, cliSignInLink(COORDINATOR.email));
		expect((await coordinator.request.get(`/de/admin/events/${id.imstMarket}/stalls`)).status()).toBe(200);
		expect((await coordinator.request.get(`/de/admin/events/${id.imstMarket}/matching`)).status()).toBe(200);
		expect((await coordinator.request.get('/de/admin/clubs')).status()).toBe(200);
		expect((await coordinator.request.get(`/de/admin/events/${id.imstMarket}/funnel`)).status()).toBe(200);
		for (const url of ['/de/admin/reports', '/de/admin/reports/print', '/de/admin/reports.csv', '/de/admin/reports/landscape', '/de/admin/hours', '/de/admin/hours.csv', '/de/admin/boerse']) {
			expect((await coordinator.request.get(`${url}?municipality=${id.imst}`)).status(), url).toBe(200);
		}
		await coordinator.close();
	});
});
