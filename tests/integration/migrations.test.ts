import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, migrations } from '../../src/lib/server/db/migrate';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

describe.each(dialects)('migrations on %s', (dialect) => {
	let test: TestDatabase;
	afterEach(() => test.destroy());

	it('creates every table once and is idempotent', async () => {
		test = await createTestDatabase(dialect, false);
		const first = await migrateToLatest(test.db);
		expect(first.map((r) => r.status)).toEqual(first.map(() => 'Success'));
		expect(first.length).toBeGreaterThan(0);
		expect(await migrateToLatest(test.db)).toEqual([]);

		const tables = (await test.db.introspection.getTables()).map((t) => t.name).sort();
		for (const table of ['audit_log', 'coordinator', 'login_token', 'municipality', 'outbox', 'rate_limit', 'session', 'user', 'venue']) {
			expect(tables).toContain(table);
		}
	});

	it('enforces foreign keys and unique constraints', async () => {
		test = await createTestDatabase(dialect);
		const now = new Date().toISOString();
		await expect(
			test.db
				.insertInto('venue')
				.values({ id: 'v1', municipality_id: 'missing', name: 'X', street: 'S', postal_code: '1', city: 'C', capacity: null, created_at: now })
				.execute()
		).rejects.toThrow();
		await test.db.insertInto('user').values({ id: 'u1', email: 'a@b.at', name: 'A', created_at: now }).execute();
		await expect(
			test.db.insertInto('user').values({ id: 'u2', email: 'a@b.at', name: 'B', created_at: now }).execute()
		).rejects.toThrow();
		const count = await sql<{ n: number }>`select count(*) as n from ${sql.table('user')}`.execute(test.db);
		expect(Number(count.rows[0]!.n)).toBe(1);
	});

	it('rolls a failing migration back whole and keeps the ones before it', async () => {
		test = await createTestDatabase(dialect);
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const createNote = (table: string) => async (db: Kysely<any>) => {
			await db.schema.createTable(table).addColumn('id', 'text', (c) => c.primaryKey()).execute();
			await db.insertInto(table).values({ id: 'n1' }).execute();
			await db.updateTable('municipality').set({ name: 'changed' }).execute();
		};
		const withFailing = {
			...migrations,
			'9999-01-01T01-works': { up: createNote('works_note') },
			'9999-01-01T02-fails': {
				// eslint-disable-next-line @typescript-eslint/no-explicit-any
				async up(db: Kysely<any>) {
					await createNote('half_note')(db);
					await db.insertInto('half_note').values({ id: 'n1' }).execute(); // duplicate key
				}
			}
		};
		await test.db.insertInto('municipality').values({ id: 'm1', slug: 'imst', name: 'Imst', country: 'AT', time_zone: 'Europe/Vienna', created_at: new Date().toISOString() }).execute();

		await expect(migrateToLatest(test.db, withFailing)).rejects.toThrow(/migration 9999-01-01T02-fails failed and was rolled back/);
		const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(test.db);
		expect(applied.rows.map((r) => r.name)).toEqual([...Object.keys(migrations).sort(), '9999-01-01T01-works']);
		const tables = (await test.db.introspection.getTables()).map((t) => t.name);
		expect(tables).toContain('works_note');
		expect(tables).not.toContain('half_note');
		// The first one's update stays; the failing one's own changes are gone with it.
		expect(await test.db.selectFrom('municipality').select('name').execute()).toEqual([{ name: 'changed' }]);

		// Once the broken migration is fixed, the next start carries on from there.
		const fixed = { ...withFailing, '9999-01-01T02-fails': { up: createNote('half_note') } };
		expect((await migrateToLatest(test.db, fixed)).map((s) => s.migrationName)).toEqual(['9999-01-01T02-fails']);
		expect(await migrateToLatest(test.db, fixed)).toEqual([]);
	});

	it('refuses a database that a newer version has migrated', async () => {
		test = await createTestDatabase(dialect);
		await migrateToLatest(test.db, { ...migrations, '9999-01-01T01-newer': { up: async () => {} } });
		await expect(migrateToLatest(test.db)).rejects.toThrow(/9999-01-01T01-newer, which this version does not know/);
	});
});

