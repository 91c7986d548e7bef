import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, snapshotMail, waitForNewMail, type WrittenMail } from './helpers';

// The public side of Einsätze as a resident meets it: the menu entry, the filters, the sign-up
// for a shift with its double opt-in, the manage page and the cancellation. Uses the demo data:
// the Tarrenzer Tafel's "Lebensmittel sortieren" (Soziales, weekdays) and "Helfende für das
// Dorffest" (Kultur, a Saturday about two weeks ahead).

const SORTING = 'Lebensmittel sortieren in der Tafel';
const FESTIVAL = 'Helfende für das Dorffest';

const link = (mail: WrittenMail, path: 'confirm' | 'manage') => {
	const found = new RegExp(`https?://\\S+/${path}/[a-z2-7]{24}\\.[a-z2-7]{24}`).exec(mail.parsed.text ?? '');
	expect(found, `${path} link in ${mail.file}`).not.toBeNull();
	return found![0];
};

async function scrollWidth(page: Page): Promise<number> {
	return page.evaluate(() => document.documentElement.scrollWidth);
}

test.describe('Einsätze without JavaScript', () => {
	test.use({ javaScriptEnabled: false, locale: 'de-DE' });

	test('a resident finds an Einsatz through the menu and the filters, signs up, confirms, manages and cancels', async ({ page }) => {
		await page.goto('/de/');
		await page.getByRole('navigation', { name: 'Hauptnavigation' }).filter({ visible: true }).getByRole('link', { name: 'Einsätze' }).click();
		await expect(page).toHaveURL(/\/de\/einsaetze$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Einsätze' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Einsätze', exact: true }).first()).toHaveAttribute('aria-current', 'page');
		await expect(page.getByRole('link', { name: SORTING })).toBeVisible();
		await expect(page.getByRole('link', { name: FESTIVAL })).toBeVisible();

		const filters = page.getByRole('search', { name: 'Einsätze filtern' });
		await filters.getByLabel('Bereich').selectOption({ label: 'Soziales und Nachbarschaftshilfe' });
		await filters.getByLabel('Wann').selectOption({ label: 'In den nächsten 30 Tagen' });
		await filters.getByLabel('Nur Schichten mit freien Plätzen').check();
		await filters.getByRole('button', { name: 'Einsätze anzeigen' }).click();

		await expect(page).toHaveURL(/[?&]tag=soziales/);
		await expect(page).toHaveURL(/[?&]when=month/);
		await expect(page).toHaveURL(/[?&]free=on/);
		await expect(page.getByText('Ein Einsatz gefunden')).toBeVisible();
		await expect(page.getByRole('link', { name: SORTING })).toBeVisible();
		await expect(page.getByRole('link', { name: FESTIVAL })).toHaveCount(0);
		// The form keeps the choices, and offers a way back to everything.
		await expect(filters.getByLabel('Bereich')).toHaveValue('soziales');
		await expect(filters.getByLabel('Wann')).toHaveValue('month');
		await expect(filters.getByLabel('Nur Schichten mit freien Plätzen')).toBeChecked();
		await expect(filters.getByRole('link', { name: 'Filter zurücksetzen' })).toHaveAttribute('href', '/de/einsaetze');

		await page.getByRole('link', { name: SORTING }).click();
		await expect(page.getByRole('heading', { level: 1, name: SORTING })).toBeVisible();
		// "Diese Schicht wählen" on a shift with free places leads to the form with that shift chosen.
		await page.getByRole('listitem').filter({ hasText: 'Plätzen frei' }).first().getByRole('link', { name: /Diese Schicht wählen/ }).click();
		await expect(page).toHaveURL(/\?shift=[^#]+#signup$/);
		await expect(page.getByRole('radio', { checked: true })).toHaveAccessibleName(/Plätzen frei/);
		await page.getByLabel('Ihr Name (Ansprechperson)').fill('Petra Ohne-Skript');
		await page.getByLabel('E-Mail-Adresse').fill('petra.ohne-skript@example.org');
		await page.getByLabel('Anzahl Plätze').fill('1');
		await page.getByLabel(/Datenschutzhinweise gelesen/).check();
		const before = await snapshotMail();
		await page.getByRole('button', { name: 'Anmelden' }).click();
		await expect(page.getByRole('status')).toContainText('Fast geschafft: Wir haben eine E-Mail an petra.ohne-skript@example.org geschickt.');

		const request = await waitForNewMail('petra.ohne-skript@example.org', before);
		await page.goto(link(request, 'confirm'));
		await expect(page.getByRole('heading', { level: 1, name: 'Anmeldung bestätigen' })).toBeVisible();
		const beforeConfirm = await snapshotMail();
		await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
		await expect(page.getByRole('status')).toContainText('Ihre Anmeldung ist bestätigt');
		const confirmation = await waitForNewMail('petra.ohne-skript@example.org', beforeConfirm);
		expect(link(confirmation, 'manage')).toContain('/manage/');

		await page.getByRole('link', { name: 'Anmeldung verwalten' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Ihre Anmeldung' })).toBeVisible();
		await expect(page.getByText('Ort: Tarrenzer Tafel, Hauptstraße 12, Tarrenz')).toBeVisible();
		await expect(page.getByRole('link', { name: 'Zum Einsatz' })).toHaveAttribute('href', /\/de\/einsaetze\/[^/]+$/);
		await page.getByRole('button', { name: 'Ja, Teilnahme absagen' }).click();
		await expect(page.getByRole('status')).toHaveText('Ihre Teilnahme ist abgesagt.');
	});
});

test.describe('Einsätze in English', () => {
	test.use({ locale: 'en-GB' });

	test('the same journey with JavaScript reads in English on the list, the Einsatz, the sign-up and the manage page', async ({ page }) => {
		await page.goto('/en/', { waitUntil: 'networkidle' });
		await page.getByRole('navigation', { name: 'Main navigation' }).filter({ visible: true }).getByRole('link', { name: 'Volunteer shifts' }).click();
		await expect(page).toHaveURL(/\/en\/einsaetze$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Volunteer shifts' })).toBeVisible();
		await expect(page.getByText('Short volunteering jobs split into shifts')).toBeVisible();

		const filters = page.getByRole('search', { name: 'Filter volunteer shifts' });
		await filters.getByLabel('Area').selectOption({ label: 'Culture, music and arts' });
		await expect(filters.getByLabel('When')).toHaveValue('');
		await filters.getByLabel('Only shifts with free places').check();
		await filters.getByRole('button', { name: 'Show volunteer shifts' }).click();
		await expect(page).toHaveURL(/\/en\/einsaetze\?.*tag=kultur/);
		await expect(page.getByText('One volunteering job found')).toBeVisible();
		await expect(page.getByRole('link', { name: SORTING })).toHaveCount(0);
		await expect(page.getByText('Posted by Tarrenzer Tafel')).toBeVisible();
		await expect(page.getByText(/places? left/)).toBeVisible();

		await page.getByRole('link', { name: FESTIVAL }).click();
		await expect(page.getByRole('heading', { level: 1, name: FESTIVAL })).toBeVisible();
		await page.waitForLoadState('networkidle');
		await expect(page.getByText('Minimum age: 14')).toBeVisible();
		await expect(page.getByRole('heading', { level: 2, name: 'Shifts' })).toBeVisible();
		await expect(page.getByRole('heading', { level: 2, name: 'Sign up for this shift' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'All volunteer shifts' })).toHaveAttribute('href', '/en/einsaetze');
		await page.getByRole('radio', { name: /places free/ }).first().check();
		await page.getByLabel('Your name (contact person)').fill('Sam Visitor');
		await page.getByLabel('Email address').fill('sam.visitor@example.org');
		await page.getByLabel('Number of places').fill('2');
		await page.getByLabel(/I have read the privacy notice/).check();
		const before = await snapshotMail();
		await page.getByRole('button', { name: 'Sign up' }).click();
		await expect(page.getByRole('status')).toHaveText("Almost done: we've sent an email to sam.visitor@example.org. Please confirm your sign-up with the link inside.");

		const request = await waitForNewMail('sam.visitor@example.org', before);
		const confirmUrl = link(request, 'confirm');
		expect(new URL(confirmUrl).pathname).toMatch(/^\/en\/confirm\//);
		await page.goto(confirmUrl, { waitUntil: 'networkidle' });
		await expect(page.getByRole('heading', { level: 1, name: 'Confirm registration' })).toBeVisible();
		await page.getByRole('button', { name: 'Confirm now' }).click();
		await expect(page.getByRole('status')).toContainText('Your registration is confirmed');

		await page.getByRole('link', { name: 'Manage registration' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Your registration' })).toBeVisible();
		await page.waitForLoadState('networkidle');
		await expect(page.getByText('Place: Festplatz Tarrenz')).toBeVisible();
		await expect(page.getByText('You hold 2 places for your team.')).toBeVisible();
		await expect(page.getByRole('link', { name: 'Go to the volunteering job' })).toHaveAttribute('href', /^\/en\/einsaetze\//);
		await page.getByRole('button', { name: 'Yes, cancel my place' }).click();
		await expect(page.getByRole('status')).toHaveText('Your place is cancelled.');
	});
});

test.describe('Einsätze list: accessibility and phone width', () => {
	test('filtered list and empty state pass axe and fit 390 px; the empty state leads back to all Einsätze', async ({ page }) => {
		for (const width of [390, 1280]) {
			await page.setViewportSize({ width, height: 844 });
			await page.goto('/de/einsaetze?tag=kultur&when=month&free=on', { waitUntil: 'networkidle' });
			await expect(page.getByRole('link', { name: FESTIVAL })).toBeVisible();
			await expectNoAxeViolations(page, `filtered Einsätze at ${width} px`);
			expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
		}

		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto('/de/einsaetze?tag=tiere&when=weekend', { waitUntil: 'networkidle' });
		const empty = page.getByRole('status');
		await expect(empty).toContainText('Kein Einsatz passt zu dieser Auswahl.');
		await expectNoAxeViolations(page, 'Einsätze, nothing matches');
		expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
		await empty.getByRole('link', { name: 'Filter zurücksetzen' }).click();
		await expect(page).toHaveURL(/\/de\/einsaetze$/);
		await expect(page.getByRole('link', { name: SORTING })).toBeVisible();

		// An old link past the last page shows the same way back, not "nothing open".
		await page.goto('/de/einsaetze?page=7', { waitUntil: 'networkidle' });
		await expect(page.getByRole('status')).toContainText('Kein Einsatz passt zu dieser Auswahl.');

		await page.goto('/de/einsaetze', { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: FESTIVAL }).click();
		await expect(page.getByRole('heading', { level: 1, name: FESTIVAL })).toBeVisible();
		expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
	});
});
