import { expect, test, type Browser, type Page } from '@playwright/test';
import { CLUB_MEMBER, cliSignInLink, confirmSignInLink, expectNoAxeViolations, ORIGIN, snapshotMail, waitForNewMail } from './helpers';

/** Administers "Bergrettung Imst" in the demo data: a member of another club than the Tafel. */
const OTHER_CLUB_ADMIN = 'ortsstelle@bergrettung-imst.example';

async function signedInPage(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ locale: 'de-DE' });
	const page = await context.newPage();
	await confirmSignInLink(page, cliSignInLink(email));
	return page;
}

async function openTafelDashboard(page: Page): Promise<string> {
	await page.goto('/de/club', { waitUntil: 'networkidle' });
	await expect(page.getByRole('heading', { level: 1, name: 'Vereinsbereich' })).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: 'Tarrenzer Tafel' })).toBeVisible();
	const href = await page.getByRole('link', { name: 'Profil bearbeiten' }).getAttribute('href');
	return /\/club\/([^/]+)\/profile$/.exec(href ?? '')![1]!;
}

test.describe('the club area', () => {
	test('a club admin sees the dashboard, creates, publishes, pauses and archives an offer', async ({ page }) => {
		test.setTimeout(60_000);
		await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
		await openTafelDashboard(page);
		await expect(page.getByText('freigeschaltet', { exact: true })).toBeVisible();
		await expect(page.getByText('Lebensmittel ausgeben am Donnerstag')).toBeVisible();
		await expectNoAxeViolations(page, 'club dashboard');
		await expect(page.getByRole('link', { name: 'Öffentliche Vereinsseite ansehen' })).toHaveAttribute('href', '/de/clubs/tarrenz/tarrenzer-tafel');

		await page.getByRole('link', { name: 'Profil bearbeiten' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Profil von Tarrenzer Tafel bearbeiten' })).toBeVisible();
		await page.waitForLoadState('networkidle');
		await expectNoAxeViolations(page, 'club profile');
		// A file that is not an image is refused with a clear message; nothing changes.
		await page.getByLabel('Logo (freiwillig)').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('kein Bild') });
		await page.getByRole('button', { name: 'Logo hochladen' }).click();
		await expect(page.getByRole('alert')).toContainText('Das Logo muss ein Bild im Format PNG, JPEG oder WebP sein.');
		await expect(page.getByText('Logo: keines')).toBeVisible();
		await expectNoAxeViolations(page, 'club profile logo error');
		// Just over the logo limit (500 kB) but under adapter-node's default BODY_SIZE_LIMIT (512K).
		await page.getByLabel('Logo (freiwillig)').setInputFiles({ name: 'gross.png', mimeType: 'image/png', buffer: Buffer.alloc(1024 * 1024) });
		await page.getByRole('button', { name: 'Logo hochladen' }).click();
		await expect(page.getByRole('alert')).toContainText('Das Logo ist zu groß: höchstens 500 kB.');
		await expect(page.getByText('Logo: keines')).toBeVisible();

		// The profile form: a bad website is refused with the typed values kept, then saved.
		await page.waitForLoadState('networkidle');
		await page.getByLabel('Telefon (freiwillig)').fill('+43 5412 999');
		await page.getByLabel('Website (freiwillig)').fill('nur text');
		await page.getByRole('button', { name: 'Speichern' }).click();
		await expect(page.getByRole('alert')).toContainText('Bitte geben Sie eine vollständige Webadresse an');
		await expect(page.getByLabel('Telefon (freiwillig)')).toHaveValue('+43 5412 999');
		await page.waitForLoadState('networkidle');
		await page.getByLabel('Website (freiwillig)').fill('tafel-tarrenz.example');
		await page.getByRole('button', { name: 'Speichern' }).click();
		await expect(page.getByRole('status')).toHaveText('Das Profil wurde gespeichert.');
		await expect(page.getByLabel('Website (freiwillig)')).toHaveValue('https://tafel-tarrenz.example/');

		// A real image is taken and shown.
		const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
		await page.getByLabel('Logo (freiwillig)').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
		await page.getByRole('button', { name: 'Logo hochladen' }).click();
		await expect(page.getByRole('status')).toHaveText('Das Logo wurde gespeichert.');
		const logo = page.getByRole('img', { name: 'Aktuelles Logo von Tarrenzer Tafel' });
		await expect(logo).toBeVisible();
		await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);

		await page.getByRole('link', { name: 'Zurück zum Vereinsbereich' }).click();
		await page.getByRole('link', { name: 'Neues Angebot anlegen' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Neues Engagementangebot' })).toBeVisible();
		await page.waitForLoadState('networkidle');
		await expectNoAxeViolations(page, 'new offer form');
		// Bad input first: an impossible age, then no place; nothing is created, the typed values stay.
		await page.getByLabel('Titel').fill('Sprachcafé begleiten');
		await page.getByLabel('Mindestalter (freiwillig)').fill('150');
		await page.getByRole('button', { name: 'Anlegen' }).click();
		await expect(page.getByRole('alert')).toContainText('Bitte geben Sie eine ganze Zahl von 0 bis 99 ein.');
		await expect(page.getByLabel('Titel')).toHaveValue('Sprachcafé begleiten');
		await expect(page.getByLabel('Mindestalter (freiwillig)')).toHaveValue('150');
		await expectNoAxeViolations(page, 'new offer errors');
		await page.waitForLoadState('networkidle');
		await page.getByLabel('Mindestalter (freiwillig)').fill('16');
		await page.getByRole('button', { name: 'Anlegen' }).click();
		await expect(page.getByRole('alert')).toContainText('Bitte geben Sie einen Ort an');
		await expect(page.getByLabel('Mindestalter (freiwillig)')).toHaveValue('16');
		await page.waitForLoadState('networkidle');

		await page.getByLabel('Ort', { exact: true }).fill('Gemeindesaal Tarrenz');
		await page.getByRole('button', { name: 'Anlegen' }).click();
		await expect(page.getByRole('status')).toHaveText('Das Angebot wurde angelegt.');
		const item = page.getByRole('listitem').filter({ hasText: 'Sprachcafé begleiten' });
		await expect(item).toContainText('Entwurf');

		await item.getByRole('button', { name: 'Veröffentlichen: Sprachcafé begleiten' }).click();
		await expect(page.getByRole('status')).toHaveText('Der Status des Angebots ist jetzt: veröffentlicht.');
		await expect(item).toContainText('veröffentlicht');
		await item.getByRole('button', { name: 'Pausieren: Sprachcafé begleiten' }).click();
		await expect(page.getByRole('status')).toHaveText('Der Status des Angebots ist jetzt: pausiert.');
		await expect(item).toContainText('pausiert');

		// Archiving asks for confirmation.
		await item.getByRole('link', { name: 'Sprachcafé begleiten bearbeiten' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Sprachcafé begleiten' })).toBeVisible();
		await expect(page.getByLabel('Ort', { exact: true })).toHaveValue('Gemeindesaal Tarrenz');
		await expectNoAxeViolations(page, 'edit offer');
		await page.getByRole('button', { name: 'Archivieren' }).click();
		await expect(page.getByText('Bitte bestätigen Sie das Archivieren mit dem Häkchen.')).toBeVisible();
		await page.getByLabel('Ja, dieses Angebot archivieren').check();
		await page.getByRole('button', { name: 'Archivieren' }).click();
		await expect(page.getByRole('status')).toHaveText('Das Angebot wurde archiviert.');
		await expect(page.getByText('Sprachcafé begleiten')).toHaveCount(0);
	});

	test('a club admin invites a member, who accepts; another club cannot touch the club', async ({ page, browser }) => {
		test.setTimeout(90_000);
		await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
		const tafelId = await openTafelDashboard(page);

		// Someone who already belongs to the club cannot be invited again.
		await page.getByLabel('E-Mail-Adresse').fill(CLUB_MEMBER.email);
		await page.getByRole('button', { name: 'Einladung senden' }).click();
		await expect(page.getByRole('alert')).toContainText('Diese Person gehört bereits zum Verein.');
		await expect(page.getByLabel('E-Mail-Adresse')).toHaveValue(CLUB_MEMBER.email);
		await expectNoAxeViolations(page, 'invite error');
		await page.waitForLoadState('networkidle');

		const invitee = 'helferin@tarrenz.example';
		const before = await snapshotMail();
		await page.getByLabel('E-Mail-Adresse').fill(invitee);
		await page.getByLabel('Name (freiwillig)').fill('Hanna Helferin');
		await page.getByRole('button', { name: 'Einladung senden' }).click();
		await expect(page.getByRole('status')).toHaveText(`Die Einladung an ${invitee} wurde verschickt.`);
		await expect(page.getByRole('button', { name: `Einladung an ${invitee} zurückziehen` })).toBeVisible();
		const mail = await waitForNewMail(invitee, before);
		const link = /https?:\/\/\S+\/club\/invitations\/\S+/.exec(mail.parsed.text ?? '')![0];

		// A member of another club: no access to the Tafel's pages or actions, and not its invitation.
		const other = await signedInPage(browser, OTHER_CLUB_ADMIN);
		expect((await other.goto(`/de/club/${tafelId}/profile`))?.status()).toBe(404);
		expect((await other.goto(`/de/club?club=${tafelId}`))?.status()).toBe(404);
		const post = await other.request.post(`/de/club/${tafelId}/offers/new`, {
			form: { title: 'Fremdes Angebot', commitment: 'one_off', place: 'Imst', languages: 'de', status: 'published' },
			headers: { origin: ORIGIN, accept: 'text/html' },
			maxRedirects: 0
		});
		expect([403, 404]).toContain(post.status());
		const invite = await other.request.post(`/de/club?/invite`, {
			form: { clubId: tafelId, email: 'eindringling@example.org' },
			headers: { origin: ORIGIN, accept: 'text/html' },
			maxRedirects: 0
		});
		expect([403, 404]).toContain(invite.status());
		await other.goto(link);
		await expect(other.getByRole('heading', { level: 1, name: 'Einladung in einen Verein' })).toBeVisible();
		await expect(other.getByRole('alert')).toContainText('Diese Einladung gilt für eine andere E-Mail-Adresse.');
		await expect(other.getByRole('button', { name: 'Einladung annehmen' })).toHaveCount(0);
		await other.context().close();
		await page.goto(`/de/club?club=${tafelId}`); // not reload(): that would send the invitation again
		await expect(page.getByText('Fremdes Angebot')).toHaveCount(0);
		await expect(page.getByText('eindringling@example.org')).toHaveCount(0);

		// The invited person: not signed in, then signed in with the invited address.
		const guestContext = await browser.newContext({ locale: 'de-DE' });
		const guest = await guestContext.newPage();
		await guest.goto(link);
		await expect(guest.getByText('Sie sind eingeladen, im Verein „Tarrenzer Tafel“ mitzuarbeiten.')).toBeVisible();
		await expect(guest.getByRole('link', { name: 'Zum Annehmen bitte einloggen' })).toHaveAttribute('href', /\/de\/sign-in\?redirectTo=%2Fclub%2Finvitations%2F/);
		await expectNoAxeViolations(guest, 'invitation (anonymous)');
		await confirmSignInLink(guest, cliSignInLink(invitee));
		await guest.goto(link);
		await expectNoAxeViolations(guest, 'invitation (invited account)');
		await guest.getByRole('button', { name: 'Einladung annehmen' }).click();
		await expect(guest.getByRole('status')).toHaveText('Willkommen! Sie gehören jetzt zum Verein.');
		await expect(guest.getByRole('heading', { level: 2, name: 'Tarrenzer Tafel' })).toBeVisible();
		await expect(guest.getByRole('button', { name: 'Einladung senden' })).toHaveCount(0);
		await expectNoAxeViolations(guest, 'club dashboard (member)');
		// The link works once.
		await guest.goto(link);
		await expect(guest.getByRole('alert')).toContainText('Diese Einladung wurde bereits angenommen.');
		await guestContext.close();

		await page.goto(`/de/club?club=${tafelId}`);
		await expect(page.getByRole('listitem').filter({ hasText: 'Hanna Helferin' })).toContainText('Mitglied');
		await expect(page.getByRole('button', { name: `Einladung an ${invitee} zurückziehen` })).toHaveCount(0);
	});

	test('a club is registered anonymously; a duplicate name is refused first', async ({ page }) => {
		await page.goto('/de/club/register', { waitUntil: 'networkidle' });
		await expect(page.getByRole('heading', { level: 1, name: 'Verein registrieren' })).toBeVisible();
		await expectNoAxeViolations(page, 'club registration');

		await page.getByLabel('Gemeinde', { exact: true }).selectOption({ label: 'Tarrenz' });
		await page.getByLabel('Name des Vereins').fill('tarrenzer  TAFEL');
		await page.getByLabel('Kontakt-E-Mail des Vereins').fill('sprachcafe@tarrenz.example');
		await page.getByLabel('Soziales und Nachbarschaftshilfe').check();
		await page.getByLabel('Ihr Name').fill('Selin Yılmaz');
		await page.getByLabel('Ihre E-Mail-Adresse').fill('selin@tarrenz.example');
		await page.getByRole('button', { name: 'Verein registrieren' }).click();
		await expect(page.getByRole('alert')).toContainText('In dieser Gemeinde ist bereits ein Verein mit diesem Namen registriert');
		await expect(page.getByLabel('Name des Vereins')).toHaveValue('tarrenzer  TAFEL');
		await expect(page.getByLabel('Ihre E-Mail-Adresse')).toHaveValue('selin@tarrenz.example');
		await expectNoAxeViolations(page, 'club registration errors');

		const before = await snapshotMail();
		await page.getByLabel('Name des Vereins').fill('Sprachcafé Tarrenz');
		await page.getByRole('button', { name: 'Verein registrieren' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Bitte sehen Sie in Ihr Postfach' })).toBeVisible();
		await expect(page.getByRole('status')).toContainText('selin@tarrenz.example');
		await expectNoAxeViolations(page, 'club registration sent');
		const mail = await waitForNewMail('selin@tarrenz.example', before);
		expect(mail.parsed.text ?? '').toMatch(/\/sign-in\/link\?token=/);

		// English as the second language.
		await page.goto('/en/club/register');
		await expect(page.getByRole('heading', { level: 1, name: 'Register a club' })).toBeVisible();
		await expect(page.getByLabel('Name of the club')).toBeVisible();
	});
});
