import { expect, test } from '@playwright/test';

test('/healthz reports ok with a reachable database', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toContain('application/json');
	const body = await response.json();
	expect(body).toMatchObject({ status: 'ok', database: 'reachable' });
	// Mail goes to files here, which always works; the outbox backlog is shown either way.
	expect(body.smtp).toMatchObject({ status: 'ok', problem: null, sending: expect.any(Number), failed: expect.any(Number), queued: expect.any(Number) });
});

test('responses carry the security headers', async ({ request }) => {
	const response = await request.get('/de/');
	expect(response.status()).toBe(200);
	expect(response.headers()).toMatchObject({
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'same-origin',
		'x-frame-options': 'DENY'
	});
});
