// Upgrades a database made by an earlier version (tests/fixtures/upgrade/<migration>.sqlite and its
// JSON form, written by `npm run make-upgrade-fixture`) to the current schema and checks that every
// row of every table is still there, unchanged, in the columns that still exist. New columns and
// new rows may appear; a table or column a later migration drops is left out of the comparison.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Dialect } from '../../src/lib/server/db/connect';
import { migrateTo, migrateToLatest, migrations } from '../../src/lib/server/db/migrate';
import type { Database } from '../../src/lib/server/db/schema';
import { createTestDatabase, dialects } from './databases';
import { rowsOf, tablesOf } from './schema-dump';

type Row = Record<string, unknown>;
interface Fixture {
	migration: string;
	tables: { name: string; rows: Row[] }[];
}

const fixtureDir = path.resolve(import.meta.dirname, '../fixtures/upgrade');
const fixtureNames = fs
	.readdirSync(fixtureDir)
	.filter((f) => f.endsWith('.json'))
	.map((f) => f.slice(0, -'.json'.length))
	.sort();
const names = Object.keys(migrations).sort();

function readFixture(name: string): Fixture {
	return JSON.parse(fs.readFileSync(path.join(fixtureDir, `${name}.json`), 'utf8')) as Fixture;
}

describe.each(fixtureNames)('fixture %s', (name) => {
	const fixture = readFixture(name);

	it('is at the migration it is named after, and its JSON holds the rows of its SQLite file', () => {
		expect(fixture.migration).toBe(name);
		const raw = new SQLite(path.join(fixtureDir, `${name}.sqlite`), { readonly: true });
		try {
			const applied = (raw.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
			expect(applied).toEqual(names.slice(0, names.indexOf(name) + 1));
			const tables = (raw.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`).all() as { name: string }[]).map((r) => r.name);
			expect(fixture.tables.map((t) => t.name).sort()).toEqual(tables.sort());
			for (const table of fixture.tables) {
				expect(table.rows.length, `${table.name} has no rows: the fixture should fill every table`).toBeGreaterThan(0);
				expect(raw.prepare(`select * from "${table.name}" order by rowid`).all(), table.name).toEqual(table.rows);
			}
		} finally {
			raw.close();
		}
	});

	describe.each(dialects)('upgrade on %s', (dialect) => {
		let test: Loaded | undefined;
		afterEach(() => test?.destroy());

		it('reaches the current schema with every row of the fixture intact', async () => {
			test = await load(fixture, dialect);
			const steps = await migrateToLatest(test.db);
			expect(steps.map((s) => s.migrationName)).toEqual(names.slice(names.indexOf(name) + 1));
			expect(await lostRows(test.db, fixture)).toEqual({});
		});

		it('would notice a migration that changes a row, and accepts new columns and rows', async () => {
			test = await load(fixture, dialect);
			const [table, column] = ['person', 'name'];
			const changed = fixture.tables.find((t) => t.name === table)!.rows[0]!;
			const next = {
				...migrations,
				'9999-01-01T01-next': {
					// eslint-disable-next-line @typescript-eslint/no-explicit-any
					async up(db: Kysely<any>) {
						await db.schema.alterTable(table).addColumn('nickname', 'text', (c) => c.notNull().defaultTo('')).execute();
						await db.insertInto('tag').values({ id: 'new-tag', slug: 'neu', label_de: 'Neu', label_en: 'New', created_at: new Date().toISOString() }).execute();
						await db.updateTable(table).set({ [column]: 'Geändert' }).where('id', '=', changed.id).execute();
					}
				}
			};
			await migrateToLatest(test.db, next);
			expect(await lostRows(test.db, fixture)).toEqual({ [table]: [changed] });
		});
	});
});

interface Loaded {
	db: Kysely<Database>;
	destroy(): Promise<void>;
}

/** A database with the fixture's content at the fixture's migration. */
async function load(fixture: Fixture, dialect: Dialect): Promise<Loaded> {
	if (dialect === 'sqlite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-upgrade-'));
		const copy = path.join(dir, `${fixture.migration}.sqlite`);
		fs.copyFileSync(path.join(fixtureDir, `${fixture.migration}.sqlite`), copy);
		const { db } = connect({ sqlitePath: copy });
		return { db, destroy: async () => (await db.destroy(), fs.rmSync(dir, { recursive: true, force: true })) };
	}
	const test = await createTestDatabase(dialect, false);
	await migrateTo(test.db, fixture.migration);
	// The fixture is the whole content at that migration, rows its migrations seeded included.
	await test.db.transaction().execute(async (trx) => {
		for (const table of fixture.tables.toReversed()) await trx.deleteFrom(table.name as never).execute();
		for (const table of fixture.tables) {
			for (let i = 0; i < table.rows.length; i += 100) await trx.insertInto(table.name as never).values(table.rows.slice(i, i + 100) as never).execute();
		}
	});
	return test;
}

/**
 * The fixture's rows that are no longer in the database, per table, compared in the columns that
 * still exist (as a multiset: two equal rows need two rows).
 */
async function lostRows(db: Kysely<Database>, fixture: Fixture): Promise<Record<string, Row[]>> {
	const lost: Record<string, Row[]> = {};
	const current = await tablesOf(db);
	for (const table of fixture.tables) {
		const columns = current.get(table.name);
		if (!columns) continue; // dropped by a later migration
		const kept = Object.keys(table.rows[0]!).filter((c) => columns.has(c));
		const key = (row: Row) => JSON.stringify(kept.map((c) => normalise(row[c], columns.get(c)!)));
		const remaining = new Map<string, number>();
		for (const row of await rowsOf(db, table.name)) remaining.set(key(row), (remaining.get(key(row)) ?? 0) + 1);
		const missing = table.rows.filter((row) => {
			const count = remaining.get(key(row)) ?? 0;
			remaining.set(key(row), count - 1);
			return count <= 0;
		});
		if (missing.length > 0) lost[table.name] = missing;
	}
	return lost;
}

/** PostgreSQL gives timestamps as Date objects; the fixture keeps SQLite's ISO text. */
function normalise(value: unknown, dataType: string): unknown {
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'string' && /^timestamp/.test(dataType)) return new Date(value).toISOString();
	return value;
}
