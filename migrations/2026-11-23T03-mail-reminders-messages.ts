import type { Kysely } from 'kysely';

// Frozen. Per-message mail headers, scheduled reminders, reminder rules, municipality contact
// addresses, mail opt-out and coordinator messages.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('outbox').addColumn('headers', 'text').execute();
	// Reminders are outbox rows tied to a registration, so a cancellation or move can withdraw them.
	await db.schema.alterTable('outbox').addColumn('event_id', 'text').execute();
	await db.schema.alterTable('outbox').addColumn('registration_id', 'text').execute();
	// A reminder that could not go out before the event began is dropped rather than sent late.
	await db.schema.alterTable('outbox').addColumn('expires_at', 'timestamptz').execute();
	await db.schema.createIndex('outbox_event_idx').on('outbox').columns(['event_id', 'status']).execute();
	await db.schema.createIndex('outbox_registration_idx').on('outbox').columns(['registration_id', 'status']).execute();

	await db.schema.alterTable('municipality').addColumn('contact_email', 'text').execute();
	// JSON [{ "daysBefore": 7, "at": "09:00" }, …]; NULL on an event means "as its series", on a
	// series "the default". An empty array turns reminders off.
	await db.schema.alterTable('series').addColumn('reminder_rules', 'text').execute();
	await db.schema.alterTable('event').addColumn('reminder_rules', 'text').execute();
	await db.schema.alterTable('person').addColumn('mail_opt_out_at', 'timestamptz').execute();

	await db.schema
		.createTable('coordinator_message')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		// JSON array of 'confirmed' | 'waitlisted' | 'attended'
		.addColumn('audiences', 'text', (c) => c.notNull())
		.addColumn('subject_de', 'text', (c) => c.notNull())
		.addColumn('body_de', 'text', (c) => c.notNull())
		.addColumn('subject_en', 'text', (c) => c.notNull())
		.addColumn('body_en', 'text', (c) => c.notNull())
		.addColumn('sent_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('recipient_count', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('coordinator_message_event_idx').on('coordinator_message').column('event_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('coordinator_message').execute();
	await db.schema.alterTable('person').dropColumn('mail_opt_out_at').execute();
	await db.schema.alterTable('event').dropColumn('reminder_rules').execute();
	await db.schema.alterTable('series').dropColumn('reminder_rules').execute();
	await db.schema.alterTable('municipality').dropColumn('contact_email').execute();
	await db.schema.dropIndex('outbox_registration_idx').execute();
	await db.schema.dropIndex('outbox_event_idx').execute();
	for (const column of ['expires_at', 'registration_id', 'event_id', 'headers']) {
		await db.schema.alterTable('outbox').dropColumn(column).execute();
	}
}
