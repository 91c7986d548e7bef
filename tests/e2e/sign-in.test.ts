import { expect, test } from '@playwright/test';
import {
	COORDINATOR,
	ORIGIN,
	expectNoAxeViolations,
	expectNoAxeViolationsInHtml,
	requestSignInLink,
	signIn,
	signInLinkFrom,
	snapshotMail,
	submitSignInForm,
	waitForNewMail
} from './helpers';

test.describe('sign-in by emailed link', () => {
	test('coordinator signs in with the mailed link, sees the outbox, signs out; the link works only once', async ({
		page,
		browser
	}) => {
		// Request the link; the answer is the neutral confirmation.
		await page.goto('/de/sign-in');
		await expect(page.getByRole('heading', { level: 1, name: 'Einloggen' })).toBeVisible();
		await expectNoAxeViolations(page, 'sign-in (empty)');
		const before = await snapshotMail();
		await submitSignInForm(page, COORDINATOR.email);
		await expect(page.getByRole('status')).toContainText(COORDINATOR.email);
		await expectNoAxeViolations(page, 'sign-in (sent)');

		// The worker writes the mail as an .eml file; its text part carries the link.
		const mail = await waitForNewMail(COORDINATOR.email, before);
		expect(mail.parsed.subject).toBe('Ihr Login-Link für Miteinander');
		const link = signInLinkFrom(mail);
		expect(link).toMatch(new RegExp(`^${ORIGIN.replaceAll('.', '\\.')}/de/sign-in/link\\?token=[a-z0-9]+\\.[a-z0-9]+$`));
		expect(mail.parsed.html).toContain(`href="${link}"`);

		// Opening the link only shows a confirmation button (mail scanners must not spend it).
		await page.goto(link);
		await expect(page).toHaveURL(/\/de\/sign-in\/link\?token=/);
		await expect(page.getByRole('heading', { level: 1, name: 'Einloggen bestätigen' })).toBeVisible();
		await expect(page.getByText(`Sie loggen sich als ${COORDINATOR.email} ein.`)).toBeVisible();
		await expectNoAxeViolations(page, 'sign-in link');
		await page.getByRole('button', { name: 'Jetzt einloggen' }).click();

		// Coordinators land on the coordination page.
		await expect(page).toHaveURL(/\/de\/admin$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Koordination' })).toBeVisible();
		await expect(page.getByRole('link', { name: `Eingeloggt als ${COORDINATOR.name}` })).toBeVisible();
		// The work dashboard: what is coming up and what waits for the coordinator.
		await expect(page.getByRole('heading', { level: 2, name: 'Nächste Termine' })).toBeVisible();
		await expect(page.getByRole('heading', { level: 2, name: 'Vereine, die auf Freischaltung warten' })).toBeVisible();
		await expectNoAxeViolations(page, 'admin');

		// The outbox lists the sign-in mail with its status.
		await page.getByRole('navigation', { name: 'Koordination' }).getByRole('link', { name: 'Postausgang' }).click();
		await expect(page).toHaveURL(/\/de\/admin\/outbox$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Postausgang' })).toBeVisible();
		const row = page
			.getByRole('row')
			.filter({ hasText: COORDINATOR.email })
			.filter({ hasText: 'Ihr Login-Link für Miteinander' })
			.first();
		await expect(row).toBeVisible();
		await expect(row.getByRole('cell').nth(3)).toHaveText('gesendet');
		await expectNoAxeViolations(page, 'outbox list');

		// Status filter: "gesendet" keeps the mail, "fehlgeschlagen" is empty.
		await page.getByLabel('Status').selectOption('sent');
		await page.getByRole('button', { name: 'Filtern' }).click();
		await expect(page).toHaveURL(/\/de\/admin\/outbox\?status=sent$/);
		await expect(page.getByLabel('Status')).toHaveValue('sent');
		await expect(page.getByRole('row').filter({ hasText: COORDINATOR.email }).first()).toBeVisible();
		await page.getByLabel('Status').selectOption('failed');
		await page.getByRole('button', { name: 'Filtern' }).click();
		await expect(page).toHaveURL(/\?status=failed$/);
		await expect(page.getByText('Keine E-Mails in dieser Ansicht.')).toBeVisible();
		await expect(page.getByRole('table')).toHaveCount(0);
		await expectNoAxeViolations(page, 'outbox list (empty filter)');
		// An unknown filter falls back to the full list instead of an error.
		const response = await page.goto('/de/admin/outbox?status=bogus&page=x');
		expect(response?.status()).toBe(200);
		await expect(page.getByLabel('Status')).toHaveValue('');

		// Detail: text part with the link and the HTML part in a sandboxed iframe.
		await page
			.getByRole('row')
			.filter({ hasText: COORDINATOR.email })
			.first()
			.getByRole('link', { name: 'Ihr Login-Link für Miteinander' })
			.click();
		await expect(page).toHaveURL(/\/de\/admin\/outbox\/[a-z0-9]+$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Ihr Login-Link für Miteinander' })).toBeVisible();
		await expect(page.locator('dl.facts')).toContainText(COORDINATOR.email);
		await expect(page.locator('dl.facts')).toContainText('gesendet');
		await expect(page.locator('pre.mail')).toContainText('Hallo Maria Koordinatorin,');
		await expect(page.locator('pre.mail')).toContainText('/sign-in/link?token=');
		const iframe = page.locator('iframe[title="HTML-Fassung"]');
		await expect(iframe).toHaveAttribute('sandbox', '');
		await expect(page.frameLocator('iframe[title="HTML-Fassung"]').getByText('Hallo Maria Koordinatorin,')).toBeVisible();
		await expectNoAxeViolations(page, 'outbox detail', { excludeMailFrame: true });
		await expectNoAxeViolationsInHtml(page, (await iframe.getAttribute('srcdoc'))!, 'sign-in mail (HTML part)');
		await page.getByRole('link', { name: 'Zurück zum Postausgang' }).click();
		await expect(page).toHaveURL(/\/de\/admin\/outbox$/);

		// Account page shows the roles.
		await page.getByRole('link', { name: `Eingeloggt als ${COORDINATOR.name}` }).click();
		await expect(page).toHaveURL(/\/de\/account$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Mein Konto' })).toBeVisible();
		await expect(page.getByText('Ehrenamtskoordination für Imst, Tarrenz')).toBeVisible();
		await expectNoAxeViolations(page, 'account');

		// A tampered copy of the session cookie (right id, wrong secret) is not a session.
		const session = (await page.context().cookies()).find((c) => c.name === 'session');
		expect(session?.httpOnly).toBe(true);
		const [id = '', secret = ''] = session!.value.split('.');
		expect(secret).toMatch(/^[a-z0-9]{16,}$/);
		const wrongSecret = secret.split('').reverse().join('');
		expect(wrongSecret).not.toBe(secret);
		const forged = await browser.newContext({ baseURL: ORIGIN, locale: 'de-DE' });
		await forged.addCookies([{ name: 'session', value: `${id}.${wrongSecret}`, url: ORIGIN }]);
		const forgedPage = await forged.newPage();
		await forgedPage.goto('/de/admin');
		await expect(forgedPage).toHaveURL(/\/de\/sign-in\?redirectTo=%2Fadmin$/);
		await expect(forgedPage.getByRole('link', { name: 'Einloggen', exact: true })).toBeVisible();
		await forged.close();

		// Sign out with the header button.
		await page.goto('/de/admin');
		await page.getByRole('banner').getByRole('button', { name: 'Ausloggen' }).click();
		await expect(page).toHaveURL(/\/de\/sign-in\?signedOut=1$/);
		await expect(page.getByRole('status')).toHaveText('Sie sind ausgeloggt.');
		await expect(page.getByRole('banner').getByRole('link', { name: 'Einloggen', exact: true })).toBeVisible();
		expect((await page.context().cookies()).find((c) => c.name === 'session')).toBeUndefined();

		// The coordination page asks for sign-in again.
		await page.goto('/de/admin');
		await expect(page).toHaveURL(/\/de\/sign-in\?redirectTo=%2Fadmin$/);
		await expect(page.getByText('Bitte loggen Sie sich ein, um diese Seite zu sehen.')).toBeVisible();

		// The same link a second time: already used.
		await page.goto(link);
		await expect(page.getByRole('alert')).toContainText('bereits verwendet');
		await expect(page.getByRole('button', { name: 'Jetzt einloggen' })).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Neuen Login-Link anfordern' })).toBeVisible();
		await expectNoAxeViolations(page, 'sign-in link (used)');
	});

	test('a link confirmed in one tab cannot be confirmed again from a second, already open tab', async ({ page, context }) => {
		const link = await requestSignInLink(page, 'koordination@imst.example');
		const second = await context.newPage();
		await page.goto(link);
		await second.goto(link);
		await expect(second.getByRole('button', { name: 'Jetzt einloggen' })).toBeVisible();

		await page.getByRole('button', { name: 'Jetzt einloggen' }).click();
		await expect(page).toHaveURL(/\/de\/admin$/);

		// The second tab still shows the button, but the token is spent: the POST reports it.
		await second.getByRole('button', { name: 'Jetzt einloggen' }).click();
		await expect(second.getByRole('alert')).toContainText('bereits verwendet');
	});

	test('sign-in from a protected page returns there after confirming the link (in English)', async ({ page }) => {
		await page.goto('/en/admin/outbox?status=sent');
		// The redirect target carries no locale prefix, so the link works in either language.
		await expect(page).toHaveURL(/\/en\/sign-in\?redirectTo=%2Fadmin%2Foutbox%3Fstatus%3Dsent$/);
		await expect(page.getByText('Please sign in to see this page.')).toBeVisible();

		const before = await snapshotMail();
		await page.getByLabel('Email address').fill(COORDINATOR.email);
		await page.getByRole('button', { name: 'Send sign-in link' }).click();
		await expect(page.getByRole('heading', { name: 'Please check your inbox' })).toBeVisible();
		const mail = await waitForNewMail(COORDINATOR.email, before);
		// Requested on an English page: the mail is English.
		expect(mail.parsed.subject).not.toBe('Ihr Login-Link für Miteinander');
		const link = signInLinkFrom(mail);
		expect(new URL(link).searchParams.get('redirectTo')).toBe('/admin/outbox?status=sent');

		// The link opens in the language of the mail.
		expect(new URL(link).pathname).toBe('/en/sign-in/link');
		await page.goto(link);
		await expect(page).toHaveURL(/\/en\/sign-in\/link\?token=/);
		await expect(page.getByRole('heading', { level: 1, name: 'Confirm sign-in' })).toBeVisible();
		await page.getByRole('button', { name: 'Sign in now' }).click();
		await expect(page).toHaveURL(/\/en\/admin\/outbox\?status=sent$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Outbox' })).toBeVisible();
		await expect(page.getByLabel('Status')).toHaveValue('sent');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	});

	test('"Auf allen Geräten ausloggen" ends the sessions of other browsers too', async ({ page, browser }) => {
		await signIn(page, 'verein@tarrenz.example');
		await expect(page).toHaveURL(/\/de\/club$/);
		await page.goto('/de/account');

		const other = await browser.newContext({ baseURL: ORIGIN, locale: 'de-DE' });
		const otherPage = await other.newPage();
		await signIn(otherPage, 'verein@tarrenz.example');
		await expect(otherPage.getByRole('heading', { level: 1, name: 'Vereinsbereich' })).toBeVisible();

		await page.getByRole('button', { name: 'Auf allen Geräten ausloggen' }).click();
		await expect(page).toHaveURL(/\/de\/sign-in\?signedOut=all$/);
		await expect(page.getByRole('status')).toHaveText('Sie wurden auf allen Geräten ausgeloggt.');

		await otherPage.goto('/de/account');
		await expect(otherPage).toHaveURL(/\/de\/sign-in\?redirectTo=%2Faccount$/);
		await other.close();
	});
});
