import { gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';

// Issue 17: a public page ships only what it needs. Counted as the browser fetches it — the entry,
// the page's nodes and every module they import — each script gzipped on its own.
// The goal is 50 KB and 15 files for each page. Home, the club directory and a club page need no
// JavaScript and ship none (csr = false). The event page hydrates for its use:enhance form: it keeps
// to 15 files, and its size limit is today's 73 KB, most of it the Svelte and SvelteKit runtime and
// messages, which Paraglide compiles with all six languages in each message function (see the README).
const GOAL = { gzipBytes: 50 * 1024, files: 15 };
const LIMITS: Record<string, { gzipBytes: number; files: number }> = {
	event: { gzipBytes: 73 * 1024, files: GOAL.files },
	home: GOAL,
	directory: GOAL,
	club: GOAL
};

interface Scripts {
	files: number;
	gzipBytes: number;
	list: string;
}

/** Loads `path` in a fresh page and sums the JavaScript the browser fetched until the network was idle. */
async function scriptsOf(page: Page, path: string): Promise<Scripts> {
	const responses: Promise<{ url: string; gzip: number }>[] = [];
	page.on('response', (response) => {
		if (response.request().resourceType() !== 'script') return;
		responses.push(response.body().then((body) => ({ url: response.url(), gzip: gzipSync(body, { level: 9 }).length })));
	});
	await page.goto(path, { waitUntil: 'networkidle' });
	const scripts = await Promise.all(responses);
	const gzipBytes = scripts.reduce((sum, s) => sum + s.gzip, 0);
	const list = [...scripts]
		.sort((a, b) => b.gzip - a.gzip)
		.map((s) => `  ${(s.gzip / 1024).toFixed(1).padStart(5)} KB  ${new URL(s.url).pathname}`)
		.join('\n');
	console.log(`${path}: ${scripts.length} scripts, ${(gzipBytes / 1024).toFixed(1)} KB gzip\n${list}`);
	return { files: scripts.length, gzipBytes, list };
}

function expectWithinBudget(kind: keyof typeof LIMITS, path: string, scripts: Scripts) {
	const limit = LIMITS[kind]!;
	if (scripts.gzipBytes > GOAL.gzipBytes || scripts.files > GOAL.files) console.log(`${path}: above the goal of 50 KB in 15 files`);
	expect(scripts.files, `scripts fetched by ${path}:\n${scripts.list}`).toBeLessThanOrEqual(limit.files);
	expect(scripts.gzipBytes, `gzipped JavaScript of ${path}:\n${scripts.list}`).toBeLessThanOrEqual(limit.gzipBytes);
}

test.describe('the JavaScript budget of the public pages', () => {
	test('an event page with its registration form', async ({ page, browser }) => {
		await page.goto('/de');
		const href = await page.locator('a[href^="/de/events/"]').first().getAttribute('href');
		expect(href).toBeTruthy();
		const fresh = await browser.newPage();
		const scripts = await scriptsOf(fresh, href!);
		// The page measured is the one with the form that use:enhance enhances, so it has scripts.
		await expect(fresh.locator('form[method="POST"] input[name="name"]')).toBeVisible();
		expect(scripts.files).toBeGreaterThan(0);
		expectWithinBudget('event', href!, scripts);
		await fresh.close();
	});

	test('the home page', async ({ page }) => {
		expectWithinBudget('home', '/de', await scriptsOf(page, '/de'));
	});

	test('the club directory', async ({ page }) => {
		expectWithinBudget('directory', '/de/clubs', await scriptsOf(page, '/de/clubs'));
	});

	test('a club page', async ({ page, browser }) => {
		await page.goto('/de/clubs');
		const href = await page.getByRole('link', { name: 'Bergrettung Imst' }).getAttribute('href');
		expect(href).toMatch(/^\/de\/clubs\/[^/]+\/[^/]+$/);
		const fresh = await browser.newPage();
		expectWithinBudget('club', href!, await scriptsOf(fresh, href!));
		await fresh.close();
	});
});
