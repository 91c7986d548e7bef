import { expect, test } from '@playwright/test';
import { cliSignInLink, confirmSignInLink, COORDINATOR, expectNoAxeViolations, ORIGIN, withServices } from './helpers';

/** A 1×1 PNG: the logo check looks at the magic bytes only. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function clubIdOf(name: string): string {
	return withServices<string>(`return (await db.selectFrom('club').select('id').where('name', '=', input.name).executeTakeFirstOrThrow()).id;`, { name });
}

/** Registers a pending club in Imst, as the public registration would; returns its id. */
function registerPendingClub(name: string, withLogo: boolean): string {
	return withServices<string>(
		`const municipality = await db.selectFrom('municipality').select('id').where('slug', '=', 'imst').executeTakeFirstOrThrow();
		const result = await clubs.register(db, {
			name: input.name,
			description: 'Wir reparieren gemeinsam, was kaputt ist.',
			contactEmail: input.email,
			contactPhone: '',
			website: '',
			tags: ['umwelt'],
			municipalityId: municipality.id,
			logo: input.logo ? new Uint8Array(Buffer.from(input.logo, 'base64')) : null,
			representative: { email: input.email, name: 'Rita Reparatur', locale: 'de' }
		}, { origin: config.origin }, new Date());
		if (!result.ok) throw new Error(result.problem);
		return result.clubId;`,
		{ name, email: `${name.toLowerCase().replace(/[^a-z]/g, '')}-${Date.now()}@example.org`, logo: withLogo ? PNG_BASE64 : null }
	);
}

test.describe('the club directory', () => {
	test('residents browse, filter and search clubs and open a club page', async ({ page }) => {
		await page.goto('/de/clubs', { waitUntil: 'networkidle' });
		await expect(page.getByRole('heading', { level: 1, name: 'Vereine und Engagement' })).toBeVisible();
		await expect(page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Vereine', exact: true })).toHaveAttribute(
			'aria-current',
			'page'
		);
		await expect(page.getByRole('link', { name: 'Bergrettung Imst' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Tarrenzer Tafel' })).toBeVisible();
		await expect(page.getByText('Lebensmittel ausgeben am Donnerstag')).toBeVisible();
		await expectNoAxeViolations(page, 'club directory');

		// Per municipality.
		await page.getByLabel('Gemeinde').selectOption({ label: 'Tarrenz' });
		await page.getByRole('button', { name: 'Suchen' }).click();
		await expect(page).toHaveURL(/municipality=tarrenz/);
		await expect(page.getByRole('link', { name: 'Tarrenzer Tafel' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Bergrettung Imst' })).toHaveCount(0);
		await expect(page.getByLabel('Gemeinde')).toHaveValue('tarrenz');

		// By engagement area.
		await page.goto('/de/clubs', { waitUntil: 'networkidle' });
		await page.getByLabel('Bereich').selectOption({ label: 'Feuerwehr und Rettungswesen' });
		await page.getByRole('button', { name: 'Suchen' }).click();
		await expect(page).toHaveURL(/tag=rettung/);
		await expect(page.getByRole('link', { name: 'Bergrettung Imst' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Tarrenzer Tafel' })).toHaveCount(0);

		// By words; the offers shown are those that match.
		await page.goto('/de/clubs', { waitUntil: 'networkidle' });
		await page.getByLabel('Suchbegriff').fill('Lebensmittel');
		await page.getByRole('button', { name: 'Suchen' }).click();
		await expect(page.getByText('Ein Verein gefunden')).toBeVisible();
		await expect(page.getByRole('link', { name: 'Tarrenzer Tafel' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Bergrettung Imst' })).toHaveCount(0);

		// Time commitment and multilocal: only the summer fest of the Bergrettung is one-off.
		await page.goto('/de/clubs', { waitUntil: 'networkidle' });
		await page.getByLabel('Zeitaufwand').selectOption({ label: 'Einmalig' });
		await page.getByLabel(/zeitweise hier sind/).check();
		await page.getByRole('button', { name: 'Suchen' }).click();
		await expect(page.getByRole('link', { name: 'Bergrettung Imst' })).toBeVisible();
		await expect(page.getByText('Helfen beim Bergrettungsfest')).toBeVisible();
		await expect(page.getByText('Ausbildung zur Bergretterin / zum Bergretter')).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Tarrenzer Tafel' })).toHaveCount(0);

		// Language of the offer.
		await page.goto('/de/clubs?language=tr');
		await expect(page.getByRole('link', { name: 'Tarrenzer Tafel' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Bergrettung Imst' })).toHaveCount(0);

		// Past the last page: nothing there, but not "no clubs yet".
		await page.goto('/de/clubs?page=2');
		await expect(page.getByText('Kein Verein passt zu dieser Auswahl.')).toBeVisible();

		// Nothing matches: say so and offer the way back.
		await page.goto('/de/clubs?q=Schachklub+Unterwasser', { waitUntil: 'networkidle' });
		await expect(page.getByText('Kein Verein passt zu dieser Auswahl.')).toBeVisible();
		await expectNoAxeViolations(page, 'club directory, nothing found');
		await page.getByRole('main').getByRole('link', { name: 'Filter zurücksetzen' }).first().click();
		await expect(page).toHaveURL(/\/de\/clubs$/);
		await expect(page.getByRole('link', { name: 'Bergrettung Imst' })).toBeVisible();

		// The club page.
		await page.getByRole('link', { name: 'Tarrenzer Tafel' }).click();
		await expect(page).toHaveURL(/\/de\/clubs\/tarrenz\/tarrenzer-tafel$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Tarrenzer Tafel' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'tafel@tarrenz.example' })).toBeVisible();
		const offer = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Abholfahrten mit dem Tafel-Bus' }) });
		await expect(offer).toContainText('Gelegentlich');
		await expect(offer).toContainText('ab 18 Jahren');
		await expect(offer).toContainText('bis zu 3');
		await expect(offer).toContainText('Ja, gut machbar');
		await expect(page.getByRole('heading', { name: 'Lebensmittel ausgeben am Donnerstag' })).toBeVisible();
		await expect(page.getByText('Deutsch, Englisch, Türkisch')).toBeVisible();
		await expectNoAxeViolations(page, 'club page');

		// Unknown clubs and a club under the wrong municipality are not found.
		expect((await page.goto('/de/clubs/tarrenz/gibt-es-nicht'))?.status()).toBe(404);
		expect((await page.goto('/de/clubs/imst/tarrenzer-tafel'))?.status()).toBe(404);

		// An unknown id has no logo to serve.
		expect((await page.request.get(`/clubs/logo/${'a'.repeat(24)}?v=0`)).status()).toBe(404);
	});

	test('filters work without JavaScript', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
		const page = await context.newPage();
		await page.goto(`${ORIGIN}/de/clubs`);
		await page.getByLabel('Gemeinde').selectOption({ label: 'Imst' });
		await page.getByRole('button', { name: 'Suchen' }).click();
		await expect(page).toHaveURL(/municipality=imst/);
		await expect(page.getByRole('link', { name: 'Bergrettung Imst' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Tarrenzer Tafel' })).toHaveCount(0);
		await context.close();
	});

	test('the directory in English', async ({ page }) => {
		await page.goto('/en/clubs', { waitUntil: 'networkidle' });
		await expect(page.getByRole('heading', { level: 1, name: 'Clubs and volunteering' })).toBeVisible();
		await expect(page.getByLabel('Time commitment')).toBeVisible();
		await expectNoAxeViolations(page, 'club directory (English)');
		await page.getByRole('link', { name: 'Bergrettung Imst' }).click();
		await expect(page).toHaveURL(/\/en\/clubs\/imst\/bergrettung-imst$/);
		await expect(page.getByText('Fire brigade and rescue services, Sport and exercise').first()).toBeVisible();
		await expect(page.getByRole('link', { name: 'https://bergrettung-imst.example/' })).toBeVisible();
		await expectNoAxeViolations(page, 'club page (English)');
		// The Bergrettung has no logo (the club-area journey only touches the Tafel's): none shown, none served.
		await expect(page.getByRole('img')).toHaveCount(0);
		const bergrettung = clubIdOf('Bergrettung Imst');
		expect((await page.request.get(`/clubs/logo/${bergrettung}?v=0`)).status()).toBe(404);
	});

	test('a coordinator approves and rejects registrations and sees what exists where', async ({ page, request }) => {
		const anonymous = await request.get('/de/admin/clubs', { maxRedirects: 0 });
		expect(anonymous.status()).toBe(303);
		expect(anonymous.headers().location).toContain('/sign-in?redirectTo=%2Fadmin%2Fclubs');

		const suffix = Date.now().toString(36);
		const withLogo = `Repair-Café ${suffix}`;
		const withoutReason = `Bastelrunde ${suffix}`;
		const logoClub = registerPendingClub(withLogo, true);
		registerPendingClub(withoutReason, false);

		// Not public before approval: neither in the directory nor its logo.
		await page.goto(`/de/clubs?q=${encodeURIComponent(suffix)}`);
		await expect(page.getByText('Kein Verein passt zu dieser Auswahl.')).toBeVisible();
		expect((await page.request.get(`/clubs/logo/${logoClub}?v=0`)).status()).toBe(404);

		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto('/de/admin', { waitUntil: 'networkidle' });
		await page.getByRole('navigation', { name: 'Koordination' }).getByRole('link', { name: 'Vereine' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Vereine' })).toBeVisible();
		await page.waitForLoadState('networkidle');
		const pending = page.getByRole('region', { name: 'Warten auf Freigabe' });
		await expect(pending.getByRole('heading', { name: withLogo })).toBeVisible();
		await expect(page.getByRole('region', { name: 'Freigegeben' }).getByRole('link', { name: 'Tarrenzer Tafel' })).toBeVisible();

		const counts = page.getByRole('table', { name: 'Vereine und Angebote je Bereich und Gemeinde' });
		await expect(counts.getByRole('columnheader', { name: 'Imst' })).toBeVisible();
		await expect(counts.getByRole('columnheader', { name: 'Tarrenz' })).toBeVisible();
		// Rescue: the Bergrettung in Imst (club and its training offer), nothing in Tarrenz.
		const rescue = counts.getByRole('row', { name: /Feuerwehr und Rettungswesen/ });
		await expect(rescue.getByRole('rowheader')).toHaveText('Feuerwehr und Rettungswesen');
		await expect(rescue.getByRole('cell')).toHaveText(['ein Verein, ein Angebot', 'Keine']);
		await expectNoAxeViolations(page, 'admin clubs');

		// Rejecting needs a reason.
		const card = pending.getByRole('listitem').filter({ has: page.getByRole('heading', { name: withoutReason }) });
		await card.getByRole('button', { name: 'Ablehnen' }).click();
		await expect(page.getByRole('alert')).toContainText('Bitte geben Sie eine Begründung für die Ablehnung an.');
		const reason = pending
			.getByRole('listitem')
			.filter({ has: page.getByRole('heading', { name: withoutReason }) })
			.getByLabel('Begründung der Ablehnung');
		await expect(reason).toHaveAttribute('aria-invalid', 'true');
		await expectNoAxeViolations(page, 'admin clubs, reason missing');
		await reason.fill('Bitte beschreiben Sie, was der Verein macht.');
		await pending
			.getByRole('listitem')
			.filter({ has: page.getByRole('heading', { name: withoutReason }) })
			.getByRole('button', { name: 'Ablehnen' })
			.click();
		await expect(page.getByRole('status')).toContainText(`„${withoutReason}“ ist abgelehnt`);
		await expect(page.getByRole('region', { name: 'Abgelehnt' }).getByRole('cell', { name: withoutReason })).toBeVisible();

		await pending
			.getByRole('listitem')
			.filter({ has: page.getByRole('heading', { name: withLogo }) })
			.getByRole('button', { name: 'Freigeben' })
			.click();
		await expect(page.getByRole('status')).toContainText(`„${withLogo}“ ist freigegeben`);
		await page.getByRole('region', { name: 'Freigegeben' }).getByRole('link', { name: withLogo }).click();

		// Now public, with its logo: the real type, never sniffed, cached for long, revalidated by hash.
		await expect(page.getByRole('heading', { level: 1, name: withLogo })).toBeVisible();
		const logo = page.getByRole('img', { name: `Logo: ${withLogo}` });
		await expect(logo).toBeVisible();
		expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
		const logoUrl = await logo.getAttribute('src');
		expect(logoUrl).toMatch(new RegExp(`^/clubs/logo/${logoClub}\\?v=[0-9a-f]{16}$`));
		await expectNoAxeViolations(page, 'club page with logo');
		const served = await request.get(logoUrl!);
		expect(served.status()).toBe(200);
		expect(served.headers()['content-type']).toBe('image/png');
		expect(served.headers()['x-content-type-options']).toBe('nosniff');
		expect(served.headers()['cache-control']).toContain('public');
		expect(served.headers()['cache-control']).toContain('immutable');
		expect((await served.body()).toString('base64')).toBe(PNG_BASE64);
		const etag = served.headers().etag!;
		expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
		const revalidated = await request.get(logoUrl!, { headers: { 'if-none-match': etag } });
		expect(revalidated.status()).toBe(304);
	});
});
