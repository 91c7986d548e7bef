import type { Db } from '../db/schema';
import type { Env } from '../env';
import { recordAttempt, recordReachable } from './health';
import { takeBackClaims } from './outbox';
import type { MailTransport } from './transport';
import { deliverBacklog } from './worker';

export interface WorkerOptions {
	db: Db;
	transport: MailTransport;
	from: string;
	/** WORKER_ID: stable across restarts of this process, different from every other running one. */
	owner: string;
	maxAttempts: number;
	batchSize: number;
	leaseMs: number;
	heartbeatMs: number;
	/** How often the loop looks for due mail (and runs `afterPass`). */
	intervalMs: number;
	/** The first pause after the SMTP server could not be reached; each failed check doubles it, up to 60 times. */
	outagePauseMs: number;
	/** Further scheduled work after each mail pass, e.g. the app's housekeeping and feedback jobs. */
	afterPass?: (now: Date) => Promise<void>;
	/** Let the loop's timer keep the process alive (the standalone worker); the app's HTTP server does that itself. */
	keepsProcessAlive?: boolean;
}

export interface Worker {
	/** Sends no further mail, waits for the messages in flight, and releases the rest. */
	stop(): Promise<void>;
}

interface Outage {
	since: number;
	pauseMs: number;
	resumesAt: number;
}

/**
 * The outbox worker: at start it takes back the claims its previous life left (same owner), then
 * drains due mail every `intervalMs`. When the SMTP server cannot be reached it sends nothing and
 * checks the server with backoff instead, so an outage costs no message an attempt.
 */
export function startWorker(options: WorkerOptions): Worker {
	const { db, transport, owner } = options;
	const stopping = new AbortController();
	let hasTakenBack = false;
	let outage: Outage | undefined;
	let timer: NodeJS.Timeout | undefined;
	let running = Promise.resolve();

	const deliver = async () => {
		if (!hasTakenBack) {
			const count = await takeBackClaims(db, owner);
			hasTakenBack = true;
			console.log(`[mail] worker ${owner} started; took back ${count} claims of its previous run`);
		}
		if (outage) {
			if (performance.now() < outage.resumesAt) return;
			try {
				await transport.verify();
			} catch {
				outage.pauseMs = Math.min(outage.pauseMs * 2, options.outagePauseMs * 60);
				outage.resumesAt = performance.now() + outage.pauseMs;
				return;
			}
			recordReachable();
			console.log(`[mail] SMTP server reachable again after ${Math.round((performance.now() - outage.since) / 1000)} s; resuming`);
			outage = undefined;
		}
		const report = await deliverBacklog(db, {
			transport,
			from: options.from,
			owner,
			maxAttempts: options.maxAttempts,
			batchSize: options.batchSize,
			leaseMs: options.leaseMs,
			heartbeatMs: options.heartbeatMs,
			signal: stopping.signal,
			clock: () => new Date()
		});
		if (report.unreachable !== undefined) {
			const now = performance.now();
			outage = { since: now, pauseMs: options.outagePauseMs, resumesAt: now + options.outagePauseMs };
			recordAttempt('unreachable', new Date(), report.unreachable);
			console.warn(`[mail] SMTP server unreachable (${report.unreachable}); mail waits without spending attempts, checking again with backoff`);
		}
	};

	const tick = async () => {
		try {
			await deliver();
			if (!stopping.signal.aborted) await options.afterPass?.(new Date());
		} catch (error) {
			// A database outage must not kill the loop; the next tick tries again.
			console.error('[worker] tick failed:', error instanceof Error ? error.message : error);
		}
		if (stopping.signal.aborted) return;
		const untilResume = outage ? Math.max(0, outage.resumesAt - performance.now()) : Infinity;
		timer = setTimeout(run, Math.min(options.intervalMs, untilResume));
		if (!options.keepsProcessAlive) timer.unref();
	};
	const run = () => {
		running = tick();
	};
	timer = setTimeout(run, 0);
	if (!options.keepsProcessAlive) timer.unref();
	return {
		async stop() {
			stopping.abort();
			clearTimeout(timer);
			await running;
		}
	};
}

/** The worker with the environment's settings, as the app and `npm run worker` start it. */
export function startConfiguredWorker(
	config: Env,
	options: Pick<WorkerOptions, 'db' | 'transport' | 'owner' | 'afterPass' | 'keepsProcessAlive'>
): Worker {
	return startWorker({
		from: config.mailFrom,
		maxAttempts: config.mailMaxAttempts,
		batchSize: config.mailBatchSize,
		leaseMs: config.mailLeaseMs,
		heartbeatMs: config.mailHeartbeatMs,
		intervalMs: config.workerIntervalMs,
		outagePauseMs: config.mailOutagePauseMs,
		...options
	});
}
