// GET /metrics: the registered counters and histograms, plus gauges read from the database now.
import { timingSafeEqual, createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/schema';
import { depth } from '../mail/outbox';
import { formatGauge, formatRegistered } from './metrics';

/**
 * `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time (on digests, so that the
 * length of the token leaks nothing either).
 */
export function isAuthorised(authorization: string | null, token: string): boolean {
	const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
	if (!given) return false;
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(token));
}

/** The exposition text. A database that does not answer shows as `miteinander_database_up 0`, not as a failed scrape. */
export async function scrape(db: Db, now: Date): Promise<string> {
	let outbox: Awaited<ReturnType<typeof depth>> | null = null;
	try {
		await sql`select 1`.execute(db);
		outbox = await depth(db, now);
	} catch {
		outbox = null;
	}
	const lines = [...formatGauge('miteinander_database_up', 'Whether the database answered this scrape (1) or not (0).', [{ value: outbox ? 1 : 0 }])];
	if (outbox) {
		lines.push(
			...formatGauge('miteinander_outbox_messages', 'Outbox messages by state, read from the database at scrape time: queued (waiting to be sent), sending (claimed by a worker), failed.', [
				{ labels: { status: 'queued' }, value: outbox.queued },
				{ labels: { status: 'sending' }, value: outbox.sending },
				{ labels: { status: 'failed' }, value: outbox.failed }
			]),
			...formatGauge('miteinander_outbox_oldest_queued_seconds', 'How long the longest-waiting due message has waited; 0 when nothing is due.', [
				{ value: outbox.oldestDueAt ? Math.max(0, Math.round((now.getTime() - outbox.oldestDueAt.getTime()) / 1000)) : 0 }
			])
		);
	}
	lines.push(...formatRegistered());
	return lines.join('\n') + '\n';
}
