import { expect, test } from '@playwright/test';
import { ORIGIN, CLUB_MEMBER, cliSignInLink, confirmSignInLink, expectNoAxeViolations, requestSignInLink, signIn, withServices } from './helpers';

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
			await expect(page.getByRole('heading', { level: 1, name: 'Einloggen' })).toBeVisible();
			await expect(page.getByText('Bitte loggen Sie sich ein, um diese Seite zu sehen.')).toBeVisible();
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
		await expect(page.getByRole('link', { name: `Eingeloggt als ${CLUB_MEMBER.name}` })).toBeVisible();
		await expectNoAxeViolations(page, '403 page');

		const admin = await page.reload();
		expect(admin?.status()).toBe(403);

		const outbox = await page.goto('/de/admin/outbox');
		expect(outbox?.status()).toBe(403);
		await expect(page.getByRole('heading', { level: 1, name: 'Fehler 403' })).toBeVisible();
		await expect(page.getByRole('table')).toHaveCount(0);

		const detail = await page.goto('/de/admin/outbox/does-not-matter');
		expect(detail?.status()).toBe(403);

		// The account page names the club role that the club area shows.
		await page.goto('/de/account');
		await expect(page.getByRole('heading', { level: 1, name: 'Mein Konto' })).toBeVisible();
		await expect(page.getByText('Administration im Verein Tarrenzer Tafel')).toBeVisible();
		await expect(page.getByText('Noch keine Rolle zugewiesen')).toHaveCount(0);
		await expectNoAxeViolations(page, 'account (club admin)');

		await page.getByRole('main').getByRole('link', { name: 'Zum Vereinsbereich von Tarrenzer Tafel' }).click();
		await expect(page).toHaveURL(/\/de\/club\?club=/);
		await expect(page.getByRole('heading', { level: 1, name: 'Vereinsbereich' })).toBeVisible();
		await expect(page.locator('dt', { hasText: 'Ihre Rolle' }).locator('xpath=following-sibling::dd[1]')).toHaveText('Administration');
		// The demo account administers a club (not a municipality): its dashboard, still no /admin.
		await expect(page.getByRole('heading', { level: 2, name: 'Tarrenzer Tafel' })).toBeVisible();
		await expectNoAxeViolations(page, 'club');

		// A signed-in visitor of /sign-in goes where they work (this club admin: the club area), or straight on to redirectTo.
		await page.goto('/de/sign-in');
		await expect(page).toHaveURL(/\/de\/club$/);
		await page.goto('/de/sign-in?redirectTo=%2Fclub');
		await expect(page).toHaveURL(/\/de\/club$/);
		// An off-site redirect target is ignored (no open redirect).
		await page.goto('/de/sign-in?redirectTo=%2F%2Fevil.example%2F');
		await expect(page).toHaveURL(`${ORIGIN}/de/club`);
	});

	test('sign-in lands where the person works: a club admin in the club area', async ({ page }) => {
		await signIn(page, 'ortsstelle@bergrettung-imst.example');
		await expect(page).toHaveURL(/\/de\/club$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Vereinsbereich' })).toBeVisible();
		await expect(page.locator('dt', { hasText: 'Ihre Rolle' }).locator('xpath=following-sibling::dd[1]')).toHaveText('Administration');
	});

	test('someone with several roles chooses on the account page, which lists every role', async ({ page }) => {
		const email = `beides-${Date.now()}@imst.example`;
		withServices(
			`const { id } = await users.ensureUser(db, { email: input.email, name: 'Berta Beides' }, now);
			const imst = await db.selectFrom('municipality').select('id').where('name', '=', 'Imst').executeTakeFirstOrThrow();
			await users.addCoordinator(db, id, imst.id, now);
			const club = await db.selectFrom('club').select('id').where('name', '=', 'Tarrenzer Tafel').executeTakeFirstOrThrow();
			await db.insertInto('club_member').values({ club_id: club.id, user_id: id, role: 'member', joined_at: now.toISOString() }).execute();
			return id;`,
			{ email }
		);
		await confirmSignInLink(page, cliSignInLink(email));
		await expect(page).toHaveURL(/\/de\/account$/);
		const main = page.getByRole('main');
		await expect(main.getByText('Sie haben mehrere Rollen. Wählen Sie, wo Sie weitermachen möchten.')).toBeVisible();
		await expect(main.getByText('Ehrenamtskoordination für Imst')).toBeVisible();
		await expect(main.getByText('Mitglied im Verein Tarrenzer Tafel')).toBeVisible();
		await expectNoAxeViolations(page, 'account (several roles)');
		await main.getByRole('link', { name: 'Zur Koordination' }).click();
		await expect(page).toHaveURL(/\/de\/admin$/);
		await page.goBack();
		await main.getByRole('link', { name: 'Zum Vereinsbereich von Tarrenzer Tafel' }).click();
		await expect(page).toHaveURL(/\/de\/club\?club=/);
		await expect(page.locator('dt', { hasText: 'Ihre Rolle' }).locator('xpath=following-sibling::dd[1]')).toHaveText('Mitglied');
	});
});
