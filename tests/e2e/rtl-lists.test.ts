// The coordinator's tools a resident meets at the door — the QR check-in page and the printed
// attendance list — in Arabic: mirrored, readable, and scanned by axe. Screenshots are kept as
// test artefacts.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { COORDINATOR, cliSignInLink, confirmSignInLink, expectNoAxeViolations, snapshotMail, waitForNewMail } from './helpers';

const ar = JSON.parse(readFileSync(new URL('../../messages/ar.json', import.meta.url), 'utf8')) as Record<string, string>;

const EVENT = 'Markt der Möglichkeiten Imst';

async function eventId(page: Page): Promise<string> {
	await page.goto('/de/');
	await page.getByRole('link', { name: EVENT }).first().click();
	await expect(page).toHaveURL(/\/events\/[a-z2-7]{24}$/);
	return /\/events\/([a-z2-7]{24})$/.exec(page.url())![1]!;
}

/** The right edge of `first` lies right of `second`'s: the row reads from the right. */
async function readsRightToLeft(first: ReturnType<Page['locator']>, second: ReturnType<Page['locator']>) {
	const [a, b] = [await first.boundingBox(), await second.boundingBox()];
	expect(a && b).toBeTruthy();
	expect(a!.x).toBeGreaterThan(b!.x);
}

/** Registers and confirms through the Arabic pages, as a resident would. */
async function registerInArabic(page: Page, id: string, name: string, email: string) {
	await page.goto(`/ar/events/${id}`);
	await page.getByLabel(ar.field_name!).fill(name);
	await page.getByLabel(ar.field_email!).fill(email);
	await page.getByLabel(ar.field_consent_privacy!).check();
	const before = await snapshotMail();
	await page.getByRole('button', { name: ar.register_submit }).click();
	await expect(page.getByRole('heading', { name: ar.register_sent_title })).toBeVisible();
	const mail = await waitForNewMail(email, before);
	await page.goto(/https?:\/\/\S+\/ar\/confirm\/\S+/.exec(mail.parsed.text ?? '')![0]);
	await page.getByRole('button', { name: ar.confirm_submit }).click();
}

test('the check-in page and the printed attendance list in Arabic read right to left', async ({ page }, testInfo) => {
	// Kept in test-results/ (and attached to the report) for a person to look at.
	const keep = async (name: string) => {
		const file = testInfo.outputPath(name);
		await page.screenshot({ path: file, fullPage: true });
		await testInfo.attach(name, { path: file, contentType: 'image/png' });
	};
	const id = await eventId(page);
	await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
	await registerInArabic(page, id, 'ليلى حداد', 'layla.haddad@example.org');
	await registerInArabic(page, id, 'Omar Haddad', 'omar.haddad@example.org');

	await page.goto(`/ar/admin/events/${id}/check-in`, { waitUntil: 'networkidle' });
	await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
	const main = page.getByRole('main');
	expect(await main.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
	const search = page.getByRole('searchbox').or(page.getByRole('textbox')).first();
	const heading = page.getByRole('heading', { level: 1 });
	// The heading starts at the right edge of the content, as does the search field.
	const [h, s, m] = [await heading.boundingBox(), await search.boundingBox(), await main.boundingBox()];
	expect(m!.x + m!.width - (h!.x + h!.width)).toBeLessThan(40);
	expect(m!.x + m!.width - (s!.x + s!.width)).toBeLessThan(40);
	await expectNoAxeViolations(page, 'check-in (ar)');
	await keep('check-in-ar.png');

	await page.goto(`/ar/admin/events/${id}/attendance`);
	await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
	const headers = page.getByRole('columnheader');
	expect(await headers.count()).toBeGreaterThan(1);
	await readsRightToLeft(headers.nth(0), headers.nth(1));
	await expectNoAxeViolations(page, 'attendance list (ar)');
	await page.emulateMedia({ media: 'print' });
	await readsRightToLeft(headers.nth(0), headers.nth(1));
	await keep('attendance-print-ar.png');
	// E-mail addresses keep their own direction inside the Arabic table.
	await expect(page.getByRole('cell', { name: 'ليلى حداد' })).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Omar Haddad' })).toBeVisible();
});
