import type { Kysely } from 'kysely';

// Frozen. Einsätze (tasks): a dated engagement with one or several shifts. Each shift is an event
// row of kind 'shift' with `task_id`, so registration, waiting list, calendar, reminders and the
// roster work for shifts unchanged. `registration.places`: a team signs up for several places.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('task')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('municipality_id', 'text', (c) => c.notNull().references('municipality.id').onDelete('cascade'))
		.addColumn('club_id', 'text', (c) => c.references('club.id').onDelete('cascade'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('min_age', 'integer')
		.addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('accessibility', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('created_by', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('task_municipality_idx').on('task').column('municipality_id').execute();
	await db.schema.createIndex('task_club_idx').on('task').column('club_id').execute();

	await db.schema
		.createTable('task_tag')
		.addColumn('task_id', 'text', (c) => c.notNull().references('task.id').onDelete('cascade'))
		.addColumn('tag_id', 'text', (c) => c.notNull().references('tag.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('task_tag_pk', ['task_id', 'tag_id'])
		.execute();
	await db.schema
		.createTable('task_competence')
		.addColumn('task_id', 'text', (c) => c.notNull().references('task.id').onDelete('cascade'))
		.addColumn('competence_id', 'text', (c) => c.notNull().references('competence.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('task_competence_pk', ['task_id', 'competence_id'])
		.execute();

	await db.schema.alterTable('event').addColumn('task_id', 'text').execute();
	await db.schema.createIndex('event_task_idx').on('event').column('task_id').execute();
	await db.schema.alterTable('registration').addColumn('places', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	const shifts = db.selectFrom('event').select('id').where('kind', '=', 'shift');
	await db.deleteFrom('registration').where('event_id', 'in', shifts).execute();
	await db.deleteFrom('event_host').where('event_id', 'in', shifts).execute();
	await db.deleteFrom('event').where('kind', '=', 'shift').execute();
	await db.schema.alterTable('registration').dropColumn('places').execute();
	await db.schema.dropIndex('event_task_idx').execute();
	await db.schema.alterTable('event').dropColumn('task_id').execute();
	await db.schema.dropTable('task_competence').execute();
	await db.schema.dropTable('task_tag').execute();
	await db.schema.dropTable('task').execute();
}
