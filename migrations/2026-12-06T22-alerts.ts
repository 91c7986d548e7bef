import { sql, type Kysely } from 'kysely';

// Frozen. Alerts: a person with a kept profile asks (double opt-in) for a digest of new offers that
// fit them. alert_sent remembers every item a person was told about; its primary key makes "exactly
// once per person and item" hold even when two workers build a digest at the same time. An offer's
// first publication time decides what is new; offers already published keep their creation time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('alert_subscription')
		.addColumn('id', 'text', (c) => c.primaryKey())
		// One subscription per person: subscribing again replaces the choices.
		.addColumn('person_id', 'text', (c) => c.notNull().unique().references('person.id').onDelete('cascade'))
		.addColumn('municipality_id', 'text', (c) => c.notNull().references('municipality.id').onDelete('cascade'))
		// 'weekly' | 'daily'
		.addColumn('frequency', 'text', (c) => c.notNull().defaultTo('weekly'))
		.addColumn('locale', 'text', (c) => c.notNull().defaultTo('de'))
		.addColumn('confirm_secret_hash', 'text')
		.addColumn('confirm_expires_at', 'timestamptz')
		.addColumn('unsubscribe_secret_hash', 'text', (c) => c.notNull())
		.addColumn('confirmed_at', 'timestamptz')
		.addColumn('last_sent_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('alert_sent')
		.addColumn('person_id', 'text', (c) => c.notNull().references('person.id').onDelete('cascade'))
		// 'offer' | 'task' (Einsätze)
		.addColumn('item_kind', 'text', (c) => c.notNull())
		.addColumn('item_id', 'text', (c) => c.notNull())
		.addColumn('sent_at', 'timestamptz', (c) => c.notNull())
		.addPrimaryKeyConstraint('alert_sent_pk', ['person_id', 'item_kind', 'item_id'])
		.execute();
	await db.schema.alterTable('offer').addColumn('published_at', 'timestamptz').execute();
	await sql`update offer set published_at = created_at where status = 'published'`.execute(db);
	await db.schema.createIndex('offer_published_at_idx').on('offer').column('published_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('offer_published_at_idx').execute();
	await db.schema.alterTable('offer').dropColumn('published_at').execute();
	await db.schema.dropTable('alert_sent').execute();
	await db.schema.dropTable('alert_subscription').execute();
}
