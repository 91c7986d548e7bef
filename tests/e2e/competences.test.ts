import { expect, test } from '@playwright/test';
import { CLUB_MEMBER, COORDINATOR, cliSignInLink, confirmSignInLink, expectNoAxeViolations } from './helpers';

// Kompetenzen (issue 15): the coordinator adds one to Tarrenz's list, the Tarrenzer Tafel asks for
// it on an offer, and the public club page names it. Sign-in links come from the CLI, so the
// accounts' mail rate limits stay untouched.

test('a competence added in the settings can be asked for by a club and shows on its public page', async ({ page }) => {
	await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
	await page.goto('/de/admin/settings');
	const tarrenz = page.locator('li.card').filter({ has: page.getByRole('heading', { name: 'Tarrenz', level: 3 }) });
	await expect(tarrenz.getByText('Erste Hilfe', { exact: true })).toBeVisible();

	// An empty name is refused with a message next to the form.
	const add = tarrenz.locator('form[action="?/addCompetence"]');
	await add.getByRole('button', { name: 'Kompetenz hinzufügen' }).click();
	await expect(page.locator('li.card').filter({ has: page.getByRole('heading', { name: 'Tarrenz', level: 3 }) }).getByText('Bitte füllen Sie dieses Feld aus.')).toBeVisible();

	await add.getByLabel('Bezeichnung auf Deutsch').fill('Gebärdensprache');
	await add.getByLabel('Bezeichnung auf Englisch (freiwillig)').fill('Sign language');
	await add.getByRole('button', { name: 'Kompetenz hinzufügen' }).click();
	await expect(page.getByRole('status')).toHaveText('„Gebärdensprache“ steht jetzt auf der Liste von Tarrenz.');
	await expect(tarrenz.locator('summary', { hasText: 'Gebärdensprache' })).toBeVisible();
	await expectNoAxeViolations(page, 'settings with competences');

	// Removing needs a confirmation; without it nothing goes.
	const entry = tarrenz.locator('li', { has: page.locator('summary', { hasText: 'Gebärdensprache' }) });
	await entry.locator('summary').click();
	await entry.getByRole('button', { name: 'Entfernen' }).click();
	await expect(page.getByText('Bitte bestätigen Sie, dass Sie die Kompetenz entfernen möchten.')).toBeVisible();
	await expect(tarrenz.locator('summary', { hasText: 'Gebärdensprache' })).toBeVisible();

	await page.context().clearCookies();
	await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
	await page.goto('/de/club');
	await page.getByRole('link', { name: 'Lebensmittel ausgeben am Donnerstag bearbeiten' }).click();
	const competences = page.getByRole('group', { name: 'Gesuchte Kompetenzen (freiwillig)' });
	await expect(competences.getByLabel('Erste Hilfe')).not.toBeChecked();
	await competences.getByLabel('Gebärdensprache').check();
	await page.locator('form[action="?/save"]').getByRole('button', { name: 'Speichern' }).click();
	await expect(page.getByRole('status')).toHaveText('Das Angebot wurde gespeichert.');
	await expect(page.getByRole('group', { name: 'Gesuchte Kompetenzen (freiwillig)' }).getByLabel('Gebärdensprache')).toBeChecked();

	await page.goto('/de/clubs/tarrenz/tarrenzer-tafel');
	const offer = page.locator('li', { has: page.getByRole('heading', { name: 'Lebensmittel ausgeben am Donnerstag' }) });
	await expect(offer.locator('dt', { hasText: 'Gesuchte Kompetenzen' })).toBeVisible();
	await expect(offer.locator('dt', { hasText: 'Gesuchte Kompetenzen' }).locator('xpath=following-sibling::dd[1]')).toHaveText('Gebärdensprache');
	await page.goto('/en/clubs/tarrenz/tarrenzer-tafel');
	await expect(page.locator('li', { has: page.getByRole('heading', { name: 'Lebensmittel ausgeben am Donnerstag' }) }).getByText('Sign language')).toBeVisible();
});
