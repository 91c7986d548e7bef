import type { Kysely } from 'kysely';

// Frozen. Rate limits as one counter row per key (the current fixed window and its hits) instead of
// a row per attempt that every attempt counted: constant work per attempt however busy the key is.
// Hits of the old table are dropped; at worst a key gets a fresh window once.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('rate_limit')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('window_start', 'timestamptz', (c) => c.notNull())
		.addColumn('hits', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('rate_limit_window_idx').on('rate_limit').column('window_start').execute();
	await db.schema.dropTable('rate_limit_hit').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('rate_limit_hit')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('rate_limit_hit_key_idx').on('rate_limit_hit').columns(['key', 'at']).execute();
	await db.schema.dropTable('rate_limit').execute();
}
