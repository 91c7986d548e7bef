import { expect, test } from '@playwright/test';

// Issue 17: public pages that a shared cache may keep, compressed, and answered with 304 when unchanged.
test.describe('public pages over HTTP', () => {
	test('carry no cookie, come compressed and answer 304 to a matching ETag', async ({ request }) => {
		for (const path of ['/de', '/de/clubs', '/en/einsaetze']) {
			const response = await request.get(path, { headers: { 'accept-encoding': 'br, gzip' } });
			expect(response.status(), path).toBe(200);
			expect(response.headers()['set-cookie'], path).toBeUndefined();
			expect(response.headers()['content-encoding'], path).toBe('br');
			expect(response.headers()['vary'], path).toContain('Accept-Encoding');
			expect(await response.text(), path).toContain('<html');
			const etag = response.headers()['etag'];
			expect(etag, path).toMatch(/^W\/".+"$/);
			const again = await request.get(path, { headers: { 'if-none-match': etag! } });
			// Within the same second the render is reused, so the tag still matches.
			expect([200, 304], path).toContain(again.status());
			if (again.status() === 200) expect(again.headers()['etag']).not.toBe(etag);
		}
		const gzip = await request.get('/de', { headers: { 'accept-encoding': 'gzip' } });
		expect(gzip.headers()['content-encoding']).toBe('gzip');
	});

	test('the language switch remembers the choice; unprefixed pages follow it', async ({ request }) => {
		const page = await request.get('/en/clubs');
		expect(page.headers()['set-cookie']).toBeUndefined();
		const moved = await request.get(`/en/language?to=${encodeURIComponent('/clubs?language=tr')}`, { maxRedirects: 0 });
		expect(moved.status()).toBe(303);
		expect(moved.headers()['location']).toBe('/en/clubs?language=tr');
		expect(moved.headers()['set-cookie']).toContain('PARAGLIDE_LOCALE=en');
		const home = await request.get('/', { headers: { 'sec-fetch-dest': 'document' }, maxRedirects: 0 });
		expect(home.status()).toBe(307);
		expect(home.headers()['location']).toBe('/en');
		// Only addresses on this site.
		const away = await request.get(`/de/language?to=${encodeURIComponent('//evil.example/')}`, { maxRedirects: 0 });
		expect(away.headers()['location']).toBe('/de');
	});
});
