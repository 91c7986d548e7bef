import { expect, test, type Page } from '@playwright/test';
import { COORDINATOR, cliSignInLink, confirmSignInLink, expectNoAxeViolations } from './helpers';

const PHONE = { width: 390, height: 844 };

/** The entries of the main menu that is visible now (desktop bar or opened phone menu). */
async function menuEntries(page: Page): Promise<string[]> {
	return page.getByRole('navigation', { name: 'Hauptnavigation' }).filter({ visible: true }).getByRole('link').allInnerTexts();
}

async function headerHeight(page: Page): Promise<number> {
	return page.locator('header.site-header').evaluate((header) => header.getBoundingClientRect().height);
}

test.describe('main menu', () => {
	test('anonymous visitors see no back-office entries, one entry for clubs and municipalities instead', async ({ page }) => {
		await page.goto('/de/');
		expect(await menuEntries(page)).toEqual(['Veranstaltungen', 'Einsätze', 'Vereine', 'Für Vereine und Gemeinden']);

		await page.getByRole('link', { name: 'Für Vereine und Gemeinden' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Für Vereine und Gemeinden' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Verein registrieren' })).toHaveAttribute('href', '/de/club/register');
		await expectNoAxeViolations(page, 'for clubs and municipalities');
	});

	test('on a phone the header is one bar with a menu that opens without JavaScript', async ({ browser }) => {
		const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto('/de/');
		// Before the compact menu the signed-out header alone took about 190 px of 844.
		expect(await headerHeight(page)).toBeLessThan(100);
		await expect(page.getByRole('navigation', { name: 'Hauptnavigation' }).filter({ visible: true })).toHaveCount(0);

		await page.getByText('Menü', { exact: true }).click();
		expect(await menuEntries(page)).toEqual(['Veranstaltungen', 'Einsätze', 'Vereine', 'Für Vereine und Gemeinden']);
		await expect(page.getByRole('link', { name: 'Einloggen' }).filter({ visible: true })).toHaveCount(1);
		await context.close();
	});

	test('a coordinator on a phone finds the back office in the menu, and the header stays small', async ({ browser }) => {
		const context = await browser.newContext({ viewport: PHONE });
		const page = await context.newPage();
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto('/de/');
		// Signed in, the header used to take about 300 px; now it is the bar with the menu button.
		expect(await headerHeight(page)).toBeLessThan(100);

		await page.getByText('Menü', { exact: true }).click();
		expect(await menuEntries(page)).toEqual(['Veranstaltungen', 'Einsätze', 'Vereine', 'Vereinsbereich', 'Koordination']);
		await expect(page.getByRole('button', { name: 'Ausloggen' }).filter({ visible: true })).toHaveCount(1);
		await expectNoAxeViolations(page, 'phone menu, open');
		await page.getByRole('link', { name: 'Koordination' }).click();
		await expect(page).toHaveURL(/\/de\/admin$/);
		await context.close();
	});
});
