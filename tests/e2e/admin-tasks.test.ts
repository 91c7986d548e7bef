import { expect, test, type Browser, type Page } from '@playwright/test';
import { COORDINATOR, cliSignInLink, confirmSignInLink, expectNoAxeViolations, snapshotMail, waitForNewMail, type WrittenMail } from './helpers';

const confirmLink = (mail: WrittenMail) => /https?:\/\/\S+\/confirm\/[a-z2-7]{24}\.[a-z2-7]{24}/.exec(mail.parsed.text ?? '')![0];
const localDate = (daysAhead: number, time: string) => `${new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10)}T${time}`;

async function freshPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ locale: 'de-DE' });
	return context.newPage();
}

/** A resident signs up for a shift on the public Einsatz page and confirms from the mail. */
async function signUp(browser: Browser, taskUrl: string, shiftLabel: RegExp, email: string, name: string): Promise<void> {
	const page = await freshPage(browser);
	await page.goto(taskUrl, { waitUntil: 'networkidle' });
	await page.getByRole('radio', { name: shiftLabel }).first().check();
	await page.getByLabel('Ihr Name (Ansprechperson)').fill(name);
	await page.getByLabel('E-Mail-Adresse').fill(email);
	await page.getByLabel('Anzahl Plätze').fill('1');
	await page.getByLabel(/Datenschutzhinweise gelesen/).check();
	const before = await snapshotMail();
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(page.getByRole('status')).toContainText(`E-Mail an ${email}`);
	await page.goto(confirmLink(await waitForNewMail(email, before)));
	await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
	await expect(page.getByRole('status')).toBeVisible();
	await page.context().close();
}

/** The same on the English page: the helper's mails come in English. */
async function signUpInEnglish(browser: Browser, taskUrl: string, shiftLabel: RegExp, email: string, name: string): Promise<void> {
	const page = await freshPage(browser);
	await page.goto(taskUrl.replace('/de/', '/en/'), { waitUntil: 'networkidle' });
	await page.getByRole('radio', { name: shiftLabel }).first().check();
	await page.getByLabel('Your name (contact person)').fill(name);
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Number of places').fill('1');
	await page.getByLabel(/read the privacy notice/).check();
	const before = await snapshotMail();
	await page.getByRole('button', { name: 'Sign up' }).click();
	await page.goto(confirmLink(await waitForNewMail(email, before)));
	await page.getByRole('button', { name: 'Confirm now' }).click();
	await expect(page.getByRole('status')).toBeVisible();
	await page.context().close();
}

async function widthAt390(page: Page, url: string): Promise<number> {
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto(url, { waitUntil: 'networkidle' });
	return page.evaluate(() => document.documentElement.scrollWidth);
}

test.describe('Einsätze of the municipality', () => {
	test('a coordinator creates and publishes an Einsatz with two shifts, marks who came and writes to the helpers', async ({ page, browser }) => {
		test.setTimeout(180_000);
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto('/de/admin', { waitUntil: 'networkidle' });
		await page.getByRole('navigation', { name: 'Koordination' }).getByRole('link', { name: 'Einsätze' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Einsätze' })).toBeVisible();
		// The clubs' Einsätze of the coordinator's municipalities are listed (demo: Tarrenzer Tafel), not editable here.
		await expect(page.getByRole('heading', { name: 'Lebensmittel sortieren in der Tafel' })).toBeVisible();
		await expect(page.getByText('Verein Tarrenzer Tafel').first()).toBeVisible();
		await expect(page.getByRole('link', { name: 'Lebensmittel sortieren in der Tafel', exact: true })).toHaveCount(0);
		await expectNoAxeViolations(page, 'admin tasks');

		// Two municipalities: first the choice, then the form.
		await page.getByRole('link', { name: 'Neuer Einsatz' }).click();
		await page.waitForLoadState('networkidle');
		await expectNoAxeViolations(page, 'admin new task: municipality');
		await page.getByRole('radio', { name: 'Imst' }).check();
		await page.getByRole('button', { name: 'Weiter' }).click();
		await expect(page.getByText('Kommune Imst')).toBeVisible();
		await expectNoAxeViolations(page, 'admin new task form');

		// A bad shift is refused in German; the typed title stays.
		await page.getByLabel('Titel').fill('Blumenschmuck am Stadtplatz');
		await page.getByLabel('Ort (Adresse oder Treffpunkt)').fill('Stadtplatz Imst');
		const shift1 = page.getByRole('group', { name: 'Schicht 1' });
		await shift1.getByLabel('Beginn').fill(localDate(40, '09:00'));
		await shift1.getByLabel('Ende').fill(localDate(40, '08:00'));
		await shift1.getByLabel('Plätze').fill('2');
		await page.getByRole('button', { name: 'Anlegen' }).click();
		await expect(page.getByRole('alert')).toContainText('Bitte Beginn, ein späteres Ende und mindestens 1 Platz angeben.');
		await expect(page.getByLabel('Titel')).toHaveValue('Blumenschmuck am Stadtplatz');
		await shift1.getByLabel('Ende').fill(localDate(40, '12:00'));
		const shift2 = page.getByRole('group', { name: 'Schicht 2' });
		await shift2.getByLabel('Beginn').fill(localDate(41, '14:00'));
		await shift2.getByLabel('Ende').fill(localDate(41, '17:00'));
		await shift2.getByLabel('Plätze').fill('3');
		await page.getByRole('button', { name: 'Anlegen' }).click();
		await expect(page.getByRole('status')).toHaveText('Gespeichert.');
		await expect(page.getByText('Kommune Imst · Entwurf')).toBeVisible();
		await expectNoAxeViolations(page, 'admin edit task');
		const manageUrl = page.url().replace(/\?.*$/, '');

		// Publishing makes it public.
		await page.getByRole('button', { name: 'Veröffentlichen' }).click();
		await expect(page.getByRole('status')).toHaveText('Gespeichert.');
		const taskUrl = (await page.getByRole('link', { name: 'Öffentliche Seite ansehen' }).getAttribute('href'))!;
		const visitor = await freshPage(browser);
		await visitor.goto('/de/einsaetze', { waitUntil: 'networkidle' });
		await expect(visitor.getByRole('link', { name: 'Blumenschmuck am Stadtplatz' })).toBeVisible();
		await visitor.context().close();

		// Editing keeps the shifts.
		await page.getByLabel('Titel').fill('Blumenschmuck am Stadtplatz (Frühling)');
		await page.getByRole('button', { name: 'Speichern' }).click();
		await expect(page.getByRole('status')).toHaveText('Gespeichert.');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Blumenschmuck am Stadtplatz (Frühling)');

		// A resident signs up; the coordinator marks attendance and writes to the helpers.
		await signUp(browser, taskUrl, /2 von 2/, 'blumen.helferin@example.org', 'Rosa Blum');
		await signUpInEnglish(browser, taskUrl, /1 of 2/, 'flower.helper@example.org', 'Rose Bloom');
		await page.goto('/de/admin/tasks', { waitUntil: 'networkidle' });
		await expect(page.getByText('2 von 5 Plätzen besetzt')).toBeVisible();
		await page.goto(manageUrl, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: 'Helfende (2)' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Helfende der Schicht' })).toBeVisible();
		await expectNoAxeViolations(page, 'admin shift helpers');
		await page.getByRole('button', { name: 'War da: Rosa Blum' }).click();
		await expect(page.getByRole('cell', { name: 'teilgenommen' })).toBeVisible();
		const helpersUrl = page.url();
		await page.getByLabel('Betreff', { exact: true }).fill('Gießkannen mitbringen');
		await page.getByLabel('Nachricht', { exact: true }).fill('Bitte bringen Sie eine Gießkanne mit.');
		// The English version is optional and folded away.
		await page.getByText('Englische Fassung (optional)').click();
		await page.getByLabel('Betreff (Englisch, optional)').fill('Please bring a watering can');
		await page.getByLabel('Text (Englisch, optional)').fill('Please bring a watering can with you.');
		const beforeMessage = await snapshotMail();
		await page.getByRole('button', { name: 'Nachricht senden' }).click();
		await expect(page.getByRole('status')).toBeVisible();
		expect((await waitForNewMail('blumen.helferin@example.org', beforeMessage)).parsed.subject).toContain('Gießkannen mitbringen');
		const english = await waitForNewMail('flower.helper@example.org', beforeMessage);
		expect(english.parsed.subject).toContain('Please bring a watering can');
		expect(english.parsed.text).toContain('Please bring a watering can with you.');

		// At 390 px nothing scrolls sideways.
		for (const url of ['/de/admin/tasks', '/de/admin/tasks/new?municipality=x', manageUrl, helpersUrl]) {
			expect(await widthAt390(page, url), url).toBeLessThanOrEqual(390);
		}
		await page.setViewportSize({ width: 1280, height: 800 });

		// Cancelling asks for a confirmation first.
		await page.goto(manageUrl, { waitUntil: 'networkidle' });
		await page.getByRole('button', { name: 'Einsatz absagen' }).click();
		await expect(page.getByText('Bitte bestätigen Sie die Absage mit dem Häkchen.').first()).toBeVisible();
		await expect(page.getByText('Kommune Imst · veröffentlicht')).toBeVisible();
		await page.getByLabel(/Ja, diesen Einsatz absagen/).check();
		await page.getByRole('button', { name: 'Einsatz absagen' }).click();
		await expect(page.getByText('Kommune Imst · abgesagt')).toBeVisible();
	});

	test('a club member cannot open the coordinators\' Einsätze; a club\'s Einsatz is not editable there', async ({ page, browser }) => {
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto('/de/einsaetze', { waitUntil: 'networkidle' });
		const href = (await page.getByRole('link', { name: 'Lebensmittel sortieren in der Tafel' }).first().getAttribute('href'))!;
		const id = /\/einsaetze\/([^/?]+)/.exec(href)![1];
		const response = await page.goto(`/de/admin/tasks/${id}`);
		expect(response?.status()).toBe(404);
		await page.goto('/en/admin/tasks', { waitUntil: 'networkidle' });
		await expect(page.getByRole('heading', { level: 1, name: 'Volunteer shifts' })).toBeVisible();
		await expect(page.getByText('Club: Tarrenzer Tafel').first()).toBeVisible();
		await expectNoAxeViolations(page, 'admin tasks in English');
		const club = await freshPage(browser);
		await confirmSignInLink(club, cliSignInLink('verein@tarrenz.example'));
		const refused = await club.goto('/de/admin/tasks');
		expect(refused?.status()).toBe(403);
		await club.context().close();
	});
});
