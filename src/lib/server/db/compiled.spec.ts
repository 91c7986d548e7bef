import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compiledOnce } from './compiled';
import type { Database, Db } from './schema';

describe('compiledOnce', () => {
	it('runs the query built once with each call’s values, also inside a transaction', async () => {
		const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
		await sql`create table tag (id text primary key, slug text not null, label_de text not null, label_en text not null)`.execute(db);
		await sql`insert into tag values ('1', 'sport', 'Sport', 'Sports'), ('2', 'kultur', 'Kultur', 'Culture')`.execute(db);
		let builds = 0;
		const bySlug = compiledOnce((d: Db, slug: string, label: string) => {
			builds++;
			return d.selectFrom('tag').select(['id', 'label_en']).where('slug', '=', slug).where('label_de', '!=', label).where('id', '!=', 'x');
		});
		expect(await bySlug(db, 'sport', '-')).toEqual([{ id: '1', label_en: 'Sports' }]);
		expect(await bySlug(db, 'kultur', '-')).toEqual([{ id: '2', label_en: 'Culture' }]);
		expect(await bySlug(db, 'kultur', 'Kultur')).toEqual([]);
		expect(await db.transaction().execute((trx) => bySlug(trx, 'sport', '-'))).toEqual([{ id: '1', label_en: 'Sports' }]);
		expect(builds).toBe(1);
		await db.destroy();
	});

	it('refuses a query that does not bind an argument as a value', async () => {
		const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
		const unbound = compiledOnce((d: Db, _slug: string) => d.selectFrom('tag').select('id'));
		await expect(unbound(db, 'sport')).rejects.toThrow(/not a bound value/);
		await db.destroy();
	});
});
