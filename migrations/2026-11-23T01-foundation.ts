import type { Kysely } from 'kysely';

// Frozen. Portable DDL only: text ids from the app, timestamptz (PostgreSQL) / ISO text (SQLite),
// integer 0/1 flags because better-sqlite3 cannot bind booleans.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('municipality')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('country', 'text', (c) => c.notNull())
		.addColumn('time_zone', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('venue')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('municipality_id', 'text', (c) =>
			c.notNull().references('municipality.id').onDelete('cascade')
		)
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('street', 'text', (c) => c.notNull())
		.addColumn('postal_code', 'text', (c) => c.notNull())
		.addColumn('city', 'text', (c) => c.notNull())
		.addColumn('capacity', 'integer')
		.addColumn('accessibility_notes', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('venue_municipality_idx').on('venue').column('municipality_id').execute();

	await db.schema
		.createTable('user')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('email', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('locale', 'text', (c) => c.notNull().defaultTo('de'))
		.addColumn('is_platform_admin', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('last_sign_in_at', 'timestamptz')
		.execute();

	await db.schema
		.createTable('session')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
		.addColumn('secret_hash', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('session_user_idx').on('session').column('user_id').execute();

	await db.schema
		.createTable('login_token')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
		.addColumn('secret_hash', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('used_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('login_token_user_idx').on('login_token').column('user_id').execute();

	await db.schema
		.createTable('coordinator')
		.addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
		.addColumn('municipality_id', 'text', (c) =>
			c.notNull().references('municipality.id').onDelete('cascade')
		)
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addPrimaryKeyConstraint('coordinator_pk', ['user_id', 'municipality_id'])
		.execute();

	await db.schema
		.createTable('outbox')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
		.addColumn('recipient', 'text', (c) => c.notNull())
		.addColumn('locale', 'text', (c) => c.notNull())
		.addColumn('template', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('text_body', 'text', (c) => c.notNull())
		.addColumn('html_body', 'text', (c) => c.notNull())
		.addColumn('attachments', 'text')
		.addColumn('municipality_id', 'text', (c) =>
			c.references('municipality.id').onDelete('set null')
		)
		.addColumn('user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
		.addColumn('lease_owner', 'text')
		.addColumn('lease_until', 'timestamptz')
		.addColumn('last_error', 'text')
		.addColumn('sent_at', 'timestamptz')
		.addColumn('message_id', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('outbox_due_idx')
		.on('outbox')
		.columns(['status', 'next_attempt_at'])
		.execute();
	await db.schema.createIndex('outbox_created_idx').on('outbox').column('created_at').execute();

	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('at', 'timestamptz', (c) => c.notNull())
		.addColumn('actor_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('entity_type', 'text', (c) => c.notNull())
		.addColumn('entity_id', 'text')
		.addColumn('municipality_id', 'text', (c) =>
			c.references('municipality.id').onDelete('set null')
		)
		.addColumn('details', 'text')
		.execute();
	await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();

	await db.schema
		.createTable('rate_limit_hit')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('rate_limit_hit_key_idx')
		.on('rate_limit_hit')
		.columns(['key', 'at'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'rate_limit_hit',
		'audit_log',
		'outbox',
		'coordinator',
		'login_token',
		'session',
		'user',
		'venue',
		'municipality'
	]) {
		await db.schema.dropTable(table).execute();
	}
}
