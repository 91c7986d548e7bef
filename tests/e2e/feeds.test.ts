import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import ICAL from 'ical.js';
import { expectNoAxeViolations, ORIGIN } from './helpers';

// Seeded demo data: a series co-hosted by Imst and Tarrenz (18:00 Europe/Vienna), a single round in
// Tarrenz and a market in Imst.
const SERIES_TITLE = 'Gesprächsrunde Ehrenamt Imst–Tarrenz';
const WEBCAL_ORIGIN = ORIGIN.replace(/^https?:/, 'webcal:');

function parse(text: string) {
	const vevents = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
	return {
		uids: vevents.map((v) => String(v.getFirstPropertyValue('uid'))),
		titles: vevents.map((v) => String(v.getFirstPropertyValue('summary'))),
		byUid: new Map(vevents.map((v) => [String(v.getFirstPropertyValue('uid')), v]))
	};
}

async function fetchFeed(request: APIRequestContext, url: string) {
	const response = await request.get(url);
	expect(response.status(), url).toBe(200);
	expect(response.headers()['content-type']).toBe('text/calendar; charset=utf-8');
	return { etag: response.headers()['etag']!, ...parse(await response.text()) };
}

/** Opens the first date of the demo series from the home page; returns its event id. */
async function openSeriesDate(page: Page, locale: 'de' | 'en'): Promise<string> {
	await page.goto(`/${locale}/`);
	await page.getByRole('link', { name: SERIES_TITLE }).first().click();
	await expect(page).toHaveURL(new RegExp(`/${locale}/events/[a-z2-7]+$`));
	return /\/events\/([a-z2-7]+)$/.exec(page.url())![1]!;
}

test.describe('calendar feeds', () => {
	test('the home page offers the region feed, and the municipality feed when filtered by one', async ({ page, request }) => {
		await page.goto('/de/');
		await expect(page.getByRole('heading', { level: 2, name: 'Termine abonnieren' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Alle Termine abonnieren (Region Imst)' })).toHaveAttribute(
			'href',
			`${WEBCAL_ORIGIN}/calendar/region.ics`
		);
		await expect(page.getByLabel('Kalenderadresse „Region Imst“ zum Kopieren')).toHaveValue(`${ORIGIN}/calendar/region.ics`);
		await expect(page.getByRole('link', { name: /^Termine in .* abonnieren$/ })).toHaveCount(0);
		await expectNoAxeViolations(page, 'home with the region feed (de)');

		await page.getByLabel('Gemeinde').selectOption({ label: 'Tarrenz' });
		await page.getByRole('button', { name: 'Anzeigen' }).click();
		await expect(page).toHaveURL(/municipality=tarrenz/);
		await expect(page.getByRole('link', { name: 'Termine in Tarrenz abonnieren' })).toHaveAttribute(
			'href',
			`${WEBCAL_ORIGIN}/calendar/municipalities/tarrenz.ics`
		);
		const address = page.getByLabel('Kalenderadresse „Tarrenz“ zum Kopieren');
		await expect(address).toHaveValue(`${ORIGIN}/calendar/municipalities/tarrenz.ics`);
		await expect(address).toHaveAttribute('readonly', '');
		await expectNoAxeViolations(page, 'home filtered by Tarrenz (de)');

		// Co-hosted series and Tarrenz's own round; not Imst's market.
		const tarrenz = await fetchFeed(request, `${ORIGIN}/calendar/municipalities/tarrenz.ics`);
		expect(tarrenz.titles).toContain(SERIES_TITLE);
		expect(tarrenz.titles).toContain('Ankommen in Tarrenz – Gesprächsrunde für Neuzugezogene');
		expect(tarrenz.titles).not.toContain('Markt der Möglichkeiten Imst');
		const region = await fetchFeed(request, `${ORIGIN}/calendar/region.ics`);
		expect(region.titles).toContain('Markt der Möglichkeiten Imst');
		expect((await request.get(`${ORIGIN}/calendar/municipalities/nirgendwo.ics`)).status()).toBe(404);

		await page.goto('/en/?municipality=tarrenz');
		await expect(page.getByRole('heading', { level: 2, name: 'Subscribe to dates' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Subscribe to all dates (Region Imst)' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Subscribe to dates in Tarrenz' })).toBeVisible();
		await expectNoAxeViolations(page, 'home filtered by Tarrenz (en)');
	});

	test('a date of a series offers the series feed, which carries its UID and answers 304 while unchanged', async ({ page, request }) => {
		const eventId = await openSeriesDate(page, 'de');
		await expect(page.getByRole('heading', { level: 2, name: 'Reihe abonnieren' })).toBeVisible();
		const webcal = await page.getByRole('link', { name: 'Im Kalender abonnieren', exact: true }).getAttribute('href');
		expect(webcal).toMatch(new RegExp(`^${WEBCAL_ORIGIN}/calendar/series/[a-z2-7]+\\.ics$`));
		const https = `${ORIGIN}${webcal!.slice(WEBCAL_ORIGIN.length)}`;
		await expect(page.getByLabel('Kalenderadresse zum Kopieren')).toHaveValue(https);
		await expectNoAxeViolations(page, 'series date with the feed (de)');

		// The same UID as the event's own .ics download and the emailed invites.
		const download = await request.get(`${ORIGIN}/de/events/${eventId}/calendar.ics`);
		const [uid] = parse(await download.text()).uids;
		expect(uid).toBe(`${eventId}@127.0.0.1`);

		const feed = await fetchFeed(request, https);
		expect(feed.uids).toContain(uid);
		expect(new Set(feed.titles)).toEqual(new Set([SERIES_TITLE]));
		const start = feed.byUid.get(uid!)!.getFirstProperty('dtstart')!;
		expect(start.getParameter('tzid')).toBe('Europe/Vienna');
		expect(String(start.getFirstValue())).toMatch(/T18:00:00$/);
		expect(feed.etag).toMatch(/^W\/"[0-9a-f]+"$/);

		const again = await request.get(https, { headers: { 'If-None-Match': feed.etag } });
		expect(again.status()).toBe(304);
		expect(again.headers()['etag']).toBe(feed.etag);
		expect(again.headers()['cache-control']).toMatch(/^public, max-age=\d+$/);
		const stale = await request.get(https, { headers: { 'If-None-Match': 'W/"00000000"' } });
		expect(stale.status()).toBe(200);
		expect(parse(await stale.text()).uids).toEqual(feed.uids);
		expect((await fetchFeed(request, `${ORIGIN}/calendar/region.ics`)).uids).toContain(uid);
		expect((await request.get(`${ORIGIN}/calendar/series/nosuchseries.ics`)).status()).toBe(404);

		await openSeriesDate(page, 'en');
		await expect(page.getByRole('heading', { level: 2, name: 'Subscribe to the series' })).toBeVisible();
		await expect(page.getByLabel('Calendar address to copy')).toHaveValue(https);
		await expectNoAxeViolations(page, 'series date with the feed (en)');
	});

	test('a single date offers no series feed', async ({ page }) => {
		await page.goto('/de/');
		await page.getByRole('link', { name: 'Markt der Möglichkeiten Imst' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Markt der Möglichkeiten Imst' })).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Reihe abonnieren' })).toHaveCount(0);
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });

		test('the subscribe links are plain links and addresses', async ({ page }) => {
			await openSeriesDate(page, 'de');
			await expect(page.getByRole('link', { name: 'Im Kalender abonnieren', exact: true })).toHaveAttribute('href', /^webcal:\/\//);
			await expect(page.getByLabel('Kalenderadresse zum Kopieren')).toHaveValue(new RegExp(`^${ORIGIN.replaceAll('.', '\\.')}/calendar/series/`));
		});
	});
});
