// What an operator sees (issue 18): /metrics, the JSON request log, /healthz with the mail state, and
// the session cookie over https — on the built app as a process, on SQLite and PostgreSQL; and the
// mail health rules against a real outbox.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mailHealth, recordAttempt, recordReachable, STUCK_AFTER_MS } from '../../src/lib/server/mail/health';
import * as outbox from '../../src/lib/server/mail/outbox';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { reminder } from './mail-fixtures';
import { freePort, startApp, type AppProcess } from './processes';

const PUBLIC_ORIGIN = 'https://miteinander.example';
const METRICS_TOKEN = 'metrics-token-for-the-tests-0123456789';

/** Prometheus' text format, parsed: `name{labels}` → value. */
async function scrape(app: AppProcess): Promise<Map<string, number>> {
	const response = await fetch(`${app.origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
	const samples = new Map<string, number>();
	for (const line of (await response.text()).split('\n')) {
		if (!line || line.startsWith('#')) continue;
		const match = /^([a-zA-Z_:][\w:]*(?:\{.*\})?) (\S+)$/.exec(line);
		expect(match, `a valid sample line: ${line}`).not.toBeNull();
		samples.set(match![1]!, match![2] === '+Inf' ? Infinity : Number(match![2]));
	}
	return samples;
}

/** The JSON request lines the app printed so far. */
function requestLines(app: AppProcess): Record<string, unknown>[] {
	return app
		.output()
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.map((line) => JSON.parse(line) as Record<string, unknown>)
		.filter((line) => line.msg === 'request');
}

async function waitFor<T>(read: () => Promise<T>, isDone: (value: T) => boolean, what: string): Promise<T> {
	for (let tries = 0; tries < 300; tries++) {
		const value = await read();
		if (isDone(value)) return value;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`never happened: ${what}`);
}

async function firstOpenEvent(app: AppProcess): Promise<string> {
	const home = await (await fetch(`${app.origin}/de`)).text();
	const id = /href="\/de\/events\/([a-z2-7]{24})"/.exec(home)?.[1];
	if (!id) throw new Error('no event on the home page');
	return id;
}

describe.each(dialects)('the running app on %s: metrics, request log, health, cookies', (dialect) => {
	let database: TestDatabase;
	let app: AppProcess;
	let dataDir: string;

	beforeAll(async () => {
		database = await createTestDatabase(dialect, false);
		dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-ops-'));
		// An SMTP server that is not there: mail waits, and the health shows it.
		const closedPort = await freePort();
		app = await startApp({
			ORIGIN: PUBLIC_ORIGIN,
			DATA_DIR: dataDir,
			DATABASE_URL: database.settings.databaseUrl ?? '',
			DATABASE_PATH: database.settings.sqlitePath,
			SMTP_URL: `smtp://127.0.0.1:${closedPort}`,
			METRICS_TOKEN,
			LOG_REQUESTS: 'true'
		});
	});
	afterAll(async () => {
		await app?.stop();
		await database?.destroy();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it(`/metrics wants the bearer token on ${dialect}`, async () => {
		expect((await fetch(`${app.origin}/metrics`)).status).toBe(401);
		const wrong = await fetch(`${app.origin}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all-0000000' } });
		expect(wrong.status).toBe(401);
		expect(wrong.headers.get('www-authenticate')).toContain('Bearer');
		const samples = await scrape(app);
		expect(samples.get('miteinander_database_up')).toBe(1);
	});

	it(`counts a registration, its request by route id and the mail it queued, on ${dialect}`, async () => {
		const eventId = await firstOpenEvent(app);
		const before = await scrape(app);
		const email = `metrics-${dialect}@example.org`;
		const response = await fetch(`${app.origin}/de/events/${eventId}?/register`, {
			method: 'POST',
			headers: { origin: PUBLIC_ORIGIN, 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': `itest-register-${dialect}` },
			body: new URLSearchParams({ name: 'Mira Metrik', email, residency: 'resident', languages: 'de', consentPrivacy: 'on' })
		});
		expect(((await response.json()) as { type: string }).type).toBe('success');
		expect(response.headers.get('x-request-id')).toBe(`itest-register-${dialect}`);

		const after = await scrape(app);
		const requested = 'miteinander_registrations_total{outcome="requested"}';
		expect(after.get(requested)).toBe((before.get(requested) ?? 0) + 1);
		const posts = 'miteinander_http_request_duration_seconds_count{route="/events/[id]",method="POST",status="2xx"}';
		expect(after.get(posts)).toBe((before.get(posts) ?? 0) + 1);
		// The confirmation mail cannot go out (no SMTP server): it waits in the outbox.
		expect(after.get('miteinander_outbox_messages{status="queued"}')! + after.get('miteinander_outbox_messages{status="sending"}')!).toBeGreaterThanOrEqual(1);
		expect(after.has('miteinander_outbox_messages{status="failed"}')).toBe(true);
		expect(after.has('miteinander_outbox_oldest_queued_seconds')).toBe(true);
		expect([...after.keys()].some((key) => key.includes(eventId))).toBe(false);

		// One JSON line for it, with the route id, and nothing of the person in the whole log.
		const line = await waitFor(async () => requestLines(app).find((l) => l.requestId === `itest-register-${dialect}`), Boolean, 'the request line');
		expect(line).toMatchObject({ method: 'POST', route: '/events/[id]', status: 200, level: 'info' });
		expect(typeof line!.durationMs).toBe('number');
		expect(app.output()).not.toContain(email);
	});

	it(`logs the route id of a manage link, never its token, on ${dialect}`, async () => {
		const token = 'abcdefghijklmnopqrstuvwx.abcdefghijklmnopqrstuvwx';
		const response = await fetch(`${app.origin}/de/manage/${token}?secret=yes`, { headers: { accept: 'text/html', 'x-request-id': `itest-manage-${dialect}` } });
		expect(response.status).toBe(404);
		const line = await waitFor(async () => requestLines(app).find((l) => l.requestId === `itest-manage-${dialect}`), Boolean, 'the request line');
		expect(line).toMatchObject({ method: 'GET', route: '/manage/[token]', status: 404 });
		expect(app.output()).not.toContain('abcdefghijklmnopqrstuvwx');
		expect(app.output()).not.toContain('secret=yes');
	});

	it(`/healthz stays 200 with the mail server away and says so, on ${dialect}`, async () => {
		const health = await waitFor(
			async () => {
				const response = await fetch(`${app.origin}/healthz`);
				return { status: response.status, body: (await response.json()) as { status: string; database: string; smtp: Record<string, unknown> } };
			},
			(h) => h.body.smtp.problem === 'unreachable',
			'the worker to find the SMTP server away'
		);
		expect(health.status).toBe(200);
		expect(health.body).toMatchObject({ status: 'ok', database: 'reachable', smtp: { status: 'failing', problem: 'unreachable' } });
		// The confirmation mail waits (or is held by the worker that is checking the server again).
		expect(Number(health.body.smtp.queued) + Number(health.body.smtp.sending)).toBeGreaterThanOrEqual(1);
		expect(health.body.smtp.lastAttempt).toMatchObject({ outcome: 'unreachable' });
		expect(String((health.body.smtp.lastAttempt as { error: string }).error)).toMatch(/ECONNREFUSED|connect/i);
	});

	it(`sets the session cookie Secure when ORIGIN is https, on ${dialect}`, async () => {
		const link = /https:\/\/miteinander\.example\/sign-in\/link\?token=(\S+)/.exec(app.output());
		expect(link).not.toBeNull();
		const response = await fetch(`${app.origin}/sign-in/link`, {
			method: 'POST',
			headers: { origin: PUBLIC_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ token: link![1]! }),
			redirect: 'manual'
		});
		const cookie = response.headers.get('set-cookie') ?? '';
		expect(cookie).toMatch(/^session=/);
		expect(cookie).toMatch(/;\s*Secure/i);
		expect(cookie).toMatch(/;\s*HttpOnly/i);
	});
});

describe('the running app without METRICS_TOKEN', () => {
	let app: AppProcess;
	let dataDir: string;
	beforeAll(async () => {
		dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-ops-'));
		app = await startApp({ DATA_DIR: dataDir, DATABASE_URL: '', WORKER_ENABLED: 'false' });
	});
	afterAll(async () => {
		await app?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it('answers /metrics with 404 and logs no request lines unless asked to (LOG_REQUESTS)', async () => {
		const response = await fetch(`${app.origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
		expect(response.status).toBe(404);
		expect((await fetch(`${app.origin}/de/clubs`)).status).toBe(200);
		expect(requestLines(app)).toEqual([]);
	});
});

describe.each(dialects)('mail health on %s', (dialect) => {
	let test: TestDatabase;
	const t0 = new Date('2027-05-01T07:00:00.000Z');
	beforeEach(async () => {
		test = await createTestDatabase(dialect);
		recordReachable();
	});
	afterEach(async () => {
		recordReachable();
		await test.destroy();
	});

	it(`is ok with an empty outbox and with mail that only just became due, on ${dialect}`, async () => {
		expect(await mailHealth(test.db, t0)).toMatchObject({ status: 'ok', problem: null, queued: 0, sending: 0, failed: 0, oldestQueuedSeconds: 0, oldestDueAt: null });
		await outbox.enqueue(test.db, reminder('soon', 'a@example.org'), t0);
		await outbox.enqueue(test.db, { ...reminder('later', 'b@example.org'), sendAt: new Date(t0.getTime() + 3600_000) }, t0);
		const health = await mailHealth(test.db, new Date(t0.getTime() + 60_000));
		expect(health).toMatchObject({ status: 'ok', queued: 2, oldestQueuedSeconds: 60 });
		expect(health.oldestDueAt?.toISOString()).toBe(t0.toISOString());
	});

	it(`is failing when due mail has waited too long (no worker sending), on ${dialect}`, async () => {
		await outbox.enqueue(test.db, reminder('stuck', 'a@example.org'), t0);
		const late = new Date(t0.getTime() + STUCK_AFTER_MS + 1000);
		expect(await mailHealth(test.db, late)).toMatchObject({ status: 'failing', problem: 'stuck', queued: 1 });
	});

	it(`is failing while the worker finds the server away, and ok again once it answers, on ${dialect}`, async () => {
		recordAttempt('unreachable', t0, 'connect ECONNREFUSED 127.0.0.1:587 for anna@example.org');
		const away = await mailHealth(test.db, t0);
		expect(away).toMatchObject({ status: 'failing', problem: 'unreachable', unreachableSince: t0 });
		expect(away.lastAttempt?.error).toBe('connect ECONNREFUSED 127.0.0.1:587 for <email>');
		recordReachable();
		expect(await mailHealth(test.db, t0)).toMatchObject({ status: 'ok', problem: null });
		// A refused message is the message's problem, not the server's.
		recordAttempt('refused', t0, '550 no such user');
		expect(await mailHealth(test.db, t0)).toMatchObject({ status: 'ok', lastAttempt: { outcome: 'refused', error: '550 no such user' } });
	});
});
