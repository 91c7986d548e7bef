import { PostgresAdapter, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { generateId } from '../ids';
import { toDate, toDateOrNull, type Database, type Db, type OutboxRow, type OutboxStatus } from '../db/schema';
import { renderEmail, type TemplateName, type TemplatePayloads } from './templates';
import type { Locale } from '../../paraglide/runtime';
import type { Viewer } from '../auth/users';

type OutboxExpressions = ExpressionBuilder<Database, 'outbox'>;

export interface Attachment {
	filename: string;
	contentType: string;
	content: string;
	/** Binary content (e.g. a PNG) is stored base64-encoded. */
	encoding?: 'base64';
	/** Referenced from the HTML part as `cid:<cid>`. */
	cid?: string;
}

/** Per-message headers: the sender's display name, where replies go, how to opt out. */
export interface MailHeaders {
	fromName?: string;
	replyTo?: string;
	/** An https URL that opts the person out with one click (RFC 8058). */
	listUnsubscribe?: string;
}

export interface EnqueueInput<T extends TemplateName> {
	/** The same key never produces a second email (e.g. `sign-in:<tokenId>`). */
	idempotencyKey: string;
	recipient: string;
	locale: Locale;
	template: T;
	payload: TemplatePayloads[T];
	municipalityId?: string | null;
	userId?: string | null;
	attachments?: Attachment[];
	headers?: MailHeaders;
	/** Not before this time (a scheduled reminder); default now. */
	sendAt?: Date;
	/** Dropped instead of sent after this time. */
	expiresAt?: Date;
	eventId?: string;
	registrationId?: string;
}

/**
 * Writes the rendered email into the outbox. Call it inside the transaction that causes the email,
 * so both happen or neither. Returns false when the idempotency key was already used.
 */
export async function enqueue<T extends TemplateName>(
	db: Db,
	input: EnqueueInput<T>,
	now: Date
): Promise<boolean> {
	const rendered = renderEmail(input.template, input.payload, input.locale);
	const result = await db
		.insertInto('outbox')
		.values({
			id: generateId(),
			idempotency_key: input.idempotencyKey,
			recipient: input.recipient,
			locale: input.locale,
			template: input.template,
			subject: rendered.subject,
			text_body: rendered.text,
			html_body: rendered.html,
			attachments: input.attachments?.length ? JSON.stringify(input.attachments) : null,
			municipality_id: input.municipalityId ?? null,
			user_id: input.userId ?? null,
			status: 'pending',
			attempts: 0,
			next_attempt_at: (input.sendAt ?? now).toISOString(),
			created_at: now.toISOString(),
			headers: input.headers ? JSON.stringify(input.headers) : null,
			expires_at: input.expiresAt?.toISOString() ?? null,
			event_id: input.eventId ?? null,
			registration_id: input.registrationId ?? null
		})
		.onConflict((oc) => oc.column('idempotency_key').doNothing())
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export interface ClaimOptions {
	owner: string;
	now: Date;
	leaseMs: number;
	limit: number;
}

function isPendingAndDue(now: string) {
	return (eb: OutboxExpressions) => eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]);
}

/** Claimed by a worker that died: its lease ran out before it reported back. */
function hasExpiredLease(now: string) {
	return (eb: OutboxExpressions) => eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]);
}

function isPostgres(db: Db): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Claims up to `limit` rows matching `condition` with a lease, in one conditional UPDATE …
 * RETURNING. The UPDATE re-checks the condition on each row it changes (PostgreSQL after waiting
 * for a concurrent writer's row lock; SQLite serialises writers) and returns exactly the rows this
 * statement changed, so of several workers — also in several instances — exactly one wins each row.
 */
async function claimWhere(
	db: Db,
	options: ClaimOptions,
	condition: (eb: OutboxExpressions) => Expression<SqlBool>,
	limit: number,
	isNewAttempt: boolean
): Promise<OutboxRow[]> {
	if (limit <= 0) return [];
	return db
		.with(
			// Materialised, so the candidates are chosen once: as a plain `IN (subquery)` PostgreSQL
			// may plan a nested loop that runs the LIMIT subquery again for every row, claiming more.
			(cte) => cte('candidate').materialized(),
			(qb) => {
				const candidates = qb.selectFrom('outbox').select('id').where(condition).orderBy('next_attempt_at').limit(limit);
				// Concurrent workers on PostgreSQL then take different rows, instead of queueing behind
				// one another's row locks only to find those rows taken.
				return isPostgres(db) ? candidates.forUpdate().skipLocked() : candidates;
			}
		)
		.updateTable('outbox')
		.set((eb) => ({
			status: 'sending',
			lease_owner: options.owner,
			lease_until: new Date(options.now.getTime() + options.leaseMs).toISOString(),
			attempts: isNewAttempt ? eb('attempts', '+', 1) : eb.ref('attempts')
		}))
		.where('id', 'in', (eb) => eb.selectFrom('candidate').select('candidate.id'))
		.where(condition)
		.returningAll()
		.execute();
}

/**
 * Claims due rows with a lease: first rows whose sender died (lease expired), then pending rows
 * whose time has come, oldest first. Two statements, because one with an OR of both sorted the
 * whole due backlog on every claim (a temp B-tree on SQLite, a sequential scan on PostgreSQL);
 * each now reads the (status, next_attempt_at) index in order (SQLite, 10,000 rows due: 17 ms per
 * claim of 200 before, 12 ms now; the rest is writing and returning the rows).
 * A claim counts an attempt; taking over a dead worker's claim does not count another, since the
 * dead one never learnt what became of its attempt (a crash must not use up a message's attempts).
 */
export async function claimDue(db: Db, options: ClaimOptions): Promise<OutboxRow[]> {
	const now = options.now.toISOString();
	const orphaned = await claimWhere(db, options, hasExpiredLease(now), options.limit, false);
	const due = await claimWhere(db, options, isPendingAndDue(now), options.limit - orphaned.length, true);
	return [...orphaned, ...due];
}

/**
 * A worker starting under `owner` gives back every row its previous life still held: that process
 * is gone, so nobody is sending them, and they need not wait for the lease to run out. They are
 * due again at once with the claim's attempt given back. Run it before the first claim; it assumes
 * no other living process uses the same owner.
 */
export async function takeBackClaims(db: Db, owner: string): Promise<number> {
	const result = await db
		.updateTable('outbox')
		.set((eb) => ({ status: 'pending', lease_owner: null, lease_until: null, attempts: eb('attempts', '-', 1) }))
		.where('status', '=', 'sending')
		.where('lease_owner', '=', owner)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/** The heartbeat of a worker still sending: its claims on `ids` now last until `until`. */
export async function extendLeases(db: Db, ids: string[], owner: string, until: Date): Promise<number> {
	if (ids.length === 0) return 0;
	const result = await db
		.updateTable('outbox')
		.set({ lease_until: until.toISOString() })
		.where('id', 'in', ids)
		.where('status', '=', 'sending')
		.where('lease_owner', '=', owner)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/** 1, 2, 4, 8 … minutes, at most 6 hours. */
export function backoffMs(attempts: number): number {
	return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60 * 1000);
}

export async function markSent(db: Db, id: string, owner: string, messageId: string, now: Date) {
	await db
		.updateTable('outbox')
		.set({
			status: 'sent',
			sent_at: now.toISOString(),
			message_id: messageId,
			last_error: null,
			lease_owner: null,
			lease_until: null
		})
		.where('id', '=', id)
		.where('lease_owner', '=', owner)
		.execute();
}

/** Schedules the next attempt, or marks the row failed once `maxAttempts` is reached. */
export async function markAttemptFailed(
	db: Db,
	row: Pick<OutboxRow, 'id' | 'attempts'>,
	owner: string,
	error: string,
	maxAttempts: number,
	now: Date
): Promise<OutboxStatus> {
	const status: OutboxStatus = row.attempts >= maxAttempts ? 'failed' : 'pending';
	await db
		.updateTable('outbox')
		.set({
			status,
			last_error: error.slice(0, 2000),
			next_attempt_at: new Date(now.getTime() + backoffMs(row.attempts)).toISOString(),
			lease_owner: null,
			lease_until: null
		})
		.where('id', '=', row.id)
		.where('lease_owner', '=', owner)
		.execute();
	return status;
}

/** The receiving server refused the message for good (a 5xx): no further attempts. */
export async function markFailed(db: Db, id: string, owner: string, error: string): Promise<void> {
	await db
		.updateTable('outbox')
		.set({ status: 'failed', last_error: error.slice(0, 2000), lease_owner: null, lease_until: null })
		.where('id', '=', id)
		.where('lease_owner', '=', owner)
		.execute();
}

/**
 * Gives claimed rows that were never handed to SMTP back to the queue, due at once and with the
 * claim's attempt taken back, as if they had not been claimed (a worker stopping mid-batch).
 */
export async function releaseClaims(db: Db, ids: string[], owner: string): Promise<number> {
	if (ids.length === 0) return 0;
	const result = await db
		.updateTable('outbox')
		.set((eb) => ({ status: 'pending', lease_owner: null, lease_until: null, attempts: eb('attempts', '-', 1) }))
		.where('id', 'in', ids)
		.where('lease_owner', '=', owner)
		.where('status', '=', 'sending')
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/** Claimed rows past their `expires_at` (a reminder for an event that has begun) fail unsent. */
export async function markExpired(db: Db, ids: string[], owner: string): Promise<void> {
	if (ids.length === 0) return;
	await db
		.updateTable('outbox')
		.set((eb) => ({
			status: 'failed',
			last_error: 'Expired before it could be sent',
			lease_owner: null,
			lease_until: null,
			attempts: eb('attempts', '-', 1)
		}))
		.where('id', 'in', ids)
		.where('lease_owner', '=', owner)
		.where('status', '=', 'sending')
		.execute();
}

/** A coordinator asks for a failed email to be tried again from scratch. */
export async function retry(db: Db, id: string, now: Date): Promise<boolean> {
	const result = await db
		.updateTable('outbox')
		.set({ status: 'pending', attempts: 0, next_attempt_at: now.toISOString() })
		.where('id', '=', id)
		.where('status', '=', 'failed')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** Platform admins read all mail; coordinators their municipalities' and their own. */
function visibleTo(viewer: Viewer) {
	return (eb: OutboxExpressions) => {
		const conditions = [eb('user_id', '=', viewer.id)];
		if (viewer.municipalityIds.length > 0) {
			conditions.push(eb('municipality_id', 'in', viewer.municipalityIds));
		}
		return eb.or(conditions);
	};
}

export interface OutboxListItem {
	id: string;
	recipient: string;
	subject: string;
	status: OutboxStatus;
	attempts: number;
	createdAt: Date;
	nextAttemptAt: Date;
	lastError: string | null;
}

export async function list(
	db: Db,
	viewer: Viewer,
	filter: { status?: OutboxStatus; page: number; pageSize: number }
): Promise<{ items: OutboxListItem[]; total: number }> {
	let query = db.selectFrom('outbox');
	if (!viewer.isPlatformAdmin) query = query.where(visibleTo(viewer));
	if (filter.status) query = query.where('status', '=', filter.status);
	const { total } = await query
		.select((eb) => eb.fn.countAll<number | string>().as('total'))
		.executeTakeFirstOrThrow();
	const rows = await query
		.select(['id', 'recipient', 'subject', 'status', 'attempts', 'created_at', 'next_attempt_at', 'last_error'])
		.orderBy('created_at', 'desc')
		.orderBy('id')
		.limit(filter.pageSize)
		.offset((filter.page - 1) * filter.pageSize)
		.execute();
	return {
		total: Number(total),
		items: rows.map((r) => ({
			id: r.id,
			recipient: r.recipient,
			subject: r.subject,
			status: r.status,
			attempts: r.attempts,
			createdAt: toDate(r.created_at),
			nextAttemptAt: toDate(r.next_attempt_at),
			lastError: r.last_error
		}))
	};
}

export async function countByStatus(db: Db, viewer: Viewer): Promise<Record<OutboxStatus, number>> {
	let query = db.selectFrom('outbox');
	if (!viewer.isPlatformAdmin) query = query.where(visibleTo(viewer));
	const rows = await query
		.select(['status', (eb) => eb.fn.countAll<number | string>().as('count')])
		.groupBy('status')
		.execute();
	const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
	for (const row of rows) counts[row.status] = Number(row.count);
	return counts;
}

/**
 * The HTML part for a preview in the browser: images the mail attaches (`cid:`, the check-in code)
 * as data URLs, which the page's Content-Security-Policy allows and the browser can show.
 */
function withInlineImages(html: string, attachments: string | null): string {
	if (!attachments) return html;
	const byCid = new Map((JSON.parse(attachments) as Attachment[]).flatMap((a) => (a.cid && a.encoding === 'base64' ? [[a.cid, a]] : [])));
	return html.replace(/src="cid:([^"]+)"/g, (whole, cid: string) => {
		const attachment = byCid.get(cid);
		return attachment ? `src="data:${attachment.contentType};base64,${attachment.content}"` : whole;
	});
}

export async function find(db: Db, viewer: Viewer, id: string) {
	let query = db.selectFrom('outbox').selectAll().where('id', '=', id);
	if (!viewer.isPlatformAdmin) query = query.where(visibleTo(viewer));
	const row = await query.executeTakeFirst();
	if (!row) return null;
	return {
		id: row.id,
		recipient: row.recipient,
		subject: row.subject,
		textBody: row.text_body,
		htmlBody: withInlineImages(row.html_body, row.attachments),
		status: row.status,
		attempts: row.attempts,
		lastError: row.last_error,
		createdAt: toDate(row.created_at),
		nextAttemptAt: toDate(row.next_attempt_at),
		sentAt: toDateOrNull(row.sent_at),
		messageId: row.message_id
	};
}

export interface OutboxDepth {
	/** Waiting to be sent (pending), whether due yet or not. */
	queued: number;
	/** Claimed by a worker now. */
	sending: number;
	failed: number;
	/** When the longest-waiting due message became due; null when nothing is due. */
	oldestDueAt: Date | null;
}

/** The whole outbox's backlog, for /healthz, /metrics and the outbox page (not limited to a viewer). */
export async function depth(db: Db, now: Date): Promise<OutboxDepth> {
	const rows = await db
		.selectFrom('outbox')
		.select(['status', (eb) => eb.fn.countAll<number | string>().as('count'), (eb) => eb.fn.min('next_attempt_at').as('earliest')])
		.where('status', 'in', ['pending', 'sending', 'failed'])
		.groupBy('status')
		.execute();
	const result: OutboxDepth = { queued: 0, sending: 0, failed: 0, oldestDueAt: null };
	for (const row of rows) {
		const count = Number(row.count);
		if (row.status === 'pending') {
			result.queued = count;
			const earliest = row.earliest === null ? null : toDate(row.earliest);
			result.oldestDueAt = earliest && earliest <= now ? earliest : null;
		} else if (row.status === 'sending') result.sending = count;
		else if (row.status === 'failed') result.failed = count;
	}
	return result;
}
