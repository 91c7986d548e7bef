import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { connect, type Dialect } from './db/connect';
import { migrateToLatest } from './db/migrate';
import type { Database } from './db/schema';
import { env } from './env';
import { generateId } from './ids';
import { createLoginToken, deleteStaleLoginTokens, signInUrl } from './auth/login-token';
import { deleteExpiredSessions } from './auth/session';
import { findUserByEmail } from './auth/users';
import { DEMO_COORDINATOR_EMAIL, seedDemo } from './demo';
import { deliverBacklog } from './mail/worker';
import { fileTransport, smtpTransport, type MailTransport } from './mail/transport';
import * as feedback from './feedback';
import * as rateLimit from './rate-limit';
import * as registrations from './registrations';
import * as retention from './retention';

interface Runtime {
	db: Kysely<Database>;
	dialect: Dialect;
	transport: MailTransport;
}

let runtime: Runtime | undefined;
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
	const { db, dialect } = connect({ databaseUrl: config.databaseUrl, sqlitePath: config.databasePath });
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

	const transport = config.smtpUrl
		? smtpTransport(config.smtpUrl, { poolSize: config.mailPoolSize })
		: fileTransport(path.join(config.dataDir, 'mail'));
	console.log(`[mail] delivering via ${transport.describe}`);
	if (dialect === 'postgres' && !config.appSecret) {
		console.warn('[config] APP_SECRET is not set: every instance must use the same one for manage links');
	}
	appSecret();
	runtime = { db, dialect, transport };
	if (config.workerEnabled) stopOnShutdown(startWorker(runtime), transport);
	return runtime;
}

const HOUSEKEEPING_EVERY_MS = 60 * 60 * 1000;
/** Feedback requests, reminders and thanks are due on the scale of hours: look every few minutes. */
const FEEDBACK_EVERY_MS = 5 * 60 * 1000;

interface Worker {
	/** Sends no further mail, waits for the messages in flight, and releases the rest. */
	stop(): Promise<void>;
}

function startWorker({ db, transport }: Runtime): Worker {
	const config = env();
	const owner = `worker-${generateId()}`;
	const stopping = new AbortController();
	let lastHousekeeping = 0;
	let lastFeedback = 0;
	let timer: NodeJS.Timeout | undefined;
	let running = Promise.resolve();

	const tick = async () => {
		const now = new Date();
		try {
			await deliverBacklog(db, {
				transport,
				from: config.mailFrom,
				owner,
				maxAttempts: config.mailMaxAttempts,
				batchSize: config.mailBatchSize,
				signal: stopping.signal,
				clock: () => new Date()
			});
			if (stopping.signal.aborted) return;
			if (now.getTime() - lastHousekeeping > HOUSEKEEPING_EVERY_MS) {
				lastHousekeeping = now.getTime();
				await deleteExpiredSessions(db, now);
				await deleteStaleLoginTokens(db, now);
				await rateLimit.deleteOldHits(db, new Date(now.getTime() - 24 * 60 * 60 * 1000));
				const erased = await retention.apply(db, links(), now);
				if (erased > 0) console.log(`[retention] erased personal data of ${erased} people`);
			}
			await registrations.expirePending(db, now);
			if (now.getTime() - lastFeedback > FEEDBACK_EVERY_MS) {
				lastFeedback = now.getTime();
				const done = await feedback.runDue(db, links(), now);
				if (done.requested + done.reminded + done.thanked > 0) console.log(`[feedback] requested ${done.requested}, reminded ${done.reminded}, thanked ${done.thanked}`);
			}
		} catch (error) {
			// A database outage must not kill the loop; the next tick tries again.
			console.error('[worker] tick failed:', error instanceof Error ? error.message : error);
		}
		if (!stopping.signal.aborted) timer = setTimeout(run, config.workerIntervalMs).unref();
	};
	const run = () => {
		running = tick();
	};
	timer = setTimeout(run, 0).unref();
	return {
		async stop() {
			stopping.abort();
			clearTimeout(timer);
			await running;
		}
	};
}

/**
 * SIGTERM or SIGINT stop the worker at once: mail in flight is finished, claimed mail released.
 * adapter-node handles both signals too: it closes the HTTP server, emits `sveltekit:shutdown` and
 * leaves the process to end once nothing is open any more (it never calls process.exit), so the
 * SMTP pool is closed then. Where nobody else handles the signal (`vite dev` has no SIGINT
 * handler), it is raised again once the worker has stopped, so it still ends the process.
 */
function stopOnShutdown(worker: Worker, transport: MailTransport) {
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		process.once(signal, () => {
			const isHandledElsewhere = process.listenerCount(signal) > 0;
			void worker.stop().then(() => {
				if (!isHandledElsewhere) process.kill(process.pid, signal);
			});
		});
	}
	process.once('sveltekit:shutdown', () => {
		void worker.stop().then(() => transport.close());
	});
}
