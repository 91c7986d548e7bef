import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { connect, type Dialect } from './db/connect';
import { migrateToLatest } from './db/migrate';
import type { Database } from './db/schema';
import { env } from './env';
import { generateId } from './ids';
import { createLoginToken, signInUrl } from './auth/login-token';
import { findUserByEmail } from './auth/users';
import { DEMO_COORDINATOR_EMAIL, seedDemo } from './demo';
import { startConfiguredWorker, type Worker } from './mail/loop';
import { configuredTransport, type MailTransport } from './mail/transport';
import { createScheduledJobs } from './scheduled-jobs';
import { startScheduledBackups, type ScheduledBackups } from './ops/schedule';
import { startPlanRunner, type PlanRunner } from './matching/runner';

interface Runtime {
	db: Kysely<Database>;
	dialect: Dialect;
	transport: MailTransport;
}

let runtime: Runtime | undefined;
let planRunner: PlanRunner | undefined;
let secret: string | undefined;

/**
 * APP_SECRET, or for a single instance a random key kept in DATA_DIR (several instances must share
 * one APP_SECRET, or their manage links would differ).
 */
export function appSecret(): string {
	if (secret) return secret;
	const config = env();
	if (config.appSecret) return (secret = config.appSecret);
	const file = path.join(config.dataDir, 'app-secret');
	if (!fs.existsSync(file)) {
		fs.mkdirSync(config.dataDir, { recursive: true });
		fs.writeFileSync(file, generateId() + generateId(), { mode: 0o600, flag: 'wx' });
	}
	return (secret = fs.readFileSync(file, 'utf8').trim());
}

/** Origin and key for links in participants' emails. */
export function links() {
	return { origin: env().origin, secret: appSecret(), confirmHours: env().registrationConfirmHours };
}
let starting: Promise<Runtime> | undefined;

/** Starts a queued matching job now, when this process runs jobs (else the worker's runner finds it within a second). */
export function wakePlanner(): void {
	planRunner?.wake();
}

/** The process's database. Available once `start()` has run (the server's init hook awaits it). */
export function db(): Kysely<Database> {
	if (!runtime) throw new Error('runtime not started');
	return runtime.db;
}

export function start(): Promise<Runtime> {
	starting ??= boot();
	return starting;
}

async function boot(): Promise<Runtime> {
	const config = env();
	const { db, dialect } = connect({ databaseUrl: config.databaseUrl, sqlitePath: config.databasePath, backgroundCheckpoints: true });
	const results = await migrateToLatest(db);
	for (const r of results) console.log(`[db] migration ${r.migrationName}: ${r.status}`);
	console.log(`[db] ${dialect === 'postgres' ? 'PostgreSQL' : `SQLite at ${config.databasePath}`} ready`);

	if (config.seedDemo) {
		const now = new Date();
		if (await seedDemo(db, now, config.origin, appSecret())) console.log('[demo] seeded demo municipalities Imst and Tarrenz');
		const coordinator = await findUserByEmail(db, DEMO_COORDINATOR_EMAIL);
		if (coordinator) {
			const token = await createLoginToken(db, coordinator.id, now);
			console.log(`[demo] sign in as the demo coordinator (${DEMO_COORDINATOR_EMAIL}), valid 15 minutes:`);
			console.log(`[demo]   ${signInUrl(config.origin, token)}`);
		}
	}

	const transport = configuredTransport(config);
	console.log(`[mail] delivering via ${transport.describe}`);
	if (dialect === 'postgres' && !config.appSecret) {
		console.warn('[config] APP_SECRET is not set: every instance must use the same one for manage links');
	}
	appSecret();
	runtime = { db, dialect, transport };
	const worker = config.workerEnabled
		? startConfiguredWorker(config, { db, transport, owner: config.workerId, afterPass: createScheduledJobs(db, links) })
		: undefined;
	// Backups belong with the worker: one process of an installation runs it, or all of them (then
	// each window's backup is claimed by one, see ops/schedule.ts).
	const backups = config.workerEnabled ? startScheduledBackups(db, config) : undefined;
	// Matching jobs too: a process without the worker leaves them to the one that has it.
	planRunner = config.workerEnabled
		? startPlanRunner({ db, connection: { databaseUrl: config.databaseUrl, sqlitePath: config.databasePath }, owner: config.workerId })
		: undefined;
	stopOnShutdown(runtime, worker, backups);
	return runtime;
}

/**
 * SIGTERM or SIGINT stop the worker at once: mail in flight is finished, claimed mail released.
 * adapter-node handles both signals too: it closes the HTTP server, emits `sveltekit:shutdown` and
 * leaves the process to end once nothing is open any more (it never calls process.exit), so the
 * SMTP pool and the database (the pg pool would hold the process) are closed then. Where nobody
 * else handles the signal (`vite dev` has no SIGINT handler), it is raised again once the worker
 * has stopped, so it still ends the process.
 */
function stopOnShutdown({ db, transport }: Runtime, worker: Worker | undefined, backups: ScheduledBackups | undefined) {
	if (worker) stopOnSignals(worker);
	process.once('sveltekit:shutdown', () => {
		backups?.stop();
		void (async () => {
			await planRunner?.stop();
			await worker?.stop();
			transport.close();
			await db.destroy();
		})();
	});
}

function stopOnSignals(worker: Worker) {
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		process.once(signal, () => {
			const isHandledElsewhere = process.listenerCount(signal) > 0;
			void worker.stop().then(() => {
				if (!isHandledElsewhere) process.kill(process.pid, signal);
			});
		});
	}
}
