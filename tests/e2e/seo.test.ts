import { expect, test, type Page } from '@playwright/test';
import { deleteEventWithPeople, ORIGIN, withServices } from './helpers';

// What search engines and link previews read on the public pages: title, description, canonical
// URL, Open Graph, and schema.org JSON-LD checked against Google's rules for Event rich results.

type Ld = Record<string, unknown>;

/** The page's JSON-LD blocks, after hydration (a block rendered twice would show here). */
async function jsonLd(page: Page): Promise<Ld[]> {
	const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
	return blocks.map((text) => JSON.parse(text) as Ld);
}

async function expectMeta(page: Page, path: string): Promise<void> {
	await expect(page).toHaveTitle(/\S/);
	const description = await page.locator('meta[name="description"]').getAttribute('content');
	expect(description?.trim().length, 'meta description').toBeGreaterThan(20);
	expect(description!.length).toBeLessThanOrEqual(160);
	await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', `${ORIGIN}${path}`);
	for (const property of ['og:title', 'og:description', 'og:type', 'og:url', 'og:locale', 'og:site_name']) {
		const content = await page.locator(`meta[property="${property}"]`).getAttribute('content');
		expect(content?.trim(), property).toBeTruthy();
	}
	await expect(page.locator('meta[property="og:url"]')).toHaveAttribute('content', `${ORIGIN}${path}`);
	await expect(page.locator('meta[property="og:locale"]')).toHaveAttribute('content', 'de_AT');
	await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute('content', 'summary');
	// One of each: a head tag rendered by both the server and hydration would show up twice.
	await expect(page.locator('meta[name="description"]')).toHaveCount(1);
	await expect(page.locator('link[rel="canonical"]')).toHaveCount(1);
}

/** Google's Event rich result: name, startDate (with an offset) and a location with an address. */
function expectEvent(ld: Ld): void {
	expect(ld['@context']).toBe('https://schema.org');
	expect(ld['@type']).toBe('Event');
	expect(ld.name).toEqual(expect.any(String));
	expect(ld.startDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
	expect(ld.endDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
	expect(ld.location).toMatchObject({
		'@type': 'Place',
		name: expect.any(String),
		address: { '@type': 'PostalAddress', streetAddress: expect.any(String), postalCode: expect.any(String), addressLocality: expect.any(String), addressCountry: 'AT' }
	});
	const organizers = [ld.organizer].flat();
	expect(organizers.length).toBeGreaterThan(0);
	for (const organizer of organizers) expect(organizer).toMatchObject({ '@type': 'Organization', name: expect.any(String), url: expect.stringMatching(/^http/) });
	expect(ld.offers).toMatchObject({ '@type': 'Offer', price: 0, priceCurrency: 'EUR', availability: expect.stringMatching(/^https:\/\/schema\.org\//) });
}

test.describe('search engines and link previews', () => {
	test('home and club directory have meta tags and no structured data of their own', async ({ page }) => {
		for (const path of ['/de', '/de/clubs']) {
			await page.goto(path);
			await expectMeta(page, path);
			expect(await jsonLd(page)).toEqual([]);
		}
		// A filtered or later page of a listing points to the listing itself.
		await page.goto('/de/clubs?municipality=imst');
		await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', `${ORIGIN}/de/clubs`);
		// robots.txt is served (not a localized 404) and keeps the public pages open.
		const robots = await page.request.get('/robots.txt');
		expect(robots.status()).toBe(200);
		const rules = await robots.text();
		expect(rules).toContain('User-agent: *');
		expect(rules).not.toMatch(/^Disallow: \/(\s|$|\*\/(events|clubs))/m);
	});

	test('an event page describes the event with its date, place and organizer', async ({ page }) => {
		await page.goto('/de');
		const link = page.locator('ul.events h3 a[href*="/events/"]').first();
		const title = (await link.textContent())!.trim();
		const href = (await link.getAttribute('href'))!;
		await link.click();
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expectMeta(page, href);
		const blocks = await jsonLd(page);
		expect(blocks).toHaveLength(1);
		expectEvent(blocks[0]!);
		expect(blocks[0]!.name).toBe(title);
		expect(blocks[0]!.eventStatus).toBe('https://schema.org/EventScheduled');
		expect((blocks[0]!.offers as Ld).url).toBe(`${ORIGIN}${href}`);
		// Crawlers that run no JavaScript read the same block from the served HTML.
		const html = await (await page.request.get(href)).text();
		expect(html.match(/<script type="application\/ld\+json">/g)).toHaveLength(1);
		// English pages describe the same event in English and point to themselves.
		await page.goto(href.replace(/^\/de\//, '/en/'));
		await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', `${ORIGIN}${href.replace(/^\/de\//, '/en/')}`);
		await expect(page.locator('meta[property="og:locale"]')).toHaveAttribute('content', 'en_GB');
	});

	test('a cancelled, full event says so, and its title cannot break out of the script', async ({ page }) => {
		const title = 'Abend </script><script>window.hacked=1</script> & mehr';
		const eventId = withServices<string>(
			`const { generateId } = await import('./src/lib/server/ids');
			const imst = await db.selectFrom('municipality').select('id').where('slug', '=', 'imst').executeTakeFirstOrThrow();
			const venue = await db.selectFrom('venue').select('id').where('municipality_id', '=', imst.id).executeTakeFirstOrThrow();
			const startsAt = new Date(now.getTime() + 20 * 86_400_000);
			const eventId = generateId();
			await db.insertInto('event').values({ id: eventId, series_id: null, kind: 'round_table', title: input.title, description: 'Wir reden über das Ehrenamt.', starts_at: startsAt.toISOString(), ends_at: new Date(startsAt.getTime() + 2 * 3600_000).toISOString(), time_zone: 'Europe/Vienna', venue_id: venue.id, capacity: 2, confirmed_count: 2, status: 'cancelled', registration_opens_at: null, registration_closes_at: null, ical_uid: eventId + '@e2e', stall_booking_open: 0, created_at: now.toISOString(), updated_at: now.toISOString() }).execute();
			await db.insertInto('event_host').values({ event_id: eventId, municipality_id: imst.id }).execute();
			return eventId;`,
			{ title }
		);
		try {
			await page.goto(`/de/events/${eventId}`);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
			const blocks = await jsonLd(page);
			expect(blocks).toHaveLength(1);
			expectEvent(blocks[0]!);
			expect(blocks[0]!.name).toBe(title);
			expect(blocks[0]!.eventStatus).toBe('https://schema.org/EventCancelled');
			expect((blocks[0]!.offers as Ld).availability).toBe('https://schema.org/SoldOut');
			expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
			const html = await (await page.request.get(`/de/events/${eventId}`)).text();
			expect(html).not.toContain('<script>window.hacked');
		} finally {
			deleteEventWithPeople(eventId);
		}
	});

	test('a club page describes the club as an Organization', async ({ page }) => {
		await page.goto('/de/clubs');
		const link = page.getByRole('link', { name: 'Tarrenzer Tafel' });
		const href = (await link.getAttribute('href'))!;
		await link.click();
		await expect(page.getByRole('heading', { level: 1, name: 'Tarrenzer Tafel' })).toBeVisible();
		await expectMeta(page, href);
		const blocks = await jsonLd(page);
		expect(blocks).toHaveLength(1);
		expect(blocks[0]).toMatchObject({
			'@context': 'https://schema.org',
			'@type': 'Organization',
			name: 'Tarrenzer Tafel',
			url: `${ORIGIN}${href}`,
			address: { '@type': 'PostalAddress', addressLocality: 'Tarrenz', addressCountry: 'AT' }
		});
		// The club's own words describe it, in the search snippet as in the structured data.
		const words = 'Wir retten Lebensmittel vor dem Wegwerfen und geben sie jeden Donnerstag an Menschen mit wenig Geld weiter.';
		expect(blocks[0]!.description).toBe(words);
		await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', words);
	});
});
