import { expect, test, type Page } from '@playwright/test';
import {
	CLUB_MEMBER,
	COORDINATOR,
	cliSignInLink,
	confirmSignInLink,
	expectNoAxeViolations,
	snapshotMail,
	waitForNewMail,
	unfold
} from './helpers';

// No page may be wider than a 390 px phone (issue 14, point 5). Each role of the demo data walks
// its pages: the crawler follows the links it finds (so dynamic pages are reached through real demo
// ids), visits one URL per route and fails naming every page that scrolls sideways. Every visited
// page is axe-scanned too. Each role must reach the routes listed for it, so a page that drops out
// of the walk fails the test instead of going unchecked.

const PHONE = { width: 390, height: 844 };

/** Route patterns, in the order of src/routes; the first match names a URL's route. */
const ROUTES: [string, RegExp][] = [
	['home', /^\/$/],
	['sign-in', /^\/sign-in$/],
	['imprint', /^\/imprint$/],
	['privacy', /^\/privacy$/],
	['for-clubs', /^\/for-clubs$/],
	['clubs', /^\/clubs$/],
	['club page', /^\/clubs\/[^/]+\/[^/]+$/],
	['offer contact', /^\/clubs\/[^/]+\/[^/]+\/offers\/[^/]+\/contact$/],
	['event', /^\/events\/[^/]+$/],
	['confirm', /^\/confirm\/[^/]+$/],
	['manage: deleted', /^\/manage\/deleted$/],
	['manage', /^\/manage\/[^/]+$/],
	['manage: unsubscribe', /^\/manage\/[^/]+\/unsubscribe$/],
	['contact confirm', /^\/contact\/confirm\/[^/]+$/],
	['contact manage', /^\/contact\/manage\/[^/]+$/],
	['account', /^\/account$/],
	['club area', /^\/club$/],
	['club register', /^\/club\/register$/],
	['club profile', /^\/club\/[^/]+\/profile$/],
	['club leads', /^\/club\/[^/]+\/leads$/],
	['club offer new', /^\/club\/[^/]+\/offers\/new$/],
	['club offer', /^\/club\/[^/]+\/offers\/[^/]+$/],
	['club stalls', /^\/club\/[^/]+\/stalls$/],
	['club matching', /^\/club\/[^/]+\/matching$/],
	['club matching event', /^\/club\/[^/]+\/matching\/[^/]+$/],
	['admin', /^\/admin$/],
	['admin clubs', /^\/admin\/clubs$/],
	['admin events', /^\/admin\/events$/],
	['admin event new', /^\/admin\/events\/new$/],
	['admin event', /^\/admin\/events\/[^/]+$/],
	['admin registrations', /^\/admin\/events\/[^/]+\/registrations$/],
	['admin stalls', /^\/admin\/events\/[^/]+\/stalls$/],
	['admin stall plan', /^\/admin\/events\/[^/]+\/stalls\/plan$/],
	['admin matching', /^\/admin\/events\/[^/]+\/matching$/],
	['admin timetable', /^\/admin\/events\/[^/]+\/matching\/timetable$/],
	['admin check-in', /^\/admin\/events\/[^/]+\/check-in$/],
	['admin attendance', /^\/admin\/events\/[^/]+\/attendance$/],
	['admin funnel', /^\/admin\/events\/[^/]+\/funnel$/],
	['admin message', /^\/admin\/events\/[^/]+\/message$/],
	['admin outbox', /^\/admin\/outbox$/],
	['admin settings', /^\/admin\/settings$/],
	['admin outbox mail', /^\/admin\/outbox\/[^/]+$/],
	['admin reports', /^\/admin\/reports$/],
	['admin reports landscape', /^\/admin\/reports\/landscape$/],
	['admin reports print', /^\/admin\/reports\/print$/]
];

/** Routes whose pages differ by their data (an event with stalls has links others lack): visit several. */
const VISITS_PER_ROUTE: Record<string, number> = { 'admin event': 6 };

function routeOf(pathname: string): string | undefined {
	const path = pathname.replace(/^\/(de|en)(?=\/|$)/, '') || '/';
	return ROUTES.find(([, pattern]) => pattern.test(path))?.[0];
}

/** Links that change something, leave the app or download a file are not followed. */
function isFollowable(url: URL, origin: string): boolean {
	return (
		url.origin === origin &&
		url.pathname.startsWith('/de') &&
		!/\.(ics|csv|json|pdf|eml)$/.test(url.pathname) &&
		!/\/(sign-in\/link|export|download)/.test(url.pathname) &&
		!url.search.startsWith('?/')
	);
}

/** Width and axe problems of one walk, reported together at its end. */
interface Problems {
	overflows: string[];
	axe: string[];
}

/** The document's scroll width and the element reaching furthest right (to say what to fix). */
async function measure(page: Page): Promise<{ width: number; widest: string }> {
	return page.evaluate(() => {
		let widest = '';
		let right = 0;
		for (const el of Array.from(document.querySelectorAll('body *'))) {
			const r = el.getBoundingClientRect();
			if (r.width > 0 && r.right > right + 0.5) {
				right = r.right;
				const cls = el.getAttribute('class')?.split(/\s+/).filter((c) => !c.startsWith('svelte-')).join('.');
				widest = `${el.tagName.toLowerCase()}${cls ? '.' + cls : ''} (${Math.round(r.right)} px)`;
			}
		}
		return { width: document.documentElement.scrollWidth, widest };
	});
}

/**
 * Visits `start` and then the links found on each page, one URL per route, and returns the routes
 * visited, noting pages wider than the phone and axe violations in `problems`.
 */
async function walk(page: Page, start: string[], problems: Problems): Promise<Set<string>> {
	const seen = new Set<string>();
	const visits = new Map<string, number>();
	const visited = new Set<string>();
	const queue = [...start];
	while (queue.length > 0) {
		const next = queue.shift()!;
		const planned = routeOf(new URL(next, 'http://localhost').pathname);
		if (planned && (visits.get(planned) ?? 0) >= (VISITS_PER_ROUTE[planned] ?? 1)) continue;
		const response = await page.goto(next);
		const url = new URL(page.url());
		const route = routeOf(url.pathname);
		if (!route || visited.has(url.pathname) || (visits.get(route) ?? 0) >= (VISITS_PER_ROUTE[route] ?? 1)) continue;
		expect(response?.status(), `${route}: ${url.pathname}`).toBeLessThan(400);
		seen.add(route);
		visited.add(url.pathname);
		visits.set(route, (visits.get(route) ?? 0) + 1);

		const { width, widest } = await measure(page);
		if (width > PHONE.width) problems.overflows.push(`${route} ${url.pathname}: ${width} px, widest ${widest}`);
		try {
			await expectNoAxeViolations(page, `${route} (${url.pathname})`, { excludeMailFrame: route === 'admin outbox mail' });
		} catch {
			problems.axe.push(`${route} ${url.pathname} (violations logged above)`);
		}

		const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
		for (const href of hrefs) {
			const link = new URL(href);
			if (!isFollowable(link, url.origin)) continue;
			const linkRoute = routeOf(link.pathname);
			const wanted = linkRoute && (visits.get(linkRoute) ?? 0) < (VISITS_PER_ROUTE[linkRoute] ?? 1);
			if (wanted && !visited.has(link.pathname) && !queue.includes(link.pathname + link.search)) queue.push(link.pathname + link.search);
		}
	}
	return seen;
}

function expectFits(problems: Problems) {
	expect.soft([...new Set(problems.overflows)], `pages wider than ${PHONE.width} px`).toEqual([]);
	expect.soft(problems.axe, 'pages with axe violations').toEqual([]);
}

function expectReached(seen: Set<string>, routes: string[]) {
	expect.soft(routes.filter((r) => !seen.has(r)), 'routes not reached').toEqual([]);
}

test.describe('no page is wider than a 390 px phone', () => {
	test.use({ viewport: PHONE });
	// Each walk visits every page of its role with an axe scan: on a loaded two-core machine the
	// coordinator's walk takes over a minute and a half.
	test.describe.configure({ timeout: 240_000 });

	test('anonymous visitors', async ({ page }) => {
		const problems: Problems = { overflows: [], axe: [] };
		await page.goto('/de/');
		const seen = await walk(page, ['/de/', '/de/for-clubs', '/de/club/register'], problems);
		expectReached(seen, ['home', 'sign-in', 'imprint', 'privacy', 'for-clubs', 'clubs', 'club page', 'offer contact', 'event', 'club register']);
		expectFits(problems);
	});

	test('a resident with a long email address: confirm and manage pages', async ({ page }) => {
		const problems: Problems = { overflows: [], axe: [] };
		const email = 'anna-katharina.mustermann-oberhofer@gemeindeverwaltung-beispielort.example.org';
		await page.goto('/de/', { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: 'Markt der Möglichkeiten Imst' }).click();
		const before = await snapshotMail();
		await page.getByLabel('Ihr Name').fill('Anna-Katharina Mustermann-Oberhofer');
		await page.getByLabel('E-Mail-Adresse').fill(email);
		await page.getByLabel(/zeitweise hier/).check();
		await page.getByLabel('Wohnort', { exact: true }).fill('Wien');
		await unfold(page, 'Was interessiert Sie?');
		await page.getByLabel('Sport und Bewegung').check();
		await unfold(page, 'Wann Sie Zeit haben');
		await page.getByLabel('am Wochenende').check();
		await page.getByLabel(/Datenschutzhinweise gelesen/).check();
		// The registration form's own submit button, whatever its wording.
		await page.locator('form').filter({ has: page.getByLabel('Ihr Name') }).locator('button[type="submit"]').click();
		await expect(page.getByRole('heading', { name: 'Fast geschafft!' })).toBeVisible();
		const mail = await waitForNewMail(email, before);
		const confirm = /https?:\/\/[^/\s]+(\/\S*confirm\/[a-z2-7]{24}\.[a-z2-7]{24})/.exec(mail.parsed.text ?? '')?.[1];
		expect(confirm, 'confirm link').toBeDefined();

		const seenConfirm = await walk(page, [confirm!], problems);
		const afterConfirm = await snapshotMail();
		await page.goto(confirm!);
		await page.locator('main form button[type="submit"]').first().click();
		const confirmation = await waitForNewMail(email, afterConfirm);
		const manage = /https?:\/\/[^/\s]+(\/\S*manage\/[a-z2-7]{24}\.[a-z2-7]{24})/.exec(confirmation.parsed.text ?? '')?.[1];
		expect(manage, 'manage link').toBeDefined();
		const seenManage = await walk(page, [manage!, `${manage}/unsubscribe`], problems);
		await page.goto(manage!);
		await expect(page.getByText(email)).toBeVisible();

		// Delete the data again: later tests count the free seats of this event.
		await page.locator('form[action="?/delete"] input[name="confirmDelete"]').check();
		await page.locator('form[action="?/delete"] button[type="submit"]').click();
		await expect(page).toHaveURL(/\/manage\/deleted/);
		const seenDeleted = await walk(page, [new URL(page.url()).pathname], problems);

		expectReached(new Set([...seenConfirm, ...seenManage, ...seenDeleted]), ['confirm', 'manage', 'manage: unsubscribe', 'manage: deleted']);
		expectFits(problems);
	});

	test('a resident with a long email address: contacting an offer, its confirm and manage pages', async ({ page }) => {
		const problems: Problems = { overflows: [], axe: [] };
		const email = 'anna-katharina.mustermann-oberhofer@gemeindeverwaltung-beispielort.example.org';
		await page.goto('/de/clubs', { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: 'Tarrenzer Tafel' }).click();
		await page.getByRole('link', { name: /^Ich möchte mitmachen: / }).first().click();
		const before = await snapshotMail();
		await page.getByLabel('Ihr Name').fill('Anna-Katharina Mustermann-Oberhofer');
		await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(email);
		await page.getByLabel('Ihre Nachricht an den Verein').fill('Donnerstagnachmittag-Ausgabe-Unterstützungsbereitschaftserklärung '.repeat(3));
		await page.getByLabel(/Datenschutzhinweise gelesen/).check();
		await page.locator('main form button[type="submit"]').click();
		await expect(page.getByRole('heading', { name: 'Fast geschafft!' })).toBeVisible();
		const mail = await waitForNewMail(email, before);
		const link = (kind: string) => new RegExp(`https?://[^/\\s]+(/\\S*contact/${kind}/[a-z2-7]{24}\\.[a-z2-7]{24})`).exec(mail.parsed.text ?? '')?.[1];
		const confirm = link('confirm');
		const manage = link('manage');
		expect(confirm, 'confirm link').toBeDefined();
		expect(manage, 'manage link').toBeDefined();
		const seenConfirm = await walk(page, [confirm!], problems);
		await page.goto(confirm!);
		await page.locator('main form button[type="submit"]').first().click();
		await expect(page.getByRole('status')).toBeVisible();
		const seenManage = await walk(page, [manage!], problems);

		// Withdraw again: the demo club's lead list stays as other tests expect it.
		await page.goto(manage!);
		await page.locator('form[action="?/withdraw"] button[type="submit"]').click();
		await expect(page.getByRole('status')).toBeVisible();
		expectReached(new Set([...seenConfirm, ...seenManage]), ['contact confirm', 'contact manage']);
		expectFits(problems);
	});

	test('a club member', async ({ page }) => {
		const problems: Problems = { overflows: [], axe: [] };
		await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
		const seen = await walk(page, ['/de/club', '/de/account', '/de/clubs'], problems);
		expectReached(seen, ['club area', 'account', 'club profile', 'club leads', 'club offer new', 'club stalls', 'club matching']);
		expectFits(problems);
	});

	// The timetable is linked once a plan is computed, which matching.test.ts covers at desktop width.
	test('the coordinator', async ({ page }) => {
		const problems: Problems = { overflows: [], axe: [] };
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		const seen = await walk(page, ['/de/admin', '/de/admin/events', '/de/admin/reports', '/de/admin/outbox', '/de/club'], problems);
		expectReached(seen, [
			'admin',
			'admin clubs',
			'admin events',
			'admin event new',
			'admin event',
			'admin registrations',
			'admin stalls',
			'admin stall plan',
			'admin matching',
			'admin check-in',
			'admin attendance',
			'admin funnel',
			'admin message',
			'admin outbox',
			// The outbox has mail once the resident above has registered (tests run in file order).
			'admin outbox mail',
			'admin reports',
			'admin reports landscape',
			'admin reports print',
			'admin settings'
		]);
		expectFits(problems);
	});
});
