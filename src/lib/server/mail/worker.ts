import { setMaxListeners } from 'node:events';
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
import { isPermanentRejection, type MailTransport, type OutgoingMail } from './transport';

export interface DeliveryOptions {
	transport: MailTransport;
	from: string;
	owner: string;
	maxAttempts: number;
	now: Date;
	leaseMs?: number;
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
	/** Claimed, then handed back unsent: the worker was stopped, or the lease ran short. */
	released: number;
}

const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_BATCH_SIZE = 20;

function emptyReport(): DeliveryReport {
	return { claimed: 0, sent: 0, retrying: 0, failed: 0, released: 0 };
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
 * The lease as this process measures it (monotonic clock, from just before the claim). New
 * messages start only in its first half, and a send still running at 90 % is aborted, so a row is
 * no longer being sent when its lease runs out and another worker may reclaim it — however slowly
 * the SMTP server answers. `now` cannot serve here: tests pass a fixed one.
 */
function startLeaseClock(leaseMs: number) {
	const endsAt = performance.now() + leaseMs;
	const ending = AbortSignal.timeout(Math.max(0, leaseMs * 0.9));
	// Every message in flight listens to it (nodemailer adds two listeners per send); more than
	// ten at a time is expected here, not a leak.
	setMaxListeners(0, ending);
	return { allowsNewSend: () => endsAt - performance.now() > leaseMs / 2, ending };
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

async function recordFailure(db: Db, row: OutboxRow, error: unknown, options: DeliveryOptions, report: DeliveryReport) {
	const message = error instanceof Error ? error.message : String(error);
	if (isPermanentRejection(error)) {
		await markFailed(db, row.id, options.owner, message);
		report.failed++;
		console.error(`[mail] ${row.recipient} refused ${row.id} permanently, not retrying: ${message}`);
		return;
	}
	const status = await markAttemptFailed(db, row, options.owner, message, options.maxAttempts, options.now);
	if (status === 'failed') {
		report.failed++;
		console.error(`[mail] giving up on ${row.id} to ${row.recipient} after ${row.attempts} attempts: ${message}`);
	} else {
		report.retrying++;
		console.warn(`[mail] attempt ${row.attempts} for ${row.id} failed, will retry: ${message}`);
	}
}

async function deliverOne(db: Db, row: OutboxRow, options: DeliveryOptions, leaseEnding: AbortSignal, report: DeliveryReport) {
	let messageId: string;
	try {
		({ messageId } = await options.transport.send(toOutgoingMail(row, options.from), { signal: leaseEnding }));
	} catch (error) {
		// The SMTP boundary: every refusal or lost connection is recorded on the row.
		await recordFailure(db, row, error, options, report);
		return;
	}
	await markSent(db, row.id, options.owner, messageId, options.now);
	report.sent++;
}

/** One pass of the outbox worker: claim a batch of due mail, send it concurrently, record each outcome. */
export async function deliverDue(db: Db, options: DeliveryOptions): Promise<DeliveryReport> {
	const report = emptyReport();
	const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
	const lease = startLeaseClock(leaseMs);
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
	const unsent = await sendConcurrently(
		live,
		options.concurrency ?? options.transport.concurrency ?? 1,
		() => !options.signal?.aborted && lease.allowsNewSend(),
		(row) => deliverOne(db, row, options, lease.ending, report)
	);
	report.released = await releaseClaims(db, unsent.map((row) => row.id), options.owner);
	return report;
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
		for (const key of Object.keys(total) as (keyof DeliveryReport)[]) total[key] += report[key];
		// A pass that had to hand rows back would only claim them again.
		const isFullPass = report.claimed === batchSize && report.released === 0;
		if (!isFullPass || options.signal?.aborted) return total;
	}
}
