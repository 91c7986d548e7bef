// `npm run bench:web`: the public event page and the registration POST of the production build,
// side by side in one run with a bare node:http + better-sqlite3 server doing the same work
// (scripts/bench-web-bare.js). autocannon, 50 connections; registrations are counted in the
// databases, not by status code. Prints JSON: both figures, their ratio, p50 and p99.
// Environment: BENCH_SECONDS (10 per measurement), BENCH_CONNECTIONS (50).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { connect } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import * as events from '../src/lib/server/events';
import * as municipalities from '../src/lib/server/municipalities';
import { ensureUser } from '../src/lib/server/auth/users';
import { buildIfStale } from './build-if-stale.js';
import { waitForUrl } from './wait-for-url';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const root = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-bench-web-'));
const appDatabase = path.join(dataDir, 'app.sqlite');
const bareDatabase = path.join(dataDir, 'bare.sqlite');
const appPort = 4800 + Math.floor(Math.random() * 100);
const barePort = appPort + 100;
const appOrigin = `http://127.0.0.1:${appPort}`;

// Always the current sources: a stale build would measure yesterday's code.
buildIfStale();

// One published market far enough ahead, with room for every registration of the run.
const { db } = connect({ sqlitePath: appDatabase });
await migrateToLatest(db);
const now = new Date();
const host = await municipalities.create(db, { name: 'Bench', country: 'AT', timeZone: 'Europe/Vienna' }, now);
const actor = await ensureUser(db, { email: 'bench@example.org', name: 'Bench' }, now);
const created = await events.create(
	db,
	{
		kind: 'market', title: 'Markt der Möglichkeiten', description: 'Vereine stellen sich vor.', hostIds: [host.id], venueId: null,
		capacity: 10_000_000, timeZone: 'Europe/Vienna', durationMinutes: 240, status: 'published', registrationOpensDaysBefore: null,
		registrationClosesHoursBefore: null, firstStartLocal: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 16), rrule: null
	},
	actor.id, appOrigin, now
);
if (!created.ok) throw new Error('could not create the benchmark event');
const eventId = created.eventIds[0]!;
await db.destroy();

const children: ChildProcess[] = [
	// BENCH_CPU_PROF=<dir> writes a CPU profile of the app (open it in Chrome's DevTools).
	spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), 'build'], {
		cwd: root,
		env: {
			...process.env, PORT: String(appPort), HOST: '127.0.0.1', ORIGIN: appOrigin, DATA_DIR: dataDir, DATABASE_URL: '',
			DATABASE_PATH: appDatabase, SEED_DEMO: 'false', WORKER_ENABLED: 'false', APP_SECRET: 'bench-secret',
			REGISTRATION_LIMIT_PER_IP: '1000000000'
		},
		stdio: ['ignore', 'ignore', 'inherit']
	}),
	spawn(process.execPath, [path.join(root, 'scripts/bench-web-bare.js'), String(barePort), appDatabase, bareDatabase], { stdio: ['ignore', 'ignore', 'inherit'] })
];

interface Load {
	perSecond: number;
	p50Ms: number;
	p99Ms: number;
	non2xx: number;
	errors: number;
}

async function load(options: autocannon.Options): Promise<Load> {
	const result = await autocannon({ connections, duration: seconds, ...options });
	return {
		perSecond: Math.round(result.requests.average),
		p50Ms: result.latency.p50,
		p99Ms: result.latency.p99,
		non2xx: result.non2xx,
		errors: result.errors
	};
}

const form = (i: number, prefix: string) =>
	new URLSearchParams({ name: `Person ${i}`, email: `${prefix}${i}@example.org`, residency: 'resident', consentPrivacy: 'on', languages: 'de' }).toString();

/** Registrations per second as counted in the database afterwards. */
function registrationsPerSecond(loaded: Load, counted: number): Load & { counted: number } {
	return { ...loaded, perSecond: Math.round(counted / seconds), counted };
}

const ratio = (app: number, bare: number) => Math.round((app / bare) * 1000) / 1000;

try {
	await Promise.all([waitForUrl(`${appOrigin}/healthz`, { tries: 150 }), waitForUrl(`http://127.0.0.1:${barePort}/events/${eventId}`, { tries: 150 })]);
	const appPage = `${appOrigin}/de/events/${eventId}`;
	const barePage = `http://127.0.0.1:${barePort}/events/${eventId}`;
	// Warm both up (JIT, caches), then measure one after the other.
	await load({ url: barePage, duration: 2 });
	await load({ url: appPage, duration: 2 });
	const pageBare = await load({ url: barePage });
	const pageApp = await load({ url: appPage });

	let bareCount = 0;
	let appCount = 0;
	const postHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
	const registerBare = await load({
		url: `${barePage}/register`,
		requests: [{ method: 'POST', headers: postHeaders, setupRequest: (request) => ({ ...request, body: form(bareCount++, 'bare') }) }]
	});
	const registerApp = await load({
		url: `${appPage}?/register`,
		requests: [
			{
				method: 'POST',
				headers: { ...postHeaders, origin: appOrigin, accept: 'application/json', 'x-sveltekit-action': 'true' },
				setupRequest: (request) => ({ ...request, body: form(appCount++, 'app') })
			}
		]
	});
	const appRows = new SQLite(appDatabase, { readonly: true }).prepare('SELECT count(*) AS n FROM registration WHERE event_id = ?').get(eventId) as { n: number };
	const bareRows = new SQLite(bareDatabase, { readonly: true }).prepare('SELECT count(*) AS n FROM registration').get() as { n: number };
	const registrationBare = registrationsPerSecond(registerBare, bareRows.n);
	const registrationApp = registrationsPerSecond(registerApp, appRows.n);

	console.log(
		JSON.stringify(
			{
				connections,
				secondsPerMeasurement: seconds,
				eventPage: { bare: pageBare, app: pageApp, ratio: ratio(pageApp.perSecond, pageBare.perSecond) },
				registration: { bare: registrationBare, app: registrationApp, ratio: ratio(registrationApp.perSecond, registrationBare.perSecond) }
			},
			null,
			2
		)
	);
} finally {
	for (const child of children) child.kill();
	fs.rmSync(dataDir, { recursive: true, force: true });
}
