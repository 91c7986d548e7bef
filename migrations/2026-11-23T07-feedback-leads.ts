import type { Kysely } from 'kysely';

// Frozen. After the event: one feedback form per attendee and per club of an event, and leads
// ("I'd like to try this club") that the club follows up. Rows outlive the person: erasure sets
// person_id to NULL so the aggregate figures stay.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// Hours after an event ends before feedback requests go out.
	await db.schema.alterTable('event').addColumn('feedback_delay_hours', 'integer', (c) => c.notNull().defaultTo(24)).execute();

	await db.schema
		.createTable('feedback')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		// 'person' | 'club'
		.addColumn('respondent', 'text', (c) => c.notNull())
		.addColumn('person_id', 'text', (c) => c.references('person.id').onDelete('set null'))
		.addColumn('club_id', 'text', (c) => c.references('club.id').onDelete('cascade'))
		// Person: how useful the event was, 1–5; which clubs they talked to and want to try (JSON id lists).
		.addColumn('usefulness', 'integer')
		.addColumn('talked_to', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('wants_to_try', 'text', (c) => c.notNull().defaultTo('[]'))
		// Club: conversations held, new volunteers, what to change.
		.addColumn('talks', 'integer')
		.addColumn('new_volunteers', 'integer')
		.addColumn('changes', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('requested_at', 'timestamptz', (c) => c.notNull())
		.addColumn('reminded_at', 'timestamptz')
		.addColumn('answered_at', 'timestamptz')
		.addColumn('updated_at', 'timestamptz')
		// Answers can be given and changed until then (two weeks after the request).
		.addColumn('editable_until', 'timestamptz', (c) => c.notNull())
		.addUniqueConstraint('feedback_event_person_uq', ['event_id', 'person_id'])
		.addUniqueConstraint('feedback_event_club_uq', ['event_id', 'club_id'])
		.execute();

	await db.schema
		.createTable('lead')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('person_id', 'text', (c) => c.references('person.id').onDelete('set null'))
		.addColumn('club_id', 'text', (c) => c.notNull().references('club.id').onDelete('cascade'))
		// 'new' | 'contacted' | 'trying' | 'joined' | 'not_a_fit'
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addUniqueConstraint('lead_event_person_club_uq', ['event_id', 'person_id', 'club_id'])
		.execute();
	await db.schema.createIndex('lead_club_status_idx').on('lead').columns(['club_id', 'status']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('lead').execute();
	await db.schema.dropTable('feedback').execute();
	await db.schema.alterTable('event').dropColumn('feedback_delay_hours').execute();
}
