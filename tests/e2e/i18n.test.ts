import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './helpers';

test.describe('language', () => {
	test('German is the default and "/" redirects to /de/', async ({ page }) => {
		await page.goto('/');
		await expect(page).toHaveURL(/\/de\/?$/);
		await expect(page.locator('html')).toHaveAttribute('lang', 'de');
		await expect(page.getByRole('heading', { level: 1, name: 'Engagement beginnt im Gespräch' })).toBeVisible();
		// Seeded demo events with their venues, and the municipalities to filter by.
		await expect(page.getByRole('heading', { level: 2, name: 'Kommende Veranstaltungen' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Markt der Möglichkeiten Imst' })).toBeVisible();
		await expect(page.getByText('Gemeindesaal Tarrenz, Dorfstraße 14, 6464 Tarrenz')).toBeVisible();
		await expect(page.getByLabel('Gemeinde')).toContainText('Tarrenz');
		await expectNoAxeViolations(page, 'home (de)');
	});

	test('the header switch changes to English, and the choice is remembered', async ({ page }) => {
		await page.goto('/de/');
		const toEnglish = page.getByRole('banner').getByRole('link', { name: 'English' });
		await expect(toEnglish).toHaveAttribute('hreflang', 'en');
		await expect(toEnglish).toHaveAttribute('lang', 'en');
		await toEnglish.click();

		await expect(page).toHaveURL(/\/en\/?$/);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(
			page.getByRole('heading', { level: 1, name: 'Getting involved starts with a conversation' })
		).toBeVisible();
		await expect(page.getByRole('heading', { level: 2, name: 'Upcoming events' })).toBeVisible();
		await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
		await expectNoAxeViolations(page, 'home (en)');

		// The language cookie makes unprefixed URLs English now, despite the German browser.
		expect((await page.context().cookies()).find((c) => c.name === 'PARAGLIDE_LOCALE')?.value).toBe('en');
		await page.goto('/');
		await expect(page).toHaveURL(/\/en\/?$/);
		await page.goto('/sign-in');
		await expect(page).toHaveURL(/\/en\/sign-in$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
		await expect(page.getByLabel('Email address')).toBeVisible();
		await expectNoAxeViolations(page, 'sign-in (en)');

		// And back: the switch keeps the current page.
		await page.getByRole('banner').getByRole('link', { name: 'Deutsch' }).click();
		await expect(page).toHaveURL(/\/de\/sign-in$/);
		await expect(page.locator('html')).toHaveAttribute('lang', 'de');
		await page.goto('/');
		await expect(page).toHaveURL(/\/de\/?$/);
	});

	test.describe('with an English browser', () => {
		test.use({ locale: 'en-US' });

		test('"/" redirects to /en/ by Accept-Language', async ({ page }) => {
			await page.goto('/');
			await expect(page).toHaveURL(/\/en\/?$/);
			await expect(page.locator('html')).toHaveAttribute('lang', 'en');
			await expect(page.getByRole('heading', { level: 1, name: 'Getting involved starts with a conversation' })).toBeVisible();
			await expect(page.getByRole('heading', { level: 2, name: 'Upcoming events' })).toBeVisible();
		});

		test('an explicit /de/ URL still wins over the browser language', async ({ page }) => {
			await page.goto('/de/imprint');
			await expect(page.locator('html')).toHaveAttribute('lang', 'de');
			await expect(page.getByRole('heading', { level: 1, name: 'Impressum' })).toBeVisible();
		});
	});

	test('imprint and privacy pages exist in both languages', async ({ page }) => {
		for (const [path, heading] of [
			['/de/imprint', 'Impressum'],
			['/de/privacy', 'Datenschutz'],
			['/en/imprint', 'Imprint'],
			['/en/privacy', 'Privacy']
		] as const) {
			const response = await page.goto(path);
			expect(response?.status(), path).toBe(200);
			const h1 = page.getByRole('heading', { level: 1 });
			await expect(h1).toBeVisible();
			await expect(h1).toHaveText(heading);
			await expectNoAxeViolations(page, path);
		}
		await page.goto('/de/');
		await page.getByRole('contentinfo').getByRole('link', { name: 'Impressum' }).click();
		await expect(page).toHaveURL(/\/de\/imprint$/);
		await page.getByRole('contentinfo').getByRole('link', { name: 'Datenschutz' }).click();
		await expect(page).toHaveURL(/\/de\/privacy$/);
	});
});
