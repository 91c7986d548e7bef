// A resident registers while the database cannot take the write (another writer holds SQLite's
// lock): with JavaScript the form and everything typed stay, without JavaScript the 503 page offers
// the entries back; once the database is free, sending again works.
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, expectNoAxeViolationsInHtml } from './helpers';

const DATABASE = path.resolve(import.meta.dirname, '../../.e2e-data/miteinander.sqlite');
const EVENT = 'Markt der Möglichkeiten Imst';

/** Holds SQLite's write lock until released: the app's writers wait (busy timeout), then give up. */
function lockDatabase() {
	const blocker = new Database(DATABASE);
	blocker.exec('BEGIN IMMEDIATE');
	return () => {
		blocker.exec('ROLLBACK');
		blocker.close();
	};
}

async function fillForm(page: Page, email: string) {
	await page.goto('/de/');
	await page.getByRole('link', { name: EVENT }).first().click();
	await page.getByLabel('Ihr Name').fill('Ausfall Test');
	await page.getByLabel('E-Mail-Adresse').fill(email);
	await page.getByLabel('Wohnort', { exact: true }).fill('Imst');
	await page.getByLabel(/Datenschutzhinweise gelesen/).check();
}

test.describe('the database is busy while a resident registers', () => {
	// Each refused post first waits out SQLite's busy timeout (5 s).
	test.setTimeout(60_000);
	test('with JavaScript the form keeps what was typed and says to send it again', async ({ page }) => {
		await fillForm(page, 'ausfall-js@example.org');
		const release = lockDatabase();
		try {
			await page.getByRole('button', { name: 'Teilnehmen' }).click();
			await expect(page.getByRole('alert').filter({ hasText: 'Der Dienst antwortet gerade nicht' })).toBeVisible({ timeout: 15_000 });
			await expect(page.getByLabel('E-Mail-Adresse')).toHaveValue('ausfall-js@example.org');
			await expect(page.getByLabel('Wohnort', { exact: true })).toHaveValue('Imst');
			await expectNoAxeViolations(page, 'registration kept during an outage');
		} finally {
			release();
		}
		await page.getByRole('button', { name: 'Teilnehmen' }).click();
		await expect(page.getByRole('heading', { name: 'Fast geschafft!' })).toBeVisible();
		await expect(page.getByRole('alert').filter({ hasText: 'Der Dienst antwortet gerade nicht' })).toHaveCount(0);
	});

	test('without JavaScript the 503 page sends the same entries again', async ({ browser, page: scanner }) => {
		const context = await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
		const page = await context.newPage();
		try {
			await fillForm(page, 'ausfall-ohne-js@example.org');
			const release = lockDatabase();
			try {
				const [response] = await Promise.all([
					page.waitForResponse((r) => r.request().method() === 'POST'),
					page.getByRole('button', { name: 'Teilnehmen' }).click()
				]);
				expect(response.status()).toBe(503);
				expect(response.headers()['retry-after']).toMatch(/^\d+$/);
				await expect(page.getByRole('heading', { level: 1, name: 'Vorübergehend nicht erreichbar' })).toBeVisible();
				await expect(page.getByText('Ihre Eingaben sind nicht verloren')).toBeVisible();
				// axe needs JavaScript: scan the same HTML in a page that has it.
				await expectNoAxeViolationsInHtml(scanner, await page.content(), '503 page with entries to send again');
			} finally {
				release();
			}
			await page.getByRole('button', { name: 'Eingaben noch einmal senden' }).click();
			await expect(page.getByRole('heading', { name: 'Fast geschafft!' })).toBeVisible();
			await expect(page.getByText('ausfall-ohne-js@example.org')).toBeVisible();
		} finally {
			await context.close();
		}
	});
});
