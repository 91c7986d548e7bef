import { expect, test } from '@playwright/test';
import {
	cliSignInLink,
	CLUB_MEMBER,
	confirmSignInLink,
	COORDINATOR,
	expectNoAxeViolations,
	expectNoAxeViolationsInHtml,
	snapshotMail,
	waitForNewMail,
	withServices
} from './helpers';

// The demo's matchable market: six confirmed people, Bergrettung and Tafel at stalls with two chairs.
const MARKET = 'Vereinsbörse Imst – Gespräche am Stand';
const ROUND_TABLE = 'Gesprächsrunde Ehrenamt Imst–Tarrenz';

/**
 * Three people confirmed for the next date of the demo's Gesprächsrunde (two club tables:
 * Bergrettung Imst and Tarrenzer Tafel), as in issue 14. Returns the event id.
 */
function roundTableWithThreePeople(prefix: string): string {
	return withServices<string>(
		`
		const { generateId, sha256Hex } = await import('./src/lib/server/ids');
		const event = await db.selectFrom('event').select('id').where('title', '=', input.title).where('starts_at', '>', now.toISOString()).orderBy('starts_at').executeTakeFirstOrThrow();
		for (const name of input.names) {
			const personId = generateId();
			const email = name.toLowerCase().replace(/[^a-z]/g, '.') + '@example.org';
			const profile = { residency: 'resident', homePlace: '', secondPlace: '', availability: [], presence: '', languages: ['de'], accessibilityNeeds: '', interests: ['soziales', 'sport'] };
			await db.insertInto('person').values({ id: personId, email, name, locale: 'de', profile: JSON.stringify(profile), consent_introductions: 1, created_at: now.toISOString(), updated_at: now.toISOString() }).execute();
			await db.insertInto('registration').values({ id: generateId(), event_id: event.id, person_id: personId, status: 'confirmed', waitlist_position: null, submitted_profile: null, manage_secret_hash: sha256Hex(generateId()), confirm_secret_hash: null, confirm_expires_at: null, created_at: now.toISOString(), updated_at: now.toISOString(), confirmed_at: now.toISOString(), cancelled_at: null, checked_in_at: null }).execute();
		}
		await db.updateTable('event').set({ confirmed_count: input.names.length }).where('id', '=', event.id).execute();
		return event.id;`,
		{ title: ROUND_TABLE, names: ['A', 'B', 'C'].map((letter) => `${prefix} ${letter}`) }
	);
}

test.describe('matching people and clubs for a market', () => {
	test('the coordinator runs, pins, bans and publishes; people get their plan; clubs see who comes', async ({ page, browser }) => {
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto('/de/admin/events');
		await page.getByRole('link', { name: MARKET }).first().click();
		await page.getByRole('link', { name: 'Vereine zuordnen (Matching)' }).click();
		await page.waitForLoadState('networkidle');
		await expect(page.getByRole('heading', { level: 1, name: 'Menschen und Vereine zuordnen' })).toBeVisible();
		await expect(page.getByText('6 bestätigte Personen, 2 Vereine.')).toBeVisible();
		await expect(page.getByText('Noch kein Entwurf.')).toBeVisible();
		await expectNoAxeViolations(page, 'matching page, empty');

		// Bad settings change nothing and keep what was typed.
		await page.getByLabel('Runden', { exact: true }).fill('0');
		await page.getByRole('button', { name: 'Einstellungen speichern' }).click();
		await expect(page.getByRole('alert')).toContainText('Bitte geben Sie eine ganze Zahl von 1 bis 24 ein.');
		await expect(page.getByLabel('Runden', { exact: true })).toHaveValue('0');
		await page.getByLabel('Runden', { exact: true }).fill('4');
		await page.getByRole('button', { name: 'Einstellungen speichern' }).click();
		await expect(page.getByRole('status')).toContainText('Einstellungen gespeichert');

		await page.getByRole('button', { name: 'Zuordnung berechnen' }).click();
		await expect(page.getByRole('status')).toContainText('Entwurf berechnet:');
		await expect(page.getByRole('rowheader', { name: 'Bergrettung Imst' })).toBeVisible();
		await expect(page.getByRole('heading', { name: /^Vorschau des Entwurfs vom/ })).toBeVisible();
		await expectNoAxeViolations(page, 'matching page with a draft');

		// Pin Sarah to the Bergrettung, ban Tom from it: Tom then fits no club at all.
		for (const [person, kind] of [['Sarah Wolf', 'festlegen (die beiden treffen sich sicher)'], ['Tom Schmid', 'ausschließen (die beiden treffen sich nicht)']] as const) {
			// The pickers search by name (accents and case do not matter).
			await page.getByLabel('Person suchen (Name)').fill(person.split(' ')[0]!.toLowerCase());
			await page.getByRole('button', { name: 'Suchen', exact: true }).click();
			await expect(page.getByRole('group', { name: 'Person' }).getByRole('radio')).toHaveCount(1);
			await expect(page.getByRole('group', { name: 'Person' }).getByRole('radio', { name: person })).toBeChecked();
			await page.getByRole('group', { name: 'Verein' }).getByRole('radio', { name: 'Bergrettung Imst (Stand V1)' }).check();
			await page.getByLabel(kind).check();
			await page.getByRole('button', { name: 'Festlegung speichern' }).click();
			await expect(page.getByRole('status')).toContainText(`Festlegung gespeichert: ${person} – Bergrettung Imst.`);
		}
		await expect(page.getByRole('button', { name: 'Festlegung Tom Schmid – Bergrettung Imst entfernen' })).toBeVisible();
		await page.getByRole('button', { name: 'Zuordnung berechnen' }).click();
		await expect(page.getByRole('status')).toContainText('Entwurf berechnet:');
		await expect(page.locator('#unplaced')).toContainText('Tom Schmid: Alle passenden Vereine sind ausgeschlossen.');
		const sarah = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Sarah Wolf' }) }).first();
		await expect(sarah).toContainText('Bergrettung Imst');

		// Publishing needs the tick; then everyone with a conversation hears about it.
		await page.getByRole('button', { name: 'Plan veröffentlichen' }).click();
		await expect(page.getByRole('alert')).toContainText('Bitte bestätigen Sie das Veröffentlichen mit dem Häkchen.');
		const before = await snapshotMail();
		await page.getByLabel('Ich habe die Vorschau geprüft').check();
		await page.getByRole('button', { name: 'Plan veröffentlichen' }).click();
		await expect(page.getByRole('status')).toContainText('Plan veröffentlicht. 5 Personen werden benachrichtigt.');
		await expect(page.getByRole('status')).toContainText(/\d+ Vereine? erh(ält|alten) (seinen|ihren) Gesprächsplan\./);
		await expect(page.getByText(/^Veröffentlicht am/)).toBeVisible();

		// The club hears who comes when: names, and addresses only of those who agreed.
		const clubMail = await waitForNewMail('ortsstelle@bergrettung-imst.example', before);
		expect(clubMail.parsed.subject).toBe(`Wer zu Ihnen kommt: ${MARKET}`);
		expect(clubMail.parsed.text).toMatch(/Runde \d, \d{2}:\d{2}–\d{2}:\d{2}/);
		expect(clubMail.parsed.text).toContain('Anna Berger · anna.berger@example.org');
		expect(clubMail.parsed.text).toContain('Plan im Vereinsbereich ansehen');
		await expectNoAxeViolationsInHtml(page, String(clubMail.parsed.html), 'club schedule mail');

		const mail = await waitForNewMail('anna.berger@example.org', before);
		expect(mail.parsed.subject).toBe(`Ihr Gesprächsplan: ${MARKET}`);
		expect(mail.parsed.text).toMatch(/\d{2}:\d{2}–\d{2}:\d{2} Uhr · Bergrettung Imst \(Stand V1\)/);
		expect(mail.parsed.text).toContain('Warum: Gemeinsame Interessen:');
		const ics = mail.parsed.attachments.find((a) => a.contentType === 'text/calendar');
		expect(ics?.content.toString()).toContain('BEGIN:VEVENT');
		await expectNoAxeViolationsInHtml(page, String(mail.parsed.html), 'match plan mail');

		// The person's manage page shows the plan and offers it as a calendar file.
		const manageUrl = /https?:\/\/\S+\/manage\/[a-z2-7.]+/.exec(mail.parsed.text ?? '')![0];
		const person = await browser.newContext({ locale: 'de-DE' });
		const personPage = await person.newPage();
		await personPage.goto(manageUrl);
		await expect(personPage.getByRole('heading', { name: 'Ihr Gesprächsplan' })).toBeVisible();
		await expect(personPage.locator('ul.match-plan')).toContainText('Bergrettung Imst (Stand V1)');
		await expect(personPage.locator('ul.match-plan')).toContainText('Warum: Gemeinsame Interessen');
		const calendarFile = await personPage.request.get(`${manageUrl}/plan.ics`);
		expect(calendarFile.headers()['content-type']).toContain('text/calendar');
		expect(await calendarFile.text()).toContain('SUMMARY:Bergrettung Imst · Stand V1');
		await expectNoAxeViolations(personPage, 'manage page with a plan');
		await person.close();

		// The master timetable prints rounds × stalls.
		await page.getByRole('link', { name: 'Gesamtplan zum Drucken' }).click();
		await expect(page.getByRole('heading', { level: 1, name: `Gesamtplan: ${MARKET}` })).toBeVisible();
		await expect(page.locator('table.printable')).toContainText('Sarah Wolf');
		await expect(page.getByRole('columnheader', { name: /Tarrenzer Tafel/ })).toBeVisible();
		await expect(page.getByRole('rowheader', { name: /^Runde 4/ })).toBeVisible();
		await expectNoAxeViolations(page, 'master timetable');

		// The same preview in English.
		await page.goto(page.url().replace('/de/', '/en/').replace(/\/timetable$/, ''));
		await expect(page.getByRole('heading', { level: 1, name: 'Matching people and clubs' })).toBeVisible();
		await expect(page.getByRole('heading', { name: /^Published plan from/ })).toBeVisible();
		await expect(page.locator('#unplaced')).toContainText('Tom Schmid: Every fitting club is excluded.');
		await expectNoAxeViolations(page, 'matching page in English');

		// The Tafel sees who comes, with addresses only of those who agreed to be introduced.
		const clubContext = await browser.newContext({ locale: 'de-DE' });
		const club = await clubContext.newPage();
		await confirmSignInLink(club, cliSignInLink(CLUB_MEMBER.email));
		await club.goto('/de/club');
		await club.getByRole('link', { name: 'Wer zu uns kommt (Gesprächspläne)' }).click();
		await expect(club.getByRole('heading', { level: 1, name: 'Gesprächspläne' })).toBeVisible();
		await expectNoAxeViolations(club, 'club conversation plans');
		await club.getByRole('link', { name: MARKET }).click();
		await expect(club.getByRole('heading', { level: 1, name: `Wer zu uns kommt: ${MARKET}` })).toBeVisible();
		const olena = club.getByRole('row').filter({ has: club.getByRole('rowheader', { name: 'Olena Koval' }) }).first();
		await expect(olena).toContainText('olena.koval@example.org');
		const mehmet = club.getByRole('row').filter({ has: club.getByRole('rowheader', { name: 'Mehmet Yılmaz' }) }).first();
		await expect(mehmet).toContainText('– (keine Einwilligung)');
		// Why someone fits is profile data too: only with their consent.
		await expect(mehmet.getByRole('cell').last()).toHaveText('–');
		await expect(olena.getByRole('cell').last()).not.toHaveText('–');
		await expect(club.getByText('mehmet.yilmaz@example.org')).toHaveCount(0);
		await expectNoAxeViolations(club, 'club plan for one market');
		await clubContext.close();
	});

	test('a Gesprächsrunde rotates, and the run uses the rounds on screen even when not saved', async ({ page }) => {
		const eventId = roundTableWithThreePeople('Runde');
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto(`/de/admin/events/${eventId}/matching`);
		await expect(page.getByText('3 bestätigte Personen, 2 Vereine.')).toBeVisible();
		await expect(page.getByLabel('Runden', { exact: true })).toHaveValue('6');

		// Issue 14, point 3: rounds changed on screen but not saved; the run must use them.
		await page.getByLabel('Runden', { exact: true }).fill('2');
		await page.getByRole('button', { name: 'Zuordnung berechnen' }).click();
		await expect(page.getByRole('status')).toContainText('Entwurf berechnet: 6 Gespräche, 0 Personen ohne Gespräch. Berechnet mit 2 Runden.');
		await page.reload();
		await expect(page.getByLabel('Runden', { exact: true })).toHaveValue('2');
		// Issue 14, point 1: with two tables and two rounds, everyone sits at both tables.
		for (const letter of ['A', 'B', 'C']) {
			const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: `Runde ${letter}` }) }).first();
			await expect(row).toContainText('Bergrettung Imst');
			await expect(row).toContainText('Tarrenzer Tafel');
			await expect(row).toContainText(/passt (sehr gut|gut|teilweise|wenig)/);
		}
		await expect(page.getByText('Personen mit mindestens 2 Gesprächen')).toBeVisible();
		await expect(page.getByRole('definition').filter({ hasText: '3 von 3' }).first()).toBeVisible();
		await expect(page.getByText(/von 1000 Punkten/)).toHaveCount(0);
		await expect(page.locator('#few-tables')).toHaveCount(0);

		// Six rounds at two tables: the preview says so per person and suggests two rounds.
		await page.getByLabel('Runden', { exact: true }).fill('6');
		await page.getByRole('button', { name: 'Zuordnung berechnen' }).click();
		await expect(page.getByRole('status')).toContainText('Berechnet mit 6 Runden.');
		await expect(page.getByRole('heading', { name: 'Zu wenige passende Tische für die Runden' })).toBeVisible();
		await expect(page.locator('#few-tables')).toContainText('Runde A passt nur zu 2 Tischen (Bergrettung Imst, Tarrenzer Tafel), hat aber 6 Runden.');
		await expect(page.getByText('Vorschlag: Mit 2 Runden säße niemand zweimal am selben Tisch.')).toBeVisible();
		const load = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Tarrenzer Tafel' }) }).first();
		await expect(load).toContainText('9 / 36');
		await expectNoAxeViolations(page, 'matching a Gesprächsrunde');

		// Once published, the round can be updated: with nothing new, everyone keeps their seats.
		await page.getByLabel('Ich habe die Vorschau geprüft').check();
		await page.getByRole('button', { name: 'Plan veröffentlichen' }).click();
		await expect(page.getByRole('status')).toContainText('Plan veröffentlicht. 3 Personen werden benachrichtigt.');
		await expect(page.getByText('Bei einer Gesprächsrunde behalten alle ihre veröffentlichten Plätze')).toBeVisible();
		await page.getByRole('button', { name: 'Plan aktualisieren' }).click();
		const changes = page.getByRole('region', { name: 'Wer einen neuen Plan bekommt' });
		await expect(changes).toBeVisible({ timeout: 30_000 });
		await expect(changes).toContainText('Niemand muss umplanen: Der veröffentlichte Plan bleibt, wie er ist.');
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });

		test('the run button saves the rounds typed in, without JavaScript too', async ({ page }) => {
			const eventId = roundTableWithThreePeople('Ohne JS');
			await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
			await page.goto(`/de/admin/events/${eventId}/matching`);
			await page.getByLabel('Runden', { exact: true }).fill('3');
			await page.getByRole('button', { name: 'Zuordnung berechnen' }).click();
			await expect(page.getByRole('status')).toContainText('Berechnet mit 3 Runden.');
			await expect(page.getByLabel('Runden', { exact: true })).toHaveValue('3');
			await page.getByLabel('Runden', { exact: true }).fill('0');
			await page.getByRole('button', { name: 'Zuordnung berechnen' }).click();
			await expect(page.getByRole('alert')).toContainText('Bitte geben Sie eine ganze Zahl von 1 bis 24 ein.');
			await page.goto(`/de/admin/events/${eventId}/matching`);
			await expect(page.getByLabel('Runden', { exact: true })).toHaveValue('3');
		});

		test('the coordinator lifts a ban, runs again and publishes with plain forms; Tom gets his plan', async ({ page }) => {
			await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
			await page.goto('/de/admin/events');
			await page.getByRole('link', { name: MARKET }).first().click();
			await page.getByRole('link', { name: 'Vereine zuordnen (Matching)' }).click();
			expect(await page.evaluate(() => Object.keys(window).some((key) => key.startsWith('__sveltekit')))).toBe(false);

			await page.getByRole('button', { name: 'Festlegung Tom Schmid – Bergrettung Imst entfernen' }).click();
			await expect(page.getByRole('status')).toContainText('Festlegung entfernt.');
			await page.getByRole('button', { name: 'Zuordnung berechnen' }).click();
			await expect(page.getByRole('status')).toContainText('Entwurf berechnet:');
			await expect(page.locator('#unplaced')).toHaveCount(0);
			await expect(page.getByText('Alle haben mindestens ein Gespräch.')).toBeVisible();

			const before = await snapshotMail();
			await page.getByLabel('Ich habe die Vorschau geprüft').check();
			await page.getByRole('button', { name: 'Plan veröffentlichen' }).click();
			await expect(page.getByRole('status')).toContainText('Plan veröffentlicht.');
			const mail = await waitForNewMail('tom.schmid@example.org', before);
			expect(mail.parsed.subject).toBe(`Ihr Gesprächsplan: ${MARKET}`);
			expect(mail.parsed.text).toContain('Bergrettung Imst');
		});
	});
});
