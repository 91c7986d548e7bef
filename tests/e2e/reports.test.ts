import fs from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { cliSignInLink, confirmSignInLink, COORDINATOR, expectNoAxeViolations } from './helpers';

// The demo seeds a Gesprächsrunde of the Imst–Tarrenz series 120 days ago: 14 held a seat, 11 came
// and were matched, 7 talked to a club, 6 asked to try one and 2 joined (shown as "< 5").

const SERIES = 'Gesprächsrunde Ehrenamt Imst–Tarrenz';
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const FROM = day(-200);
const TO = day(0);

async function signInAsCoordinator(page: Page) {
	await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
}

/** The row of a table whose header cell starts with `label`. */
const row = (page: Page, table: string, label: string | RegExp) => page.getByRole('table', { name: table }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: label }) });

test.describe('reports', () => {
	test('a coordinator filters the report, downloads the CSV, prints it and opens the funnel and the landscape', async ({ page }) => {
		await signInAsCoordinator(page);
		await page.goto('/de/admin');
		await page.getByRole('navigation', { name: 'Koordination' }).getByRole('link', { name: 'Berichte' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Berichte' })).toBeVisible();

		await page.getByLabel('Gemeinde', { exact: true }).selectOption({ label: 'Imst' });
		await page.getByLabel('Reihe', { exact: true }).selectOption({ label: SERIES });
		await page.getByLabel('Von', { exact: true }).fill(FROM);
		await page.getByLabel('Bis', { exact: true }).fill(TO);
		await page.getByRole('button', { name: 'Bericht anzeigen' }).click();
		await expect(page).toHaveURL(/series=/);
		await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^Imst, .* – ${SERIES}$`) })).toBeVisible();
		await expect(page.getByText('Veranstaltungen im Zeitraum: 1')).toBeVisible();
		// The numbers are in tables beside the charts, small ones suppressed.
		await expect(page.getByRole('img', { name: /Balkendiagramm: von der Anmeldung bis zum Beitritt/ })).toBeVisible();
		await expect(row(page, 'Überblick', 'Angemeldet')).toContainText('14');
		await expect(row(page, 'Überblick', 'Teilgenommen')).toContainText('11');
		await expect(row(page, 'Überblick', 'Einem Verein beigetreten')).toContainText('< 5');
		await expect(row(page, 'Überblick', 'Teilnahmequote')).toContainText('79 %');
		await expect(row(page, 'Anmeldungen nach Wohnsituation', 'Summe')).toContainText('< 5');
		await expect(row(page, 'Verlauf je Reihe', SERIES)).toContainText('14');
		await expectNoAxeViolations(page, 'report');

		// CSV for German Excel.
		const downloading = page.waitForEvent('download');
		await page.getByRole('link', { name: 'Als CSV herunterladen (Excel)' }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toBe(`bericht-${FROM}-${TO}.csv`);
		const csv = await fs.readFile((await download.path())!, 'utf8');
		expect(csv.startsWith('\uFEFF"Veranstaltung";"Datum";"Reihe";"Angemeldet";"Einheimische"')).toBe(true);
		expect(csv).toContain(`"${SERIES}"`);
		expect(csv).toContain('"14";"6";"< 5"');
		expect(csv.split('\r\n')).toHaveLength(4);

		// The print view: on paper only the report remains.
		await page.getByRole('link', { name: 'Drucken / als PDF speichern' }).click();
		await expect(page).toHaveURL(/\/de\/admin\/reports\/print\?/);
		await expect(page.getByRole('button', { name: 'Jetzt drucken' })).toBeVisible();
		await expectNoAxeViolations(page, 'report print view');
		await page.emulateMedia({ media: 'print' });
		await expect(page.getByRole('heading', { level: 1, name: 'Berichte' })).toBeVisible();
		await expect(row(page, 'Ergebnisse je Veranstaltung', new RegExp(SERIES))).toContainText('14');
		await expect(page.getByRole('navigation', { name: 'Koordination' })).toBeHidden();
		await expect(page.getByRole('button', { name: 'Jetzt drucken' })).toBeHidden();
		await expect(page.locator('header.site-header')).toBeHidden();
		await page.emulateMedia({ media: 'screen' });

		// The event's funnel, from the report.
		await page.getByRole('link', { name: 'Zurück zum Bericht' }).click();
		await page.getByRole('link', { name: `Verlauf: ${SERIES}` }).click();
		await expect(page.getByRole('heading', { level: 1, name: `Verlauf: ${SERIES}` })).toBeVisible();
		await expect(row(page, `Verlauf: ${SERIES}`, 'Gespräche geführt')).toContainText('7');
		await expect(row(page, `Verlauf: ${SERIES}`, 'Kontaktwunsch an einen Verein')).toContainText('6');
		await expect(row(page, `Verlauf: ${SERIES}`, 'Einem Verein beigetreten')).toContainText('< 5');
		await expectNoAxeViolations(page, 'event funnel');

		// The landscape: kinder-jugend is wanted in both towns and offered nowhere.
		await page.goto('/de/admin/reports');
		await page.getByRole('link', { name: 'Engagement-Landschaft' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Engagement-Landschaft' })).toBeVisible();
		await page.getByLabel('Von', { exact: true }).fill(FROM);
		await page.getByLabel('Bis', { exact: true }).fill(TO);
		await page.getByRole('button', { name: 'Anzeigen' }).click();
		const youth = row(page, 'Engagement-Landschaft', 'Kinder und Jugend');
		await expect(youth).toContainText('Lücke: Interesse, aber kein Verein in Imst');
		await expect(youth).toContainText('Interessierte: < 5');
		await expect(youth).toContainText('Lücke in allen gewählten Gemeinden');
		const rescue = row(page, 'Engagement-Landschaft', 'Feuerwehr und Rettungswesen');
		await expect(rescue).toContainText('Bergrettung Imst');
		await expect(rescue).toContainText('Angebot in der Nachbargemeinde: Imst');
		await expectNoAxeViolations(page, 'engagement landscape');
	});

	test('bad and empty periods get a message, not an error', async ({ page }) => {
		await signInAsCoordinator(page);
		await page.goto('/de/admin/reports?from=2026-12-31&to=2026-01-01');
		await expect(page.getByRole('alert')).toContainText('Das Ende des Zeitraums darf nicht vor dem Beginn liegen.');
		await expect(page.getByLabel('Bis', { exact: true })).toHaveAttribute('aria-invalid', 'true');
		await expectNoAxeViolations(page, 'report with a validation error');
		await page.goto('/de/admin/reports?from=kein-datum&to=2026-01-01');
		await expect(page.getByRole('alert')).toContainText('Bitte geben Sie ein gültiges Datum an.');
		await page.goto('/de/admin/reports?from=2001-01-01&to=2001-12-31');
		await expect(page.getByRole('status').filter({ hasText: 'Im gewählten Zeitraum fand keine veröffentlichte Veranstaltung statt.' })).toBeVisible();
		await expectNoAxeViolations(page, 'empty report');
		await page.goto('/en/admin/reports?from=2001-01-01&to=2001-12-31');
		await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible();
		await expect(page.getByRole('status').filter({ hasText: 'No published event took place in this period.' })).toBeVisible();
		expect((await page.request.get('/de/admin/reports.csv?from=2001-01-01&to=2001-12-31')).status()).toBe(200);
		expect((await page.request.get('/de/admin/reports.csv?from=2001-13-01&to=2001-12-31')).status()).toBe(400);
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });

		test('the report filters, the landscape and the funnel work as plain HTML', async ({ page }) => {
			await signInAsCoordinator(page);
			await page.goto('/de/admin/reports');
			expect(await page.evaluate(() => Object.keys(window).some((key) => key.startsWith('__sveltekit')))).toBe(false);
			await page.getByLabel('Reihe', { exact: true }).selectOption({ label: SERIES });
			await page.getByLabel('Von', { exact: true }).fill(FROM);
			await page.getByLabel('Bis', { exact: true }).fill(TO);
			await page.getByRole('button', { name: 'Bericht anzeigen' }).click();
			await expect(row(page, 'Überblick', 'Angemeldet')).toContainText('14');
			// Without script the print view has no button; the hint says how to print.
			await page.getByRole('link', { name: 'Drucken / als PDF speichern' }).click();
			await expect(page.getByRole('button', { name: 'Jetzt drucken' })).toHaveCount(0);
			await expect(page.getByText('Als PDF speichern').first()).toBeVisible();
			await page.getByRole('link', { name: 'Zurück zum Bericht' }).click();
			await page.getByRole('link', { name: `Verlauf: ${SERIES}` }).click();
			await expect(row(page, `Verlauf: ${SERIES}`, 'Angemeldet')).toContainText('14');
			await page.goto('/de/admin/reports/landscape');
			await page.getByLabel('Tarrenz', { exact: true }).uncheck();
			await page.getByLabel('Von', { exact: true }).fill(FROM);
			await page.getByRole('button', { name: 'Anzeigen' }).click();
			await expect(page).toHaveURL(/municipality=/);
			await expect(page.getByRole('columnheader', { name: 'Tarrenz' })).toHaveCount(0);
			await expect(page.getByRole('columnheader', { name: 'Imst' })).toBeVisible();
		});
	});
});
