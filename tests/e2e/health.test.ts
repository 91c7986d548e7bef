import { expect, test } from '@playwright/test';

test('/healthz reports ok with a reachable database', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toContain('application/json');
	expect(await response.json()).toEqual({ status: 'ok', database: 'reachable' });
});

test('responses carry the security headers', async ({ request }) => {
	const response = await request.get('/de/');
	expect(response.status()).toBe(200);
	expect(response.headers()).toMatchObject({
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'same-origin',
		'x-frame-options': 'SAMEORIGIN'
	});
});
