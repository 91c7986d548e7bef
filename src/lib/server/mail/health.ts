// Is mail going out? Two sources: what this process's worker last saw of the SMTP server (only when
// the worker runs here), and the outbox itself (always, whichever process sends): due mail that
// has waited for long means nothing is sending, for whatever reason.
import { withoutEmails } from '../log-privacy';
import type { Db } from '../db/schema';
import { depth, type OutboxDepth } from './outbox';

export type AttemptOutcome = 'sent' | 'refused' | 'unreachable';

export interface LastAttempt {
	at: Date;
	outcome: AttemptOutcome;
	/** The SMTP server's answer or the connection error, without email addresses. */
	error: string | null;
}

let lastAttempt: LastAttempt | null = null;
let unreachableSince: Date | null = null;

/** Called by the worker after each message it handed to SMTP, and when it found the server away. */
export function recordAttempt(outcome: AttemptOutcome, now: Date, error?: string): void {
	lastAttempt = { at: now, outcome, error: error === undefined ? null : withoutEmails(error).slice(0, 300) };
	if (outcome === 'unreachable') unreachableSince ??= now;
	else unreachableSince = null;
}

/** The worker's check found the server answering again (maybe with nothing left to send). */
export function recordReachable(): void {
	unreachableSince = null;
}

/** Due mail waiting longer than this means delivery is stuck (an outage, or no worker running). */
export const STUCK_AFTER_MS = 10 * 60_000;

export interface MailHealth extends OutboxDepth {
	status: 'ok' | 'failing';
	/** Why `failing`: the server cannot be reached, or due mail has waited too long. */
	problem: 'unreachable' | 'stuck' | null;
	/** Seconds the longest-waiting due message has waited; 0 when nothing is due. */
	oldestQueuedSeconds: number;
	/** This process's worker's last attempt; null when it made none (or runs elsewhere). */
	lastAttempt: LastAttempt | null;
	/** Since when this process's worker finds the server unreachable. */
	unreachableSince: Date | null;
}

/** The worker's view only: what /healthz can still say while the database is away. */
export function workerView(): Pick<MailHealth, 'lastAttempt' | 'unreachableSince'> {
	return { lastAttempt, unreachableSince };
}

export async function mailHealth(db: Db, now: Date): Promise<MailHealth> {
	const counts = await depth(db, now);
	const { oldestDueAt } = counts;
	const waitedMs = oldestDueAt ? Math.max(0, now.getTime() - oldestDueAt.getTime()) : 0;
	const problem = unreachableSince ? 'unreachable' : waitedMs > STUCK_AFTER_MS ? 'stuck' : null;
	return {
		status: problem ? 'failing' : 'ok',
		problem,
		...counts,
		oldestQueuedSeconds: Math.round(waitedMs / 1000),
		...workerView()
	};
}
