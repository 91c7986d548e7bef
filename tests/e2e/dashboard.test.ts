import { expect, test } from '@playwright/test';
import { cliSignInLink, CLUB_MEMBER, confirmSignInLink, COORDINATOR, expectNoAxeViolations, ORIGIN, withServices } from './helpers';

const CLUB = 'Dashboard-Verein Imst';
const MARKET = 'Dashboard-Markt Imst';

test.describe.serial('the coordinator dashboard', () => {
	let failedMailId = '';
	let marketId = '';

	test.beforeAll(() => {
		// One club waiting for approval, one mail that could not be delivered, and a market in ten
		// days with a stall request waiting for a decision, all in Imst.
		[failedMailId, marketId] = withServices<[string, string]>(
			`const { generateId } = await import('./src/lib/server/ids');
			const imst = await db.selectFrom('municipality').select('id').where('slug', '=', 'imst').executeTakeFirstOrThrow();
			const result = await clubs.register(db, { name: input.club, description: '', contactEmail: 'dashboard@verein.example', contactPhone: '', website: '', tags: [], municipalityId: imst.id, logo: null, representative: { email: 'dashboard@verein.example', name: 'Dana Dashboard', locale: 'de' } }, { origin: '${ORIGIN}' }, now);
			if (!result.ok) throw new Error(result.problem);
			const id = generateId();
			const marketId = generateId();
			const startsAt = new Date(now.getTime() + 10 * 86_400_000);
			await db.insertInto('event').values({ id: marketId, series_id: null, kind: 'market', title: input.market, description: '', starts_at: startsAt.toISOString(), ends_at: new Date(startsAt.getTime() + 4 * 3600_000).toISOString(), time_zone: 'Europe/Vienna', venue_id: null, capacity: 40, confirmed_count: 0, status: 'published', registration_opens_at: null, registration_closes_at: null, ical_uid: marketId + '@e2e', stall_booking_open: 1, created_at: now.toISOString(), updated_at: now.toISOString() }).execute();
			await db.insertInto('event_host').values({ event_id: marketId, municipality_id: imst.id }).execute();
			const tafel = await db.selectFrom('club').select('id').where('name', '=', 'Tarrenzer Tafel').executeTakeFirstOrThrow();
			await db.insertInto('stall_request').values({ id: generateId(), event_id: marketId, club_id: tafel.id, status: 'requested', size: 1, needs_power: 0, needs_accessible: 0, tables: 1, chairs: 2, requested_by: null, created_at: now.toISOString(), updated_at: now.toISOString() }).execute();
			await db.insertInto('outbox').values({ id, idempotency_key: 'dashboard-e2e:' + id, recipient: 'unzustellbar@example.org', locale: 'de', template: 'message', subject: 'Nicht zugestellt', text_body: '', html_body: '', attachments: null, municipality_id: imst.id, user_id: null, status: 'failed', attempts: 5, next_attempt_at: now.toISOString(), lease_owner: null, lease_until: null, last_error: '550 mailbox unavailable', sent_at: null, message_id: null, created_at: now.toISOString() }).execute();
			return [id, marketId];`,
			{ club: CLUB, market: MARKET }
		);
	});

	test.afterAll(() => {
		withServices(
			`await db.deleteFrom('outbox').where('id', '=', input.mailId).execute();
			await db.deleteFrom('outbox').where('recipient', '=', 'dashboard@verein.example').execute();
			await db.deleteFrom('stall_request').where('event_id', '=', input.marketId).execute();
			await db.deleteFrom('event_host').where('event_id', '=', input.marketId).execute();
			await db.deleteFrom('event').where('id', '=', input.marketId).execute();
			const club = await db.selectFrom('club').select('id').where('name', '=', input.club).executeTakeFirst();
			if (club) {
				await db.deleteFrom('club_member').where('club_id', '=', club.id).execute();
				await db.deleteFrom('club').where('id', '=', club.id).execute();
			}
			return true;`,
			{ mailId: failedMailId, club: CLUB, marketId }
		);
	});

	test('opens with what needs doing, each with a link to where it is done', async ({ page }) => {
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto('/de/admin');
		await expect(page.getByRole('heading', { level: 1, name: 'Koordination' })).toBeVisible();
		// No settings form on the dashboard any more.
		await expect(page.getByLabel('Antwortadresse für E-Mails an Teilnehmende')).toHaveCount(0);

		const next = page.getByRole('region', { name: 'Nächste Termine' });
		await expect(next.getByRole('listitem').first()).toContainText(/\d+ von \d+ Plätzen belegt/);
		expect(await next.getByRole('listitem').count()).toBeLessThanOrEqual(5);

		const clubs = page.getByRole('region', { name: 'Vereine, die auf Freischaltung warten' });
		await expect(clubs).toContainText(CLUB);
		await expect(clubs).toContainText(/(wartet|warten) auf Ihre Prüfung\./);

		const mail = page.getByRole('region', { name: 'E-Mails, die nicht ankamen' });
		await expect(mail).toContainText(/(Eine E-Mail konnte|\d+ E-Mails konnten) nicht zugestellt werden\./);
		await expectNoAxeViolations(page, 'coordinator dashboard');

		await mail.getByRole('link', { name: 'Nicht zugestellte E-Mails ansehen' }).click();
		await expect(page).toHaveURL(/\/de\/admin\/outbox\?status=failed$/);
		await expect(page.getByText('unzustellbar@example.org')).toBeVisible();

		await page.goto('/de/admin');
		await clubs.getByRole('link', { name: 'Vereine prüfen' }).click();
		await expect(page).toHaveURL(/\/de\/admin\/clubs$/);
		await expect(page.getByText(CLUB).first()).toBeVisible();

		await page.goto('/de/admin');
		const first = next.getByRole('link').first();
		const title = (await first.textContent())!.trim();
		await first.click();
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	});

	test('lists markets with stall requests waiting for a decision', async ({ page }) => {
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto('/de/admin');
		const stalls = page.getByRole('region', { name: 'Offene Standanfragen' });
		const item = stalls.getByRole('listitem').filter({ hasText: MARKET });
		await expect(item).toContainText('eine neue Anfrage');
		await item.getByRole('link', { name: `Standanfragen für ${MARKET}` }).click();
		await expect(page).toHaveURL(new RegExp(`/de/admin/events/${marketId}/stalls$`));
		await expect(page.getByRole('rowheader', { name: 'Tarrenzer Tafel' })).toBeVisible();
	});

	test('the settings have their own page in the admin menu and keep bad input out', async ({ page }) => {
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto('/de/admin');
		await page.getByRole('navigation', { name: 'Koordination' }).getByRole('link', { name: 'Einstellungen' }).click();
		await expect(page).toHaveURL(/\/de\/admin\/settings$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Einstellungen' })).toBeVisible();
		await expectNoAxeViolations(page, 'settings');
		const imst = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Imst' }) });
		const contact = imst.getByLabel('Antwortadresse für E-Mails an Teilnehmende');
		const saved = await contact.inputValue();
		await contact.fill('keine-adresse');
		await imst.getByRole('button', { name: 'Speichern', exact: true }).click();
		await expect(page.getByText('Bitte geben Sie eine gültige E-Mail-Adresse an oder lassen Sie das Feld leer.')).toBeVisible();
		await page.reload();
		await expect(page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Imst' }) }).getByLabel('Antwortadresse für E-Mails an Teilnehmende')).toHaveValue(saved);
		await page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: 'Imst' }) }).getByRole('button', { name: 'Speichern', exact: true }).click();
		await expect(page.getByRole('status')).toHaveText('Einstellungen für Imst gespeichert.');
	});

	test('dashboard and settings are closed to club members and anonymous visitors', async ({ page, request }) => {
		expect((await request.get('/de/admin/settings', { maxRedirects: 0 })).status()).toBe(303);
		await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
		expect((await page.goto('/de/admin'))?.status()).toBe(403);
		expect((await page.goto('/de/admin/settings'))?.status()).toBe(403);
		const post = await page.request.post('/de/admin/settings?/retention', { form: { municipalityId: 'x', months: '12', contactEmail: '' }, headers: { origin: ORIGIN } });
		expect(post.status()).toBe(403);
	});
});
