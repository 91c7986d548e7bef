import { expect, test, type Page } from '@playwright/test';
import { cliSignInLink, CLUB_MEMBER, confirmSignInLink, expectNoAxeViolations, snapshotMail, waitForNewMail } from './helpers';

const OFFER = 'Lebensmittel ausgeben am Donnerstag';
const MESSAGE = 'Ich habe donnerstags Zeit und spreche Türkisch.';
const TAFEL_EMAIL = 'tafel@tarrenz.example';

/** The path of a link in a mail's text, e.g. /de/contact/confirm/<token>: it carries the writer's language. */
function pathIn(text: string | undefined, kind: 'confirm' | 'manage'): string {
	const match = new RegExp(`https?://[^/\\s]+(/(?:de|en)/contact/${kind}/[a-z2-7]{24}\\.[a-z2-7]{24})`).exec(text ?? '');
	expect(match, `${kind} link in the mail`).not.toBeNull();
	return match![1]!;
}

/**
 * The whole journey: a resident writes, confirms by mail, the club is told and sees the contact in
 * its lead list, the resident withdraws and the club no longer sees them. Axe needs JavaScript in
 * the page, so the run without it does not scan.
 */
async function journey(page: Page, person: { name: string; email: string }, withAxe: boolean) {
	const scan = async (p: Page, name: string) => {
		if (withAxe) await expectNoAxeViolations(p, name);
	};
	// From the directory to the offer's contact form.
	await page.goto('/de/clubs');
	await page.getByRole('link', { name: 'Tarrenzer Tafel' }).click();
	await page.getByRole('link', { name: `Ich möchte mitmachen: ${OFFER}` }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Ich möchte mitmachen' })).toBeVisible();
	await expect(page.getByText(`${OFFER} · Tarrenzer Tafel`)).toBeVisible();
	await scan(page, 'offer contact form');

	// Clear German errors, nothing typed is lost.
	await page.getByLabel('E-Mail-Adresse', { exact: true }).fill('kein-at-zeichen');
	await page.getByLabel('Ihre Nachricht an den Verein').fill(MESSAGE);
	await page.getByRole('button', { name: 'Nachricht senden' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'Bitte korrigieren Sie' });
	await expect(summary).toContainText('Bitte füllen Sie dieses Feld aus.');
	await expect(summary).toContainText('Bitte stimmen Sie den Datenschutzhinweisen zu');
	await expect(page.getByLabel('Ihr Name')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('E-Mail-Adresse', { exact: true })).toHaveValue('kein-at-zeichen');
	await expect(page.getByLabel('Ihre Nachricht an den Verein')).toHaveValue(MESSAGE);
	await scan(page, 'offer contact form with errors');

	const before = await snapshotMail();
	await page.getByLabel('Ihr Name').fill(person.name);
	await page.getByLabel('E-Mail-Adresse', { exact: true }).fill(person.email);
	await page.getByLabel(/Datenschutzhinweise gelesen/).check();
	await page.getByRole('button', { name: 'Nachricht senden' }).click();
	await expect(page.getByRole('heading', { name: 'Fast geschafft!' })).toBeVisible();
	await expect(page.getByRole('status')).toContainText(person.email);

	// The mail's link shows a button; only the button confirms.
	const request = await waitForNewMail(person.email, before);
	expect(request.parsed.subject).toBe('Bitte bestätigen Sie Ihre Nachricht an Tarrenzer Tafel');
	const confirm = pathIn(request.parsed.text, 'confirm');
	const manage = pathIn(request.parsed.text, 'manage');
	const beforeConfirm = await snapshotMail();
	await page.goto(confirm);
	await scan(page, 'offer contact confirm');
	await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
	await expect(page.getByRole('status')).toContainText(`Danke! Tarrenzer Tafel hat Ihre Nachricht zum Angebot „${OFFER}“ erhalten`);

	// The club is told, with the contact and the message.
	const notice = await waitForNewMail(TAFEL_EMAIL, beforeConfirm);
	expect(notice.parsed.subject).toBe(`${person.name} möchte bei Tarrenzer Tafel mitmachen`);
	expect(notice.parsed.text).toContain(person.email);
	expect(notice.parsed.text).toContain(MESSAGE);

	// The club's member sees it in the lead list, marked by where it came from.
	await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
	await page.goto('/de/club');
	await page.getByRole('link', { name: 'Interessierte aus Veranstaltungen ansehen und nachverfolgen' }).click();
	const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: person.name }) });
	await expect(row).toContainText(person.email);
	await expect(row).toContainText(`über das Angebot „${OFFER}“`);
	await expect(row).toContainText(MESSAGE);
	await scan(page, 'club leads with an offer contact');
	const leadsUrl = page.url();

	// The resident withdraws by the manage link; the club no longer sees them.
	await page.goto(manage);
	await expect(page.getByText(MESSAGE)).toBeVisible();
	await scan(page, 'offer contact manage');
	await page.getByRole('button', { name: 'Nachricht zurückziehen' }).click();
	await expect(page.getByRole('status')).toContainText('Ihre Nachricht ist zurückgezogen');
	await page.goto(leadsUrl);
	await expect(page.getByRole('rowheader', { name: person.name })).toHaveCount(0);
	await expect(page.getByText(person.email)).toHaveCount(0);
}

test.describe('contacting a club about an offer', () => {
	test('a resident writes, confirms by mail, the club sees the contact, the resident withdraws', async ({ page }) => {
		await journey(page, { name: 'Hülya Demir', email: 'huelya.demir@example.org' }, true);
	});

	test('in English: the form, its errors, the mail and the confirmation', async ({ page }) => {
		const email = 'ayse.english@example.org';
		await page.goto('/en/clubs');
		await page.getByRole('link', { name: 'Tarrenzer Tafel' }).click();
		await page.getByRole('link', { name: `I’d like to get involved: ${OFFER}` }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'I’d like to get involved' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await page.getByRole('button', { name: 'Send message' }).click();
		await expect(page.getByRole('alert').first()).toContainText('Please');
		await expectNoAxeViolations(page, 'offer contact form in English with errors');
		await page.getByLabel('Your name').fill('Ayşe Kaya');
		await page.getByLabel('Email address', { exact: true }).fill(email);
		await page.getByLabel('Your message to the club').fill('I am free on Thursdays.');
		await page.getByLabel(/read the privacy notice/).check();
		const before = await snapshotMail();
		await page.getByRole('button', { name: 'Send message' }).click();
		await expect(page.getByRole('heading', { name: 'Almost done!' })).toBeVisible();
		const request = await waitForNewMail(email, before);
		expect(request.parsed.subject).toBe('Please confirm your message to Tarrenzer Tafel');
		await page.goto(pathIn(request.parsed.text, 'confirm'));
		expect(page.url()).toContain('/en/contact/confirm/');
		await page.getByRole('button', { name: 'Confirm now' }).click();
		await expect(page.getByRole('status')).toContainText(`Thank you! Tarrenzer Tafel has received your message about “${OFFER}”`);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });

		test('the same journey with plain HTML forms', async ({ page }) => {
			await page.goto('/de/clubs');
			expect(await page.evaluate(() => Object.keys(window).some((key) => key.startsWith('__sveltekit')))).toBe(false);
			await journey(page, { name: 'Pavel Novák', email: 'pavel.novak@example.org' }, false);
		});
	});
});
