import type { Kysely } from 'kysely';

// Frozen. The Ehrenamtsnachweis: a signed snapshot of what a person did (name, entries, total) that
// stays verifiable even when events are later renamed, and a municipality's yearly hours threshold
// for the Ehrenamtskarte (the coordinators' hours export marks who reaches it).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('volunteer_record')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('person_id', 'text', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('person_name', 'text', (c) => c.notNull())
		.addColumn('period_from', 'text', (c) => c.notNull())
		.addColumn('period_to', 'text', (c) => c.notNull())
		.addColumn('entries', 'text', (c) => c.notNull())
		.addColumn('total_minutes', 'integer', (c) => c.notNull())
		.addColumn('issued_at', 'timestamptz', (c) => c.notNull())
		.addColumn('revoked_at', 'timestamptz')
		.addColumn('signature', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('volunteer_record_person_idx').on('volunteer_record').column('person_id').execute();
	await db.schema.alterTable('municipality').addColumn('hours_threshold', 'integer', (c) => c.notNull().defaultTo(100)).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('municipality').dropColumn('hours_threshold').execute();
	await db.schema.dropTable('volunteer_record').execute();
}
