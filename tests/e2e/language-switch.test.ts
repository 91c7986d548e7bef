import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ORIGIN, expectNoAxeViolations, snapshotMail, waitForNewMail } from './helpers';

// The languages come from the inlang settings: a language added there must show up here too.
const { locales } = JSON.parse(readFileSync(new URL('../../project.inlang/settings.json', import.meta.url), 'utf8')) as { locales: string[] };
const PHONE = { width: 390, height: 844 };
const messages = (locale: string) => JSON.parse(readFileSync(new URL(`../../messages/${locale}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
/** A plain message's text with its parameters filled in. */
const text = (locale: string, key: string, params: Record<string, string> = {}) =>
	String(messages(locale)[key]).replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);

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
			// Through /language, which remembers the choice; pages themselves set no cookie.
			await expect(list.locator(`a[hreflang="${locale}"]`)).toHaveAttribute('href', `/${locale}/language?to=${encodeURIComponent('/clubs?language=tr')}`);
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

	test('the error pages speak each language, Arabic right to left', async ({ page }) => {
		for (const locale of locales) {
			const response = await page.goto(`/${locale}/no-such-page`);
			expect(response?.status(), locale).toBe(404);
			await expect(page.locator('html')).toHaveAttribute('lang', locale);
			await expect(page.locator('html')).toHaveAttribute('dir', locale === 'ar' ? 'rtl' : 'ltr');
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(text(locale, 'error_title', { status: '404' }));
			await expect(page.getByText(text(locale, 'error_404'))).toBeVisible();
			await expect(page.getByRole('link', { name: text(locale, 'error_home') })).toHaveAttribute('href', `/${locale}`);
			await expectNoAxeViolations(page, `404 (${locale})`);
		}
		// A page's own 404 reason is translated too.
		await page.goto('/uk/events/no-such-event');
		await expect(page.getByText(text('uk', 'event_not_found'))).toBeVisible();
	});

	test('on the manage page a person chooses the language of their mail, and the page follows', async ({ page }) => {
		const email = 'sprachwahl@example.org';
		await page.goto('/de/');
		await page.getByRole('link', { name: 'Markt der Möglichkeiten Imst' }).first().click();
		await page.getByLabel('Ihr Name').fill('Amal Haddad');
		await page.getByLabel('E-Mail-Adresse').fill(email);
		await page.getByLabel(/Datenschutzhinweise gelesen/).check();
		let before = await snapshotMail();
		await page.getByRole('button', { name: 'Teilnehmen' }).click();
		await expect(page.getByRole('heading', { name: 'Fast geschafft!' })).toBeVisible();
		const request = await waitForNewMail(email, before);
		// Registered on the German page: the mail is German, its link keeps the language.
		const confirmUrl = /https?:\/\/\S+\/de\/confirm\/\S+/.exec(request.parsed.text ?? '')![0];
		before = await snapshotMail();
		await page.goto(confirmUrl);
		await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
		const confirmed = await waitForNewMail(email, before);
		const manageUrl = /https?:\/\/\S+\/de\/manage\/[a-z2-7]{24}\.[a-z2-7]{24}/.exec(confirmed.parsed.text ?? '')![0];

		await page.goto(manageUrl);
		const choice = page.getByRole('group', { name: text('de', 'manage_language_legend') });
		await expect(choice.getByRole('radio', { name: 'Deutsch' })).toBeChecked();
		await expect(choice.getByRole('radio')).toHaveCount(locales.length);
		await expect(choice.getByText('العربية')).toHaveAttribute('lang', 'ar');
		await expectNoAxeViolations(page, 'manage page with the language choice (de)');
		await choice.getByText('العربية').click();
		await page.getByRole('button', { name: 'Sprache speichern' }).click();

		await expect(page).toHaveURL(/\/ar\/manage\/[a-z2-7.]+\?saved=language#language$/);
		await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
		await expect(page.getByRole('status').filter({ hasText: text('ar', 'manage_language_saved') })).toBeVisible();
		await expect(page.getByRole('radio', { name: 'العربية' })).toBeChecked();
		// The event's German title keeps its own direction inside the Arabic page.
		expect(await page.getByRole('main').getByRole('link', { name: 'Markt der Möglichkeiten Imst' }).first().evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('plaintext');
		await expectNoAxeViolations(page, 'manage page after choosing Arabic');

		// The next mail comes in Arabic: cancelling the registration.
		before = await snapshotMail();
		await page.getByRole('button', { name: text('ar', 'manage_cancel_confirm') }).click();
		const cancelled = await waitForNewMail(email, before);
		expect(cancelled.parsed.subject).toMatch(/[\u0600-\u06ff]/);
		expect(cancelled.parsed.html).toContain('dir="rtl"');
		expect(cancelled.parsed.text).toMatch(/\/ar\/manage\//);
	});
});
