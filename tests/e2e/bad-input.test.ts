import { expect, test } from '@playwright/test';
import { ORIGIN, expectNoAxeViolations, mailsTo, snapshotMail, submitSignInForm } from './helpers';

test.describe('bad input', () => {
	test('an invalid address shows the error summary and the field error, and keeps the value', async ({ page }) => {
		await page.goto('/de/sign-in');
		const email = page.getByLabel('E-Mail-Adresse');
		await email.fill('maria@');
		await page.getByRole('button', { name: 'Login-Link senden' }).click();

		const summary = page.getByRole('alert').filter({ hasText: 'Bitte korrigieren Sie eine Angabe:' });
		await expect(summary).toBeVisible();
		await expect(summary).toBeFocused();
		await expect(summary.getByRole('link', { name: /gültige E-Mail-Adresse/ })).toHaveAttribute('href', '#field-email');
		await expect(email).toHaveAttribute('aria-invalid', 'true');
		await expect(email).toHaveAccessibleDescription(/Bitte geben Sie eine gültige E-Mail-Adresse ein/);
		await expect(page.locator('#field-email-error')).toHaveText(
			'Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@gemeinde.at.'
		);
		await expect(email).toHaveValue('maria@');
		await expect(page.getByRole('heading', { name: 'Bitte sehen Sie in Ihr Postfach' })).toHaveCount(0);
		await expectNoAxeViolations(page, 'sign-in (with errors)');

		// The summary links to the field.
		await summary.getByRole('link').click();
		await expect(email).toBeFocused();

		// Correcting the value clears the error.
		await submitSignInForm(page, 'nobody-here@example.org');
	});

	test('an empty or overlong address is rejected too', async ({ page }) => {
		await page.goto('/de/sign-in');
		await page.getByRole('button', { name: 'Login-Link senden' }).click();
		await expect(page.getByLabel('E-Mail-Adresse')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.locator('#field-email-error')).toContainText('gültige E-Mail-Adresse');

		const long = `${'a'.repeat(250)}@example.org`;
		await page.getByLabel('E-Mail-Adresse').fill(long);
		await page.getByRole('button', { name: 'Login-Link senden' }).click();
		await expect(page.locator('#field-email-error')).toHaveText('Die E-Mail-Adresse ist zu lang (höchstens 254 Zeichen).');
		await expect(page.getByLabel('E-Mail-Adresse')).toHaveValue(long);
	});

	test('an unknown address gets the same neutral answer and no mail', async ({ page }) => {
		const before = await snapshotMail();
		await page.goto('/de/sign-in');
		await submitSignInForm(page, 'Unbekannt@Example.org');
		await expect(page.getByRole('status')).toContainText('Wenn zu Unbekannt@Example.org ein Konto besteht');
		// Give the worker (200 ms interval) time to write anything it would write.
		await page.waitForTimeout(1000);
		expect((await mailsTo('unbekannt@example.org')).filter((m) => !before.has(m.file))).toEqual([]);
	});

	test('a forged or truncated sign-in token shows "ungültig"', async ({ page }) => {
		for (const token of ['abcdefghijklmnopqrstuvwx.abcdefghijklmnopqrstuvwx', 'kaputt', '']) {
			await page.goto(`/de/sign-in/link?token=${token}`);
			await expect(page.getByRole('heading', { level: 1, name: 'Einloggen bestätigen' })).toBeVisible();
			await expect(page.getByRole('alert')).toHaveText(
				'Dieser Login-Link ist ungültig. Bitte fordern Sie einen neuen an.'
			);
			await expect(page.getByRole('button', { name: 'Jetzt einloggen' })).toHaveCount(0);
		}
		await expectNoAxeViolations(page, 'sign-in link (invalid)');
		await page.getByRole('link', { name: 'Neuen Login-Link anfordern' }).click();
		await expect(page).toHaveURL(/\/de\/sign-in$/);

		// Posting a forged token directly is refused the same way and sets no session.
		await page.goto('/de/sign-in/link?token=abc.def');
		const response = await page.request.post('/de/sign-in/link?token=abc.def', {
			form: { token: 'abcdefghijklmnopqrstuvwx.abcdefghijklmnopqrstuvwx' },
			headers: { origin: ORIGIN, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status()).toBe(400);
		expect(await response.text()).toContain('ungültig');
		expect(response.headers()['set-cookie'] ?? '').not.toContain('session=');
	});

	test('a forged session cookie is treated as signed out and removed', async ({ page, context }) => {
		await context.addCookies([
			{ name: 'session', value: 'abcdefghijklmnopqrstuvwx.abcdefghijklmnopqrstuvwx', url: ORIGIN }
		]);
		await page.goto('/de/');
		await expect(page.getByRole('banner').getByRole('link', { name: 'Einloggen', exact: true })).toBeVisible();
		await expect(page.getByText(/Eingeloggt als/)).toHaveCount(0);
		expect((await context.cookies()).find((c) => c.name === 'session')).toBeUndefined();

		await context.addCookies([{ name: 'session', value: 'not-even-a-token', url: ORIGIN }]);
		await page.goto('/de/admin');
		await expect(page).toHaveURL(/\/de\/sign-in\?redirectTo=%2Fadmin$/);
		await page.goto('/de/club');
		await expect(page).toHaveURL(/\/de\/sign-in\?redirectTo=%2Fclub$/);
	});

	test('a cross-site form POST is refused', async ({ request }) => {
		const response = await request.post('/de/sign-in', {
			form: { email: 'koordination@imst.example' },
			headers: { origin: 'https://evil.example', accept: 'text/html' }
		});
		expect(response.status()).toBe(403);
	});

	test('a body that is not a form gets 400 or 415 with the error page, and changes nothing', async ({ page, request }) => {
		await page.goto('/de/');
		const eventPath = new URL(page.url()).origin + (await page.locator('a[href^="/de/events/"]').first().getAttribute('href'));
		const before = await snapshotMail();
		const html = { origin: ORIGIN, accept: 'text/html' };
		const cases = [
			// A multipart body cut off in the middle: the form cannot be read.
			{ url: `${eventPath}?/register`, headers: { ...html, 'content-type': 'multipart/form-data; boundary=XyZ' }, data: '--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nmaria@example.org', status: 400, text: 'unvollständig oder beschädigt' },
			// text/plain passes SvelteKit's form check but is no form.
			{ url: '/de/sign-in', headers: { ...html, 'content-type': 'text/plain' }, data: 'email=koordination@imst.example', status: 415, text: 'nimmt nur Formulare entgegen' },
			{ url: '/de/sign-in', headers: { ...html, 'content-type': 'application/json' }, data: '{"email":"koordination@imst.example"}', status: 415, text: 'nimmt nur Formulare entgegen' }
		];
		for (const { url, headers, data, status, text } of cases) {
			const response = await request.post(url, { headers, data, maxRedirects: 0 });
			expect(response.status(), url).toBe(status);
			expect(await response.text()).toContain(text);
		}
		// An enhanced form (JavaScript) gets the same status as an action result.
		const enhanced = await request.post('/de/sign-in', { headers: { origin: ORIGIN, 'x-sveltekit-action': 'true', 'content-type': 'text/plain' }, data: 'x' });
		expect(enhanced.status()).toBe(415);
		expect((await enhanced.json()).type).toBe('error');
		await page.waitForTimeout(500);
		expect([...(await snapshotMail())].filter((file) => !before.has(file))).toEqual([]);
	});

	test('an unknown page shows the 404 page', async ({ page }) => {
		const response = await page.goto('/de/gibt-es-nicht');
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('heading', { level: 1, name: 'Fehler 404' })).toBeVisible();
		await expect(page.getByText('Diese Seite gibt es nicht.')).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'de');
		await expectNoAxeViolations(page, '404 page');
		await page.getByRole('link', { name: 'Zur Startseite' }).click();
		await expect(page).toHaveURL(/\/de\/?$/);
	});

	test('a too-often requested link is rate limited per address', async ({ page }) => {
		const address = 'limit-test@example.org';
		for (let attempt = 1; attempt <= 5; attempt++) {
			await page.goto('/de/sign-in');
			await submitSignInForm(page, address);
		}
		await page.goto('/de/sign-in');
		await page.getByLabel('E-Mail-Adresse').fill(address);
		await page.getByRole('button', { name: 'Login-Link senden' }).click();
		await expect(page.locator('#field-email-error')).toHaveText(
			'Zu viele Login-Versuche. Bitte warten Sie 15 Minuten und versuchen Sie es dann erneut.'
		);
		await expect(page.getByRole('alert')).toContainText('Zu viele Login-Versuche');
		await expect(page.getByLabel('E-Mail-Adresse')).toHaveValue(address);
		await expect(page.getByRole('heading', { name: 'Bitte sehen Sie in Ihr Postfach' })).toHaveCount(0);
		await expectNoAxeViolations(page, 'sign-in (rate limited)');

		// Another address is not affected.
		await page.goto('/de/sign-in');
		await submitSignInForm(page, 'limit-test-other@example.org');
	});
});
