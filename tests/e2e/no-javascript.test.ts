import { expect, test } from '@playwright/test';
import { cliSignInLink, CLUB_MEMBER, confirmSignInLink, COORDINATOR, expectNoAxeViolations, signInLinkFrom, snapshotMail, waitForNewMail } from './helpers';

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('sign-in request, validation error, link confirmation and sign-out work as plain HTML forms', async ({ page }) => {
		await page.goto('/de/sign-in');
		// Proof that the page really runs without scripts: SvelteKit's inline bootstrap never ran.
		expect(await page.evaluate(() => Object.keys(window).some((key) => key.startsWith('__sveltekit')))).toBe(false);

		// Server-side validation without the enhanced form.
		await page.getByLabel('E-Mail-Adresse').fill('kein-at-zeichen');
		await page.getByRole('button', { name: 'Login-Link senden' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'Bitte korrigieren Sie eine Angabe:' })).toBeVisible();
		await expect(page.getByLabel('E-Mail-Adresse')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByLabel('E-Mail-Adresse')).toHaveValue('kein-at-zeichen');

		// Request the link.
		const before = await snapshotMail();
		await page.getByLabel('E-Mail-Adresse').fill(CLUB_MEMBER.email);
		await page.getByRole('button', { name: 'Login-Link senden' }).click();
		await expect(page.getByRole('heading', { name: 'Bitte sehen Sie in Ihr Postfach' })).toBeVisible();
		await expect(page.getByRole('status')).toContainText(CLUB_MEMBER.email);
		const link = signInLinkFrom(await waitForNewMail(CLUB_MEMBER.email, before));

		// Confirm it.
		await page.goto(link);
		await expect(page).toHaveURL(/\/de\/sign-in\/link\?token=/);
		await page.getByRole('button', { name: 'Jetzt einloggen' }).click();

		// A club admin lands in the club area; the account page lists the role.
		await expect(page).toHaveURL(/\/de\/club$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Vereinsbereich' })).toBeVisible();
		await page.goto('/de/account');
		await expect(page.getByRole('heading', { level: 1, name: 'Mein Konto' })).toBeVisible();
		await expect(page.getByText('Administration im Verein Tarrenzer Tafel')).toBeVisible();
		await expect(page.getByRole('link', { name: `Eingeloggt als ${CLUB_MEMBER.name}` })).toBeVisible();
		await expect(page.getByText(CLUB_MEMBER.email)).toBeVisible();

		// Sign out with the button on the account page.
		await page.getByRole('main').getByRole('button', { name: 'Ausloggen', exact: true }).click();
		await expect(page).toHaveURL(/\/de\/sign-in\?signedOut=1$/);
		await expect(page.getByRole('status')).toHaveText('Sie sind ausgeloggt.');
		await page.goto('/de/account');
		await expect(page).toHaveURL(/\/de\/sign-in\?redirectTo=%2Faccount$/);
	});

	test('a coordinator previews a message and sets reminders with plain HTML forms', async ({ page }) => {
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto('/de/admin/events');
		await page.getByRole('link', { name: 'Ankommen in Tarrenz – Gesprächsrunde für Neuzugezogene' }).first().click();
		const eventUrl = page.url();
		await page.getByRole('link', { name: 'Nachricht an Teilnehmende' }).click();
		await page.getByLabel('Betreff (Deutsch)').fill('Ohne Skript');
		await page.getByLabel('Text (Deutsch)').fill('Erster Absatz.\n\nZweiter Absatz.');
		await page.getByRole('button', { name: 'Vorschau anzeigen' }).click();
		await expect(page.frameLocator('iframe.mail').first().getByText('Zweiter Absatz.')).toBeVisible();
		// Sending needs the confirmation box; what was typed stays.
		await page.getByRole('button', { name: 'Nachricht senden' }).click();
		await expect(page.getByRole('alert')).toContainText('Bitte bestätigen Sie das Senden mit dem Häkchen.');
		await expect(page.getByLabel('Text (Deutsch)')).toHaveValue('Erster Absatz.\n\nZweiter Absatz.');

		await page.goto(eventUrl);
		await page.getByLabel('Tage vorher').fill('');
		await page.getByRole('button', { name: 'Erinnerungen festlegen' }).click();
		await expect(page.getByRole('status')).toContainText('Erinnerungen gespeichert: 0 geplant.');
		await expect(page.getByText('Es werden keine Erinnerungen verschickt.')).toBeVisible();
	});

	test('the language switch is a plain link', async ({ page }) => {
		await page.goto('/de/');
		await page.getByRole('banner').getByRole('link', { name: 'English' }).click();
		await expect(page).toHaveURL(/\/en\/?$/);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	});
});
