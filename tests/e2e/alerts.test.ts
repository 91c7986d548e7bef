import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, snapshotMail, waitForNewMail, withServices, type WrittenMail, unfold } from './helpers';

const PHONE = { width: 390, height: 844 };
const EVENT = 'Markt der Möglichkeiten Imst';
const OFFER = 'Trainingsbegleitung am Klettersteig';

function pathIn(mail: WrittenMail, pattern: RegExp): string {
	const match = pattern.exec(mail.parsed.text ?? '');
	expect(match, `link in ${mail.file}`).not.toBeNull();
	return new URL(match![0]).pathname;
}

async function expectFitsPhone(page: Page, label: string) {
	await page.setViewportSize(PHONE);
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width, `${label} at 390 px`).toBeLessThanOrEqual(PHONE.width);
}

/** Registers for the market with a sports interest, confirms, and returns the manage page's path. */
async function registeredResident(page: Page, name: string, email: string): Promise<string> {
	await page.goto('/de/');
	await page.getByRole('link', { name: EVENT }).click();
	const before = await snapshotMail();
	await page.getByLabel('Ihr Name').fill(name);
	await page.getByLabel('E-Mail-Adresse').fill(email);
	await page.getByLabel('Wohnort', { exact: true }).fill('Imst');
	await unfold(page, 'Was interessiert Sie?');
	await page.getByLabel('Sport und Bewegung').check();
	await unfold(page, 'Wann Sie Zeit haben');
	await page.getByLabel('am Wochenende').check();
	await page.getByLabel(/Datenschutzhinweise gelesen/).check();
	await page.getByRole('button', { name: 'Teilnehmen' }).click();
	await expect(page.getByRole('heading', { name: 'Fast geschafft!' })).toBeVisible();
	const request = await waitForNewMail(email, before);
	const beforeConfirm = await snapshotMail();
	await page.goto(pathIn(request, /https?:\/\/\S+\/confirm\/[a-z2-7]{24}\.[a-z2-7]{24}/));
	await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
	const confirmed = await waitForNewMail(email, beforeConfirm);
	return pathIn(confirmed, /https?:\/\/\S+\/manage\/[a-z2-7]{24}\.[a-z2-7]{24}/);
}

/** A club of Imst publishes a new offer for sporty people, as its member would in the club area. */
function publishOffer(title: string) {
	withServices(
		`const offers = await import('./src/lib/server/clubs/offers');
		const user = await users.findUserByEmail(db, 'ortsstelle@bergrettung-imst.example');
		const viewer = await users.findSessionUser(db, user.id);
		const club = await db.selectFrom('club').select('id').where('name', '=', 'Bergrettung Imst').executeTakeFirstOrThrow();
		const created = await offers.create(db, viewer, club.id, { title: input.title, description: 'Neue Leute beim Training begleiten.', commitment: 'occasional', onWeekdays: false, onWeekends: true, inEvenings: false, months: [], place: 'Imst', isRemote: false, languages: ['de'], minimumAge: null, suitsMultilocal: false, capacity: null, tags: ['sport'], status: 'published' }, now);
		if (!created.ok) throw new Error(created.problem);
		return created.offerId;`,
		{ title }
	);
}

/** The scheduled job's alert pass, run now against the e2e server's database. */
function runAlertJob(): { digests: number; items: number } {
	return withServices(
		`const alerts = await import('./src/lib/server/alerts');
		const runtime = await import('./src/lib/server/runtime');
		return alerts.runDue(db, runtime.links(), now);`,
		{}
	);
}

test.describe('alerts about new offers', () => {
	test('a resident subscribes, confirms by mail, gets one digest, and unsubscribes with one click', async ({ browser, page, request }) => {
		const email = 'sina.sporty@example.org';
		const manage = await registeredResident(page, 'Sina Sporty', email);

		// The manage page offers alerts; the explanation page says how they work.
		await page.goto(manage);
		await expect(page.getByRole('heading', { name: 'Neue passende Angebote per E-Mail' })).toBeVisible();
		await expect(page.getByLabel('Höchstens einmal pro Woche')).toBeChecked();
		await expectNoAxeViolations(page, 'manage page with alerts');
		await page.getByRole('link', { name: 'Mehr über Benachrichtigungen' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Neue passende Angebote per E-Mail' })).toBeVisible();
		await expectNoAxeViolations(page, 'alerts page');
		await expectFitsPhone(page, 'alerts page');

		// In English too (its own browser context: the language cookie would stick).
		const english = await browser.newPage();
		await english.goto('/en/alerts');
		await expect(english.getByRole('heading', { level: 1, name: 'New offers that suit you, by email' })).toBeVisible();
		await expect(english.locator('html')).toHaveAttribute('lang', 'en');
		await english.close();

		await page.goto(manage);
		const before = await snapshotMail();
		await page.getByRole('button', { name: 'Benachrichtigungen bestellen' }).click();
		await expect(page.getByRole('status')).toContainText('Fast geschafft! Wir haben Ihnen eine E-Mail geschickt.');
		await expect(page.getByText('Bitte bestätigen Sie die Benachrichtigungen mit dem Link in der E-Mail')).toBeVisible();

		// Double opt-in: the mail's link shows a button; only the button confirms.
		const confirmMail = await waitForNewMail(email, before);
		expect(confirmMail.parsed.subject).toBe('Bitte bestätigen Sie Ihre Benachrichtigungen über neue Angebote');
		await page.goto(pathIn(confirmMail, /https?:\/\/\S+\/alerts\/confirm\/[a-z2-7]{24}\.[a-z2-7]{24}/));
		await expectNoAxeViolations(page, 'alerts confirm');
		await expectFitsPhone(page, 'alerts confirm');
		await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
		await expect(page.getByRole('status')).toContainText('Danke! Sie erhalten ab jetzt höchstens einmal pro Woche eine E-Mail');
		await page.goto(manage);
		await expect(page.getByText('Sie erhalten Benachrichtigungen über neue passende Angebote.')).toBeVisible();

		// A club publishes a fitting offer; the job sends one digest, and a second run sends nothing.
		publishOffer(OFFER);
		const beforeDigest = await snapshotMail();
		const first = runAlertJob();
		expect(first.digests).toBeGreaterThanOrEqual(1);
		const digest = await waitForNewMail(email, beforeDigest);
		expect(digest.parsed.subject).toBe('Ein neues Angebot in Imst, das zu Ihnen passt');
		expect(digest.parsed.text).toContain(`„${OFFER}“ – Bergrettung Imst`);
		const list = digest.parsed.headers.get('list') as Record<string, Record<string, string>>;
		expect(list['unsubscribe-post']?.name).toBe('List-Unsubscribe=One-Click');
		const unsubscribe = pathIn(digest, /https?:\/\/\S+\/alerts\/unsubscribe\/[a-z2-7]{24}\.[a-z2-7]{24}/);
		expect(JSON.stringify(list.unsubscribe)).toContain(unsubscribe);
		expect(runAlertJob()).toEqual({ digests: 0, items: 0 });

		// Opening the link only asks; a mail program's one-click POST (no Origin, no token field) ends it.
		await page.goto(unsubscribe);
		await expect(page.getByRole('button', { name: 'Ja, abbestellen' })).toBeVisible();
		await expect(page.getByText(email)).toBeVisible();
		await expectNoAxeViolations(page, 'alerts unsubscribe');
		await expectFitsPhone(page, 'alerts unsubscribe');
		const oneClick = await request.post(unsubscribe, { form: { 'List-Unsubscribe': 'One-Click' } });
		expect(oneClick.status()).toBe(200);
		await page.goto(unsubscribe);
		await expect(page.getByRole('status')).toContainText('Diese Benachrichtigungen sind bereits abbestellt');
		await page.goto(manage);
		await expect(page.getByRole('button', { name: 'Benachrichtigungen bestellen' })).toBeVisible();
		await expectFitsPhone(page, 'manage page with alerts');
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });

		test('subscribing and confirming work with plain HTML forms', async ({ page }) => {
			const email = 'nojs.alerts@example.org';
			const manage = await registeredResident(page, 'Ohne Skript', email);
			await page.goto(manage);
			await page.getByLabel('Höchstens einmal pro Tag').check();
			const before = await snapshotMail();
			await page.getByRole('button', { name: 'Benachrichtigungen bestellen' }).click();
			await expect(page.getByRole('status')).toContainText('Fast geschafft!');
			const confirmMail = await waitForNewMail(email, before);
			await page.goto(pathIn(confirmMail, /https?:\/\/\S+\/alerts\/confirm\/[a-z2-7]{24}\.[a-z2-7]{24}/));
			await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
			await expect(page.getByRole('status')).toContainText('höchstens einmal pro Tag');
			await page.goto(manage);
			await expect(page.getByLabel('Höchstens einmal pro Tag')).toBeChecked();
			await expect(page.getByRole('button', { name: 'Auswahl speichern' })).toBeVisible();
		});
	});
});
