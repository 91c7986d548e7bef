import { compiledOnce } from './db/compiled';
import type { Db } from './db/schema';

/**
 * A fixed-window counter per key, kept in the database so that it holds across several app
 * instances: one upsert per attempt, whatever the traffic. Windows are aligned to multiples of
 * `windowMs` since the epoch, so every instance agrees on them. Like any fixed window, a burst
 * that straddles a window's end may get up to twice the limit within `windowMs`.
 * Records the attempt and returns true when it is within the limit.
 */
export async function consume(
	db: Db,
	key: string,
	limit: number,
	windowMs: number,
	now: Date
): Promise<boolean> {
	const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs).toISOString();
	const [row] = await countHit(db, key, windowStart);
	return Number(row!.hits) <= limit;
}

// Runs on every rate-limited form post: compiled once (db/compiled.ts).
const countHit = compiledOnce((db: Db, key: string, windowStart: string) =>
	db
		.insertInto('rate_limit')
		.values({ key, window_start: windowStart, hits: 1 })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet((eb) => {
				// An instance whose clock is behind counts into the newer window instead of resetting it.
				const isCurrent = eb('rate_limit.window_start', '>=', eb.ref('excluded.window_start'));
				return {
					hits: eb.case().when(isCurrent).then(eb('rate_limit.hits', '+', 1)).else(1).end(),
					window_start: eb.case().when(isCurrent).then(eb.ref('rate_limit.window_start')).else(eb.ref('excluded.window_start')).end()
				};
			})
		)
		.returning('hits')
);

/** Forgets keys whose window started before `olderThan` (housekeeping). */
export async function deleteOldWindows(db: Db, olderThan: Date): Promise<void> {
	await db.deleteFrom('rate_limit').where('window_start', '<', olderThan.toISOString()).execute();
}
