import type { Kysely } from 'kysely';

// Frozen. Matching people with clubs for an event: settings, the coordinator's pins and bans,
// and plans (a draft, the published one, superseded ones) with their slots.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('match_setting')
		.addColumn('event_id', 'text', (c) => c.primaryKey().references('event.id').onDelete('cascade'))
		.addColumn('k', 'integer', (c) => c.notNull().defaultTo(3))
		.addColumn('rounds', 'integer', (c) => c.notNull().defaultTo(6))
		.addColumn('round_minutes', 'integer', (c) => c.notNull().defaultTo(15))
		// NULL: the first round starts when the event starts.
		.addColumn('first_round_at', 'timestamptz')
		.addColumn('table_seats', 'integer', (c) => c.notNull().defaultTo(6))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('match_rule')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('person_id', 'text', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('club_id', 'text', (c) => c.notNull().references('club.id').onDelete('cascade'))
		// 'pin' | 'ban'
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('created_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addUniqueConstraint('match_rule_event_person_club_uq', ['event_id', 'person_id', 'club_id'])
		.execute();

	await db.schema
		.createTable('match_plan')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		// 'draft' | 'published' | 'superseded'
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('created_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('published_at', 'timestamptz')
		// JSON: coverage, average score, load per club, who was not placed and why
		.addColumn('figures', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('match_plan_event_status_idx').on('match_plan').columns(['event_id', 'status']).execute();

	await db.schema
		.createTable('match_slot')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('plan_id', 'text', (c) => c.notNull().references('match_plan.id').onDelete('cascade'))
		.addColumn('person_id', 'text', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('club_id', 'text', (c) => c.notNull().references('club.id').onDelete('cascade'))
		// Market round or Gesprächsrunde round, 0-based; NULL when the pair got no round.
		.addColumn('round', 'integer')
		.addColumn('stall_id', 'text', (c) => c.references('stall.id').onDelete('set null'))
		// Stall number or table label as it was when the plan was made.
		.addColumn('place_label', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('starts_at', 'timestamptz')
		.addColumn('ends_at', 'timestamptz')
		.addColumn('score', 'integer', (c) => c.notNull())
		// JSON Reason[] from the matching core
		.addColumn('reasons', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('match_slot_plan_person_idx').on('match_slot').columns(['plan_id', 'person_id']).execute();
	await db.schema.createIndex('match_slot_plan_club_idx').on('match_slot').columns(['plan_id', 'club_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('match_slot').execute();
	await db.schema.dropTable('match_plan').execute();
	await db.schema.dropTable('match_rule').execute();
	await db.schema.dropTable('match_setting').execute();
}
