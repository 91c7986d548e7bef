import { expect, test, type Browser, type Page } from '@playwright/test';
import { CLUB_MEMBER, cliSignInLink, confirmSignInLink, expectNoAxeViolations, snapshotMail, waitForNewMail, type WrittenMail } from './helpers';

const link = (mail: WrittenMail, path: 'confirm' | 'manage') => new RegExp(`https?://\\S+/${path}/[a-z2-7]{24}\\.[a-z2-7]{24}`).exec(mail.parsed.text ?? '')![0];
const localDate = (daysAhead: number, time: string) => `${new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10)}T${time}`;

async function freshPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ locale: 'de-DE' });
	return context.newPage();
}

/** A resident signs up on the Einsatz page for the shift `shiftLabel` and confirms from the mail; returns the confirmation mail. */
async function signUp(browser: Browser, taskUrl: string, shiftLabel: RegExp, email: string, name: string, places = 1): Promise<{ page: Page; done?: WrittenMail }> {
	const page = await freshPage(browser);
	await page.goto(taskUrl, { waitUntil: 'networkidle' });
	await page.getByRole('radio', { name: shiftLabel }).check();
	await page.getByLabel('Ihr Name (Ansprechperson)').fill(name);
	await page.getByLabel('E-Mail-Adresse').fill(email);
	await page.getByLabel('Anzahl Plätze').fill(String(places));
	await page.getByLabel(/Datenschutzhinweise gelesen/).check();
	const before = await snapshotMail();
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(page.getByRole('status')).toContainText(`E-Mail an ${email}`);
	const request = await waitForNewMail(email, before);
	await page.goto(link(request, 'confirm'));
	const beforeConfirm = await snapshotMail();
	await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
	await expect(page.getByRole('status')).toBeVisible();
	return { page, done: await waitForNewMail(email, beforeConfirm) };
}

async function widthAt390(page: Page, url: string): Promise<number> {
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto(url, { waitUntil: 'networkidle' });
	return page.evaluate(() => document.documentElement.scrollWidth);
}

test.describe('Einsätze', () => {
	test('a club publishes an Einsatz; sign-up, waiting list, promotion, a team at capacity, attendance', async ({ page, browser }) => {
		test.setTimeout(180_000);
		await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
		await page.goto('/de/club', { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: 'Einsätze verwalten' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Einsätze' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Lebensmittel sortieren in der Tafel' })).toBeVisible(); // demo data
		await expectNoAxeViolations(page, 'club tasks');
		await page.getByRole('link', { name: 'Neuer Einsatz' }).click();
		await page.waitForLoadState('networkidle');
		await expectNoAxeViolations(page, 'new task form');

		// A bad shift (end before start) is refused in German; the typed title stays.
		await page.getByLabel('Titel').fill('Flohmarkt-Helfende');
		await page.getByLabel('Ort (Adresse oder Treffpunkt)').fill('Pfarrsaal Tarrenz');
		const shift1 = page.getByRole('group', { name: 'Schicht 1' });
		await shift1.getByLabel('Beginn').fill(localDate(30, '10:00'));
		await shift1.getByLabel('Ende').fill(localDate(30, '09:00'));
		await shift1.getByLabel('Plätze').fill('2');
		await page.getByRole('button', { name: 'Anlegen' }).click();
		await expect(page.getByRole('alert')).toContainText('Bitte Beginn, ein späteres Ende und mindestens 1 Platz angeben.');
		await expect(page.getByLabel('Titel')).toHaveValue('Flohmarkt-Helfende');
		await shift1.getByLabel('Ende').fill(localDate(30, '12:00'));
		const shift2 = page.getByRole('group', { name: 'Schicht 2' });
		await shift2.getByLabel('Beginn').fill(localDate(31, '14:00'));
		await shift2.getByLabel('Ende').fill(localDate(31, '17:00'));
		await shift2.getByLabel('Plätze').fill('3');
		await page.getByLabel('gleich veröffentlichen').check();
		await page.getByRole('button', { name: 'Anlegen' }).click();
		await expect(page.getByRole('status')).toHaveText('Gespeichert.');
		await expectNoAxeViolations(page, 'edit task');
		const taskUrl = (await page.getByRole('link', { name: 'Öffentliche Seite ansehen' }).getAttribute('href'))!;

		// The public list and page.
		const visitor = await freshPage(browser);
		await visitor.goto('/de/einsaetze', { waitUntil: 'networkidle' });
		await expect(visitor.getByRole('link', { name: 'Flohmarkt-Helfende' })).toBeVisible();
		await expectNoAxeViolations(visitor, 'task list');
		await visitor.goto(taskUrl, { waitUntil: 'networkidle' });
		await expect(visitor.getByText('Noch 2 von 2 Plätzen frei').first()).toBeVisible();
		await expectNoAxeViolations(visitor, 'task page');

		const firstShift = /Noch 2 von 2|von 2 Plätzen|Warteliste/;
		// Two singles fill shift 1; a team of two finds no room and is told so, with nothing lost.
		const anna = await signUp(browser, taskUrl, firstShift, 'anna.flohmarkt@example.org', 'Anna');
		expect(anna.done!.parsed.subject).toMatch(/bestätigt|Platz/i);
		await visitor.goto(taskUrl, { waitUntil: 'networkidle' });
		await visitor.getByRole('radio', { name: /1 von 2/ }).check();
		await visitor.getByLabel('Ihr Name (Ansprechperson)').fill('Team Huber');
		await visitor.getByLabel('E-Mail-Adresse').fill('team.huber@example.org');
		await visitor.getByLabel('Anzahl Plätze').fill('2');
		await visitor.getByLabel(/Datenschutzhinweise gelesen/).check();
		await visitor.getByRole('button', { name: 'Anmelden' }).click();
		await expect(visitor.getByRole('alert')).toContainText('nicht mehr genug Plätze frei (noch 1)');
		await expect(visitor.getByLabel('E-Mail-Adresse')).toHaveValue('team.huber@example.org');
		await expectNoAxeViolations(visitor, 'task page with error');
		await signUp(browser, taskUrl, /1 von 2/, 'bernd.flohmarkt@example.org', 'Bernd');
		// Full: the next one lands on the waiting list …
		const clara = await signUp(browser, taskUrl, /Alle Plätze vergeben/, 'clara.flohmarkt@example.org', 'Clara');
		expect(clara.done!.parsed.subject).toMatch(/Warteliste/);
		// … and moves up when Anna cancels.
		const annaManage = link(anna.done!, 'manage');
		await anna.page.goto(annaManage, { waitUntil: 'networkidle' });
		await expect(anna.page.getByText('Ort: Pfarrsaal Tarrenz')).toBeVisible();
		const beforeCancel = await snapshotMail();
		await anna.page.getByRole('button', { name: 'Ja, Teilnahme absagen' }).click();
		await expect(anna.page.getByRole('status')).toBeVisible();
		const promoted = await waitForNewMail('clara.flohmarkt@example.org', beforeCancel);
		expect(promoted.parsed.subject).toMatch(/Platz|nachgerückt|bestätigt/i);

		// A team of three takes exactly the three places of shift 2.
		const team = await signUp(browser, taskUrl, /3 von 3/, 'klasse4b@example.org', 'Klasse 4b', 3);
		expect(team.done!.parsed.text).toContain('3 Plätzen');
		await team.page.goto(link(team.done!, 'manage'), { waitUntil: 'networkidle' });
		await expect(team.page.getByText('Sie haben 3 Plätze für Ihr Team.')).toBeVisible();
		// The shift's own event address leads to its Einsatz.
		await team.page.getByRole('link', { name: 'Flohmarkt-Helfende' }).first().click();
		await expect(team.page).toHaveURL(/\/de\/einsaetze\/[^/?]+\?shift=/);
		await visitor.goto(taskUrl, { waitUntil: 'networkidle' });
		await expect(visitor.getByText('Alle Plätze vergeben – neue Anmeldungen kommen auf die Warteliste').first()).toBeVisible();

		// The club marks who came.
		await page.reload({ waitUntil: 'networkidle' });
		await page.getByRole('link', { name: 'Helfende (1)' }).last().click();
		await expect(page.getByRole('heading', { level: 1, name: 'Helfende der Schicht' })).toBeVisible();
		await expectNoAxeViolations(page, 'shift helpers');
		await page.getByRole('button', { name: 'War da: Klasse 4b' }).click();
		await expect(page.getByRole('cell', { name: 'teilgenommen' })).toBeVisible();
		const helpersUrl = page.url();

		// … and writes to the helpers of the shift.
		await page.getByLabel('Betreff', { exact: true }).fill('Treffpunkt: Hintereingang');
		await page.getByLabel('Nachricht', { exact: true }).fill('Bitte kommt zum Hintereingang des Pfarrsaals.');
		const beforeMessage = await snapshotMail();
		await page.getByRole('button', { name: 'Nachricht senden' }).click();
		await expect(page.getByRole('status')).toBeVisible();
		const message = await waitForNewMail('klasse4b@example.org', beforeMessage);
		expect(message.parsed.subject).toContain('Treffpunkt: Hintereingang');
		await expectNoAxeViolations(page, 'shift helpers after message');

		// Another club's member cannot open the helpers.
		const other = await freshPage(browser);
		await confirmSignInLink(other, cliSignInLink('ortsstelle@bergrettung-imst.example'));
		const response = await other.goto(helpersUrl);
		expect([403, 404]).toContain(response?.status());

		// 390 px wide: no page scrolls sideways.
		for (const url of ['/de/einsaetze', taskUrl]) expect(await widthAt390(visitor, url), url).toBeLessThanOrEqual(390);
		for (const url of [helpersUrl, page.url().replace(/\/shifts\/.*$/, ''), '/de/club']) expect(await widthAt390(page, url), url).toBeLessThanOrEqual(390);
	});
});
