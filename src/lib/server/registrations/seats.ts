import type { Db } from '../db/schema';

/**
 * Takes one seat if one is free. A single conditional UPDATE on the event row: PostgreSQL re-checks
 * the condition after waiting for a concurrent writer's row lock, and SQLite serialises writers,
 * so no number of concurrent confirmations — also from several instances — exceeds capacity.
 */
export async function takeSeat(db: Db, eventId: string): Promise<boolean> {
	return takeSeats(db, eventId, 1);
}

/** Takes `n` seats at once (a team) or none: never more than are left. */
export async function takeSeats(db: Db, eventId: string, n: number): Promise<boolean> {
	if (!Number.isInteger(n) || n < 1) return false;
	const result = await db
		.updateTable('event')
		.set((eb) => ({ confirmed_count: eb('confirmed_count', '+', n) }))
		.where('id', '=', eventId)
		.where((eb) => eb(eb('confirmed_count', '+', n), '<=', eb.ref('capacity')))
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export async function releaseSeat(db: Db, eventId: string): Promise<void> {
	await releaseSeats(db, eventId, 1);
}

/** Gives `n` seats back (never below zero). */
export async function releaseSeats(db: Db, eventId: string, n: number): Promise<void> {
	await db
		.updateTable('event')
		.set((eb) => ({ confirmed_count: eb('confirmed_count', '-', n) }))
		.where('id', '=', eventId)
		.where('confirmed_count', '>=', n)
		.execute();
}

/** The next waiting-list number; positions are handed out once, in order. */
export async function nextWaitlistPosition(db: Db, eventId: string): Promise<number> {
	const row = await db
		.updateTable('event')
		.set((eb) => ({ waitlist_seq: eb('waitlist_seq', '+', 1) }))
		.where('id', '=', eventId)
		.returning('waitlist_seq')
		.executeTakeFirstOrThrow();
	return row.waitlist_seq;
}
