import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ORIGIN, expectNoAxeViolations } from './helpers';

// The languages come from the inlang settings: a language added there must show up here too.
const { locales } = JSON.parse(readFileSync(new URL('../../project.inlang/settings.json', import.meta.url), 'utf8')) as { locales: string[] };
const PHONE = { width: 390, height: 844 };

/** The visible language list in the header (desktop bar or the opened phone menu). */
const languageList = (page: Page) => page.getByRole('banner').getByRole('list', { name: /^(Sprache|Language)$/ }).filter({ visible: true });

test.describe('language switcher', () => {
	test('lists every language in itself and keeps the page and its query', async ({ page }) => {
		await page.goto('/de/clubs?language=tr');
		await expect(page.locator('html')).toHaveAttribute('lang', 'de');
		await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
		const list = languageList(page);
		await expect(list.getByRole('listitem')).toHaveCount(locales.length);
		await expect(list.locator('[aria-current="true"]')).toHaveText('Deutsch');
		await expect(list.getByRole('link', { name: 'Deutsch' })).toHaveCount(0);
		for (const locale of locales.filter((l) => l !== 'de')) {
			await expect(list.locator(`a[hreflang="${locale}"]`)).toHaveAttribute('href', `/${locale}/clubs?language=tr`);
			await expect(list.locator(`a[hreflang="${locale}"]`)).toHaveAttribute('lang', locale);
		}
		await expectNoAxeViolations(page, 'club directory with a filter (de)');

		await list.getByRole('link', { name: 'English' }).click();
		await expect(page).toHaveURL(`${ORIGIN}/en/clubs?language=tr`);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		// The filter still applies after the switch.
		await expect(page.locator('#filter-language')).toHaveValue('tr');
		await expect(page.getByRole('link', { name: 'Tarrenzer Tafel' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Bergrettung Imst' })).toHaveCount(0);
		await expect(languageList(page).locator('[aria-current="true"]')).toHaveText('English');
		await expectNoAxeViolations(page, 'club directory with a filter (en)');

		await languageList(page).getByRole('link', { name: 'Deutsch' }).click();
		await expect(page).toHaveURL(`${ORIGIN}/de/clubs?language=tr`);
		await expect(page.locator('#filter-language')).toHaveValue('tr');
	});

	test('on a phone the switch in the menu keeps page and query too, without JavaScript', async ({ browser }) => {
		const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto('/de/?kind=market&municipality=imst');
		await page.getByText('Menü', { exact: true }).click();
		await languageList(page).getByRole('link', { name: 'English' }).click();
		await expect(page).toHaveURL(`${ORIGIN}/en?kind=market&municipality=imst`);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await context.close();
	});

	test('every page names its alternates with hreflang, and x-default', async ({ page, request }) => {
		for (const path of ['/de/clubs?language=tr', '/en/sign-in', '/de', '/de/events/no-such-event']) {
			await page.goto(path);
			const plain = path.replace(/^\/(de|en)(?=\/|$)/, '') || '/';
			const alternates = page.locator('head link[rel="alternate"][hreflang]');
			await expect(alternates).toHaveCount(locales.length + 1);
			for (const locale of locales) {
				const expected = `${ORIGIN}/${locale}${plain === '/' ? '' : plain.startsWith('/?') ? plain.slice(1) : plain}`;
				await expect(page.locator(`head link[rel="alternate"][hreflang="${locale}"]`)).toHaveAttribute('href', expected);
			}
			await expect(page.locator('head link[rel="alternate"][hreflang="x-default"]')).toHaveAttribute('href', `${ORIGIN}${plain}`);
		}

		// x-default lets the server choose: an English browser without a cookie gets English.
		const response = await request.get(`${ORIGIN}/clubs?language=tr`, { headers: { 'accept-language': 'en', 'sec-fetch-dest': 'document' }, maxRedirects: 0 });
		expect(response.status()).toBeGreaterThanOrEqual(300);
		expect(response.status()).toBeLessThan(400);
		expect(response.headers()['location']).toMatch(/^(?:https?:\/\/[^/]+)?\/en\/clubs\?language=tr$/);
	});
});
