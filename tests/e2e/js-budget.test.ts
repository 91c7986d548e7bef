import { gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';

// Issue 17: a public page ships only what it needs. Counted as the browser fetches it — the entry,
// the page's nodes and every module they import — each script gzipped on its own.
// Each page keeps to 50 KB in 15 files. Home, the club directory and a club page need no JavaScript
// and ship none (csr = false). The event page hydrates for its use:enhance form; its texts come as
// data in the page's language, not as code in six (src/lib/message-data).
const BUDGET = { gzipBytes: 50 * 1024, files: 15 };

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

function expectWithinBudget(path: string, scripts: Scripts) {
	expect(scripts.files, `scripts fetched by ${path}:\n${scripts.list}`).toBeLessThanOrEqual(BUDGET.files);
	expect(scripts.gzipBytes, `gzipped JavaScript of ${path}:\n${scripts.list}`).toBeLessThanOrEqual(BUDGET.gzipBytes);
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
		expectWithinBudget(href!, scripts);
		await fresh.close();
	});

	test('the home page', async ({ page }) => {
		expectWithinBudget('/de', await scriptsOf(page, '/de'));
	});

	test('the club directory', async ({ page }) => {
		expectWithinBudget('/de/clubs', await scriptsOf(page, '/de/clubs'));
	});

	test('a club page', async ({ page, browser }) => {
		await page.goto('/de/clubs');
		const href = await page.getByRole('link', { name: 'Bergrettung Imst' }).getAttribute('href');
		expect(href).toMatch(/^\/de\/clubs\/[^/]+\/[^/]+$/);
		const fresh = await browser.newPage();
		expectWithinBudget(href!, await scriptsOf(fresh, href!));
		await fresh.close();
	});
});

test.describe("the browser's texts in the page's language", () => {
	test('come with the page, render after an enhanced submit, and load for a page reached by client-side navigation', async ({ page }) => {
		const problems: string[] = [];
		page.on('console', (message) => {
			if (message.type() === 'error') problems.push(message.text());
		});
		page.on('pageerror', (error) => problems.push(error.message));
		const textFiles: string[] = [];
		page.on('request', (request) => {
			if (request.url().endsWith('.json')) textFiles.push(new URL(request.url()).pathname);
		});

		await page.goto('/tr');
		const href = await page.locator('a[href^="/tr/events/"]').first().getAttribute('href');
		await page.goto(href!, { waitUntil: 'networkidle' });
		expect(textFiles, 'the first page needs no text file').toEqual([]);
		await expect(page.locator('script#message-data')).toHaveCount(1);

		// Rendered in the browser: the enhanced form's error summary, with a Turkish plural.
		await page.getByRole('button', { name: 'Katıl' }).click();
		await expect(page.getByRole('alert')).toContainText('Lütfen 3 bilgiyi düzeltin');
		expect(page.url()).toContain(href!);

		await page.locator('a[href="/tr/einsaetze"]:visible').first().click();
		await page.waitForURL('**/tr/einsaetze');
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		expect(textFiles.some((file) => /^\/_app\/immutable\/nodes\/\d+\.[\w-]+\.tr\.json$/.test(file))).toBe(true);
		expect(problems).toEqual([]);
	});
});
