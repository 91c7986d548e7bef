import { expect, test } from '@playwright/test';
import { cliSignInLink, confirmSignInLink, expectNoAxeViolations, withServices } from './helpers';

// A regional market at the scale (10,000 people, 500 clubs), written straight into the
// database as a draft event of its own municipality, so no public page lists it.
function largeMarket(): { eventId: string; email: string } {
	return withServices(
		`
		const { seedLargeMarket } = await import('./tests/fixtures/large-market');
		const market = await seedLargeMarket(db, { people: input.people, clubs: input.clubs, name: input.name, status: 'draft' }, now);
		const user = await db.selectFrom('user').select('email').where('id', '=', market.coordinator.id).executeTakeFirstOrThrow();
		return { eventId: market.eventId, email: user.email };`,
		{ people: 10_000, clubs: 500, name: `Landeck ${Date.now().toString(36)}` }
	);
}

test('a large market is planned in the background: progress, cancel, plan again', async ({ page }) => {
	test.setTimeout(300_000);
	const market = largeMarket();
	await confirmSignInLink(page, cliSignInLink(market.email));
	await page.goto(`/de/admin/events/${market.eventId}/matching`, { waitUntil: 'networkidle' });
	await expect(page.getByText('Noch kein Entwurf.')).toBeVisible();

	const run = page.getByRole('button', { name: 'Zuordnung berechnen' });
	await run.click();
	const job = page.getByRole('region', { name: 'Die Zuordnung wird berechnet' });
	await expect(job).toBeVisible({ timeout: 30_000 });
	await expect(page.getByRole('status').first()).toContainText('Die Berechnung läuft im Hintergrund');
	await expect(run).toBeDisabled();
	// The page follows the job by itself: the stage moves on without a click.
	await expect(job.locator('#job-stage')).toContainText(/Die Passung wird bewertet|Gespräche werden zugeordnet/, { timeout: 60_000 });
	await expectNoAxeViolations(page, 'matching page while planning');

	await job.getByRole('button', { name: 'Berechnung abbrechen' }).click();
	await expect(page.getByText('Die Berechnung wurde abgebrochen. Der bisherige Entwurf bleibt unverändert.')).toBeVisible({ timeout: 30_000 });
	await expect(job).toHaveCount(0);
	await expect(page.getByText('Noch kein Entwurf.')).toBeVisible();
	await expect(run).toBeEnabled();

	// Again, to the end: the draft appears without reloading the page.
	await run.click();
	await expect(job).toBeVisible({ timeout: 30_000 });
	await expect(page.getByRole('heading', { name: /^Vorschau des Entwurfs vom/ })).toBeVisible({ timeout: 240_000 });
	await expect(job).toHaveCount(0);
	await expect(page.getByText('Die Berechnung wurde abgebrochen.')).toHaveCount(0);
});
