import type { Kysely } from 'kysely';

// Frozen. A market's stall booking can announce when it opens (shown to clubs while it is closed),
// and a coordinator can hide a feedback entry's free text (not shown again, not exported).
// hidden_by has no foreign key: SQLite cannot drop a column that is part of one (down), and the
// audit log keeps who hid it anyway.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('event').addColumn('stall_booking_opens_at', 'timestamptz').execute();
	await db.schema.alterTable('feedback').addColumn('hidden_at', 'timestamptz').execute();
	await db.schema.alterTable('feedback').addColumn('hidden_by', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('feedback').dropColumn('hidden_by').execute();
	await db.schema.alterTable('feedback').dropColumn('hidden_at').execute();
	await db.schema.alterTable('event').dropColumn('stall_booking_opens_at').execute();
}
