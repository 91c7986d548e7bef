import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { CLUB_MEMBER, COORDINATOR, cliSignInLink, confirmSignInLink, snapshotMail, waitForNewMail, unfold } from './helpers';

// Screenshots of the main journeys for the README, taken on every e2e run so they stay current:
// docs/screenshots/<journey>-<phone|desktop>.png. Only the first screen (no full page), so each PNG
// stays small. SCREENSHOT_DIR writes them elsewhere (to look at them without changing the repository).

const DIR = process.env.SCREENSHOT_DIR ?? path.resolve(import.meta.dirname, '../../docs/screenshots');
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;
const EVENT = 'Markt der Möglichkeiten Imst';

async function shoot(page: Page, journey: string) {
	for (const [name, viewport] of Object.entries(SIZES)) {
		await page.setViewportSize(viewport);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await page.screenshot({ path: path.join(DIR, `${journey}-${name}.png`), animations: 'disabled', caret: 'hide' });
	}
}

test.describe('README screenshots', () => {
	test('a resident: home, event, confirmed registration, manage page', async ({ page }) => {
		await page.goto('/de/');
		await shoot(page, 'home');
		await page.getByRole('link', { name: EVENT }).first().click();
		await expect(page.getByRole('heading', { level: 1, name: EVENT })).toBeVisible();
		await shoot(page, 'event');

		const email = 'lena.beispiel@example.org';
		const before = await snapshotMail();
		await page.getByLabel('Ihr Name').fill('Lena Beispiel');
		await page.getByLabel('E-Mail-Adresse').fill(email);
		await page.getByLabel(/zeitweise hier/).check();
		await page.getByLabel('Wohnort', { exact: true }).fill('Imst');
		await unfold(page, 'Was interessiert Sie?');
		await page.getByLabel('Sport und Bewegung').check();
		await unfold(page, 'Wann Sie Zeit haben');
		await page.getByLabel('am Wochenende').check();
		await page.getByLabel(/Datenschutzhinweise gelesen/).check();
		await page.locator('form').filter({ has: page.getByLabel('Ihr Name') }).locator('button[type="submit"]').click();
		const mail = await waitForNewMail(email, before);
		const confirm = /https?:\/\/[^/\s]+(\/\S*confirm\/[a-z2-7]{24}\.[a-z2-7]{24})/.exec(mail.parsed.text ?? '')?.[1];
		expect(confirm, 'confirm link').toBeDefined();
		await page.goto(confirm!);
		const afterConfirm = await snapshotMail();
		await page.locator('main form button[type="submit"]').first().click();
		const confirmation = await waitForNewMail(email, afterConfirm);
		await shoot(page, 'confirmed');

		const manage = /https?:\/\/[^/\s]+(\/\S*manage\/[a-z2-7]{24}\.[a-z2-7]{24})/.exec(confirmation.parsed.text ?? '')?.[1];
		expect(manage, 'manage link').toBeDefined();
		await page.goto(manage!);
		await expect(page.getByText(email).first()).toBeVisible();
		await shoot(page, 'manage');

		// Delete the data again: later tests count the free seats of this event.
		await page.locator('form[action="?/delete"] input[name="confirmDelete"]').check();
		await page.locator('form[action="?/delete"] button[type="submit"]').click();
		await expect(page).toHaveURL(/\/manage\/deleted/);
	});

	test('a club member: club area and the phone menu', async ({ page }) => {
		await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
		await page.goto('/de/club');
		await shoot(page, 'club-area');
		await page.setViewportSize(SIZES.phone);
		await page.locator('details.menu summary').click();
		await expect(page.locator('details.menu').getByRole('navigation')).toBeVisible();
		await page.screenshot({ path: path.join(DIR, 'menu-phone.png'), animations: 'disabled', caret: 'hide' });
	});

	test('the coordinator: dashboard, event admin, matching', async ({ page }) => {
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto('/de/admin');
		await shoot(page, 'coordination');
		await page.goto('/de/');
		await page.getByRole('link', { name: EVENT }).first().click();
		await expect(page).toHaveURL(/\/events\/[a-z2-7]+$/);
		const eventId = /\/events\/([a-z2-7]+)$/.exec(new URL(page.url()).pathname)?.[1];
		expect(eventId, 'event id').toBeDefined();
		await page.goto(`/de/admin/events/${eventId}`);
		await shoot(page, 'event-admin');
		await page.goto(`/de/admin/events/${eventId}/matching`);
		await shoot(page, 'matching');
	});
});
