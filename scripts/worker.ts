// `npm run worker`: the outbox worker and the scheduled jobs as a process of their own, for
// installations that run the app with WORKER_ENABLED=false. Reads the same environment as the app
// (WORKER_ID names its claims: keep it stable across restarts, unique among running workers).
// SIGTERM or SIGINT: finishes the messages in flight, gives the rest of its claims back, closes
// SMTP and the database, exits 0.
import { existsSync } from 'node:fs';
import { connect } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { env } from '../src/lib/server/env';
import { startConfiguredWorker } from '../src/lib/server/mail/loop';
import { configuredTransport } from '../src/lib/server/mail/transport';
import { startPlanRunner } from '../src/lib/server/matching/runner';
import { startScheduledBackups } from '../src/lib/server/ops/schedule';
import { links } from '../src/lib/server/runtime';
import { createScheduledJobs } from '../src/lib/server/scheduled-jobs';

if (existsSync('.env')) process.loadEnvFile('.env');
const config = env();
const { db, dialect } = connect({ databaseUrl: config.databaseUrl, sqlitePath: config.databasePath });
await migrateToLatest(db);
const transport = configuredTransport(config);
console.log(`[worker] ${dialect}, delivering via ${transport.describe}`);

const worker = startConfiguredWorker(config, {
	db,
	transport,
	owner: config.standaloneWorkerId,
	afterPass: createScheduledJobs(db, links),
	keepsProcessAlive: true
});
const backups = startScheduledBackups(db, config);
const planner = startPlanRunner({ db, connection: { databaseUrl: config.databaseUrl, sqlitePath: config.databasePath }, owner: config.standaloneWorkerId });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	process.once(signal, () => {
		console.log(`[worker] ${signal}: finishing the messages in flight, releasing the rest`);
		backups?.stop();
		void (async () => {
			await planner.stop();
			await worker.stop();
			transport.close();
			await db.destroy();
			console.log('[worker] stopped');
			process.exit(0);
		})();
	});
}
