import { CompiledQuery, type Compilable } from 'kysely';
import type { Db } from './schema';

const PLACEHOLDER = '\u0000compiled-once:';

/**
 * Kysely builds and compiles a query on every call; for a wide select that costs several times
 * what SQLite needs to run it. For hot queries of a fixed shape, `compiledOnce` builds the query
 * once per dialect with placeholder values and afterwards only puts the call's values in place.
 * `build` must use each argument as a bound value (not as a list for `in`, not in raw SQL text).
 */
export function compiledOnce<A extends unknown[], R>(build: (db: Db, ...args: A) => Compilable<R>) {
	// Per dialect adapter, which a Kysely instance shares with its transactions.
	const compiled = new WeakMap<object, { sql: string; parameters: readonly unknown[]; slots: (number | undefined)[] }>();
	return async (db: Db, ...args: A): Promise<R[]> => {
		const adapter = db.getExecutor().adapter;
		let entry = compiled.get(adapter);
		if (!entry) {
			const query = build(db, ...(args.map((_, i) => `${PLACEHOLDER}${i}`) as A)).compile();
			const slots = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(PLACEHOLDER) ? Number(p.slice(PLACEHOLDER.length)) : undefined));
			if (args.some((_, i) => !slots.includes(i))) throw new Error(`compiledOnce: an argument is not a bound value in ${query.sql}`);
			entry = { sql: query.sql, parameters: query.parameters, slots };
			compiled.set(adapter, entry);
		}
		const { sql, parameters, slots } = entry;
		const values = parameters.map((p, i) => (slots[i] === undefined ? p : args[slots[i]!]));
		return (await db.executeQuery<R>(CompiledQuery.raw(sql, values))).rows;
	};
}
