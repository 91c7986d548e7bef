import { expect, test } from '@playwright/test';
import {
	cliSignInLink,
	CLUB_MEMBER,
	confirmSignInLink,
	COORDINATOR,
	deleteEventWithPeople,
	expectNoAxeViolations,
	expectNoAxeViolationsInHtml,
	mailsTo,
	ORIGIN,
	snapshotMail,
	withServices,
	type WrittenMail
} from './helpers';

// A market in Tarrenz that ended two days ago, with two people who came and the Tarrenzer Tafel and
// the Bergrettung at stalls. Its feedback requests are written the way the worker writes them
// (feedback.requestDue); the running server's worker then delivers them as mail files.
const EVENT = 'Rückblick-Markt Tarrenz';
const PERSON = { name: 'Franziska Rückmeldung', email: 'feedback.e2e@example.org' };
const NO_JS_PERSON = { name: 'Konrad Ohneskript', email: 'feedback.nojs@example.org' };
const TAFEL_EMAIL = 'tafel@tarrenz.example';

interface Setup {
	eventId: string;
	tafel: string;
	manageToken: string;
	requested: number;
}

function setUpPastMarket(): Setup {
	return withServices<Setup>(
		`const { generateId, sha256Hex } = await import('./src/lib/server/ids');
		const { manageSecret, manageToken } = await import('./src/lib/server/registrations/links');
		const feedback = await import('./src/lib/server/feedback');
		const fs = await import('node:fs');
		const secret = fs.readFileSync('.e2e-data/app-secret', 'utf8').trim();
		const endsAt = new Date(now.getTime() - 2 * 86_400_000);
		const startsAt = new Date(endsAt.getTime() - 3 * 3600_000);
		const tarrenz = await db.selectFrom('municipality').select('id').where('slug', '=', 'tarrenz').executeTakeFirstOrThrow();
		const club = async (name) => (await db.selectFrom('club').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
		const tafel = await club('Tarrenzer Tafel');
		const eventId = generateId();
		await db.insertInto('event').values({ id: eventId, series_id: null, kind: 'market', title: input.title, description: '', starts_at: startsAt.toISOString(), ends_at: endsAt.toISOString(), time_zone: 'Europe/Vienna', venue_id: null, capacity: 30, confirmed_count: 2, status: 'published', registration_opens_at: null, registration_closes_at: null, ical_uid: eventId + '@e2e', stall_booking_open: 0, created_at: startsAt.toISOString(), updated_at: startsAt.toISOString() }).execute();
		await db.insertInto('event_host').values({ event_id: eventId, municipality_id: tarrenz.id }).execute();
		for (const clubId of [tafel, await club('Bergrettung Imst')]) {
			await db.insertInto('stall_request').values({ id: generateId(), event_id: eventId, club_id: clubId, status: 'approved', size: 1, needs_power: 0, needs_accessible: 0, tables: 1, chairs: 2, requested_by: null, created_at: startsAt.toISOString(), updated_at: startsAt.toISOString() }).execute();
		}
		let token = '';
		for (const person of input.people) {
			const personId = generateId();
			const registrationId = generateId();
			await db.insertInto('person').values({ id: personId, email: person.email, name: person.name, locale: 'de', profile: '{}', consent_introductions: 0, created_at: startsAt.toISOString(), updated_at: startsAt.toISOString() }).execute();
			await db.insertInto('registration').values({ id: registrationId, event_id: eventId, person_id: personId, status: 'attended', waitlist_position: null, submitted_profile: null, manage_secret_hash: sha256Hex(manageSecret(secret, registrationId)), confirm_secret_hash: null, confirm_expires_at: null, created_at: startsAt.toISOString(), updated_at: startsAt.toISOString(), confirmed_at: startsAt.toISOString(), cancelled_at: null, checked_in_at: startsAt.toISOString() }).execute();
			if (!token) token = manageToken({ origin: '', secret }, registrationId);
		}
		const requested = await feedback.requestDue(db, { origin: '${ORIGIN}', secret, confirmHours: 48 }, now);
		return { eventId, tafel, manageToken: token, requested };`,
		{ title: EVENT, people: [PERSON, NO_JS_PERSON] }
	);
}

function feedbackLinkFrom(mail: WrittenMail): string {
	const match = /https?:\/\/\S+\/feedback\/[a-z2-7]{24}\.[a-z2-7]{24}/.exec(mail.parsed.text ?? '');
	expect(match, `feedback link in ${mail.file}`).not.toBeNull();
	return match![0];
}

/** A mail with this subject to `recipient`, written after `before`. */
async function waitForSubject(recipient: string, subject: string, before: Set<string>): Promise<WrittenMail> {
	let mail: WrittenMail | undefined;
	await expect
		.poll(async () => {
			mail = (await mailsTo(recipient)).find((m) => !before.has(m.file) && m.parsed.subject === subject);
			return mail !== undefined;
		}, { message: `a mail "${subject}" to ${recipient}`, timeout: 10_000 })
		.toBe(true);
	return mail!;
}

const REQUEST_SUBJECT = `Wie war „${EVENT}“? Ihre Rückmeldung`;

test.describe.serial('feedback after an event, leads for clubs, the engagement record', () => {
	let setup: Setup;
	let before: Set<string>;

	test.beforeAll(() => {
		// Mail already written by earlier tests may go to the same club address.
		return snapshotMail().then((snapshot) => {
			before = snapshot;
			setup = setUpPastMarket();
			expect(setup.requested).toBe(2 + 2);
		});
	});

	test.afterAll(() => {
		// Later journeys count events and people: take the past market out again.
		deleteEventWithPeople(setup.eventId);
	});

	test('a person answers through the emailed link, the club sees the lead and sets its status, the record downloads', async ({ page }) => {
		const mail = await waitForSubject(PERSON.email, REQUEST_SUBJECT, before);
		await expectNoAxeViolationsInHtml(page, mail.parsed.html || '', 'feedback request mail');
		await page.goto(feedbackLinkFrom(mail));
		await expect(page).toHaveURL(/\/de\/feedback\//);
		await expect(page.getByRole('heading', { level: 1, name: `Ihre Rückmeldung zu „${EVENT}“` })).toBeVisible();
		await expectNoAxeViolations(page, 'feedback form (person)');

		// Without a rating nothing is saved, and what was typed stays.
		await page.getByLabel('Möchten Sie uns noch etwas sagen? (freiwillig)').fill('Gute Gespräche!');
		await page.getByRole('button', { name: 'Rückmeldung speichern' }).click();
		await expect(page.getByRole('alert')).toContainText('Bitte wählen Sie eine Bewertung von 1 bis 5.');
		await expect(page.getByLabel('Möchten Sie uns noch etwas sagen? (freiwillig)')).toHaveValue('Gute Gespräche!');
		await expectNoAxeViolations(page, 'feedback form with an error');

		await page.getByLabel('4 – nützlich').check();
		await page.getByRole('group', { name: 'Mit welchen Vereinen haben Sie gesprochen?' }).getByLabel('Tarrenzer Tafel').check();
		await page.getByRole('group', { name: 'Bei welchen Vereinen möchten Sie mitmachen oder schnuppern?' }).getByLabel('Tarrenzer Tafel').check();
		await page.getByLabel(/dürfen meinen Namen und meine E-Mail-Adresse erhalten/).check();
		await page.getByRole('button', { name: 'Rückmeldung speichern' }).click();
		await expect(page.getByRole('status')).toContainText('Danke! Ihre Rückmeldung ist gespeichert.');
		await expect(page.getByRole('status')).toContainText('Die gewählten Vereine erhalten Ihren Namen');
		await expect(page.getByLabel('4 – nützlich')).toBeChecked();

		// The club hears about it once, with the person's contact.
		const contact = await waitForSubject(TAFEL_EMAIL, `${PERSON.name} möchte bei Tarrenzer Tafel schnuppern`, before);
		expect(contact.parsed.subject).toBe(`${PERSON.name} möchte bei Tarrenzer Tafel schnuppern`);
		expect(contact.parsed.text).toContain(PERSON.email);

		await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
		await page.goto('/de/club');
		await page.getByRole('link', { name: 'Interessierte aus Veranstaltungen ansehen und nachverfolgen' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Interessierte' })).toBeVisible();
		const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: PERSON.name }) });
		await expect(row).toContainText(PERSON.email);
		await expect(row).toContainText(EVENT);
		await expectNoAxeViolations(page, 'club leads');
		await row.getByRole('combobox', { name: `Status für ${PERSON.name}` }).selectOption({ label: 'macht mit' });
		await row.getByRole('button', { name: `Status für ${PERSON.name} speichern` }).click();
		await expect(page.getByRole('status')).toContainText(`Status für ${PERSON.name} gespeichert: macht mit.`);
		await page.reload();
		await expect(page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: PERSON.name }) }).getByRole('combobox', { name: `Status für ${PERSON.name}` })).toHaveValue('joined');

		// The engagement record on the person's manage page.
		await page.goto(`/de/manage/${setup.manageToken}`);
		const downloading = page.waitForEvent('download');
		await page.getByRole('link', { name: /Engagement-Nachweis herunterladen/ }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toBe('engagement-nachweis.csv');
		const csv = await page.request.get(`/de/manage/${setup.manageToken}/record.csv`);
		expect(csv.headers()['content-type']).toContain('text/csv');
		const text = await csv.text();
		expect(text).toContain(`Engagement-Nachweis für ${PERSON.name}`);
		expect(text).toContain(EVENT);
		expect(text).toContain('Tarrenzer Tafel (macht mit)');
	});

	test('without JavaScript: a person and a club answer, bad numbers are refused; closed and forged links', async ({ browser, page: scripted }) => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		try {
			const personMail = await waitForSubject(NO_JS_PERSON.email, REQUEST_SUBJECT, before);
			await page.goto(feedbackLinkFrom(personMail));
			await page.getByLabel('2 – wenig nützlich').check();
			await page.getByRole('group', { name: 'Bei welchen Vereinen möchten Sie mitmachen oder schnuppern?' }).getByLabel('Bergrettung Imst').check();
			await page.getByRole('button', { name: 'Rückmeldung speichern' }).click();
			await expect(page.getByRole('status')).toContainText('Danke! Ihre Rückmeldung ist gespeichert.');
			await expect(page.getByRole('status')).not.toContainText('Die gewählten Vereine erhalten');
			await expect(page.getByRole('group', { name: 'Bei welchen Vereinen möchten Sie mitmachen oder schnuppern?' }).getByLabel('Bergrettung Imst')).toBeChecked();

			// The club's own form.
			const clubLink = feedbackLinkFrom(await waitForSubject(TAFEL_EMAIL, REQUEST_SUBJECT, before));
			// axe needs scripts: the scans run in a second page with JavaScript.
			await scripted.goto(clubLink);
			await expectNoAxeViolations(scripted, 'feedback form (club)');
			await page.goto(clubLink);
			await expect(page.getByRole('heading', { level: 1, name: `Rückmeldung von Tarrenzer Tafel zu „${EVENT}“` })).toBeVisible();
			await page.getByLabel('Wie viele Gespräche hat Ihr Verein ungefähr geführt?').fill('viele');
			await page.getByLabel('Wie viele neue Freiwillige haben Sie bisher gewonnen?').fill('1');
			await page.getByLabel('Was sollten wir beim nächsten Mal ändern? (freiwillig)').fill('Mehr Stühle');
			await page.getByRole('button', { name: 'Rückmeldung speichern' }).click();
			await expect(page.getByRole('alert')).toContainText('Bitte geben Sie eine ganze Zahl von 0 bis 9999 ein.');
			await expect(page.getByLabel('Was sollten wir beim nächsten Mal ändern? (freiwillig)')).toHaveValue('Mehr Stühle');
			await page.getByLabel('Wie viele Gespräche hat Ihr Verein ungefähr geführt?').fill('14');
			await page.getByRole('button', { name: 'Rückmeldung speichern' }).click();
			await expect(page.getByRole('status')).toContainText('Danke! Ihre Rückmeldung ist gespeichert.');
			await expect(page.getByLabel('Wie viele Gespräche hat Ihr Verein ungefähr geführt?')).toHaveValue('14');

			// Two weeks later the same link shows a read-only page.
			withServices(`await db.updateTable('feedback').set({ editable_until: new Date(now.getTime() - 60_000).toISOString() }).where('event_id', '=', input.eventId).execute(); return true;`, { eventId: setup.eventId });
			await page.goto(feedbackLinkFrom(personMail));
			await expect(page.getByRole('heading', { name: 'Die Rückmeldung ist abgeschlossen' })).toBeVisible();
			await expect(page.getByRole('button', { name: 'Rückmeldung speichern' })).toHaveCount(0);
			await scripted.goto(feedbackLinkFrom(personMail));
			await expectNoAxeViolations(scripted, 'feedback closed');

			const forged = feedbackLinkFrom(personMail).replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
			const response = await page.goto(forged);
			expect(response?.status()).toBe(404);
			await expect(page.getByText('Dieser Rückmeldelink ist ungültig.')).toBeVisible();
		} finally {
			await context.close();
		}
	});

	test('the coordinator reads the free text of the date, withheld for few people, and hides an entry for good', async ({ page }) => {
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto(`/de/admin/events/${setup.eventId}`);
		await page.getByRole('link', { name: 'Rückmeldungen', exact: true }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Rückmeldungen' })).toBeVisible();
		// Two people answered: fewer than the reports' threshold, so their words stay unseen.
		await expect(page.getByText('2 Personen haben geantwortet.')).toBeVisible();
		await expect(page.getByText('Freitexte erscheinen erst ab 5 Antworten')).toBeVisible();
		await expect(page.getByText('Gute Gespräche!')).toHaveCount(0);
		// Clubs are not private people: the Tafel's suggestion is shown, and exported.
		await expect(page.getByText('Ein Verein hat geantwortet.')).toBeVisible();
		const entry = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Tarrenzer Tafel' }) });
		await expect(entry).toContainText('Mehr Stühle');
		await expectNoAxeViolations(page, 'feedback for coordinators');
		const csvUrl = `/de/admin/events/${setup.eventId}/feedback/feedback.csv`;
		expect(await (await page.request.get(csvUrl)).text()).toContain('Mehr Stühle');

		await entry.getByRole('button', { name: 'Ausblenden' }).click();
		await expect(page.getByRole('status')).toHaveText('Der Freitext ist ausgeblendet.');
		await expect(page.getByText('Mehr Stühle')).toHaveCount(0);
		await expect(page.getByText('Ein Freitext ist ausgeblendet.')).toBeVisible();
		await page.reload();
		await expect(page.getByText('Mehr Stühle')).toHaveCount(0);
		const csv = await page.request.get(csvUrl);
		expect(csv.headers()['content-type']).toContain('text/csv');
		expect(await csv.text()).not.toContain('Mehr Stühle');

		// The hiding is in the coordinator's activity list; another municipality's coordinator gets nothing.
		await page.goto('/de/admin');
		await expect(page.getByText('hat einen Freitext einer Rückmeldung ausgeblendet').first()).toBeVisible();
	});

	test('the feedback screen is closed to anonymous visitors and club members', async ({ page, request }) => {
		const anonymous = await request.get(`/de/admin/events/${setup.eventId}/feedback`, { maxRedirects: 0 });
		expect(anonymous.status()).toBe(303);
		await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
		expect((await page.goto(`/de/admin/events/${setup.eventId}/feedback`))?.status()).toBe(403);
		expect((await page.request.get(`/de/admin/events/${setup.eventId}/feedback/feedback.csv`)).status()).toBe(403);
		const hidden = await page.request.post(`/de/admin/events/${setup.eventId}/feedback?/hide`, { form: { feedbackId: 'x' }, headers: { origin: ORIGIN } });
		expect(hidden.status()).toBe(403);
	});
});
