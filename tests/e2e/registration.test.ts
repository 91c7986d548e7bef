import { expect, test, type Page } from '@playwright/test';
import { COORDINATOR, cliSignInLink, confirmSignInLink, expectNoAxeViolations, snapshotMail, waitForNewMail, type WrittenMail, unfold } from './helpers';

function linkFrom(mail: WrittenMail, pattern: RegExp): string {
	const match = pattern.exec(mail.parsed.text ?? '');
	expect(match, `link in ${mail.file}`).not.toBeNull();
	return match![0];
}
const confirmLink = (mail: WrittenMail) => linkFrom(mail, /https?:\/\/\S+\/confirm\/[a-z2-7]{24}\.[a-z2-7]{24}/);
const manageLink = (mail: WrittenMail) => linkFrom(mail, /https?:\/\/\S+\/manage\/[a-z2-7]{24}\.[a-z2-7]{24}/);

async function openEvent(page: Page, title: string) {
	await page.goto('/de/');
	await page.getByRole('link', { name: title }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

async function fillRegistration(page: Page, name: string, email: string) {
	await page.getByLabel('Ihr Name').fill(name);
	await page.getByLabel('E-Mail-Adresse').fill(email);
	await page.getByLabel(/zeitweise hier \(z\. B\. mit Zweitwohnsitz/).check();
	await page.getByLabel('Wohnort', { exact: true }).fill('Wien');
	await page.getByLabel('Zweiter Wohnort (falls Sie zwei haben)').fill('Imst');
	await unfold(page, 'Was interessiert Sie?');
	await page.getByLabel('Sport und Bewegung').check();
	await unfold(page, 'Wann Sie Zeit haben');
	await page.getByLabel('am Wochenende').check();
	await page.getByLabel(/Vereinen vorgestellt/).check();
	await page.getByLabel(/Datenschutzhinweise gelesen/).check();
}

/** Registers through the form on the open event page and returns the confirmation mail. */
async function register(page: Page, name: string, email: string): Promise<WrittenMail> {
	const before = await snapshotMail();
	await fillRegistration(page, name, email);
	await page.getByRole('button', { name: 'Teilnehmen' }).click();
	await expect(page.getByRole('heading', { name: 'Fast geschafft!' })).toBeVisible();
	return waitForNewMail(email, before);
}

async function confirm(page: Page, mail: WrittenMail) {
	await page.goto(confirmLink(mail));
	await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
}

test.describe('a resident registers without an account', () => {
	test('finds an event, registers, confirms, changes details and cancels', async ({ page }) => {
		// Selects are set by hydration: interact once the page is hydrated.
		await page.goto('/de/', { waitUntil: 'networkidle' });
		await page.getByLabel('Gemeinde').selectOption('imst');
		await page.getByLabel('Art').selectOption('market');
		await page.getByRole('button', { name: 'Anzeigen' }).click();
		await expect(page).toHaveURL(/kind=market/);
		await expect(page.getByRole('link', { name: 'Markt der Möglichkeiten Imst' })).toBeVisible();
		await expect(page.getByRole('link', { name: /Ankommen in Tarrenz/ })).toHaveCount(0);
		await expectNoAxeViolations(page, 'filtered event list');

		await page.getByRole('link', { name: 'Markt der Möglichkeiten Imst' }).click();
		await expect(page).toHaveURL(/\/de\/events\/[a-z2-7]{24}$/);
		// Earlier e2e files may have registered people here (the alerts journey does): count from now.
		const placesLeft = page.getByText(/^Noch \d+ Plätze frei$/);
		await expect(placesLeft).toBeVisible();
		const free = Number(/\d+/.exec((await placesLeft.textContent()) ?? '')![0]);
		expect(free).toBeGreaterThan(1);
		const eventPath = new URL(page.url()).pathname;
		await expectNoAxeViolations(page, 'event page');

		// Directions are a plain link to OpenStreetMap (no embedded map); required fields are marked.
		const osm = page.getByRole('link', { name: 'Anfahrt auf OpenStreetMap' });
		await expect(osm).toHaveAttribute('href', /^https:\/\/www\.openstreetmap\.org\/search\?query=[^&]+Imst/);
		await expect(page.locator('iframe')).toHaveCount(0);
		await expect(page.getByText('Pflichtangaben sind mit * markiert.')).toBeVisible();
		await expect(page.locator('label[for="field-name"] + .required')).toHaveText(/^\s*\*$/);
		await expect(page.getByLabel('Ihr Name')).toHaveAttribute('required', '');
		await expect(page.getByLabel('Wohnort', { exact: true })).not.toHaveAttribute('required', '');
		// Where there is a limit, it is said, and counted while typing. (When someone is here is
		// asked of people with two homes, among the folded times.)
		await page.getByLabel(/zeitweise hier \(z\. B\. mit Zweitwohnsitz/).check();
		await unfold(page, 'Wann Sie Zeit haben');
		await expect(page.getByText('Höchstens 500 Zeichen.')).toBeVisible();
		// The live count comes with hydration.
		await page.waitForLoadState('networkidle');
		await expect(page.getByText('Noch 500 von 500 Zeichen')).toBeVisible({ timeout: 15_000 });
		await page.getByLabel('Wann sind Sie üblicherweise hier?').fill('Juli');
		await expect(page.getByText('Noch 496 von 500 Zeichen')).toBeVisible();
		await page.getByLabel('Wann sind Sie üblicherweise hier?').fill('');
		// Two homes are explained where they are asked.
		await expect(page.getByText('Viele Menschen leben an zwei Orten')).toBeVisible();

		// Bad input: a clear message per field, nothing lost.
		await page.getByLabel('Ihr Name').fill('Anna <b>Muster</b>');
		await page.getByLabel('E-Mail-Adresse').fill('anna@');
		await page.getByRole('button', { name: 'Teilnehmen' }).click();
		const summary = page.getByRole('alert');
		await expect(summary).toContainText('gültige E-Mail-Adresse');
		await expect(summary).toContainText('Datenschutzhinweisen zu');
		await expect(page.getByLabel('E-Mail-Adresse')).toHaveValue('anna@');
		await expect(page.getByLabel('Ihr Name')).toHaveValue('Anna <b>Muster</b>');
		await expectNoAxeViolations(page, 'registration errors');

		const mail = await register(page, 'Anna <b>Muster</b>', 'anna.muster@example.org');
		await expectNoAxeViolations(page, 'registration sent');
		expect(mail.parsed.subject).toBe('Bitte bestätigen Sie Ihre Anmeldung: Markt der Möglichkeiten Imst');
		expect(mail.parsed.html).toContain('Anna &lt;b&gt;Muster&lt;/b&gt;');

		// Not confirmed yet: no seat taken.
		await page.goto('/de/');
		await expect(page.getByText(`Noch ${free} Plätze frei`)).toBeVisible();

		await page.goto(confirmLink(mail));
		await expectNoAxeViolations(page, 'confirm page');
		const before = await snapshotMail();
		await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
		await expect(page.getByRole('status')).toContainText('Ihre Anmeldung ist bestätigt');
		// The confirm page names the event, its date and place, and gives the calendar file and the check-in code.
		await expect(page.getByRole('heading', { level: 2, name: 'Markt der Möglichkeiten Imst' })).toBeVisible();
		await expect(page.locator('dl.facts').first()).toContainText(/\d{4}/);
		await expect(page.getByRole('link', { name: 'In den Kalender eintragen (.ics)' })).toHaveAttribute('href', `${eventPath}/calendar.ics`);
		await expect(page.getByRole('link', { name: 'Anfahrt auf OpenStreetMap' })).toBeVisible();
		await expect(page.getByRole('img', { name: 'QR-Code für den Einlass zu Markt der Möglichkeiten Imst' })).toBeVisible();
		await expectNoAxeViolations(page, 'confirmed');
		const confirmation = await waitForNewMail('anna.muster@example.org', before);
		expect(confirmation.parsed.subject).toBe('Ihr Platz ist reserviert: Markt der Möglichkeiten Imst');
		const invite = confirmation.parsed.attachments.find((a) => a.contentType === 'text/calendar');
		expect(invite?.content.toString()).toContain('METHOD:REQUEST');
		expect(invite?.content.toString()).toContain('DTSTART;TZID=Europe/Vienna:');

		// "Add to calendar" on the event page gives the same UID as the invite.
		const uid = /UID:(\S+)/.exec(invite!.content.toString())![1];
		const ics = await page.request.get(`${eventPath}/calendar.ics`);
		expect(ics.status()).toBe(200);
		expect(await ics.text()).toContain(`UID:${uid}`);

		// Replaying the link changes nothing.
		await confirm(page, mail);
		await expect(page.getByRole('status')).toContainText('bereits bestätigt');

		await page.goto(manageLink(confirmation));
		await expect(page.getByRole('heading', { level: 1, name: 'Ihre Anmeldung' })).toBeVisible();
		await expect(page.locator('dl.facts').last()).toContainText('bestätigt');
		await expect(page.getByLabel('Wohnort', { exact: true })).toHaveValue('Wien');
		await expect(page.getByRole('link', { name: 'In den Kalender eintragen (.ics)' })).toBeVisible();
		await expect(page.getByRole('img', { name: 'QR-Code für den Einlass zu Markt der Möglichkeiten Imst' })).toBeVisible();
		await expectNoAxeViolations(page, 'manage page');

		await page.getByLabel('Wann sind Sie üblicherweise hier?').fill('Juli und August');
		await page.getByRole('button', { name: 'Änderungen speichern' }).click();
		await expect(page.getByRole('status')).toContainText('gespeichert');
		await page.reload();
		await expect(page.getByLabel('Wann sind Sie üblicherweise hier?')).toHaveValue('Juli und August');

		await page.getByRole('button', { name: 'Ja, Teilnahme absagen' }).click();
		await expect(page.getByRole('status')).toContainText('Ihre Teilnahme ist abgesagt');
		await expect(page.locator('dl.facts').last()).toContainText('abgesagt');
		await page.goto('/de/?kind=market');
		await expect(page.getByText(`Noch ${free} Plätze frei`)).toBeVisible();
	});

	test('a full event puts people on the waiting list and promotes the first when a seat frees', async ({ page }) => {
		const title = 'Ankommen in Tarrenz – Gesprächsrunde für Neuzugezogene';
		const people = ['wl1', 'wl2', 'wl3', 'wl4'].map((id) => `${id}@example.org`);
		const mails: WrittenMail[] = [];
		for (const email of people) {
			await openEvent(page, title);
			mails.push(await register(page, `Person ${email}`, email));
		}
		const confirmations: WrittenMail[] = [];
		for (const [i, mail] of mails.entries()) {
			const before = await snapshotMail();
			await confirm(page, mail);
			await expect(page.getByRole('status')).toContainText(i < 3 ? 'bestätigt' : 'Platz 1 der Warteliste');
			if (i === 3) {
				// Waiting: the position and what happens next, no check-in code yet.
				await expect(page.locator('dl.facts').last()).toContainText('Platz 1 auf der Warteliste');
				await expect(page.getByText('rücken Sie automatisch nach')).toBeVisible();
				await expect(page.getByRole('img', { name: /QR-Code/ })).toHaveCount(0);
			}
			confirmations.push(await waitForNewMail(people[i]!, before));
		}
		expect(confirmations[3]!.parsed.subject).toBe(`Warteliste: ${title}`);
		await openEvent(page, title);
		await expect(page.getByText('Die Veranstaltung ist ausgebucht')).toBeVisible();

		const before = await snapshotMail();
		await page.goto(manageLink(confirmations[0]!));
		await page.getByRole('button', { name: 'Ja, Teilnahme absagen' }).click();
		await expect(page.getByRole('status')).toContainText('Ihre Teilnahme ist abgesagt');
		const promoted = await waitForNewMail(people[3]!, before);
		expect(promoted.parsed.subject).toBe(`Ein Platz ist frei geworden: ${title}`);
		await page.goto(manageLink(promoted));
		await expect(page.locator('dl.facts').last()).toContainText('bestätigt');
	});

	test('on a date of a series, the registration form comes before the calendar subscription', async ({ page }) => {
		await page.goto('/de/');
		await page.getByRole('link', { name: 'Gesprächsrunde Ehrenamt Imst–Tarrenz' }).first().click();
		const form = page.getByRole('heading', { level: 2, name: 'Zur Veranstaltung anmelden' });
		const feed = page.getByRole('heading', { level: 2, name: 'Reihe abonnieren' });
		await expect(form).toBeVisible();
		await expect(feed).toBeVisible();
		const formFirst = await form.evaluate((a, b) => !!(a.compareDocumentPosition(b!) & Node.DOCUMENT_POSITION_FOLLOWING), await feed.elementHandle());
		expect(formFirst).toBe(true);
	});

	test('coordinators tell apart two people with the same name by their email', async ({ page }) => {
		const title = 'Markt der Möglichkeiten Imst';
		const emails = ['eva.huber.imst@example.org', 'eva.huber.wien@example.org'];
		for (const email of emails) {
			await openEvent(page, title);
			const mail = await register(page, 'Eva Huber', email);
			await confirm(page, mail);
			await expect(page.getByRole('status')).toContainText('bestätigt');
		}
		await openEvent(page, title);
		const eventId = /\/events\/([a-z2-7]+)/.exec(page.url())![1];
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));

		await page.goto(`/de/admin/events/${eventId}/check-in?q=eva+huber`);
		for (const email of emails) await expect(page.getByRole('listitem').filter({ hasText: 'Eva Huber' }).filter({ hasText: email })).toHaveCount(1);
		await page.getByLabel('Name oder E-Mail-Adresse suchen').fill('huber.wien');
		await page.getByRole('button', { name: 'Anzeigen' }).click();
		await expect(page.getByText(emails[1]!)).toBeVisible();
		await expect(page.getByText(emails[0]!)).toHaveCount(0);

		await page.goto(`/de/admin/events/${eventId}/attendance`);
		for (const email of emails) await expect(page.getByRole('row').filter({ hasText: 'Eva Huber' }).filter({ hasText: email })).toHaveCount(1);
		await expectNoAxeViolations(page, 'attendance list with emails');
	});

	test('forged links get a clear answer and change nothing', async ({ page }) => {
		await page.goto(`/de/confirm/${'a'.repeat(24)}.${'b'.repeat(24)}`);
		await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
		await expect(page.getByRole('alert')).toContainText('Bestätigungslink ist ungültig');
		await expectNoAxeViolations(page, 'invalid confirmation');

		const response = await page.goto(`/de/manage/${'a'.repeat(24)}.${'b'.repeat(24)}`);
		expect(response?.status()).toBe(404);
		await expect(page.getByText('Dieser Link ist ungültig oder die Daten wurden gelöscht.')).toBeVisible();
		await expectNoAxeViolations(page, 'invalid manage link');
	});
});

test.describe('registration without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('registers, confirms, downloads and deletes the data', async ({ page }) => {
		await openEvent(page, 'Markt der Möglichkeiten Imst');
		// Without scripts the limit is still said, and the form comes before the calendar subscription.
		await page.getByLabel(/zeitweise hier \(z\. B\. mit Zweitwohnsitz/).check();
		await unfold(page, 'Wann Sie Zeit haben');
		await expect(page.getByText('Höchstens 500 Zeichen.')).toBeVisible();
		await expect(page.getByText(/Noch \d+ von 500 Zeichen/)).toHaveCount(0);
		await page.getByRole('button', { name: 'Teilnehmen' }).click();
		await expect(page.getByRole('alert')).toContainText('Bitte füllen Sie dieses Feld aus.');
		const mail = await register(page, 'Ohne Skript', 'noscript@example.org');
		const before = await snapshotMail();
		await confirm(page, mail);
		await expect(page.getByRole('status')).toContainText('Ihre Anmeldung ist bestätigt');
		const confirmation = await waitForNewMail('noscript@example.org', before);

		await page.goto(manageLink(confirmation));
		const download = await page.request.get(
			new URL(`${new URL(manageLink(confirmation)).pathname}/data.json`, page.url()).href
		);
		expect(download.status()).toBe(200);
		const data = await download.json();
		expect(data.person).toMatchObject({ name: 'Ohne Skript', email: 'noscript@example.org' });
		expect(data.person.profile.residency).toBe('incoming');

		await page.getByRole('button', { name: 'Daten löschen' }).click();
		await expect(page.getByText('Bitte bestätigen Sie das Löschen mit dem Häkchen.')).toBeVisible();
		await page.getByLabel('Ich möchte meine Daten endgültig löschen.').check();
		await page.getByRole('button', { name: 'Daten löschen' }).click();
		await expect(page.getByRole('status')).toContainText('Ihre Daten wurden gelöscht');
		const gone = await page.goto(manageLink(confirmation));
		expect(gone?.status()).toBe(404);
	});
});
