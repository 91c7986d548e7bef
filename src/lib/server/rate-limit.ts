import { generateId } from './ids';
import type { Db } from './db/schema';

/**
 * Fixed-limit sliding window kept in the database, so it holds across several app instances.
 * Records the attempt and returns true when it is within the limit.
 */
export async function consume(
	db: Db,
	key: string,
	limit: number,
	windowMs: number,
	now: Date
): Promise<boolean> {
	const since = new Date(now.getTime() - windowMs).toISOString();
	const row = await db
		.selectFrom('rate_limit_hit')
		.select((eb) => eb.fn.countAll<number | string>().as('hits'))
		.where('key', '=', key)
		.where('at', '>', since)
		.executeTakeFirstOrThrow();
	if (Number(row.hits) >= limit) return false;
	await db.insertInto('rate_limit_hit').values({ id: generateId(), key, at: now.toISOString() }).execute();
	return true;
}

export async function deleteOldHits(db: Db, olderThan: Date): Promise<void> {
	await db.deleteFrom('rate_limit_hit').where('at', '<', olderThan.toISOString()).execute();
}
