import type { Kysely } from 'kysely';

// Frozen. Matching runs as a job off the request thread: the coordinator's request queues it, a
// worker (in the app or `npm run worker`) runs it in a thread and reports progress here.
// `active_event_id` is the event's id while the job is queued or running and null afterwards: its
// unique constraint lets only one job per event be under way (NULLs never collide, in SQLite as in
// PostgreSQL), so two coordinators planning at once share one job instead of both writing.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('match_job')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('active_event_id', 'text', (c) => c.unique())
		// 'fresh' | 'update'
		.addColumn('mode', 'text', (c) => c.notNull())
		// 'queued' | 'running' | 'done' | 'failed' | 'cancelled'
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('stage', 'text')
		.addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('requested_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('requested_at', 'timestamptz', (c) => c.notNull())
		.addColumn('started_at', 'timestamptz')
		.addColumn('heartbeat_at', 'timestamptz')
		.addColumn('finished_at', 'timestamptz')
		.addColumn('owner', 'text')
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('plan_id', 'text', (c) => c.references('match_plan.id').onDelete('set null'))
		.addColumn('error', 'text')
		.execute();
	await db.schema.createIndex('match_job_event_idx').on('match_job').columns(['event_id', 'requested_at']).execute();
	await db.schema.createIndex('match_job_status_idx').on('match_job').columns(['status', 'requested_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('match_job').execute();
}
