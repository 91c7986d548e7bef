import { expect, test, type Browser, type Page } from '@playwright/test';
import { CLUB_MEMBER, cliSignInLink, confirmSignInLink, expectNoAxeViolations, snapshotMail, waitForNewMail } from './helpers';

// A club changes one shift of its Einsatz (with JavaScript) and cancels another (without): the
// helper of the moved shift is told, a refused change keeps what was typed, the last shift stays.

const localDate = (daysAhead: number, time: string) => `${new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10)}T${time}`;
const HELPER = 'schichtwechsel@example.org';

/** A resident signs up for the first shift on the Einsatz page and confirms from the mail. */
async function signUpFirstShift(browser: Browser, taskUrl: string): Promise<void> {
	const context = await browser.newContext({ locale: 'de-DE' });
	const page = await context.newPage();
	await page.goto(taskUrl, { waitUntil: 'networkidle' });
	await page.getByRole('radio').first().check();
	await page.getByLabel('Ihr Name (Ansprechperson)').fill('Sina Schicht');
	await page.getByLabel('E-Mail-Adresse').fill(HELPER);
	await page.getByLabel('Anzahl Plätze').fill('1');
	await page.getByLabel(/Datenschutzhinweise gelesen/).check();
	const before = await snapshotMail();
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(page.getByRole('status')).toContainText(`E-Mail an ${HELPER}`);
	const request = await waitForNewMail(HELPER, before);
	await page.goto(/https?:\/\/\S+\/confirm\/[a-z2-7]{24}\.[a-z2-7]{24}/.exec(request.parsed.text ?? '')![0]);
	const beforeConfirm = await snapshotMail();
	await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
	await waitForNewMail(HELPER, beforeConfirm);
	await context.close();
}

const card = (page: Page, n: number) => page.locator('ul.shifts > li').nth(n);

test.describe('changing and cancelling a shift', () => {
	test('a club moves a shift with JavaScript and cancels another without; the helper is told', async ({ page, browser }) => {
		test.setTimeout(180_000);
		await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
		await page.goto('/de/club', { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: 'Einsätze verwalten' }).click();
		await page.getByRole('link', { name: 'Neuer Einsatz' }).click();
		await page.waitForLoadState('networkidle');
		// The municipality's zone is named where shift times are entered (Tarrenz: Vienna).
		await expect(page.getByText('Alle Zeiten in der Zeitzone Europe/Vienna.')).toBeVisible();
		await page.getByLabel('Titel').fill('Schichtwechsel beim Dorffest');
		await page.getByLabel('Ort (Adresse oder Treffpunkt)').fill('Dorfplatz Tarrenz');
		const first = page.getByRole('group', { name: 'Schicht 1' });
		await first.getByLabel('Beginn').fill(localDate(20, '10:00'));
		await first.getByLabel('Ende').fill(localDate(20, '12:00'));
		await first.getByLabel('Plätze').fill('2');
		const second = page.getByRole('group', { name: 'Schicht 2' });
		await second.getByLabel('Beginn').fill(localDate(21, '14:00'));
		await second.getByLabel('Ende').fill(localDate(21, '16:00'));
		await second.getByLabel('Plätze').fill('3');
		await page.getByLabel('gleich veröffentlichen').check();
		await page.getByRole('button', { name: 'Anlegen' }).click();
		await expect(page.getByRole('status')).toHaveText('Gespeichert.');
		const manageUrl = new URL(page.url()).pathname;
		const taskUrl = (await page.getByRole('link', { name: 'Öffentliche Seite ansehen' }).getAttribute('href'))!;
		await signUpFirstShift(browser, taskUrl);

		// With JavaScript: open the first shift's change form; an end before the start is refused in German.
		await page.goto(manageUrl, { waitUntil: 'networkidle' });
		await card(page, 0).getByRole('link', { name: /ändern oder absagen/ }).click();
		const change = page.getByRole('region', { name: 'Schicht ändern' });
		await expect(change.getByLabel('Beginn')).toHaveValue(localDate(20, '10:00'));
		await expect(change.getByLabel('Plätze')).toHaveValue('2');
		await expectNoAxeViolations(page, 'task manage page with a shift change form');
		await change.getByLabel('Beginn').fill(localDate(20, '11:00'));
		await change.getByLabel('Ende').fill(localDate(20, '09:00'));
		await change.getByRole('button', { name: 'Änderung speichern' }).click();
		await expect(page.getByRole('alert').first()).toContainText('Bitte geben Sie ein Ende an, das nach dem Beginn liegt.');
		await expect(change.getByLabel('Beginn')).toHaveValue(localDate(20, '11:00')); // nothing typed is lost
		await expectNoAxeViolations(page, 'shift change form with an error');

		// A valid move: the helper gets the change with the new time.
		await change.getByLabel('Ende').fill(localDate(20, '13:00'));
		const before = await snapshotMail();
		await change.getByRole('button', { name: 'Änderung speichern' }).click();
		await expect(page.getByRole('status')).toHaveText('Die Schicht ist geändert. Alle Angemeldeten wurden über die neue Zeit informiert.');
		const moved = await waitForNewMail(HELPER, before);
		expect(moved.parsed.subject).toBe('Geändert: Schichtwechsel beim Dorffest');
		expect(moved.parsed.text).toContain('11:00');
		await expect(card(page, 0)).toContainText('11:00');

		// Without JavaScript: cancelling the second shift needs the ticked box.
		const noScript = await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE', storageState: await page.context().storageState() });
		const plain = await noScript.newPage();
		await plain.goto(manageUrl);
		await card(plain, 1).getByRole('link', { name: /ändern oder absagen/ }).click();
		const remove = plain.getByRole('region', { name: 'Schicht ändern' });
		await remove.getByRole('button', { name: 'Schicht absagen' }).click();
		await expect(plain.getByRole('alert')).toHaveText('Bitte bestätigen Sie die Absage der Schicht mit dem Häkchen.');
		await expect(card(plain, 1)).not.toContainText('Abgesagt');
		await plain.getByLabel('Ja, diese Schicht absagen und alle benachrichtigen.').check();
		await plain.getByRole('button', { name: 'Schicht absagen' }).click();
		await expect(plain.getByRole('status')).toHaveText('Die Schicht ist abgesagt. Es war niemand angemeldet.');
		await expect(card(plain, 1)).toContainText('Abgesagt');
		await expect(card(plain, 1).getByRole('link', { name: /ändern oder absagen/ })).toHaveCount(0);

		// The first shift is now the only one: it can still be changed, but not cancelled on its own.
		await card(plain, 0).getByRole('link', { name: /ändern oder absagen/ }).click();
		await expect(plain.getByText('Das ist die einzige Schicht dieses Einsatzes, die noch stattfindet.')).toBeVisible();
		await expect(plain.getByRole('button', { name: 'Schicht absagen' })).toHaveCount(0);
		await noScript.close();

		// The public page shows the cancelled shift as such, and only the moved one is open for sign-up.
		await page.goto(taskUrl, { waitUntil: 'networkidle' });
		await expect(page.locator('ul.shifts > li').nth(1)).toContainText('Abgesagt');
		await expect(page.getByRole('radio')).toHaveCount(1);
	});
});
