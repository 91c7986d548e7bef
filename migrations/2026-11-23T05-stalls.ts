import type { Kysely } from 'kysely';

// Frozen. Stall inventory of a market and clubs' stall requests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// Clubs may request stalls only while the coordinator keeps booking open.
	await db.schema.alterTable('event').addColumn('stall_booking_open', 'integer', (c) => c.notNull().defaultTo(0)).execute();

	await db.schema
		.createTable('stall')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('number', 'text', (c) => c.notNull())
		.addColumn('zone', 'text', (c) => c.notNull().defaultTo(''))
		// 1 small, 2 medium, 3 large: a request fits any stall at least its size.
		.addColumn('size', 'integer', (c) => c.notNull())
		.addColumn('has_power', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('indoor', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('accessible', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addUniqueConstraint('stall_event_number_uq', ['event_id', 'number'])
		.execute();

	await db.schema
		.createTable('stall_request')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('club_id', 'text', (c) => c.notNull().references('club.id').onDelete('cascade'))
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('size', 'integer', (c) => c.notNull())
		.addColumn('needs_power', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('needs_accessible', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('tables', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('chairs', 'integer', (c) => c.notNull().defaultTo(2))
		.addColumn('staff', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
		// Unique: one stall is never given to two requests, whatever runs concurrently.
		.addColumn('stall_id', 'text', (c) => c.unique().references('stall.id').onDelete('set null'))
		// Why a request waits (no free stall meets its needs) or was rejected.
		.addColumn('reason', 'text')
		.addColumn('requested_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('decided_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.addUniqueConstraint('stall_request_event_club_uq', ['event_id', 'club_id'])
		.execute();
	await db.schema.createIndex('stall_request_event_status_idx').on('stall_request').columns(['event_id', 'status']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('stall_request').execute();
	await db.schema.dropTable('stall').execute();
	await db.schema.alterTable('event').dropColumn('stall_booking_open').execute();
}
