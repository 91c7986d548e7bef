import fs from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { cliSignInLink, confirmSignInLink, COORDINATOR, expectNoAxeViolations, manageTokenOf } from './helpers';

// The Ehrenamtsnachweis of a demo participant who attended the past round table: printed, checked
// through its public link (genuine), forged (not genuine) and withdrawn; then the coordinator's
// hours export and Börse overview. Every page is axe-scanned and must fit a 390 px phone.

const PERSON = 'Petra Huber';
const PHONE = { width: 390, height: 844 };

async function expectFitsPhone(page: Page, label: string) {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width, `${label} fits ${PHONE.width} px`).toBeLessThanOrEqual(PHONE.width);
}

test.describe('Ehrenamtsnachweis', () => {
	test.use({ viewport: PHONE });

	test('a participant prints a record, its link says Echt, a forged one Nicht echt, a withdrawn one too', async ({ page }) => {
		const token = manageTokenOf(PERSON);
		await page.goto(`/de/manage/${token}`);
		await page.getByRole('link', { name: 'Ehrenamtsnachweis ansehen und ausdrucken' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Ihr Ehrenamtsnachweis' })).toBeVisible();
		const row = page.getByRole('row', { name: /Gesprächsrunde Ehrenamt Imst–Tarrenz/ });
		await expect(row).toContainText('Imst, Tarrenz');
		await expect(row).toContainText('2,5');
		await expect(page.getByText('Sie haben noch keinen Nachweis erstellt.')).toBeVisible();
		await expectNoAxeViolations(page, 'record list');
		await expectFitsPhone(page, 'record list');

		await page.goto(`/en/manage/${token}/nachweis`);
		await expect(page.getByRole('heading', { level: 1, name: 'Your volunteering record' })).toBeVisible();
		await page.goto(`/de/manage/${token}/nachweis`);
		await page.getByRole('button', { name: 'Nachweis erstellen' }).click();
		await expect(page.getByRole('status')).toContainText('Ihr Nachweis ist erstellt.');
		// The person's data download lists it too.
		const data = await (await page.request.get(`/de/manage/${token}/data.json`)).json();
		expect(data.volunteerRecords).toHaveLength(1);
		expect(data.volunteerRecords[0].totalMinutes).toBe(150);
		await page.getByRole('link', { name: /^Nachweis vom .* öffnen und drucken$/ }).click();
		await expect(page.getByRole('heading', { level: 1, name: /Ehrenamtsnachweis/ })).toContainText(`für ${PERSON}`);
		await expect(page.getByRole('img', { name: 'QR-Code mit dem Prüflink dieses Nachweises' })).toBeVisible();
		await expect(page.getByRole('cell', { name: 'Imst, Tarrenz' })).toBeVisible();
		await expectNoAxeViolations(page, 'record print view');
		await expectFitsPhone(page, 'record print view');
		// On paper: the site's header and the hints go, the record stays.
		await page.emulateMedia({ media: 'print' });
		await expect(page.locator('header.site-header')).toBeHidden();
		await expect(page.getByText('Zum Ausdrucken verwenden Sie')).toBeHidden();
		await expect(page.getByRole('img', { name: 'QR-Code mit dem Prüflink dieses Nachweises' })).toBeVisible();
		await page.emulateMedia({ media: 'screen' });

		const link = await page.locator('.verify a').getAttribute('href');
		expect(link).toMatch(/\/nachweis\/[a-z2-7]{24}\.[A-Za-z0-9_-]{43}$/);
		const verifyPath = new URL(link!).pathname;

		// Anyone may check it, without the manage link and without signing in.
		const visitorContext = await page.context().browser()!.newContext({ viewport: PHONE, locale: 'de-DE', baseURL: new URL(page.url()).origin });
		const visitor = await visitorContext.newPage();
		await visitor.goto(`/de${verifyPath}`);
		await expect(visitor.locator('[data-verdict]')).toHaveText('Echt');
		await expect(visitor.getByText(PERSON)).toBeVisible();
		await expect(visitor.getByRole('row', { name: /Gesprächsrunde Ehrenamt Imst–Tarrenz/ })).toContainText('2,5');
		await expect(visitor.locator('main')).not.toContainText('@');
		await expectNoAxeViolations(visitor, 'verification: genuine');
		await expectFitsPhone(visitor, 'verification: genuine');

		const signature = verifyPath.split('.')[1]!;
		const forged = verifyPath.replace(signature, (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1));
		await visitor.goto(`/de${forged}`);
		await expect(visitor.locator('[data-verdict]')).toHaveText('Nicht echt');
		await expect(visitor.getByText(PERSON)).toHaveCount(0);
		await expectNoAxeViolations(visitor, 'verification: forged');
		await visitor.goto(`/en${forged}`);
		await expect(visitor.locator('[data-verdict]')).toHaveText('Not genuine');

		// Withdrawn: the same genuine link now answers "Nicht echt".
		await page.getByRole('link', { name: 'Ihr Ehrenamtsnachweis' }).click();
		await page.getByRole('button', { name: /^Nachweis vom .* zurückziehen$/ }).click();
		await expect(page.getByRole('status')).toContainText('Der Nachweis ist zurückgezogen.');
		await expect(page.getByText('zurückgezogen', { exact: true })).toBeVisible();
		await visitor.goto(`/de${verifyPath}`);
		await expect(visitor.locator('[data-verdict]')).toHaveText('Nicht echt');
		await visitorContext.close();
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });

		test('the record is created and opened as plain HTML', async ({ page }) => {
			const token = manageTokenOf('Johann Falch');
			await page.goto(`/de/manage/${token}/nachweis`);
			await page.getByRole('button', { name: 'Nachweis erstellen' }).click();
			await expect(page.getByRole('status')).toContainText('Ihr Nachweis ist erstellt.');
			await page.getByRole('link', { name: /^Nachweis vom .* öffnen und drucken$/ }).click();
			const link = await page.locator('.verify a').getAttribute('href');
			await page.goto(new URL(link!).pathname.replace('/nachweis/', '/de/nachweis/'));
			await expect(page.locator('[data-verdict]')).toHaveText('Echt');
		});
	});

	test('the coordinator sees hours per person, downloads the CSV and reads the Börse overview', async ({ page }) => {
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		const today = new Date();
		const from = new Date(today.getTime() - 365 * 86_400_000).toISOString().slice(0, 10);
		const to = today.toISOString().slice(0, 10);
		await page.goto('/de/admin');
		await page.getByRole('navigation', { name: 'Koordination', exact: true }).getByRole('link', { name: 'Stunden' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Stunden für die Ehrenamtskarte' })).toBeVisible();
		await page.getByLabel('Von', { exact: true }).fill(from);
		await page.getByLabel('Bis', { exact: true }).fill(to);
		await page.getByRole('button', { name: 'Anzeigen' }).click();
		const row = page.getByRole('row', { name: new RegExp(PERSON) });
		await expect(row).toContainText('2,5');
		await expect(row).toContainText('nein');
		await expectNoAxeViolations(page, 'hours');
		await expectFitsPhone(page, 'hours');
		const downloading = page.waitForEvent('download');
		await page.getByRole('link', { name: 'Als CSV für Excel herunterladen' }).click();
		const csv = await fs.readFile((await (await downloading).path())!, 'utf8');
		expect(csv.startsWith('\uFEFF"Name";"E-Mail";"Von";"Bis";"Teilnahmen";"Stunden";"Schwelle 100 Std. erreicht"\r\n')).toBe(true);
		expect(csv).toContain(`"${PERSON}";`);
		expect(csv).toContain('"2,50";"nein"');

		await page.goto('/de/admin/boerse');
		await expect(page.getByRole('heading', { level: 1, name: 'Börse im Überblick' })).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Offene Angebote' })).toBeVisible();
		await expect(page.getByText('Noch keine Einsätze mit Schichten.')).toBeVisible();
		await expectNoAxeViolations(page, 'Börse overview');
		await expectFitsPhone(page, 'Börse overview');
		await page.goto('/en/admin/boerse');
		await expect(page.getByRole('heading', { level: 1, name: 'Exchange overview' })).toBeVisible();

		// A bad date is said clearly; the threshold is set per municipality and moves the marking.
		await page.goto('/de/admin/hours?from=kein-datum&to=2026-01-01');
		await expect(page.getByRole('alert')).toContainText('Bitte geben Sie ein gültiges Datum an.');
		await page.goto('/de/admin/settings');
		const threshold = page.getByLabel('Stunden im Jahr für die Ehrenamtskarte').first();
		await expect(threshold).toHaveValue('100');
		await threshold.fill('0');
		await threshold.locator('xpath=ancestor::form').getByRole('button', { name: 'Schwelle speichern' }).click();
		await expect(page.getByText('Bitte geben Sie eine ganze Zahl von 1 bis 2000 ein.').first()).toBeVisible();
		await expect(page.getByLabel('Stunden im Jahr für die Ehrenamtskarte').first()).toHaveValue('0');
		await page.getByLabel('Stunden im Jahr für die Ehrenamtskarte').first().fill('2');
		await page.getByLabel('Stunden im Jahr für die Ehrenamtskarte').first().locator('xpath=ancestor::form').getByRole('button', { name: 'Schwelle speichern' }).click();
		await expect(page.getByText('Die Stundenschwelle für Imst ist gespeichert.')).toBeVisible();
		await page.goto(`/de/admin/hours?from=${from}&to=${to}`);
		await expect(page.getByRole('row', { name: new RegExp(PERSON) })).toContainText('ja');
		await page.goto(`/en/admin/hours?from=${from}&to=${to}`);
		await expect(page.getByRole('heading', { level: 1, name: 'Hours for the volunteer card' })).toBeVisible();
		await expect(page.getByRole('row', { name: new RegExp(PERSON) })).toContainText('yes');
	});
});
