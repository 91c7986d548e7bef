// The whole resident journey in each of the six languages: find an event, register, confirm,
// manage, give feedback — every page in that language, scanned by axe. Arabic runs at phone width,
// checks that the layout is mirrored and keeps a screenshot of each page (test-results/).
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { deleteEventWithPeople, expectNoAxeViolations, mailsTo, ORIGIN, snapshotMail, waitForNewMail, withServices, type WrittenMail } from './helpers';

const { locales } = JSON.parse(readFileSync(new URL('../../project.inlang/settings.json', import.meta.url), 'utf8')) as { locales: string[] };
const messages = new Map(locales.map((l) => [l, JSON.parse(readFileSync(new URL(`../../messages/${l}.json`, import.meta.url), 'utf8')) as Record<string, unknown>]));
/** A plain message's text in `locale`, its parameters filled in. */
function t(locale: string, key: string, params: Record<string, string> = {}): string {
	const value = messages.get(locale)![key];
	expect(typeof value, `${key} is a plain message`).toBe('string');
	return (value as string).replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
}

const EVENT = 'Markt der Möglichkeiten Imst';
const PAST_EVENT = 'Rückblick-Markt der Sprachen';
const PHONE = { width: 390, height: 844 };
/** SCREENSHOT_DIR=docs/screenshots/issue-16 also copies the Arabic screenshots there (then pngquant them). */
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const person = (locale: string) => ({ name: `Journey ${locale.toUpperCase()}`, email: `journey.${locale}@example.org`, locale });

/** A market that ended two days ago, attended by one person per language: their feedback requests go out. */
function setUpPastMarket(): { eventId: string } {
	return withServices<{ eventId: string }>(
		`const { generateId, sha256Hex } = await import('./src/lib/server/ids');
		const { manageSecret } = await import('./src/lib/server/registrations/links');
		const feedback = await import('./src/lib/server/feedback');
		const fs = await import('node:fs');
		const secret = fs.readFileSync('.e2e-data/app-secret', 'utf8').trim();
		const endsAt = new Date(now.getTime() - 2 * 86_400_000);
		const startsAt = new Date(endsAt.getTime() - 3 * 3600_000);
		const imst = await db.selectFrom('municipality').select('id').where('slug', '=', 'imst').executeTakeFirstOrThrow();
		const eventId = generateId();
		await db.insertInto('event').values({ id: eventId, series_id: null, kind: 'market', title: input.title, description: '', starts_at: startsAt.toISOString(), ends_at: endsAt.toISOString(), time_zone: 'Europe/Vienna', venue_id: null, capacity: 30, confirmed_count: input.people.length, status: 'published', registration_opens_at: null, registration_closes_at: null, ical_uid: eventId + '@e2e', stall_booking_open: 0, created_at: startsAt.toISOString(), updated_at: startsAt.toISOString() }).execute();
		await db.insertInto('event_host').values({ event_id: eventId, municipality_id: imst.id }).execute();
		for (const person of input.people) {
			const personId = generateId();
			const registrationId = generateId();
			await db.insertInto('person').values({ id: personId, email: person.email, name: person.name, locale: person.locale, profile: '{}', consent_introductions: 0, created_at: startsAt.toISOString(), updated_at: startsAt.toISOString() }).execute();
			await db.insertInto('registration').values({ id: registrationId, event_id: eventId, person_id: personId, status: 'attended', waitlist_position: null, submitted_profile: null, manage_secret_hash: sha256Hex(manageSecret(secret, registrationId)), confirm_secret_hash: null, confirm_expires_at: null, created_at: startsAt.toISOString(), updated_at: startsAt.toISOString(), confirmed_at: startsAt.toISOString(), cancelled_at: null, checked_in_at: startsAt.toISOString() }).execute();
		}
		await feedback.requestDue(db, { origin: '${ORIGIN}', secret, confirmHours: 48 }, now);
		return { eventId };`,
		{ title: PAST_EVENT, people: locales.map((l) => ({ ...person(l), email: `feedback.${l}@example.org` })) }
	);
}

function linkIn(mail: WrittenMail, pattern: RegExp): string {
	const match = pattern.exec(mail.parsed.text ?? '');
	expect(match, `link ${pattern} in ${mail.file}`).not.toBeNull();
	return match![0];
}

/** The page speaks `locale`, in its direction, and passes axe; in Arabic a screenshot is kept. */
async function checkPage(page: Page, locale: string, label: string, testInfo: TestInfo) {
	await expect(page.locator('html')).toHaveAttribute('lang', locale);
	await expect(page.locator('html')).toHaveAttribute('dir', locale === 'ar' ? 'rtl' : 'ltr');
	await expectNoAxeViolations(page, `${label} (${locale})`);
	if (locale !== 'ar') return;
	expect(await page.getByRole('main').evaluate((el) => getComputedStyle(el).direction), `${label}: main runs rtl`).toBe('rtl');
	// Mirrored: the heading ends at the content's right edge, the site name sits at the right.
	const main = (await page.getByRole('main').boundingBox())!;
	const heading = (await page.getByRole('heading', { level: 1 }).first().boundingBox())!;
	expect(main.x + main.width - (heading.x + heading.width), `${label}: heading starts at the right`).toBeLessThan(24);
	const brand = (await page.getByRole('banner').getByRole('link', { name: /Miteinander/ }).first().boundingBox())!;
	expect(brand.x, `${label}: site name on the right`).toBeGreaterThan(PHONE.width / 2);
	// Nothing runs off the side of a phone.
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
	const file = testInfo.outputPath(`ar-${label.replaceAll(' ', '-')}.png`);
	await page.screenshot({ path: file, fullPage: true });
	await testInfo.attach(`ar ${label}`, { path: file, contentType: 'image/png' });
	if (SCREENSHOT_DIR) copyFileSync(file, path.join(SCREENSHOT_DIR, path.basename(file)));
}

/** Outside German, the page's heading and main button are not the German ones (no German UI left over). */
async function expectNotGerman(page: Page, locale: string, headingKey: string, buttonKey?: string, params: Record<string, string> = {}) {
	if (locale === 'de') return;
	expect(t(locale, headingKey, params), `${headingKey} translated into ${locale}`).not.toBe(t('de', headingKey, params));
	await expect(page.getByRole('heading', { level: 1 }).first()).not.toHaveText(t('de', headingKey, params));
	if (!buttonKey) return;
	expect(t(locale, buttonKey), `${buttonKey} translated into ${locale}`).not.toBe(t('de', buttonKey));
	await expect(page.getByRole('button', { name: t('de', buttonKey), exact: true })).toHaveCount(0);
}

test.describe.serial('the resident journey in every language', () => {
	let pastEventId = '';
	test.beforeAll(() => {
		pastEventId = setUpPastMarket().eventId;
	});
	test.afterAll(() => {
		deleteEventWithPeople(pastEventId);
	});

	for (const locale of locales) {
		test(`in ${locale}: find, register, confirm, manage, give feedback`, async ({ browser }, testInfo) => {
			const context = await browser.newContext(locale === 'ar' ? { viewport: PHONE, isMobile: true, hasTouch: true } : {});
			const page = await context.newPage();
			const { name, email } = person(locale);

			// Find the event.
			await page.goto(`/${locale}`);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(t(locale, 'home_title'));
			await expectNotGerman(page, locale, 'home_title');
			await checkPage(page, locale, 'home', testInfo);
			await page.getByRole('link', { name: EVENT }).first().click();
			await expect(page).toHaveURL(new RegExp(`/${locale}/events/[a-z2-7]{24}$`));
			await expect(page.getByRole('heading', { level: 1, name: EVENT })).toBeVisible();
			await checkPage(page, locale, 'event page', testInfo);
			// The organiser's German text keeps its own direction (and its full stop at the end) in every page.
			expect(await page.locator('.description p').first().evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('plaintext');

			// Register.
			await expect(page.getByRole('button', { name: t(locale, 'register_submit') })).toBeVisible();
			if (locale !== 'de') await expect(page.getByRole('button', { name: t('de', 'register_submit'), exact: true })).toHaveCount(0);
			if (locale === 'ar') {
				// Labels and fields line up on the right: the label's right edge meets the field's.
				const label = (await page.locator('label', { hasText: t(locale, 'field_name') }).first().boundingBox())!;
				const input = (await page.getByLabel(t(locale, 'field_name')).boundingBox())!;
				expect(Math.abs(label.x + label.width - (input.x + input.width)), 'name label ends where its field ends').toBeLessThan(24);
				expect(label.x, 'name label starts right of the field\'s left edge').toBeGreaterThan(input.x);
			}
			await page.getByLabel(t(locale, 'field_name')).fill(name);
			await page.getByLabel(t(locale, 'field_email')).fill(email);
			await page.getByLabel(t(locale, 'field_consent_privacy')).check();
			let before = await snapshotMail();
			await page.getByRole('button', { name: t(locale, 'register_submit') }).click();
			await expect(page.getByRole('heading', { name: t(locale, 'register_sent_title') })).toBeVisible();
			await checkPage(page, locale, 'registration sent', testInfo);
			const request = await waitForNewMail(email, before);
			expect(request.parsed.subject).toBe(t(locale, 'email_confirm_request_subject', { title: EVENT }));

			// Confirm.
			await page.goto(linkIn(request, new RegExp(`https?://\\S+/${locale}/confirm/\\S+`)));
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(t(locale, 'confirm_title'));
			await expectNotGerman(page, locale, 'confirm_title', 'confirm_submit');
			await checkPage(page, locale, 'confirm', testInfo);
			before = await snapshotMail();
			await page.getByRole('button', { name: t(locale, 'confirm_submit') }).click();
			const confirmed = await waitForNewMail(email, before);
			expect(confirmed.parsed.subject).toBe(t(locale, 'email_confirmed_subject', { title: EVENT }));
			expect(confirmed.parsed.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);
			await expect(page.getByRole('status')).toHaveText(t(locale, 'confirm_confirmed'));
			await checkPage(page, locale, 'confirmed', testInfo);

			// Manage: the check-in code is there for the door.
			await page.goto(linkIn(confirmed, new RegExp(`https?://\\S+/${locale}/manage/[a-z2-7]{24}\\.[a-z2-7]{24}`)));
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(t(locale, 'manage_title'));
			// The page says the registration is confirmed, in this language.
			const status = page.locator('dt', { hasText: t(locale, 'manage_status') }).locator('xpath=following-sibling::dd[1]');
			await expect(status).toHaveText(t(locale, 'status_confirmed'));
			await expect(page.getByRole('img', { name: t(locale, 'manage_check_in_alt', { title: EVENT }) })).toBeVisible();
			// The mail language chosen is the one registered in, named in itself.
			const ownName = new Intl.DisplayNames([locale], { type: 'language' }).of(locale)!;
			await expect(page.getByRole('radio', { name: new RegExp(`^${ownName}$`, 'i') })).toBeChecked();
			await expectNotGerman(page, locale, 'manage_title');
			await checkPage(page, locale, 'manage', testInfo);

			// Feedback after the (past) market, from the emailed request.
			const feedbackEmail = `feedback.${locale}@example.org`;
			const subject = t(locale, 'feedback_email_subject', { title: PAST_EVENT });
			await expect.poll(async () => (await mailsTo(feedbackEmail)).some((mail) => mail.parsed.subject === subject), { timeout: 15_000 }).toBe(true);
			const feedbackMail = (await mailsTo(feedbackEmail)).find((mail) => mail.parsed.subject === subject)!;
			await page.goto(linkIn(feedbackMail, new RegExp(`https?://\\S+/${locale}/feedback/[a-z2-7]{24}\\.[a-z2-7]{24}`)));
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(t(locale, 'feedback_title', { title: PAST_EVENT }));
			await expectNotGerman(page, locale, 'feedback_title', 'feedback_submit', { title: PAST_EVENT });
			await checkPage(page, locale, 'feedback', testInfo);
			await page.getByLabel(t(locale, 'feedback_usefulness_4')).check();
			await page.getByRole('button', { name: t(locale, 'feedback_submit') }).click();
			const saved = (messages.get(locale)!.feedback_saved as string).split('{until}')[0]!;
			await expect(page.getByRole('status')).toContainText(saved.slice(0, 20));
			await checkPage(page, locale, 'feedback saved', testInfo);
			await context.close();
		});
	}
});
