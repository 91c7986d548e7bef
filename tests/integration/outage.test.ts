// A bad day for the built app: its PostgreSQL server stops for ten seconds under page and
// registration load, and SQLite stays locked by another writer. The process must live through it,
// answer 503 with Retry-After while the database is away, serve pages again at once when it is back,
// and hold every registration it accepted exactly once.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, startPrivatePostgres, type AppProcess, type PrivatePostgres } from './processes';

interface Answer {
	kind: 'page' | 'admin' | 'register';
	startedAt: number;
	endedAt: number;
	status: number;
	retryAfter: string | null;
	email?: string;
	accepted?: boolean;
}

function registrationBody(email: string): URLSearchParams {
	return new URLSearchParams({ name: 'Last Test', email, residency: 'resident', languages: 'de', consentPrivacy: 'on' });
}

async function firstOpenEvent(app: AppProcess): Promise<string> {
	const home = await (await fetch(`${app.origin}/de/`)).text();
	const id = /href="\/de\/events\/([a-z0-9]+)"/.exec(home)?.[1];
	if (!id) throw new Error('no event on the home page');
	return id;
}

/** Signs in as the demo coordinator with the link the app printed at start; returns the cookie. */
async function signInCookie(app: AppProcess): Promise<string> {
	const link = /https?:\/\/\S+\/sign-in\/link\?token=(\S+)/.exec(app.output());
	if (!link) throw new Error('no sign-in link in the output');
	const response = await fetch(link[0], {
		method: 'POST',
		headers: { origin: app.origin, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ token: link[1]! }),
		redirect: 'manual'
	});
	const cookie = /session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
	if (!cookie) throw new Error(`no session cookie (${response.status})`);
	return cookie;
}

/** Pages (one lane signed in), and registrations from `connections` loops at once until `signal` fires. */
async function load(app: AppProcess, eventId: string, connections: number, signal: AbortSignal): Promise<Answer[]> {
	const cookie = await signInCookie(app);
	const answers: Answer[] = [];
	let counter = 0;
	const loop = async (lane: number) => {
		while (!signal.aborted) {
			const startedAt = performance.now();
			if (lane === 0) {
				// The session is looked up in the hooks, before any page code runs.
				const response = await fetch(`${app.origin}/de/admin`, { headers: { accept: 'text/html', cookie }, redirect: 'manual' });
				await response.arrayBuffer();
				answers.push({ kind: 'admin', startedAt, endedAt: performance.now(), status: response.status, retryAfter: response.headers.get('retry-after') });
			} else if (lane % 2 === 0) {
				const response = await fetch(`${app.origin}/de/events/${eventId}`, { headers: { accept: 'text/html' } });
				await response.arrayBuffer();
				answers.push({ kind: 'page', startedAt, endedAt: performance.now(), status: response.status, retryAfter: response.headers.get('retry-after') });
			} else {
				const email = `last-${counter++}@example.org`;
				// As an enhanced form posts it: the answer is an action result in JSON.
				const response = await fetch(`${app.origin}/de/events/${eventId}?/register`, {
					method: 'POST',
					headers: { origin: app.origin, 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' },
					body: registrationBody(email)
				});
				const result = (await response.json()) as { type: string };
				answers.push({ kind: 'register', startedAt, endedAt: performance.now(), status: response.status, retryAfter: response.headers.get('retry-after'), email, accepted: result.type === 'success' });
			}
		}
	};
	await Promise.all(Array.from({ length: connections }, (_, lane) => loop(lane)));
	return answers;
}

describe('PostgreSQL stops for ten seconds under load', () => {
	let postgres: PrivatePostgres;
	let app: AppProcess;
	beforeAll(async () => {
		postgres = await startPrivatePostgres();
		app = await startApp({ DATABASE_URL: postgres.url, WORKER_ENABLED: 'true' });
	}, 120_000);
	afterAll(async () => {
		await app?.stop();
		postgres?.destroy();
	});

	it('refuses a NUL in an address or a form field with 400 (PostgreSQL cannot store it)', async () => {
		const eventId = await firstOpenEvent(app);
		expect((await fetch(`${app.origin}/de/events/${eventId}%00`)).status).toBe(400);
		expect((await fetch(`${app.origin}/de/clubs?q=a%00b`)).status).toBe(400);
		const body = registrationBody('nul@example.org');
		body.set('name', 'Null\0Byte');
		const response = await fetch(`${app.origin}/de/events/${eventId}?/register`, {
			method: 'POST',
			headers: { origin: app.origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body
		});
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('unvollständig oder beschädigt');
	});

	it('stays alive, answers 503 with Retry-After meanwhile, serves pages again at once and keeps every accepted registration once', async () => {
		const eventId = await firstOpenEvent(app);
		const stopLoad = new AbortController();
		const answers = load(app, eventId, 8, stopLoad.signal);
		await new Promise((r) => setTimeout(r, 1500));

		postgres.stop();
		const stoppedAt = performance.now();
		await new Promise((r) => setTimeout(r, 10_000));
		const restartingAt = performance.now();
		postgres.start();
		const backAt = performance.now();
		await new Promise((r) => setTimeout(r, 3000));
		stopLoad.abort();
		const all = await answers;
		const firstPageBack = all.filter((a) => a.kind === 'page' && a.startedAt > backAt && a.status === 200).sort((a, b) => a.endedAt - b.endedAt)[0];
		console.log(`[outage] ${all.length} answers, ${all.filter((a) => a.status === 503).length} × 503, first page 200 after ${Math.round((firstPageBack?.endedAt ?? NaN) - backAt)} ms of the database's return`);

		expect(app.child.exitCode).toBeNull();
		expect(app.child.signalCode).toBeNull();
		// Nothing but success or "come back later", before, during and after.
		expect(all.filter((a) => ![200, 503].includes(a.status)).map((a) => `${a.kind} ${a.status}`)).toEqual([]);
		const during = all.filter((a) => a.startedAt > stoppedAt && a.endedAt < restartingAt);
		expect(during.length).toBeGreaterThan(20);
		expect(during.filter((a) => a.status !== 503)).toEqual([]);
		expect(all.filter((a) => a.status === 503 && a.retryAfter === null)).toEqual([]);
		const afterReturn = all.filter((a) => a.startedAt > backAt + 1000);
		expect(afterReturn.filter((a) => a.kind === 'page').length).toBeGreaterThan(0);
		expect(during.filter((a) => a.kind === 'admin').length).toBeGreaterThan(0);
		expect(afterReturn.filter((a) => a.kind === 'admin').length).toBeGreaterThan(0);
		expect(afterReturn.filter((a) => a.status !== 200)).toEqual([]);
		expect(all.filter((a) => a.startedAt < stoppedAt && a.status === 200).length).toBeGreaterThan(0);

		// Every accepted registration is stored once; none that was refused left a half.
		const accepted = all.filter((a) => a.kind === 'register' && a.accepted).map((a) => a.email!);
		expect(accepted.length).toBeGreaterThan(0);
		const client = new pg.Client({ connectionString: postgres.url });
		await client.connect();
		try {
			const { rows } = await client.query<{ email: string; registrations: string }>(
				`select p.email, count(r.id) as registrations from person p left join registration r on r.person_id = p.id and r.event_id = $1 where p.email like 'last-%' group by p.email`,
				[eventId]
			);
			const stored = new Map(rows.map((r) => [r.email, Number(r.registrations)]));
			expect(accepted.filter((email) => stored.get(email) !== 1)).toEqual([]);
			expect(rows.filter((r) => Number(r.registrations) !== 1)).toEqual([]);
		} finally {
			await client.end();
		}
		expect(app.output()).not.toMatch(/Unhandled|uncaught/i);
		expect((await fetch(`${app.origin}/healthz`)).status).toBe(200);
	}, 90_000);
});

describe('SQLite held by another writer', () => {
	let dir: string;
	let app: AppProcess;
	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-busy-'));
		app = await startApp({ DATA_DIR: dir, DATABASE_URL: '', WORKER_ENABLED: 'false' });
	}, 120_000);
	afterAll(async () => {
		await app?.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('answers a post 503 with its entries to send again while the file is locked, and takes it afterwards', async () => {
		const eventId = await firstOpenEvent(app);
		const blocker = new Database(path.join(dir, 'miteinander.sqlite'));
		blocker.pragma('busy_timeout = 1000');
		blocker.exec('BEGIN IMMEDIATE'); // holds the write lock: the app's writers wait, then give up
		const post = () =>
			fetch(`${app.origin}/de/events/${eventId}?/register`, {
				method: 'POST',
				headers: { origin: app.origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
				body: registrationBody('gesperrt@example.org'),
				redirect: 'manual'
			});
		try {
			const refused = await post();
			expect(refused.status).toBe(503);
			expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
			const page = await refused.text();
			expect(page).toContain('Vorübergehend nicht erreichbar');
			// The entries come back as a form that sends them again to the same action.
			expect(page).toContain(`action="/de/events/${eventId}?/register"`);
			expect(page).toContain('name="email" value="gesperrt@example.org"');
			expect(page).toContain('Eingaben noch einmal senden');
			// Readers are not held up by a writer (WAL): the event page still answers.
			expect((await fetch(`${app.origin}/de/events/${eventId}`)).status).toBe(200);
		} finally {
			blocker.exec('ROLLBACK');
			blocker.close();
		}
		const accepted = await post();
		expect(accepted.status).toBe(200);
		expect(await accepted.text()).toContain('Fast geschafft!');
		expect(app.child.exitCode).toBeNull();
	}, 60_000);
});
