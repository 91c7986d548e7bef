import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
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
});
