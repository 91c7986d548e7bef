import { expect, test, type Page } from '@playwright/test';
import { COORDINATOR, expectNoAxeViolations, signIn } from './helpers';

// One sweep over every page, in both languages. The flow tests scan the states they reach
// (errors, confirmations, 403/404); this covers the rest with a signed-in coordinator.

async function visit(page: Page, path: string, heading: string | RegExp) {
	const response = await page.goto(path);
	expect(response?.status(), path).toBeLessThan(400);
	await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
	await expectNoAxeViolations(page, path);
}

test.describe('accessibility (axe-core)', () => {
	test('public pages', async ({ page }) => {
		await visit(page, '/de/', 'Engagement beginnt im Gespräch');
		await visit(page, '/en/', 'Getting involved starts with a conversation');
		await visit(page, '/de/sign-in', 'Einloggen');
		await visit(page, '/en/sign-in', 'Sign in');
		await visit(page, '/de/imprint', 'Impressum');
		await visit(page, '/de/privacy', 'Datenschutz');
		await visit(page, '/en/imprint', 'Imprint');
		await visit(page, '/en/privacy', 'Privacy');

		await page.goto('/en/sign-in/link?token=forged.token');
		await expect(page.getByRole('alert')).toBeVisible();
		await expectNoAxeViolations(page, 'link problem (en)');

		const notFound = await page.goto('/en/no-such-page');
		expect(notFound?.status()).toBe(404);
		await expectNoAxeViolations(page, '404 (en)');
	});

	test('the skip link moves to the main content', async ({ page }) => {
		await page.goto('/de/');
		await page.keyboard.press('Tab');
		const skip = page.getByRole('link', { name: 'Zum Inhalt springen' });
		await expect(skip).toBeFocused();
		await expect(skip).toBeInViewport();
		await skip.press('Enter');
		await expect(page.locator('main#main')).toBeFocused();
	});

	test('signed-in coordinator pages', async ({ page }) => {
		await signIn(page, COORDINATOR.email);
		await expect(page).toHaveURL(/\/de\/admin$/);
		await visit(page, '/de/admin', 'Koordination');
		await visit(page, '/de/admin/outbox', 'Postausgang');
		await page.getByRole('link', { name: 'Ihr Login-Link für Miteinander' }).first().click();
		await expect(page.getByRole('heading', { level: 1, name: 'Ihr Login-Link für Miteinander' })).toBeVisible();
		await expectNoAxeViolations(page, 'outbox detail (de)', { excludeMailFrame: true });
		await expect(page.locator('iframe.mail')).toHaveAttribute('title', 'HTML-Fassung');
		await visit(page, '/de/account', 'Mein Konto');
		await visit(page, '/de/club', 'Vereinsbereich');

		// English versions of the signed-in pages.
		await page.getByRole('banner').getByRole('link', { name: 'English' }).click();
		await expect(page).toHaveURL(/\/en\/club$/);
		await visit(page, '/en/admin', /.+/);
		await visit(page, '/en/admin/outbox', /.+/);
		await visit(page, '/en/account', /.+/);
		await page.goto('/en/admin/outbox');
		await page.getByRole('table').getByRole('link').first().click();
		await expect(page).toHaveURL(/\/en\/admin\/outbox\/[a-z0-9]+$/);
		await expectNoAxeViolations(page, 'outbox detail (en)', { excludeMailFrame: true });
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	});
});
