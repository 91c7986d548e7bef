import { toDateOrNull, type Db, type OutboxRow } from '../db/schema';
import {
	claimDue,
	markAttemptFailed,
	markExpired,
	markFailed,
	markSent,
	releaseClaims,
	type Attachment,
	type MailHeaders
} from './outbox';
import { withoutEmails } from '../log-privacy';
import { startHeartbeat, startLeaseClock, type LeaseClock } from './lease';
import { classifySendFailure, type MailTransport, type OutgoingMail } from './transport';
import { recordAttempt } from './health';
import { outboxFailuresTotal } from '../http/metrics';

export interface DeliveryOptions {
	transport: MailTransport;
	from: string;
	/** The worker's identity (WORKER_ID), stored on its claims. */
	owner: string;
	maxAttempts: number;
	now: Date;
	/** How long a claim lasts without a heartbeat; default one minute. */
	leaseMs?: number;
	/** How often the claims still held are extended while sending; default a quarter of the lease. */
	heartbeatMs?: number;
	batchSize?: number;
	/** Messages in flight at once; by default as many as the transport has connections. */
	concurrency?: number;
	/**
	 * Stops the worker: once aborted no further message is handed to SMTP, the ones in flight
	 * finish and are recorded, and the rest of the batch is released for the next worker.
	 */
	signal?: AbortSignal;
}

export interface DeliveryReport {
	claimed: number;
	sent: number;
	retrying: number;
	failed: number;
	/** Claimed, then handed back unsent with the attempt given back: stopped, lease short, or SMTP away. */
	released: number;
	/**
	 * Set when the SMTP server could not be reached: the pass stopped and gave its batch back
	 * without spending an attempt. The caller should pause (see `loop.ts`).
	 */
	unreachable?: string;
}

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_BATCH_SIZE = 20;

const COUNTS = ['claimed', 'sent', 'retrying', 'failed', 'released'] as const;

function emptyReport(): DeliveryReport {
	return { claimed: 0, sent: 0, retrying: 0, failed: 0, released: 0 };
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function messageIdFor(rowId: string, from: string): string {
	const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'miteinander.local';
	return `<${rowId}@${domain}>`;
}

function toOutgoingMail(row: OutboxRow, from: string): OutgoingMail {
	return {
		from,
		to: row.recipient,
		subject: row.subject,
		text: row.text_body,
		html: row.html_body,
		messageId: messageIdFor(row.id, from),
		attachments: row.attachments ? (JSON.parse(row.attachments) as Attachment[]) : [],
		headers: row.headers ? (JSON.parse(row.headers) as MailHeaders) : undefined
	};
}

function isExpired(row: OutboxRow, now: Date): boolean {
	const expiresAt = toDateOrNull(row.expires_at);
	return expiresAt !== null && expiresAt <= now;
}

/**
 * Runs `send` over the rows, at most `lanes` at a time, while `mayStart` allows. Returns the rows
 * never started. After an error (the database, since SMTP errors are recorded per row) no lane
 * starts another row and the error is rethrown once the running ones are done.
 */
async function sendConcurrently<T>(
	rows: T[],
	lanes: number,
	mayStart: () => boolean,
	send: (row: T) => Promise<void>
): Promise<T[]> {
	let next = 0;
	let broken = false;
	const lane = async () => {
		while (!broken && next < rows.length && mayStart()) {
			await send(rows[next++]!).catch((error: unknown) => {
				broken = true;
				throw error;
			});
		}
	};
	const results = await Promise.allSettled(Array.from({ length: Math.min(lanes, rows.length) }, lane));
	const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
	// The rows not started stay claimed and are reclaimed once their lease expires.
	if (failure) throw failure.reason;
	return rows.slice(next);
}

/** What one pass shares between its concurrent sends. */
interface Pass {
	db: Db;
	options: DeliveryOptions;
	lease: LeaseClock;
	report: DeliveryReport;
	/** Rows claimed and not yet recorded: the heartbeat extends these. */
	held: Set<string>;
	/** One check of the SMTP server at a time, shared by the sends that failed meanwhile. */
	checking?: Promise<string | null>;
}

/** Null when the server can be reached, else why not. */
function checkServer(pass: Pass): Promise<string | null> {
	pass.checking ??= pass.options.transport
		.verify()
		.then(
			() => null,
			(error: unknown) => errorMessage(error)
		)
		.finally(() => (pass.checking = undefined));
	return pass.checking;
}

async function release(pass: Pass, row: OutboxRow) {
	const released = await releaseClaims(pass.db, [row.id], pass.options.owner);
	pass.report.released += released;
}

/**
 * The SMTP boundary: decides what a failed send costs the message.
 * - A refusal of the message (4xx/5xx to RCPT TO or DATA) spends an attempt; a 5xx ends it.
 * - No answer (connection refused or cut, timeout, DNS, TLS, AUTH, 421): if the server cannot be
 *   reached now, the outage is not the message's fault — it goes back with its attempt given back
 *   and the pass stops. If the server can be reached, the failure was this message's session: it
 *   spends an attempt, so a message that reliably breaks the connection cannot hold up all mail.
 *   This includes a connection cut after the message's content went out but before the reply: it
 *   may have been delivered (at-least-once, the stable Message-ID lets receivers drop a repeat).
 * - Our own lease running out (the database unreachable for the heartbeat) is our fault too.
 */
async function recordFailure(pass: Pass, row: OutboxRow, error: unknown) {
	const { db, options, report } = pass;
	const message = errorMessage(error);
	if (pass.lease.ending.aborted) return release(pass, row);
	const failure = classifySendFailure(error);
	if (failure === 'unanswered') {
		const unreachable = await checkServer(pass);
		if (unreachable !== null) {
			recordAttempt('unreachable', options.now, unreachable);
			report.unreachable ??= unreachable;
			return release(pass, row);
		}
	}
	recordAttempt('refused', options.now, message);
	// The log names the outbox row, never its recipient; the outbox page shows both to coordinators.
	const logged = withoutEmails(message);
	if (failure === 'refused-permanently') {
		await markFailed(db, row.id, options.owner, message);
		report.failed++;
		outboxFailuresTotal.inc({ outcome: 'failed' });
		console.error(`[mail] the server refused ${row.id} permanently, not retrying: ${logged}`);
		return;
	}
	const status = await markAttemptFailed(db, row, options.owner, message, options.maxAttempts, options.now);
	if (status === 'failed') {
		report.failed++;
		outboxFailuresTotal.inc({ outcome: 'failed' });
		console.error(`[mail] giving up on ${row.id} after ${row.attempts} attempts: ${logged}`);
	} else {
		report.retrying++;
		outboxFailuresTotal.inc({ outcome: 'retry' });
		console.warn(`[mail] attempt ${row.attempts} for ${row.id} failed, will retry: ${logged}`);
	}
}

/**
 * The server has the message: record that in its own statement at once. If the database is away,
 * keep trying while the lease still keeps the row ours — a row left `sending` would be sent again.
 */
async function recordSent(pass: Pass, row: OutboxRow, messageId: string) {
	for (let waitMs = 50; ; waitMs = Math.min(waitMs * 2, 2000)) {
		try {
			await markSent(pass.db, row.id, pass.options.owner, messageId, pass.options.now);
			return;
		} catch (error) {
			if (pass.lease.ending.aborted) throw error;
			console.warn(`[mail] ${row.id} was accepted but could not be recorded yet: ${withoutEmails(errorMessage(error))}`);
			await new Promise((resolve) => setTimeout(resolve, waitMs));
		}
	}
}

async function deliverOne(pass: Pass, row: OutboxRow) {
	let messageId: string;
	try {
		({ messageId } = await pass.options.transport.send(toOutgoingMail(row, pass.options.from), { signal: pass.lease.ending }));
	} catch (error) {
		await recordFailure(pass, row, error);
		pass.held.delete(row.id);
		return;
	}
	recordAttempt('sent', pass.options.now);
	await recordSent(pass, row, messageId);
	pass.held.delete(row.id);
	pass.report.sent++;
}

/**
 * One pass of the outbox worker: claim a batch of due mail, send it concurrently while a heartbeat
 * keeps the claims, record each outcome as it comes. Stops early (and gives the rest back) when
 * stopped, or when the SMTP server cannot be reached.
 */
export async function deliverDue(db: Db, options: DeliveryOptions): Promise<DeliveryReport> {
	const report = emptyReport();
	const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
	const lease = startLeaseClock(leaseMs);
	try {
		const rows = await claimDue(db, {
			owner: options.owner,
			now: options.now,
			leaseMs,
			limit: options.batchSize ?? DEFAULT_BATCH_SIZE
		});
		report.claimed = rows.length;

		const expired = rows.filter((row) => isExpired(row, options.now));
		await markExpired(db, expired.map((row) => row.id), options.owner);
		report.failed += expired.length;

		const live = rows.filter((row) => !isExpired(row, options.now));
		const pass: Pass = { db, options, lease, report, held: new Set(live.map((row) => row.id)) };
		const heartbeat = startHeartbeat(db, pass.held, lease, { ...options, leaseMs });
		try {
			const unsent = await sendConcurrently(
				live,
				options.concurrency ?? options.transport.concurrency ?? 1,
				() => !options.signal?.aborted && report.unreachable === undefined && lease.allowsNewSend(),
				(row) => deliverOne(pass, row)
			);
			const released = await releaseClaims(db, unsent.map((row) => row.id), options.owner);
			report.released += released;
		} finally {
			heartbeat.stop();
		}
		return report;
	} finally {
		lease.stop();
	}
}

/**
 * Passes of `deliverDue` back to back while they come back full, so a backlog drains without
 * waiting the worker interval between batches. `clock` gives each pass its `now`.
 */
export async function deliverBacklog(
	db: Db,
	{ clock, ...options }: Omit<DeliveryOptions, 'now'> & { clock: () => Date }
): Promise<DeliveryReport> {
	const total = emptyReport();
	const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
	for (;;) {
		const report = await deliverDue(db, { ...options, now: clock() });
		for (const key of COUNTS) total[key] += report[key];
		// A pass that had to hand rows back would only claim them again.
		if (report.unreachable !== undefined) return { ...total, unreachable: report.unreachable };
		const isFullPass = report.claimed === batchSize && report.released === 0;
		if (!isFullPass || options.signal?.aborted) return total;
	}
}
