import { expect, test } from '@playwright/test';
import { ORIGIN, CLUB_MEMBER, confirmSignInLink, expectNoAxeViolations, requestSignInLink } from './helpers';

test.describe('roles', () => {
	test('anonymous visitors of protected pages are sent to sign-in with redirectTo', async ({ page }) => {
		for (const [path, encoded] of [
			['/de/admin', '%2Fadmin'],
			['/de/admin/outbox', '%2Fadmin%2Foutbox'],
			['/de/account', '%2Faccount'],
			['/de/club', '%2Fclub']
		] as const) {
			await page.goto(path);
			await expect(page, `${path} redirects to sign-in`).toHaveURL(new RegExp(`/de/sign-in\\?redirectTo=${encoded}$`));
			await expect(page.getByRole('heading', { level: 1, name: 'Anmelden' })).toBeVisible();
			await expect(page.getByText('Bitte melden Sie sich an, um diese Seite zu sehen.')).toBeVisible();
		}
		await expectNoAxeViolations(page, 'sign-in (redirectTo)');
		// The redirect target travels in the form, so the mailed link can lead back.
		await expect(page.locator('input[type="hidden"][name="redirectTo"]')).toHaveValue('/club');
	});

	test('anonymous POST to a protected action is refused, not executed', async ({ request }) => {
		const response = await request.post('/de/account?/signOutEverywhere', {
			form: {},
			headers: { origin: ORIGIN, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status()).toBe(303);
		expect(response.headers()['location']).toMatch(/^\/de\/sign-in\?redirectTo=/);
	});

	test('an account without the coordinator role gets 403 on /admin and /admin/outbox', async ({ page }) => {
		// Sign in from the redirect, so the link leads back to /de/admin.
		await page.goto('/de/admin');
		await expect(page).toHaveURL(/\/de\/sign-in\?redirectTo=%2Fadmin$/);
		const link = await requestSignInLink(page, CLUB_MEMBER.email, page.url());
		await confirmSignInLink(page, link);

		await expect(page).toHaveURL(/\/de\/admin$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Fehler 403' })).toBeVisible();
		await expect(page.getByText('Sie haben keine Berechtigung für diese Seite.')).toBeVisible();
		await expect(page.getByRole('link', { name: `Angemeldet als ${CLUB_MEMBER.name}` })).toBeVisible();
		await expectNoAxeViolations(page, '403 page');

		const admin = await page.reload();
		expect(admin?.status()).toBe(403);

		const outbox = await page.goto('/de/admin/outbox');
		expect(outbox?.status()).toBe(403);
		await expect(page.getByRole('heading', { level: 1, name: 'Fehler 403' })).toBeVisible();
		await expect(page.getByRole('table')).toHaveCount(0);

		const detail = await page.goto('/de/admin/outbox/does-not-matter');
		expect(detail?.status()).toBe(403);

		// Signed-in pages that need no role work.
		await page.goto('/de/account');
		await expect(page.getByRole('heading', { level: 1, name: 'Mein Konto' })).toBeVisible();
		await expect(page.getByText('Noch keine Rolle zugewiesen. Bitte wenden Sie sich an Ihre Gemeinde.')).toBeVisible();
		await expectNoAxeViolations(page, 'account (no role)');

		await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Vereinsbereich' }).click();
		await expect(page).toHaveURL(/\/de\/club$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Vereinsbereich' })).toBeVisible();
		// The demo account administers a club (not a municipality): its dashboard, still no /admin.
		await expect(page.getByRole('heading', { level: 2, name: 'Tarrenzer Tafel' })).toBeVisible();
		await expectNoAxeViolations(page, 'club');

		// A signed-in visitor of /sign-in goes to the account page, or straight on to redirectTo.
		await page.goto('/de/sign-in');
		await expect(page).toHaveURL(/\/de\/account$/);
		await page.goto('/de/sign-in?redirectTo=%2Fclub');
		await expect(page).toHaveURL(/\/de\/club$/);
		// An off-site redirect target is ignored (no open redirect).
		await page.goto('/de/sign-in?redirectTo=%2F%2Fevil.example%2F');
		await expect(page).toHaveURL(`${ORIGIN}/de/account`);
	});
});
