import type { Kysely } from 'kysely';
import { toDate, toDateOrNull, type Database, type Db, type MatchJobMode, type MatchJobStage, type MatchJobStatus } from '../db/schema';
import type { Viewer } from '../auth/users';
import type { Denied } from '../clubs/access';
import * as events from '../events';
import { generateId } from '../ids';
import { computePlan, lockEvent, managedEvent, storeDraft, type PlanProgress } from './index';
import { publishedPlan } from './published';

// Matching as a job: the coordinator's request queues it, a runner (runner.ts, in whichever
// process runs the worker) claims it and computes it in a thread (plan-thread.ts), and the page
// shows its progress. One job per event is under way at a time (`active_event_id` is unique);
// a second coordinator asking meanwhile joins it. The result is stored only if the job is still
// the runner's and not cancelled, checked in the transaction that stores it.

export interface JobView {
	id: string;
	eventId: string;
	mode: MatchJobMode;
	status: MatchJobStatus;
	stage: MatchJobStage | null;
	/** 0..100 */
	progress: number;
	requestedBy: string | null;
	requestedAt: Date;
	startedAt: Date | null;
	finishedAt: Date | null;
	cancelRequested: boolean;
	planId: string | null;
	error: string | null;
}

export const isActive = (job: Pick<JobView, 'status'>) => job.status === 'queued' || job.status === 'running';

/** A running job whose runner has not been heard from for this long is taken over by another. */
export const STALE_AFTER_MS = 60_000;
/** Attempts before a job that keeps losing its runner (a crash while planning) is given up. */
export const MAX_ATTEMPTS = 3;

function jobQuery(db: Db) {
	return db
		.selectFrom('match_job')
		.leftJoin('user', 'user.id', 'match_job.requested_by')
		.select([
			'match_job.id',
			'match_job.event_id',
			'match_job.mode',
			'match_job.status',
			'match_job.stage',
			'match_job.progress',
			'user.name as requested_by',
			'match_job.requested_at',
			'match_job.started_at',
			'match_job.finished_at',
			'match_job.cancel_requested',
			'match_job.plan_id',
			'match_job.error'
		]);
}

type JobRow = Awaited<ReturnType<ReturnType<typeof jobQuery>['executeTakeFirstOrThrow']>>;

function toView(row: JobRow): JobView {
	return {
		id: row.id,
		eventId: row.event_id,
		mode: row.mode,
		status: row.status,
		stage: row.stage,
		progress: Number(row.progress),
		requestedBy: row.requested_by,
		requestedAt: toDate(row.requested_at),
		startedAt: toDateOrNull(row.started_at),
		finishedAt: toDateOrNull(row.finished_at),
		cancelRequested: Number(row.cancel_requested) === 1,
		planId: row.plan_id,
		error: row.error
	};
}

export async function getJob(db: Db, jobId: string): Promise<JobView | null> {
	const row = await jobQuery(db).where('match_job.id', '=', jobId).executeTakeFirst();
	return row ? toView(row) : null;
}

/** The event's latest job (under way or finished), for the matching page. */
export async function latestJob(db: Db, eventId: string): Promise<JobView | null> {
	const row = await jobQuery(db).where('match_job.event_id', '=', eventId).orderBy('match_job.requested_at', 'desc').orderBy('match_job.id', 'desc').executeTakeFirst();
	return row ? toView(row) : null;
}

export type RequestProblem = 'nothing_published';

/**
 * Queues a plan for the event, or joins the one under way (`joined`). 'update' re-plans the
 * published plan with as few changes as possible and needs one.
 */
export async function requestPlan(
	db: Kysely<Database>,
	viewer: Viewer | null,
	eventId: string,
	mode: MatchJobMode,
	now: Date
): Promise<{ ok: true; job: JobView; joined: boolean } | Denied | { ok: false; problem: RequestProblem }> {
	const found = await managedEvent(db, viewer, eventId);
	if (!found.ok) return found;
	if (mode === 'update' && !(await publishedPlan(db, eventId))) return { ok: false, problem: 'nothing_published' };
	const id = generateId();
	const inserted = await db
		.insertInto('match_job')
		.values({ id, event_id: eventId, active_event_id: eventId, mode, status: 'queued', requested_by: viewer!.id, requested_at: now.toISOString() })
		.onConflict((oc) => oc.column('active_event_id').doNothing())
		.executeTakeFirst();
	const joined = Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0;
	const job = joined ? await jobQuery(db).where('match_job.active_event_id', '=', eventId).executeTakeFirst() : await jobQuery(db).where('match_job.id', '=', id).executeTakeFirst();
	// The job under way may have finished between the insert and this read: then ask again.
	if (!job) return requestPlan(db, viewer, eventId, mode, now);
	return { ok: true, job: toView(job), joined };
}

/**
 * Cancels the event's job under way: a queued one (or one whose runner is gone) at once, a running
 * one by asking its runner, which stops the thread within a second and stores nothing.
 */
export async function cancelPlan(db: Kysely<Database>, viewer: Viewer | null, eventId: string, now: Date): Promise<{ ok: true; cancelled: boolean } | Denied> {
	const found = await managedEvent(db, viewer, eventId);
	if (!found.ok) return found;
	const stale = new Date(now.getTime() - STALE_AFTER_MS).toISOString();
	const direct = await db
		.updateTable('match_job')
		.set({ status: 'cancelled', active_event_id: null, cancel_requested: 1, finished_at: now.toISOString() })
		.where('active_event_id', '=', eventId)
		.where((eb) => eb.or([eb('status', '=', 'queued'), eb('heartbeat_at', '<', stale)]))
		.executeTakeFirst();
	if (Number(direct.numUpdatedRows) > 0) return { ok: true, cancelled: true };
	const asked = await db.updateTable('match_job').set({ cancel_requested: 1 }).where('active_event_id', '=', eventId).where('status', '=', 'running').executeTakeFirst();
	return { ok: true, cancelled: Number(asked.numUpdatedRows) > 0 };
}

/**
 * Waits until the job is no longer under way, at most `ms`: small plans answer the request itself.
 * A job still queued after `queuedMs` waits for another one, so there is no point waiting longer.
 */
export async function waitForJob(db: Db, jobId: string, ms: number, { pollMs = 100, queuedMs = 500 } = {}): Promise<JobView | null> {
	const started = Date.now();
	for (;;) {
		const job = await getJob(db, jobId);
		const waited = Date.now() - started;
		if (!job || !isActive(job) || waited >= ms || (job.status === 'queued' && waited >= queuedMs)) return job;
		await new Promise((resolve) => setTimeout(resolve, pollMs));
	}
}

// ---- The runner's side ------------------------------------------------------------------------

export interface ClaimedJob {
	id: string;
	eventId: string;
	mode: MatchJobMode;
	requestedBy: string | null;
	attempts: number;
}

/**
 * Claims the oldest queued job, or one whose runner stopped reporting (it crashed): one atomic
 * update each, so two runners never get the same job. A job that lost its runner MAX_ATTEMPTS
 * times fails instead of crashing runners forever.
 */
export async function claimNext(db: Db, owner: string, now: Date): Promise<ClaimedJob | null> {
	const stale = new Date(now.getTime() - STALE_AFTER_MS).toISOString();
	for (;;) {
		const candidate = await db
			.selectFrom('match_job')
			.select(['id', 'event_id', 'mode', 'requested_by', 'attempts', 'status', 'heartbeat_at'])
			.where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '<', stale)])]))
			.orderBy('requested_at')
			.orderBy('id')
			.executeTakeFirst();
		if (!candidate) return null;
		if (candidate.attempts >= MAX_ATTEMPTS) {
			await db
				.updateTable('match_job')
				.set({ status: 'failed', active_event_id: null, error: 'interrupted', finished_at: now.toISOString() })
				.where('id', '=', candidate.id)
				.where('status', '=', candidate.status)
				.execute();
			continue;
		}
		const claimed = await db
			.updateTable('match_job')
			.set({ status: 'running', owner, started_at: now.toISOString(), heartbeat_at: now.toISOString(), attempts: candidate.attempts + 1, stage: 'loading', progress: 0 })
			.where('id', '=', candidate.id)
			.where('status', '=', candidate.status)
			.where('attempts', '=', candidate.attempts)
			.executeTakeFirst();
		if (Number(claimed.numUpdatedRows) === 1) {
			return { id: candidate.id, eventId: candidate.event_id, mode: candidate.mode, requestedBy: candidate.requested_by, attempts: candidate.attempts + 1 };
		}
	}
}

/** Records progress and the runner's heartbeat. 'cancel' when a coordinator cancelled, 'lost' when the job is no longer this runner's. */
export async function reportProgress(db: Db, jobId: string, owner: string, stage: MatchJobStage, progress: number, now: Date): Promise<'continue' | 'cancel' | 'lost'> {
	await db
		.updateTable('match_job')
		.set({ stage, progress: Math.max(0, Math.min(100, Math.round(progress))), heartbeat_at: now.toISOString() })
		.where('id', '=', jobId)
		.where('owner', '=', owner)
		.where('status', '=', 'running')
		.execute();
	const row = await db.selectFrom('match_job').select(['status', 'owner', 'cancel_requested']).where('id', '=', jobId).executeTakeFirst();
	if (!row || row.status !== 'running' || row.owner !== owner) return 'lost';
	return Number(row.cancel_requested) === 1 ? 'cancel' : 'continue';
}

/** Ends the job as cancelled or failed (unless it already ended). */
export async function endJob(db: Db, jobId: string, owner: string, status: 'cancelled' | 'failed', error: string | null, now: Date): Promise<void> {
	await db
		.updateTable('match_job')
		.set({ status, active_event_id: null, error, finished_at: now.toISOString() })
		.where('id', '=', jobId)
		.where('owner', '=', owner)
		.where('status', '=', 'running')
		.execute();
}

/** Gives a running job back to the queue (the runner is shutting down): another process or the next start takes it. */
export async function releaseJob(db: Db, jobId: string, owner: string): Promise<void> {
	await db.updateTable('match_job').set({ status: 'queued', owner: null, stage: null, progress: 0 }).where('id', '=', jobId).where('owner', '=', owner).where('status', '=', 'running').execute();
}

export type JobOutcome = { stored: true; planId: string; kind: string } | { stored: false; why: 'cancelled' | 'lost' | 'event_gone' };

/**
 * Computes the claimed job's plan and stores it as the draft, in the same transaction that
 * checks the job is still this runner's and not cancelled. What the thread runs.
 */
export async function executeJob(db: Kysely<Database>, job: Pick<ClaimedJob, 'id' | 'eventId' | 'requestedBy' | 'mode'>, owner: string, onProgress: PlanProgress): Promise<JobOutcome> {
	const event = await events.get(db, job.eventId);
	if (!event) return { stored: false, why: 'event_gone' };
	const computed = await computePlan(db, event, onProgress, job.mode);
	onProgress('saving', 0);
	return db.transaction().execute(async (trx): Promise<JobOutcome> => {
		await lockEvent(trx, event.id);
		const row = await trx.selectFrom('match_job').select(['status', 'owner', 'cancel_requested']).where('id', '=', job.id).executeTakeFirst();
		if (!row || row.status !== 'running' || row.owner !== owner) return { stored: false, why: 'lost' };
		if (Number(row.cancel_requested) === 1) return { stored: false, why: 'cancelled' };
		const now = new Date();
		const planId = await storeDraft(trx, event, job.requestedBy, computed, now);
		await trx
			.updateTable('match_job')
			.set({ status: 'done', active_event_id: null, stage: null, progress: 100, plan_id: planId, finished_at: now.toISOString(), heartbeat_at: now.toISOString() })
			.where('id', '=', job.id)
			.execute();
		return { stored: true, planId, kind: event.kind };
	});
}
