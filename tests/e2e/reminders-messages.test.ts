import { expect, test } from '@playwright/test';
import { cliSignInLink, confirmSignInLink, COORDINATOR, expectNoAxeViolations, ORIGIN, snapshotMail, waitForNewMail } from './helpers';

const MARKET = 'Markt der Möglichkeiten Imst';

test.describe('reminders, coordinator messages and unsubscribing', () => {
	test('the coordinator sets reminders and messages participants; a participant unsubscribes in one click', async ({ page, browser }) => {
		// A resident registers for the market and confirms.
		const resident = await browser.newContext({ locale: 'de-DE' });
		const residentPage = await resident.newPage();
		const email = 'erinnerung@example.org';
		await residentPage.goto('/de/', { waitUntil: 'networkidle' });
		await residentPage.getByRole('link', { name: MARKET }).first().click();
		await residentPage.waitForLoadState('networkidle');
		const before = await snapshotMail();
		await residentPage.getByLabel('Ihr Name').fill('Rita Resident');
		await residentPage.getByLabel('E-Mail-Adresse').fill(email);
		await residentPage.getByLabel(/Datenschutzhinweise gelesen/).check();
		await residentPage.getByRole('button', { name: 'Teilnehmen' }).click();
		const confirmMail = await waitForNewMail(email, before);
		const beforeConfirm = await snapshotMail();
		await residentPage.goto(/https?:\/\/\S+\/confirm\/\S+/.exec(confirmMail.parsed.text ?? '')![0]);
		await residentPage.getByRole('button', { name: 'Jetzt bestätigen' }).click();
		const confirmation = await waitForNewMail(email, beforeConfirm);
		const manageUrl = /https?:\/\/\S+\/manage\/[a-z2-7.]+/.exec(confirmation.parsed.text ?? '')![0];
		// Mail about the event comes from the host municipality; replies go to its contact address.
		expect(confirmation.parsed.from?.value[0]?.name).toBe('Imst · Miteinander');
		expect(confirmation.parsed.replyTo?.value[0]?.address).toBe('buergerservice@imst.example');

		// The coordinator changes the reminders of this date.
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto('/de/admin/events');
		await page.getByRole('link', { name: MARKET }).first().click();
		await page.waitForLoadState('networkidle');
		await expect(page.getByText('Es gilt die Standardregel.')).toBeVisible();
		await page.getByLabel('Tage vorher').fill('drei');
		await page.getByRole('button', { name: 'Erinnerungen festlegen' }).click();
		await expect(page.getByText('Bitte geben Sie höchstens fünf ganze Tage')).toBeVisible();
		await expect(page.getByLabel('Tage vorher')).toHaveValue('drei');
		await page.getByLabel('Tage vorher').fill('3, 1');
		await page.getByLabel('Uhrzeit (Ortszeit)').fill('08:30');
		await page.getByRole('button', { name: 'Erinnerungen festlegen' }).click();
		await expect(page.getByRole('status')).toContainText('Erinnerungen gespeichert');
		await expect(page.getByText('Für diesen Termin gilt eine eigene Regel.')).toBeVisible();
		await expect(page.getByText('3 Tage vorher um 08:30 Uhr, einen Tag vorher um 08:30 Uhr.')).toBeVisible();
		await expectNoAxeViolations(page, 'admin event with reminders');

		// … and writes to everyone confirmed, checking the preview in both languages first.
		await page.getByRole('link', { name: 'Nachricht an Teilnehmende' }).click();
		await page.waitForLoadState('networkidle');
		await expectNoAxeViolations(page, 'message form');
		await page.getByRole('button', { name: 'Nachricht senden' }).click();
		const summary = page.getByRole('alert');
		await expect(summary).toContainText('Bitte füllen Sie dieses Feld aus.');
		await expect(summary).toContainText('Bitte bestätigen Sie das Senden mit dem Häkchen.');
		await page.getByLabel('Betreff (Deutsch)').fill('Stände ab 9 Uhr aufgebaut');
		await page.getByLabel('Text (Deutsch)').fill('Liebe Gäste,\n\ndie Stände sind ab 9 Uhr aufgebaut.');
		await page.getByLabel('Betreff (Englisch, optional)').fill('Stalls open from 9');
		await page.getByLabel('Text (Englisch, optional)').fill('Dear guests,\n\nthe stalls open at 9.');
		await page.getByRole('button', { name: 'Vorschau anzeigen' }).click();
		const frames = page.locator('iframe.mail');
		await expect(frames).toHaveCount(2);
		await expect(page.frameLocator('iframe.mail').first().getByText('die Stände sind ab 9 Uhr aufgebaut.')).toBeVisible();
		await expect(page.frameLocator('iframe.mail').last().getByText('the stalls open at 9.')).toBeVisible();
		await expect(page.frameLocator('iframe.mail').last().getByText('Hello Maria Muster,')).toBeVisible();
		await expect(page.getByLabel('Betreff (Deutsch)')).toHaveValue('Stände ab 9 Uhr aufgebaut');
		await expectNoAxeViolations(page, 'message preview', { excludeMailFrame: true });

		const beforeMessage = await snapshotMail();
		await page.getByLabel('Ich habe die Vorschau geprüft').check();
		await page.getByRole('button', { name: 'Nachricht senden' }).click();
		await expect(page.getByRole('status')).toContainText('Die Nachricht geht an');
		await expect(page.getByText('„Stände ab 9 Uhr aufgebaut“ an')).toBeVisible();
		const message = await waitForNewMail(email, beforeMessage);
		expect(message.parsed.subject).toBe('Stände ab 9 Uhr aufgebaut');
		expect(message.parsed.text).toContain('die Stände sind ab 9 Uhr aufgebaut.');
		const list = message.parsed.headers.get('list') as Record<string, Record<string, string>>;
		expect(list['unsubscribe-post']?.name).toBe('List-Unsubscribe=One-Click');
		const unsubscribeUrl = `${manageUrl}/unsubscribe`;
		expect(JSON.stringify(list.unsubscribe)).toContain(unsubscribeUrl.replace(ORIGIN, ''));

		// Opening the unsubscribe link only asks; a mail program's one-click POST (no Origin) opts out.
		await residentPage.goto(unsubscribeUrl);
		await expect(residentPage.getByRole('button', { name: 'Ja, abbestellen' })).toBeVisible();
		await expectNoAxeViolations(residentPage, 'unsubscribe page');
		const oneClick = await resident.request.post(unsubscribeUrl, { form: { 'List-Unsubscribe': 'One-Click' } });
		expect(oneClick.status()).toBe(200);
		// Other forms still refuse cross-site posts.
		const crossSite = await resident.request.post(`${manageUrl}?/cancel`, { form: {}, headers: { origin: 'https://evil.example' } });
		expect(crossSite.status()).toBe(403);

		await residentPage.goto(manageUrl);
		await expect(residentPage.getByText('Sie haben Erinnerungen und Rundschreiben abbestellt.')).toBeVisible();
		await expectNoAxeViolations(residentPage, 'manage page, unsubscribed');
		await residentPage.getByRole('button', { name: 'Wieder erhalten' }).click();
		await expect(residentPage.getByRole('status')).toContainText('Sie erhalten wieder Erinnerungen und Rundschreiben.');
		await resident.close();

		// The outbox shows the scheduled reminders with their fate.
		await page.goto('/de/admin/outbox');
		await expect(page.getByText('Erinnerung: Markt der Möglichkeiten Imst').first()).toBeVisible();
	});
});
