import type { Kysely } from 'kysely';

// Frozen. Indexes for the public lists, found with EXPLAIN on a database holding years of past
// events: the home page counted and listed upcoming events by scanning every event ever held, and
// the Einsätze list looked through all of a task's past shifts for one that is still to come.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('event_ends_idx').on('event').column('ends_at').execute();
	// Serves every lookup by task as well, so it replaces the index on task_id alone.
	await db.schema.createIndex('event_task_ends_idx').on('event').columns(['task_id', 'ends_at']).execute();
	await db.schema.dropIndex('event_task_idx').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('event_task_idx').on('event').column('task_id').execute();
	await db.schema.dropIndex('event_task_ends_idx').execute();
	await db.schema.dropIndex('event_ends_idx').execute();
}
