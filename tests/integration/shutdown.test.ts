// SIGTERM, as a service manager or a container runtime sends it: the built app stops taking
// requests, finishes the ones in flight, returns the mail worker's claims and exits with 0.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/lib/server/db/connect';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { startApp, type AppProcess } from './processes';

/** Starts a registration POST and sends only the first half of its body. */
function startSlowPost(app: AppProcess, pathname: string, body: string) {
	const url = new URL(pathname, app.origin);
	const request = http.request(url, {
		method: 'POST',
		headers: {
			origin: app.origin,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			'content-length': Buffer.byteLength(body)
		}
	});
	const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
		request.on('response', (res) => {
			let text = '';
			res.on('data', (chunk) => (text += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
		});
		request.on('error', reject);
	});
	const half = Math.floor(body.length / 2);
	request.write(body.slice(0, half));
	return { finish: () => request.end(body.slice(half)), response };
}

describe.each(dialects)('SIGTERM on %s', (dialect) => {
	let test: TestDatabase;
	let dir: string;
	let app: AppProcess;
	beforeAll(async () => {
		test = await createTestDatabase(dialect, false);
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-shutdown-'));
		app = await startApp({
			DATA_DIR: dir,
			DATABASE_URL: test.settings.databaseUrl ?? '',
			DATABASE_PATH: test.settings.sqlitePath,
			WORKER_ENABLED: 'true',
			WORKER_INTERVAL_MS: '100'
		});
	}, 120_000);
	afterAll(async () => {
		await app?.stop();
		await test?.destroy();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('finishes the request in flight, takes no new one, leaves no mail claimed and exits 0', async () => {
		const home = await (await fetch(`${app.origin}/de/`)).text();
		const eventId = /href="\/de\/events\/([a-z0-9]+)"/.exec(home)![1]!;
		const body = new URLSearchParams({ name: 'Spät Dran', email: 'spaet@example.org', residency: 'resident', languages: 'de', consentPrivacy: 'on' }).toString();
		const inFlight = startSlowPost(app, `/de/events/${eventId}?/register`, body);
		await new Promise((r) => setTimeout(r, 200));

		app.child.kill('SIGTERM');
		await new Promise((r) => setTimeout(r, 300));
		await expect(fetch(`${app.origin}/healthz`)).rejects.toThrow();

		inFlight.finish();
		const answer = await inFlight.response;
		expect(answer.status).toBe(200);
		expect(answer.body).toContain('Fast geschafft!');
		expect(await app.exited).toBe(0);

		const { db } = connect(test.settings);
		try {
			const person = await db.selectFrom('person').select('id').where('email', '=', 'spaet@example.org').executeTakeFirst();
			expect(person).toBeDefined();
			const claimed = await db.selectFrom('outbox').select('id').where('status', '=', 'sending').execute();
			expect(claimed).toEqual([]);
		} finally {
			await db.destroy();
		}
	}, 60_000);
});

describe('start-up in production', () => {
	it('refuses to start without ORIGIN, saying so in one line', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-origin-'));
		try {
			const result = spawnSync(process.execPath, ['build/index.js'], {
				cwd: path.resolve(import.meta.dirname, '../..'),
				env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: '0', DATA_DIR: dir, SEED_DEMO: 'false' },
				encoding: 'utf8',
				timeout: 30_000
			});
			expect(result.status).toBe(1);
			expect(result.stderr.trim().split('\n')).toEqual([
				'[config] ORIGIN must be set when NODE_ENV=production (the public URL, e.g. ORIGIN=https://miteinander.example.at)'
			]);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
