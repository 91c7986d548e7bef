import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Generated } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './connect';

describe('prepared statement cache (SQLite)', () => {
	it('hands the same statement back for the same SQL, and drops the least recently used', () => {
		const database = withStatementCache(new SQLite(':memory:'), 2);
		const first = database.prepare('SELECT 1');
		expect(database.prepare('SELECT 1')).toBe(first);
		const second = database.prepare('SELECT 2');
		database.prepare('SELECT 1'); // used again: now the most recent
		database.prepare('SELECT 3'); // evicts SELECT 2
		expect(database.prepare('SELECT 1')).toBe(first);
		expect(database.prepare('SELECT 2')).not.toBe(second);
		database.close();
	});

	it('serves Kysely: reads, writes and a schema change in between', async () => {
		const db = new Kysely<{ item: { id: Generated<number>; name: string } }>({ dialect: new SqliteDialect({ database: withStatementCache(new SQLite(':memory:')) }) });
		await db.schema.createTable('item').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text').execute();
		for (const name of ['a', 'b', 'c']) await db.insertInto('item').values({ name }).execute();
		const names = () => db.selectFrom('item').selectAll().orderBy('id').execute();
		expect((await names()).map((r) => r.name)).toEqual(['a', 'b', 'c']);
		await sql`ALTER TABLE item ADD COLUMN extra text`.execute(db);
		// The cached statement is re-prepared by SQLite after the change and sees the new column.
		expect(Object.keys((await names())[0]!)).toEqual(['id', 'name', 'extra']);
		await db.destroy();
	});
});
