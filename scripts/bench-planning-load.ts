// What residents notice while a coordinator plans a regional market: the production build with its
// worker on one SQLite file, a seeded market of `people` × `clubs` (tests/fixtures/large-market.ts),
// and autocannon on that event's public page, first with nothing else going on (the baseline), then
// for as long as a matching job runs on the same instance. Part of `npm run bench:matching`; also
// runs on its own: `npx tsx scripts/bench-planning-load.ts [people] [clubs]`.
// Environment: BENCH_CONNECTIONS (10), BENCH_SECONDS (5, the baseline).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { connect } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { generateId } from '../src/lib/server/ids';
import { seedLargeMarket } from '../tests/fixtures/large-market';
import { buildIfStale } from './build-if-stale.js';
import { waitForUrl } from './wait-for-url';

const root = path.resolve(import.meta.dirname, '..');

type Latency = { requests: number; perSecond: number; p50Ms: number; p99Ms: number; maxMs: number; non2xx: number; errors: number };

function figures(result: autocannon.Result): Latency {
	return {
		requests: result.requests.total,
		perSecond: Math.round(result.requests.average),
		p50Ms: result.latency.p50,
		p99Ms: result.latency.p99,
		maxMs: result.latency.max,
		non2xx: result.non2xx,
		errors: result.errors
	};
}

/** Load on `url` until `until` resolves (or `seconds` pass). */
function loadUntil(url: string, connections: number, until: Promise<unknown> | number): Promise<autocannon.Result> {
	return new Promise((resolve, reject) => {
		const duration = typeof until === 'number' ? until : 3600;
		const instance = autocannon({ url, connections, duration }, (error, result) => (error ? reject(error) : resolve(result)));
		if (typeof until !== 'number') void until.finally(() => instance.stop());
	});
}

export async function measurePlanningLoad(size: { people: number; clubs: number }) {
	const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
	const seconds = Number(process.env.BENCH_SECONDS ?? 5);
	buildIfStale();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-bench-planning-'));
	const database = path.join(dataDir, 'app.sqlite');
	const port = 4900 + Math.floor(Math.random() * 90);
	const origin = `http://127.0.0.1:${port}`;
	const { db } = connect({ sqlitePath: database });
	await migrateToLatest(db);
	const market = await seedLargeMarket(db, { ...size, name: 'Bench' }, new Date());

	const server = spawn(process.execPath, ['build'], {
		cwd: root,
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, DATA_DIR: dataDir, DATABASE_URL: '', DATABASE_PATH: database, SEED_DEMO: 'false', WORKER_ENABLED: 'true', APP_SECRET: 'bench-secret' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	try {
		await waitForUrl(`${origin}/healthz`, { tries: 150, server });
		const page = `${origin}/de/events/${market.eventId}`;
		await loadUntil(page, connections, 2); // warm-up: JIT, caches
		const baseline = figures(await loadUntil(page, connections, seconds));

		// A coordinator asks for a plan: the job the matching page queues, picked up by the app's runner.
		const jobId = generateId();
		await db
			.insertInto('match_job')
			.values({ id: jobId, event_id: market.eventId, active_event_id: market.eventId, mode: 'fresh', status: 'queued', requested_by: market.coordinator.id, requested_at: new Date().toISOString() })
			.execute();
		const jobRow = () => db.selectFrom('match_job').select(['status', 'started_at', 'finished_at']).where('id', '=', jobId).executeTakeFirstOrThrow();
		const poll = async (done: (status: string) => boolean) => {
			for (;;) {
				const row = await jobRow();
				if (done(row.status)) return row;
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
		};
		await poll((status) => status !== 'queued');
		const finished = poll((status) => status !== 'running');
		const during = figures(await loadUntil(page, connections, finished));
		const row = await finished;
		const planMs = new Date(row.finished_at as string).getTime() - new Date(row.started_at as string).getTime();
		return {
			people: size.people,
			clubs: size.clubs,
			connections,
			job: { status: row.status, planMs },
			eventPage: { baseline, duringPlanning: during, p99Ratio: Math.round((during.p99Ms / Math.max(1, baseline.p99Ms)) * 100) / 100 }
		};
	} finally {
		server.kill('SIGTERM');
		await new Promise((resolve) => server.once('exit', resolve));
		await db.destroy();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const [people = '10000', clubs = '500'] = process.argv.slice(2);
	console.log(JSON.stringify(await measurePlanningLoad({ people: Number(people), clubs: Number(clubs) }), null, 2));
}
