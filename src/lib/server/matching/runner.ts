import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database, MatchJobStage } from '../db/schema';
import { countRun } from './index';
import { claimNext, endJob, releaseJob, reportProgress, type ClaimedJob } from './jobs';
import type { PlanThreadData, PlanThreadMessage } from './plan-thread';

// Runs queued matching jobs, one at a time, each in a worker thread (plan-thread.ts). It lives in
// whichever process runs the outbox worker (the app by default, or `npm run worker`), so any
// instance can plan. Every half second it writes the thread's progress and its own heartbeat to
// the job and reads whether a coordinator cancelled; a cancelled job's thread is terminated.

export interface PlanRunnerOptions {
	db: Kysely<Database>;
	/** For the thread's own connection to the same database. */
	connection: { databaseUrl?: string; sqlitePath: string };
	/** WORKER_ID: names this runner's claims. */
	owner: string;
	/** How often it looks for queued jobs when nobody wakes it. */
	pollMs?: number;
	/** How often it reports progress and checks for a cancel. */
	reportMs?: number;
}

export interface PlanRunner {
	/** Looks for a queued job now (the app calls this right after queueing one). */
	wake(): void;
	/** Stops: terminates a running thread and gives its job back to the queue. */
	stop(): Promise<void>;
}

const BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
	if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
	await import(workerData.entry);
})().catch((error) => setImmediate(() => { throw error; }));
`;

/**
 * The thread's entry is the plan-thread module itself: a built .js chunk in production, a .ts
 * source under tsx, Vitest and vite dev, which the thread loads through tsx's loader.
 */
async function threadEntry(): Promise<{ entry: string; tsxApi: string | null }> {
	const { planThreadUrl } = await import('./plan-thread');
	if (!planThreadUrl.endsWith('.ts')) return { entry: planThreadUrl, tsxApi: null };
	// tsx's ESM API (its CommonJS build of that API cannot register the loader).
	const api = createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
	return { entry: planThreadUrl, tsxApi: pathToFileURL(api).href };
}

export function startPlanRunner(options: PlanRunnerOptions): PlanRunner {
	const { db, owner } = options;
	const pollMs = options.pollMs ?? 1000;
	const reportMs = options.reportMs ?? 500;
	let stopped = false;
	let busy = false;
	let current: { job: ClaimedJob; worker: Worker } | undefined;
	let timer: NodeJS.Timeout | undefined;

	const schedule = (ms: number) => {
		clearTimeout(timer);
		if (!stopped) timer = setTimeout(() => void tick(), ms).unref();
	};

	const tick = async () => {
		if (busy || stopped) return;
		busy = true;
		try {
			for (;;) {
				const job = await claimNext(db, owner, new Date());
				if (!job || stopped) break;
				await runInThread(job);
			}
		} catch (error) {
			console.warn(`[matching] runner: ${(error as Error).message}`);
		} finally {
			busy = false;
			schedule(pollMs);
		}
	};

	const runInThread = async (job: ClaimedJob) => {
		const startedAt = performance.now();
		const { entry, tsxApi } = await threadEntry();
		const data: PlanThreadData = { role: 'match-plan', job, owner, connection: options.connection };
		const worker = new Worker(BOOT, { eval: true, workerData: { ...data, entry, tsxApi } });
		current = { job, worker };
		let stage: MatchJobStage = 'loading';
		let fraction = 0;
		let outcome: PlanThreadMessage | undefined;
		worker.on('message', (message: PlanThreadMessage) => {
			if (message.type === 'progress') ({ stage, fraction } = message);
			else outcome = message;
		});
		let failure: Error | undefined;
		worker.on('error', (error) => (failure = error));
		const exited = new Promise<number>((resolve) => worker.once('exit', resolve));

		let cancelled = false;
		const report = setInterval(() => {
			void reportProgress(db, job.id, owner, stage, overall(stage, fraction), new Date())
				.then((state) => {
					if (state !== 'continue' && stage !== 'saving') {
						// Cancelled, or another runner took the job over: the result would be thrown away.
						cancelled = state === 'cancel';
						void worker.terminate();
					}
				})
				.catch(() => {}); // the database is away for a moment: the next report tries again
		}, reportMs);
		await exited;
		clearInterval(report);
		current = undefined;
		if (stopped) return; // stop() gave the job back
		const now = new Date();
		if (outcome?.type === 'done' && outcome.stored) {
			countRun(outcome.kind, (performance.now() - startedAt) / 1000);
			console.log(`[matching] job ${job.id}: plan ${outcome.planId} stored in ${Math.round(performance.now() - startedAt)} ms`);
		} else if (cancelled || (outcome?.type === 'done' && outcome.why === 'cancelled')) {
			await endJob(db, job.id, owner, 'cancelled', null, now);
			console.log(`[matching] job ${job.id}: cancelled`);
		} else if (outcome?.type === 'done' && outcome.why === 'lost') {
			console.warn(`[matching] job ${job.id}: taken over by another runner; result discarded`);
		} else {
			const why = outcome?.type === 'done' ? outcome.why : (failure?.message ?? 'the planning thread stopped');
			await endJob(db, job.id, owner, 'failed', why, now);
			console.warn(`[matching] job ${job.id}: failed: ${why}`);
		}
	};

	schedule(0);
	return {
		wake() {
			schedule(0);
		},
		async stop() {
			stopped = true;
			clearTimeout(timer);
			const running = current;
			if (running) {
				await running.worker.terminate();
				await releaseJob(db, running.job.id, owner).catch(() => {});
			}
		}
	};
}

/** One progress figure over the stages, weighted by what they cost on a large market. */
const STAGE_SPAN: Record<MatchJobStage, [number, number]> = {
	loading: [0, 10],
	scoring: [10, 25],
	assigning: [25, 85],
	rounds: [85, 90],
	saving: [90, 99]
};

function overall(stage: MatchJobStage, fraction: number): number {
	const [from, to] = STAGE_SPAN[stage];
	return from + (to - from) * Math.max(0, Math.min(1, fraction));
}
