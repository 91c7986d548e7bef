import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, unfold, withServices } from './helpers';

// Issue 15: the registration form on a phone. A first-time visitor to a market sees the profile
// questions, but interests, times, the rarer languages and competences are folded, each saying how
// many boxes inside are ticked; the second home is asked only of people with two homes. Whatever is
// ticked inside a fold is sent, with and without JavaScript. (Heights are printed by the helper's
// report, not asserted: they depend on fonts.)

const PHONE = { width: 390, height: 844 };
const MARKET = 'Markt der Möglichkeiten Imst';

async function openMarket(page: Page) {
	await page.goto('/de/?kind=market');
	await page.getByRole('link', { name: MARKET }).click();
	await expect(page.getByRole('heading', { level: 1, name: MARKET })).toBeVisible();
}

const summary = (page: Page, text: string) => page.locator('summary').filter({ hasText: text }).first();

/** The profile sent with this address's registration (kept on it until the link in the mail is opened). */
function submittedProfile(email: string) {
	return withServices<{ residency: string; secondPlace: string; interests: string[]; availability: string[]; languages: string[] }>(
		`const row = await db.selectFrom('registration').innerJoin('person', 'person.id', 'registration.person_id')
			.select('registration.submitted_profile').where('person.email', '=', input.email).executeTakeFirstOrThrow();
		return JSON.parse(row.submitted_profile ?? '{}').profile;`,
		{ email }
	);
}

test.describe('the registration form on a phone', () => {
	test.use({ viewport: PHONE });

	test('a first-timer sees the profile folded into parts that count what is chosen, and everything chosen is sent', async ({ page }) => {
		await openMarket(page);
		await page.waitForLoadState('networkidle');
		// A market matches people: the profile group is open, its long parts are folded.
		await expect(page.locator('details.profile')).toHaveAttribute('open', '');
		await expect(page.getByLabel('Sport und Bewegung')).toBeHidden();
		await expect(page.getByLabel('am Wochenende')).toBeHidden();
		// The common languages are shown, the rarer ones folded; the page's language is ticked.
		await expect(page.getByLabel('Deutsch', { exact: true })).toBeChecked();
		await expect(page.getByLabel('Englisch', { exact: true })).toBeVisible();
		await expect(page.getByLabel('Persisch')).toBeHidden();
		await expect(summary(page, 'Weitere Sprachen')).toHaveText('Weitere Sprachen');
		// "hier zu Hause" is preselected: no second home asked; with two homes it is.
		await expect(page.getByLabel('Zweiter Wohnort (falls Sie zwei haben)')).toBeHidden();
		await page.getByLabel(/zeitweise hier \(z\. B\. mit Zweitwohnsitz/).check();
		await expect(page.getByLabel('Zweiter Wohnort (falls Sie zwei haben)')).toBeVisible();
		await expectNoAxeViolations(page, 'registration form, folded');

		await unfold(page, 'Was interessiert Sie?');
		await page.getByLabel('Sport und Bewegung').check();
		await page.getByLabel('Tierschutz').check();
		await expect(summary(page, 'Was interessiert Sie?')).toHaveText('Was interessiert Sie? · 2 gewählt');
		await page.getByLabel('Tierschutz').uncheck();
		await expect(summary(page, 'Was interessiert Sie?')).toHaveText('Was interessiert Sie? · 1 gewählt');
		await unfold(page, 'Wann Sie Zeit haben');
		await page.getByLabel('abends').check();
		await expect(summary(page, 'Wann Sie Zeit haben')).toHaveText('Wann Sie Zeit haben · 1 gewählt');
		await unfold(page, 'Weitere Sprachen');
		await page.getByLabel('Persisch').check();
		await expect(summary(page, 'Weitere Sprachen')).toHaveText('Weitere Sprachen · 1 gewählt');
		// Closing a part keeps its count in view.
		await summary(page, 'Was interessiert Sie?').click();
		await expect(page.getByLabel('Sport und Bewegung')).toBeHidden();
		await expect(summary(page, 'Was interessiert Sie?')).toHaveText('Was interessiert Sie? · 1 gewählt');
		await expectNoAxeViolations(page, 'registration form, parts open');

		const email = 'faltformular.js@example.org';
		await page.getByLabel('Ihr Name').fill('Farah Faltner');
		await page.getByLabel('E-Mail-Adresse').fill(email);
		await page.getByLabel('Wohnort', { exact: true }).fill('Innsbruck');
		await page.getByLabel('Zweiter Wohnort (falls Sie zwei haben)').fill('Imst');
		await page.getByLabel(/Datenschutzhinweise gelesen/).check();
		await page.getByRole('button', { name: 'Teilnehmen' }).click();
		await expect(page.getByRole('heading', { name: 'Fast geschafft!' })).toBeVisible();

		const profile = submittedProfile(email);
		expect(profile.residency).toBe('incoming');
		expect(profile.secondPlace).toBe('Imst');
		expect(profile.interests).toEqual(['sport']);
		expect(profile.availability).toEqual(['evenings']);
		expect([...profile.languages].sort()).toEqual(['de', 'fa']);
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });

		test('the folds open natively, an error shows them open with their counts, and the choices are sent', async ({ page }) => {
			await openMarket(page);
			await expect(page.getByLabel('Persisch')).toBeHidden();
			await summary(page, 'Was interessiert Sie?').click();
			await page.getByLabel('Kinder und Jugend').check();
			await page.getByLabel('Sport und Bewegung').check();
			await summary(page, 'Weitere Sprachen').click();
			await page.getByLabel('Ukrainisch').check();
			await page.getByLabel('Kroatisch').check();
			await page.getByLabel('Ihr Name').fill('Nora Ohneskript');
			await page.getByLabel('E-Mail-Adresse').fill('faltformular.nojs@example.org');
			// No privacy consent: the server sends the form back with what was chosen, counted.
			await page.getByRole('button', { name: 'Teilnehmen' }).click();
			await expect(page.getByRole('alert')).toContainText('Datenschutzhinweisen zu');
			await expect(summary(page, 'Was interessiert Sie?')).toHaveText('Was interessiert Sie? · 2 gewählt');
			await expect(summary(page, 'Weitere Sprachen')).toHaveText('Weitere Sprachen · 2 gewählt');
			await expect(page.getByLabel('Ukrainisch')).toBeChecked();
			await expect(page.getByLabel('Ukrainisch')).toBeVisible();
			await expect(page.getByLabel('Sport und Bewegung')).toBeVisible();
			// Nothing chosen there: the times stay folded.
			await expect(page.getByLabel('abends')).toBeHidden();

			await page.getByLabel(/Datenschutzhinweise gelesen/).check();
			await page.getByRole('button', { name: 'Teilnehmen' }).click();
			await expect(page.getByRole('heading', { name: 'Fast geschafft!' })).toBeVisible();
			const profile = submittedProfile('faltformular.nojs@example.org');
			expect([...profile.interests].sort()).toEqual(['kinder-jugend', 'sport']);
			expect([...profile.languages].sort()).toEqual(['de', 'hr', 'uk']);
			expect(profile.availability).toEqual([]);
		});
	});
});
