import { expect, test } from '@playwright/test';
import { cliSignInLink, confirmSignInLink, COORDINATOR, expectNoAxeViolations, ORIGIN, snapshotMail, waitForNewMail } from './helpers';

test.describe('the coordinator runs an event', () => {
	test('creates a date, sees registrations, exports, checks in, moves and cancels it', async ({ page }) => {
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.getByRole('navigation', { name: 'Koordination' }).getByRole('link', { name: 'Veranstaltungen' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Veranstaltungen' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Markt der Möglichkeiten Imst' })).toBeVisible();
		await expectNoAxeViolations(page, 'admin events');
		// The demo series is one row that leads to its series page.
		const demoSeries = page.getByRole('row').filter({ hasText: 'Gesprächsrunde Ehrenamt Imst–Tarrenz' });
		await expect(demoSeries).toHaveCount(1);
		await expect(demoSeries).toContainText(/Reihe mit \d+ Terminen/);
		await demoSeries.getByRole('link', { name: 'Gesprächsrunde Ehrenamt Imst–Tarrenz' }).click();
		await expect(page.getByText('FREQ=YEARLY;BYMONTH=4,10;BYDAY=2TH')).toBeVisible(); // not a pattern of the form: shown as written
		await expect(page.getByRole('heading', { level: 2, name: 'Alle künftigen Termine ändern' })).toBeVisible();
		await expectNoAxeViolations(page, 'series page');
		await page.goBack();

		await page.getByRole('link', { name: 'Neue Veranstaltung anlegen' }).click();
		await page.waitForLoadState('networkidle'); // selects are set by hydration
		await expectNoAxeViolations(page, 'new event form');
		// Bad input first: nothing is created, the typed title stays.
		await page.getByLabel('Titel').fill('Erzählcafé für Zugezogene');
		await page.getByLabel('Plätze').fill('0');
		// The raw rule waits under "Erweitert".
		await expect(page.getByLabel('Eigene Regel (RRULE)')).toBeHidden();
		await page.getByText('Erweitert', { exact: true }).click();
		await page.getByLabel('Eigene Regel (RRULE)').fill('FREQ=SOMETIMES');
		await page.getByRole('button', { name: 'Weiter zur Vorschau' }).click();
		const summary = page.getByRole('alert');
		await expect(summary).toContainText('ganze Zahl von 1 bis 100000');
		await expect(summary).toContainText('Datum und Uhrzeit');
		await expect(page.getByLabel('Titel')).toHaveValue('Erzählcafé für Zugezogene');
		await expectNoAxeViolations(page, 'new event errors');

		const start = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
		await page.getByLabel('Plätze').fill('2');
		await page.getByLabel('Beginn (Ortszeit)').fill(`${start}T18:30`);
		await page.getByLabel('Dauer in Minuten').fill('90');
		await page.getByLabel('Wiederholung').selectOption('none');
		await page.getByLabel('Eigene Regel (RRULE)').fill('');
		await page.getByLabel('Tarrenz').check();
		await page.getByLabel('Veranstaltungsort').selectOption({ label: 'Bürgerhaus Imst, Seminarraum' });
		await page.getByRole('button', { name: 'Weiter zur Vorschau' }).click();
		// Nothing is stored before the preview is confirmed.
		const preview = page.getByRole('region', { name: 'Vorschau der Termine' });
		await expect(preview.getByRole('checkbox')).toHaveCount(1);
		await expect(preview.getByRole('checkbox')).toBeChecked();
		await expectNoAxeViolations(page, 'new event preview');
		await preview.getByRole('button', { name: 'Termin anlegen' }).click();
		await expect(page.getByRole('status')).toContainText('Ein Termin wurde angelegt.');
		await expect(page.getByRole('heading', { level: 1, name: 'Erzählcafé für Zugezogene' })).toBeVisible();
		await expect(page.getByText('Imst, Tarrenz')).toBeVisible();
		await expectNoAxeViolations(page, 'admin event page');
		const adminUrl = page.url();
		const eventId = /\/admin\/events\/([a-z2-7]{24})/.exec(adminUrl)![1]!;

		// Co-hosted: listed under both municipalities.
		for (const municipality of ['imst', 'tarrenz']) {
			await page.goto(`/de/?municipality=${municipality}`);
			await expect(page.getByRole('link', { name: 'Erzählcafé für Zugezogene' })).toBeVisible();
		}

		// Three residents register in a second browser (no session): two seats, one waits.
		const resident = await page.context().browser()!.newContext({ locale: 'de-DE' });
		const residentPage = await resident.newPage();
		const people = ['ec1@example.org', 'ec2@example.org', 'ec3@example.org'];
		const qrMails = [];
		for (const email of people) {
			const before = await snapshotMail();
			// Wait for hydration so the typed values are not reset by it.
			await residentPage.goto(`${ORIGIN}/de/events/${eventId}`, { waitUntil: 'networkidle' });
			await residentPage.getByLabel('Ihr Name').fill(`Gast ${email.slice(0, 3)}`);
			await residentPage.getByLabel('E-Mail-Adresse').fill(email);
			await residentPage.getByLabel(/Datenschutzhinweise gelesen/).check();
			await residentPage.getByRole('button', { name: 'Teilnehmen' }).click();
			const mail = await waitForNewMail(email, before);
			const link = /https?:\/\/\S+\/confirm\/\S+/.exec(mail.parsed.text ?? '')![0];
			const beforeConfirm = await snapshotMail();
			await residentPage.goto(link);
			await residentPage.getByRole('button', { name: 'Jetzt bestätigen' }).click();
			qrMails.push(await waitForNewMail(email, beforeConfirm));
		}
		await resident.close();
		const qr = qrMails[0]!.parsed.attachments.find((a) => a.contentType === 'image/png');
		expect(qr, 'QR code attached to the confirmation').toBeDefined();
		expect(qrMails[2]!.parsed.subject).toContain('Warteliste');

		await page.goto(adminUrl, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: 'Anmeldungen' }).first().click();
		await page.waitForLoadState('networkidle');
		await expect(page.getByRole('row')).toHaveCount(4);
		await expectNoAxeViolations(page, 'registrations');
		await page.getByLabel('Status').selectOption('waitlisted');
		await page.getByRole('button', { name: 'Anzeigen' }).click();
		await expect(page.getByRole('row')).toHaveCount(2);
		await expect(page.getByRole('cell', { name: 'ec3@example.org' })).toBeVisible();

		// CSV for German Excel.
		const csv = await page.request.get(`/de/admin/events/${eventId}/registrations.csv`);
		expect(csv.headers()['content-type']).toContain('text/csv');
		const body = await csv.body();
		expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = body.toString('utf8');
		expect(text).toContain('"Name";"E-Mail";"Status"');
		expect(text).toContain('"ec1@example.org";"bestätigt"');

		// Check-in from the QR link, as the phone camera would open it.
		await page.goto(`/de/admin/events/${eventId}/check-in`, { waitUntil: 'networkidle' });
		await expectNoAxeViolations(page, 'check-in');
		await page.getByLabel('Name oder E-Mail-Adresse suchen').fill('Gast ec1');
		await page.getByRole('button', { name: 'Anzeigen' }).click();
		await page.getByRole('button', { name: 'Anwesend: Gast ec1' }).click();
		await expect(page.getByRole('status')).toContainText('Gast ec1: teilgenommen');
		await expect(page.getByText('1 anwesend, 1 offen, 0 nicht erschienen')).toBeVisible();

		await page.goto(`/de/admin/events/${eventId}/attendance`);
		await expect(page.getByRole('cell', { name: 'Gast ec1' })).toBeVisible();
		await expect(page.getByRole('cell', { name: 'Gast ec3' })).toHaveCount(0);
		await expectNoAxeViolations(page, 'attendance list');

		// More seats: the waiting person moves up and is told.
		await page.goto(adminUrl, { waitUntil: 'networkidle' });
		const beforePromotion = await snapshotMail();
		await page.getByLabel('Plätze').fill('3');
		await page.getByRole('button', { name: 'Speichern' }).click();
		await expect(page.getByRole('status')).toContainText('Eine Person ist von der Warteliste nachgerückt und wurde benachrichtigt.');
		expect((await waitForNewMail('ec3@example.org', beforePromotion)).parsed.subject).toContain('Ein Platz ist frei geworden');

		// Another date like this one, e.g. the next meeting of the series.
		const later = new Date(Date.now() + 42 * 86_400_000).toISOString().slice(0, 10);
		await page.getByLabel('Beginn (Ortszeit)').last().fill(`${later}T18:30`);
		await page.getByRole('button', { name: 'Termin hinzufügen' }).click();
		await expect(page.getByRole('status')).toContainText('Ein Termin wurde angelegt.');
		await expect(page.getByText('0 von 3')).toBeVisible();
		await page.goto(adminUrl, { waitUntil: 'networkidle' });

		// A date added in the past starts as a draft: publishing is not offered, and a handmade request is refused.
		const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
		await page.getByLabel('Beginn (Ortszeit)').last().fill(`${yesterday}T18:30`);
		await page.getByRole('button', { name: 'Termin hinzufügen' }).click();
		await expect(page.getByRole('status')).toContainText('Ein Termin wurde angelegt.');
		await expect(page.getByText('Der Termin liegt in der Vergangenheit und bleibt deshalb ein Entwurf.')).toBeVisible();
		await expect(page.getByRole('radio', { name: 'veröffentlicht' })).toHaveCount(0);
		await expect(page.getByRole('radio', { name: 'Entwurf' })).toBeChecked();
		const pastUrl = page.url().split('?')[0]!;
		const refused = await page.request.post(`${pastUrl}?/update`, {
			headers: { origin: ORIGIN, accept: 'text/html' }, // as a browser's plain form post
			form: { title: 'Erzählcafé für Zugezogene', description: '', venueId: '', capacity: '3', startLocal: `${yesterday}T18:30`, durationMinutes: '90', feedbackDelayHours: '24', status: 'published' }
		});
		expect(refused.status()).toBe(400);
		expect(await refused.text()).toContain('Dieser Termin hat schon begonnen oder ist vorbei. Er kann nicht mehr veröffentlicht werden.');
		await page.reload();
		await expect(page.locator('.badge', { hasText: 'Entwurf' })).toBeVisible();
		await page.goto(adminUrl, { waitUntil: 'networkidle' });

		// Cancelling needs an explicit confirmation, then tells everyone.
		await page.getByRole('button', { name: 'Termin absagen' }).click();
		await expect(page.getByText('Bitte bestätigen Sie die Absage mit dem Häkchen.')).toBeVisible();
		const beforeCancel = await snapshotMail();
		await page.getByLabel('Ja, diesen Termin absagen und alle benachrichtigen.').check();
		await page.getByRole('button', { name: 'Termin absagen' }).click();
		await expect(page.getByRole('status')).toContainText('Der Termin ist abgesagt.');
		const cancellation = await waitForNewMail('ec2@example.org', beforeCancel);
		expect(cancellation.parsed.subject).toBe('Abgesagt: Erzählcafé für Zugezogene');
		// A cancelled date cannot be published again: the page no longer offers it.
		await expect(page.getByRole('radio', { name: 'veröffentlicht' })).toHaveCount(0);
		await page.goto(`/de/events/${eventId}`);
		await expect(page.getByText('Diese Veranstaltung wurde abgesagt.')).toBeVisible();

		// The participant's manage page says so, and offers neither a cancellation nor a check-in code.
		const manageLink = /https?:\/\/\S+\/manage\/[a-z2-7]{24}\.[a-z2-7]{24}/.exec(cancellation.parsed.text ?? '')?.[0];
		expect(manageLink, 'manage link in the cancellation').toBeTruthy();
		await page.goto(manageLink!);
		await expect(page.getByRole('status').filter({ hasText: 'Dieser Termin wurde abgesagt. Sie müssen nichts weiter tun.' })).toBeVisible();
		await expect(page.getByRole('button', { name: 'Ja, Teilnahme absagen' })).toHaveCount(0);
		await expect(page.getByRole('heading', { name: 'Ihr Code für den Einlass' })).toHaveCount(0);
		await expectNoAxeViolations(page, 'manage page of a cancelled date');
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });

		test('plans a weekly series with a preview, skips the holidays, sees it as one row and moves its future dates', async ({ page }) => {
			await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
			// Next December: the 25th (Christtag, „Weihnachten“ in date-holidays) and 1 January (Neujahr) are public holidays in Austria.
			const year = new Date().getUTCFullYear() + 1;
			await page.goto('/de/admin/events/new');
			await page.getByLabel('Titel').fill('Adventstreff Imst');
			await page.getByLabel('Beginn (Ortszeit)').fill(`${year}-12-18T18:00`);
			await page.getByLabel('Wiederholung').selectOption({ label: 'jede Woche' });
			await page.getByLabel('Anzahl der Termine').fill('4');
			await page.getByRole('button', { name: 'Weiter zur Vorschau' }).click();

			const preview = page.getByRole('region', { name: 'Vorschau der Termine' });
			await expect(preview).toContainText('4 Termine');
			const boxes = preview.getByRole('checkbox');
			await expect(boxes).toHaveCount(4);
			const christmas = preview.getByRole('listitem').filter({ hasText: 'Feiertag: Weihnachten' });
			await expect(christmas).toContainText(`25. Dezember ${year}, 18:00`);
			await expect(christmas.getByRole('checkbox')).not.toBeChecked();
			await expect(preview.getByRole('listitem').filter({ hasText: 'Feiertag: Neujahr' }).getByRole('checkbox')).not.toBeChecked();
			await expect(preview.getByRole('listitem').filter({ hasText: `18. Dezember ${year}` }).getByRole('checkbox')).toBeChecked();
			// Nothing exists yet.
			const list = await page.context().newPage();
			await list.goto('/de/admin/events');
			await expect(list.getByRole('heading', { level: 1, name: 'Veranstaltungen' })).toBeVisible();
			await expect(list.getByRole('link', { name: 'Adventstreff Imst' })).toHaveCount(0);
			await list.close();
			await page.getByRole('region', { name: 'Vorschau der Termine' }).getByRole('button', { name: 'Ausgewählte Termine anlegen' }).click();
			await expect(page.getByRole('status')).toContainText('2 Termine wurden angelegt.');

			// One row for the series, with its next date and a link to the series page.
			await page.goto('/de/admin/events');
			const row = page.getByRole('row').filter({ hasText: 'Adventstreff Imst' });
			await expect(row).toHaveCount(1);
			await expect(row).toContainText('Reihe mit 2 Terminen');
			await expect(row).toContainText(`18. Dezember ${year}`);
			await row.getByRole('link', { name: 'Adventstreff Imst' }).click();

			await expect(page.getByRole('heading', { level: 1, name: 'Adventstreff Imst' })).toBeVisible();
			await expect(page.getByText('Gilt für die 2 Termine, die noch bevorstehen.')).toBeVisible();
			await page.getByLabel('Beginn (Uhrzeit, Ortszeit)').fill('19:30');
			await page.getByLabel('Plätze').fill('15');
			await page.getByRole('button', { name: 'Künftige Termine ändern' }).click();
			await expect(page.getByRole('status')).toContainText('2 künftige Termine wurden geändert.');
			const dates = page.getByRole('list').filter({ hasText: `8. Jänner ${year + 1}` });
			await expect(dates.getByRole('listitem')).toHaveCount(2);
			await expect(dates.getByRole('listitem').first()).toContainText('19:30');
			await expect(dates.getByRole('listitem').first()).toContainText('0 von 15');

		});
	});

	test('coordinator pages of an event are closed to others', async ({ page, request }) => {
		const response = await request.get('/de/admin/events', { maxRedirects: 0 });
		expect(response.status()).toBe(303);
		expect(response.headers().location).toContain('/sign-in?redirectTo=%2Fadmin%2Fevents');
		const csv = await request.get(`/de/admin/events/${'a'.repeat(24)}/registrations.csv`, { maxRedirects: 0 });
		expect(csv.status()).toBe(303);
		await page.goto('/de/admin/events/doesnotexist');
		await expect(page).toHaveURL(/sign-in/);
	});
});
