import { expect, test } from '@playwright/test';
import { cliSignInLink, confirmSignInLink, expectNoAxeViolations, newMailRecipients, snapshotMail, waitForNewMail, withServices } from './helpers';

// A regional market at the scale (10,000 people, 500 clubs), written straight into the
// database as a draft event of its own municipality, so no public page lists it.
function largeMarket(): { eventId: string; email: string } {
	const market = withServices<{ eventId: string; email: string }>(
		`
		const { seedLargeMarket } = await import('./tests/fixtures/large-market');
		const market = await seedLargeMarket(db, { people: input.people, clubs: input.clubs, name: input.name, status: 'draft' }, now);
		const user = await db.selectFrom('user').select('email').where('id', '=', market.coordinator.id).executeTakeFirstOrThrow();
		return { eventId: market.eventId, email: user.email };`,
		{ people: 10_000, clubs: 500, name: `Landeck ${Date.now().toString(36)}` }
	);
	seeded.push(market.eventId);
	return market;
}

/**
 * Everything the seeded markets brought goes again: the journeys after this file count what public
 * pages show, and the fuzzing fingerprints every table after each request.
 */
const seeded: string[] = [];
test.afterAll(() => {
	if (seeded.length === 0) return;
	withServices(
		`
		const events = input.events;
		// A plan still running for them is stopped first (its runner checks twice a second).
		await db.updateTable('match_job').set({ cancel_requested: 1 }).where('event_id', 'in', events).execute();
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const ids = async (query) => (await query.execute()).map((row) => row.id);
		const municipalities = (await db.selectFrom('event_host').select('municipality_id as id').where('event_id', 'in', events).execute()).map((r) => r.id);
		const clubs = await ids(db.selectFrom('club').select('id').where('municipality_id', 'in', municipalities));
		const offers = await ids(db.selectFrom('offer').select('id').where('club_id', 'in', clubs));
		const people = await ids(db.selectFrom('registration').select('person_id as id').where('event_id', 'in', events));
		const users = await ids(db.selectFrom('coordinator').select('user_id as id').where('municipality_id', 'in', municipalities));
		const inChunks = async (list, remove) => { for (let i = 0; i < list.length; i += 500) await remove(list.slice(i, i + 500)); };
		await db.deleteFrom('match_job').where('event_id', 'in', events).execute();
		await db.deleteFrom('match_slot').where('plan_id', 'in', db.selectFrom('match_plan').select('id').where('event_id', 'in', events)).execute();
		for (const table of ['match_plan', 'match_setting', 'match_rule', 'outbox', 'registration', 'stall_request', 'stall']) {
			await db.deleteFrom(table).where('event_id', 'in', events).execute();
		}
		await inChunks(people, (chunk) => db.deleteFrom('person').where('id', 'in', chunk).execute());
		await inChunks(offers, (chunk) => db.deleteFrom('offer_tag').where('offer_id', 'in', chunk).execute());
		await inChunks(offers, (chunk) => db.deleteFrom('offer').where('id', 'in', chunk).execute());
		await inChunks(clubs, (chunk) => db.deleteFrom('club_tag').where('club_id', 'in', chunk).execute());
		await inChunks(clubs, (chunk) => db.deleteFrom('club').where('id', 'in', chunk).execute());
		await db.deleteFrom('audit_log').where((eb) => eb.or([eb('municipality_id', 'in', municipalities), eb('entity_id', 'in', events)])).execute();
		await db.deleteFrom('event_host').where('event_id', 'in', events).execute();
		await db.deleteFrom('event').where('id', 'in', events).execute();
		await db.deleteFrom('coordinator').where('municipality_id', 'in', municipalities).execute();
		if (users.length > 0) await db.deleteFrom('user').where('id', 'in', users).execute();
		await db.deleteFrom('municipality').where('id', 'in', municipalities).execute();
		return null;`,
		{ events: seeded }
	);
});

/** Another coordinator's market is being planned: the app's runner plans one market at a time. */
function planElsewhere(eventId: string): void {
	withServices(
		`
		const { generateId } = await import('./src/lib/server/ids');
		await db.insertInto('match_job').values({ id: generateId(), event_id: input.eventId, active_event_id: input.eventId, mode: 'fresh', status: 'queued', requested_by: null, requested_at: now.toISOString() }).execute();
		return null;`,
		{ eventId }
	);
}

test('a large market is planned in the background: progress, cancel, plan again', async ({ page }) => {
	test.setTimeout(300_000);
	const elsewhere = largeMarket();
	const market = largeMarket();
	await confirmSignInLink(page, cliSignInLink(market.email));
	await page.goto(`/de/admin/events/${market.eventId}/matching`, { waitUntil: 'networkidle' });
	await expect(page.getByText('Noch kein Entwurf.')).toBeVisible();

	// Queued behind the other market's plan: the page says so and the coordinator can cancel.
	planElsewhere(elsewhere.eventId);
	const run = page.getByRole('button', { name: 'Zuordnung berechnen' });
	await run.click();
	const job = page.getByRole('region', { name: 'Die Zuordnung wird berechnet' });
	await expect(job).toBeVisible({ timeout: 30_000 });
	await expect(page.getByRole('status').first()).toContainText('Die Berechnung läuft im Hintergrund');
	await expect(run).toBeDisabled();
	await job.getByRole('button', { name: 'Berechnung abbrechen' }).click();
	await expect(page.getByText('Die Berechnung wurde abgebrochen. Der bisherige Entwurf bleibt unverändert.')).toBeVisible({ timeout: 30_000 });
	await expect(job).toHaveCount(0);
	await expect(page.getByText('Noch kein Entwurf.')).toBeVisible();
	await expect(run).toBeEnabled();

	// Again, to the end: the page follows the stages by itself and shows the draft without a reload.
	await run.click();
	await expect(job).toBeVisible({ timeout: 30_000 });
	await expect(job.locator('#job-stage')).toContainText(/Die Passung wird bewertet|Gespräche werden zugeordnet/, { timeout: 120_000 });
	await expectNoAxeViolations(page, 'matching page while planning');
	await expect(page.getByRole('heading', { name: /^Vorschau des Entwurfs vom/ })).toBeVisible({ timeout: 240_000 });
	await expect(job).toHaveCount(0);
	await expect(page.getByText('Die Berechnung wurde abgebrochen.')).toHaveCount(0);
});

test('an update of a published plan moves few people, shows who and why, and mails only them', async ({ page }) => {
	test.setTimeout(180_000);
	const market = withServices<{ eventId: string; email: string }>(
		`
		const { seedLargeMarket } = await import('./tests/fixtures/large-market');
		const market = await seedLargeMarket(db, { people: 40, clubs: 6, name: input.name, status: 'draft' }, now);
		const user = await db.selectFrom('user').select('email').where('id', '=', market.coordinator.id).executeTakeFirstOrThrow();
		return { eventId: market.eventId, email: user.email };`,
		{ name: `Zams ${Date.now().toString(36)}` }
	);
	seeded.push(market.eventId);
	await confirmSignInLink(page, cliSignInLink(market.email));
	await page.goto(`/de/admin/events/${market.eventId}/matching`, { waitUntil: 'networkidle' });
	await expect(page.getByRole('button', { name: 'Plan aktualisieren' })).toHaveCount(0);
	await page.getByRole('button', { name: 'Zuordnung berechnen' }).click();
	await expect(page.getByRole('heading', { name: /^Vorschau des Entwurfs vom/ })).toBeVisible({ timeout: 30_000 });
	await page.getByLabel('Ich habe die Vorschau geprüft und möchte den Plan veröffentlichen.').check();
	await page.getByRole('button', { name: 'Plan veröffentlichen' }).click();
	await expect(page.getByRole('status').first()).toContainText('benachrichtigt');

	// A late registration, straight into the database as if confirmed a minute ago.
	const late = { name: 'Leonie Spät', email: `leonie.spaet.${Date.now().toString(36)}@example.org` };
	withServices(
		`
		const { generateId, sha256Hex } = await import('./src/lib/server/ids');
		const personId = generateId();
		const profile = { residency: 'resident', homePlace: '', secondPlace: '', availability: [], presence: '', languages: ['de'], accessibilityNeeds: '', interests: [] };
		await db.insertInto('person').values({ id: personId, email: input.email, name: input.name, locale: 'de', profile: JSON.stringify(profile), consent_introductions: 0, created_at: now.toISOString(), updated_at: now.toISOString() }).execute();
		await db.insertInto('registration').values({ id: generateId(), event_id: input.eventId, person_id: personId, status: 'confirmed', manage_secret_hash: sha256Hex(generateId()), created_at: now.toISOString(), updated_at: now.toISOString(), confirmed_at: now.toISOString() }).execute();
		return personId;`,
		{ ...late, eventId: market.eventId }
	);

	await page.reload({ waitUntil: 'networkidle' });
	await page.getByRole('button', { name: 'Plan aktualisieren' }).click();
	const changes = page.getByRole('region', { name: 'Wer einen neuen Plan bekommt' });
	await expect(changes).toBeVisible({ timeout: 30_000 });
	const rows = changes.getByRole('listitem');
	await expect(rows.filter({ hasText: late.name })).toContainText(`${late.name}: neue Anmeldung`);
	const moving = await rows.count();
	expect(moving).toBeGreaterThanOrEqual(1);
	expect(moving).toBeLessThanOrEqual(1 + 3 * 3);
	await expect(changes).toContainText(`Betroffene Personen: ${moving}.`);
	await expectNoAxeViolations(page, 'matching page with an update preview');

	const before = await snapshotMail();
	await page.getByLabel('Ich habe die Vorschau geprüft und möchte den Plan veröffentlichen.').check();
	await page.getByRole('button', { name: 'Plan veröffentlichen' }).click();
	const notice = page.getByRole('status').first();
	await expect(notice).toContainText(moving === 1 ? '1 Person' : `${moving} Personen`);
	// The clubs whose schedule changed (at least the late person's) get theirs too.
	const clubs = Number((await notice.textContent())?.match(/(\d+) Vereine? erh/)?.[1] ?? 0);
	expect(clubs).toBeGreaterThanOrEqual(1);
	await waitForNewMail(late.email, before);
	// Exactly the people in the preview and those clubs are mailed, over SMTP, nobody else.
	const byKind = async () => {
		const recipients = await newMailRecipients(before);
		return { people: recipients.filter((r) => !r.startsWith('verein')).length, clubs: recipients.filter((r) => r.startsWith('verein')).length };
	};
	await expect.poll(byKind, { timeout: 30_000 }).toEqual({ people: moving, clubs });
});
