// `npm run bench:registration`: drives the built app over HTTP on 127.0.0.1 and prints JSON figures.
// SQLite by default; PostgreSQL when DATABASE_URL is set (a fresh schema is not created: use an
// empty database). Environment: BENCH_REGISTRATIONS (1000), BENCH_CAPACITY (100), BENCH_CONCURRENCY (50).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import * as events from '../src/lib/server/events';
import * as municipalities from '../src/lib/server/municipalities';
import { ensureUser } from '../src/lib/server/auth/users';
import { buildIfStale } from './build-if-stale.js';
import { waitForUrl } from './wait-for-url';

const total = Number(process.env.BENCH_REGISTRATIONS ?? 1000);
const capacity = Number(process.env.BENCH_CAPACITY ?? 100);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const pageRequests = Number(process.env.BENCH_PAGE_REQUESTS ?? 2000);
const port = 4300 + Math.floor(Math.random() * 500);
const origin = `http://127.0.0.1:${port}`;
const root = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-bench-'));
const settings = { databaseUrl: process.env.DATABASE_URL, sqlitePath: path.join(dataDir, 'bench.sqlite') };

// Always the current sources: a stale build would measure older code.
buildIfStale();

const { db, dialect } = connect(settings);
await migrateToLatest(db);
const now = new Date();
const host = await municipalities.create(db, { name: `Bench ${Date.now()}`, country: 'AT', timeZone: 'Europe/Vienna' }, now);
const actor = await ensureUser(db, { email: `bench-${Date.now()}@example.org`, name: 'Bench' }, now);
const created = await events.create(
	db,
	{
		kind: 'market', title: 'Benchmark-Markt', description: '', hostIds: [host.id], venueId: null, capacity,
		timeZone: 'Europe/Vienna', durationMinutes: 120, status: 'published', registrationOpensDaysBefore: null,
		registrationClosesHoursBefore: null, firstStartLocal: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 16), rrule: null
	},
	actor.id, origin, now
);
if (!created.ok) throw new Error('could not create the benchmark event');
const eventId = created.eventIds[0]!;

const server = spawn(process.execPath, ['build'], {
	cwd: root,
	env: {
		...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, DATA_DIR: dataDir,
		DATABASE_URL: settings.databaseUrl ?? '', DATABASE_PATH: settings.sqlitePath, SEED_DEMO: 'false',
		WORKER_ENABLED: 'false', APP_SECRET: 'bench-secret', REGISTRATION_LIMIT_PER_IP: '100000000'
	},
	stdio: ['ignore', 'ignore', 'inherit']
});

/** Runs `count` requests with `concurrency` in flight; returns per-second rate and latency percentiles. */
async function drive(count: number, request: (i: number) => Promise<Response>) {
	const latencies: number[] = [];
	let next = 0;
	let failures = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < count) {
				const i = next++;
				const t = performance.now();
				const response = await request(i);
				await response.arrayBuffer();
				if (!response.ok) failures++;
				latencies.push(performance.now() - t);
			}
		})
	);
	const seconds = (performance.now() - started) / 1000;
	latencies.sort((a, b) => a - b);
	const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]! * 10) / 10;
	return { requests: count, failures, perSecond: Math.round(count / seconds), p50Ms: pct(50), p99Ms: pct(99) };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const actionHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin, accept: 'application/json', 'x-sveltekit-action': 'true' };

try {
	await waitForUrl(`${origin}/healthz`, { tries: 100 });
	const eventPage = await drive(pageRequests, () => fetch(`${origin}/de/events/${eventId}`, { headers: { accept: 'text/html' } }));
	const registrationPosts = await drive(total, (i) =>
		fetch(`${origin}/de/events/${eventId}?/register`, {
			method: 'POST',
			headers: actionHeaders,
			body: form({ name: `Person ${i}`, email: `bench${i}@example.org`, residency: 'resident', consentPrivacy: 'on', languages: 'de' })
		})
	);
	const mails = await db.selectFrom('outbox').select('text_body').where('template', '=', 'registration-confirm-request').where('municipality_id', '=', host.id).execute();
	const tokens = mails.map((m) => /\/confirm\/([a-z2-7]{24}\.[a-z2-7]{24})/.exec(m.text_body)![1]!);
	const confirmations = await drive(tokens.length, (i) => fetch(`${origin}/de/confirm/${tokens[i]}`, { method: 'POST', headers: actionHeaders, body: '' }));

	const rows = await db.selectFrom('registration').select(['status', 'waitlist_position']).where('event_id', '=', eventId).execute();
	const waitlisted = rows.filter((r) => r.status === 'waitlisted').map((r) => r.waitlist_position!).sort((a, b) => a - b);
	const result = {
		database: dialect,
		concurrency,
		capacity,
		eventPage,
		registrationPosts,
		confirmations,
		final: {
			registrations: rows.length,
			confirmed: rows.filter((r) => r.status === 'confirmed').length,
			waitlisted: waitlisted.length,
			waitlistInOrder: waitlisted.every((p, i) => p === i + 1),
			confirmedEqualsCapacity: rows.filter((r) => r.status === 'confirmed').length === Math.min(capacity, total)
		}
	};
	console.log(JSON.stringify(result, null, 2));
	if (!result.final.confirmedEqualsCapacity || !result.final.waitlistInOrder) process.exitCode = 1;
} finally {
	server.kill();
	await db.destroy();
	fs.rmSync(dataDir, { recursive: true, force: true });
}
