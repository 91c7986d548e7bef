import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/lib/server/db/connect';
import * as rateLimit from '../../src/lib/server/rate-limit';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const WINDOW = 15 * 60_000;

describe.each(dialects)('rate limits on %s', (dialect) => {
	let test: TestDatabase;
	// The start of a window, so that t0 + a few minutes stays in it.
	const t0 = new Date(Math.floor(new Date('2026-12-06T09:00:00.000Z').getTime() / WINDOW) * WINDOW);
	const at = (ms: number) => new Date(t0.getTime() + ms);

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
	});
	afterAll(() => test.destroy());

	it('allows `limit` attempts per window and key, then refuses until the next window', async () => {
		const results = [];
		for (let i = 0; i < 5; i++) results.push(await rateLimit.consume(test.db, 'ip:a', 3, WINDOW, at(i * 60_000)));
		expect(results).toEqual([true, true, true, false, false]);
		expect(await rateLimit.consume(test.db, 'ip:b', 3, WINDOW, at(0))).toBe(true);
		expect(await rateLimit.consume(test.db, 'ip:a', 3, WINDOW, at(WINDOW))).toBe(true);
		// One row per key, however many attempts.
		const rows = await test.db.selectFrom('rate_limit').select(['key', 'hits']).orderBy('key').execute();
		expect(rows).toEqual([{ key: 'ip:a', hits: 1 }, { key: 'ip:b', hits: 1 }]);
	});

	it('counts into the newer window when an instance with a clock behind arrives late', async () => {
		expect(await rateLimit.consume(test.db, 'skew', 2, WINDOW, at(WINDOW * 10))).toBe(true);
		expect(await rateLimit.consume(test.db, 'skew', 2, WINDOW, at(WINDOW * 10 - 1000))).toBe(true);
		expect(await rateLimit.consume(test.db, 'skew', 2, WINDOW, at(WINDOW * 10 + 1000))).toBe(false);
	});

	it('counts every attempt exactly once when many arrive at once from two instances', async () => {
		// On PostgreSQL a second pool is a second app instance; SQLite has one writer per file.
		const second = dialect === 'postgres' ? connect(test.settings).db : test.db;
		try {
			const results = await Promise.all(
				Array.from({ length: 60 }, (_, i) => rateLimit.consume(i % 2 === 0 ? test.db : second, 'rush', 25, WINDOW, at(i)))
			);
			expect(results.filter(Boolean)).toHaveLength(25);
		} finally {
			if (second !== test.db) await second.destroy();
		}
		const row = await test.db.selectFrom('rate_limit').select('hits').where('key', '=', 'rush').executeTakeFirstOrThrow();
		expect(row.hits).toBe(60);
	});

	it('housekeeping forgets windows that ended long ago and keeps current ones', async () => {
		await rateLimit.consume(test.db, 'old', 3, WINDOW, at(-2 * 86_400_000));
		await rateLimit.consume(test.db, 'new', 3, WINDOW, at(0));
		await rateLimit.deleteOldWindows(test.db, at(-86_400_000));
		const keys = (await test.db.selectFrom('rate_limit').select('key').execute()).map((r) => r.key);
		expect(keys).not.toContain('old');
		expect(keys).toContain('new');
	});
});
