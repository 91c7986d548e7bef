import { sql, type Kysely } from 'kysely';

// Frozen. When an Einsatz became public, so alert digests can name Einsätze published since a
// subscription was confirmed. Einsätze published before this migration count from their last change.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('task').addColumn('published_at', 'timestamptz').execute();
	await db.updateTable('task').set({ published_at: sql`updated_at` }).where('status', '!=', 'draft').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('task').dropColumn('published_at').execute();
}
