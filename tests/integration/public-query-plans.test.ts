// Issue 17: the public lists must not get slower with every event ever held. With years of past
// events and Einsätze in the database, the queries behind the home page and the Einsätze list are
// planned with EXPLAIN and must find what is still to come through an index instead of reading the
// whole event or task table.
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/lib/server/db/connect';
import type { Database } from '../../src/lib/server/db/schema';
import * as events from '../../src/lib/server/events';
import * as tasks from '../../src/lib/server/tasks';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const now = new Date('2027-03-01T09:00:00.000Z');
const PAST_EVENTS = 20_000;
const UPCOMING_EVENTS = 30;
/** Of the past events, this many are shifts of an Einsatz each; the upcoming ones too. */
const PAST_TASKS = 3_000;

function eventRow(index: number, startsAt: Date, taskId: string | null = null) {
	const at = startsAt.toISOString();
	return {
		id: `e${index}`,
		task_id: taskId,
		kind: taskId ? ('shift' as const) : ('round_table' as const),
		title: `Gesprächsrunde ${index}`,
		starts_at: at,
		ends_at: new Date(startsAt.getTime() + 2 * 3600_000).toISOString(),
		time_zone: 'Europe/Vienna',
		capacity: 20,
		status: 'published' as const,
		ical_uid: `e${index}@miteinander.test`,
		created_at: at,
		updated_at: at
	};
}

/** A second connection that records the SQL it runs, as the app's pages would run it. */
function recordingConnection(t: TestDatabase, queries: CompiledQuery[]): Kysely<Database> {
	const log = (entry: { level: string; query: CompiledQuery }) => {
		if (entry.level === 'query') queries.push(entry.query);
	};
	const dialect =
		t.dialect === 'postgres'
			? new PostgresDialect({ pool: new pg.Pool({ connectionString: t.settings.databaseUrl, max: 1 }) })
			: new SqliteDialect({ database: new SQLite(t.settings.sqlitePath) });
	return new Kysely<Database>({ dialect, log });
}

async function planOf(db: Kysely<Database>, dialect: string, query: CompiledQuery): Promise<string> {
	const explain = dialect === 'postgres' ? 'explain ' : 'explain query plan ';
	const { rows } = await db.executeQuery<Record<string, unknown>>({ ...query, sql: explain + query.sql });
	return rows.map((row) => String(row['QUERY PLAN'] ?? row.detail)).join('\n');
}

describe.each(dialects)('public list queries on %s', (dialect) => {
	let t: TestDatabase;

	beforeAll(async () => {
		t = await createTestDatabase(dialect);
		const at = now.toISOString();
		await t.db.insertInto('municipality').values({ id: 'm1', slug: 'imst', name: 'Imst', country: 'AT', time_zone: 'Europe/Vienna', created_at: at }).execute();
		const taskRows = Array.from({ length: PAST_TASKS + UPCOMING_EVENTS }, (_, i) => ({
			id: `t${i}`, municipality_id: 'm1', club_id: null, title: `Einsatz ${i}`, min_age: null, status: 'published' as const,
			created_by: null, created_at: at, updated_at: at, published_at: at
		}));
		for (let i = 0; i < taskRows.length; i += 500) await t.db.insertInto('task').values(taskRows.slice(i, i + 500)).execute();
		// Past events, the last PAST_TASKS of them shifts; upcoming ones, every other one a shift.
		const past = Array.from({ length: PAST_EVENTS }, (_, i) =>
			eventRow(i, new Date(now.getTime() - (PAST_EVENTS - i) * 6 * 3600_000), i >= PAST_EVENTS - PAST_TASKS ? `t${i - (PAST_EVENTS - PAST_TASKS)}` : null)
		);
		const upcoming = Array.from({ length: UPCOMING_EVENTS }, (_, i) =>
			eventRow(PAST_EVENTS + i, new Date(now.getTime() + (i + 1) * 24 * 3600_000), i % 2 ? `t${PAST_TASKS + i}` : null)
		);
		const rows = [...past, ...upcoming];
		for (let i = 0; i < rows.length; i += 500) await t.db.insertInto('event').values(rows.slice(i, i + 500)).execute();
		if (dialect === 'postgres') {
			// What autovacuum does on a running server after this many inserts.
			await sql`analyze`.execute(t.db);
		} else {
			// What the app does when it opens the file (see keepStatisticsFresh in db/connect.ts).
			await connect(t.settings).db.destroy();
		}
	}, 120_000);

	afterAll(async () => {
		await t?.destroy();
	});

	it('the home page finds upcoming events through an index, not by reading every past event', async () => {
		const queries: CompiledQuery[] = [];
		const recording = recordingConnection(t, queries);
		try {
			const { items, total } = await events.listUpcoming(recording, { now, limit: 20, offset: 0 });
			expect(total).toBe(UPCOMING_EVENTS);
			expect(items.map((e) => e.id)).toEqual(Array.from({ length: 20 }, (_, i) => `e${PAST_EVENTS + i}`));

			const eventQueries = queries.filter((q) => /from "event"/.test(q.sql));
			expect(eventQueries.length).toBeGreaterThanOrEqual(2);
			for (const query of eventQueries) {
				const plan = await planOf(recording, dialect, query);
				// SQLite: "SCAN event" reads the whole table (also in index order); PostgreSQL: "Seq Scan on event".
				expect(plan, `${query.sql}\n${plan}`).not.toMatch(/^\s*SCAN event\b|Seq Scan on event\b/m);
				expect(plan).toMatch(/event_ends_idx/);
			}
		} finally {
			await recording.destroy();
		}
	});

	it('the Einsätze list finds the tasks of shifts still to come through an index, not by reading every task', async () => {
		const queries: CompiledQuery[] = [];
		const recording = recordingConnection(t, queries);
		try {
			const { items, total } = await tasks.listPublished(recording, { now, limit: 20, offset: 0 });
			expect(total).toBe(UPCOMING_EVENTS / 2);
			expect(items[0]?.id).toBe(`t${PAST_TASKS + 1}`);

			const listQueries = queries.filter((q) => /from "task"/.test(q.sql) && /"event"/.test(q.sql));
			expect(listQueries.length).toBeGreaterThanOrEqual(2);
			for (const query of listQueries) {
				const plan = await planOf(recording, dialect, query);
				// The shifts still to come are found by their end, and their tasks by id. (PostgreSQL may
				// rightly hash-join a few thousand tasks read in one sweep; SQLite would instead look up the
				// shifts of every task one by one, which a SCAN or a search by municipality shows.)
				expect(plan, `${query.sql}\n${plan}`).toMatch(/event_ends_idx/);
				expect(plan, `${query.sql}\n${plan}`).not.toMatch(/^\s*SCAN event\b|Seq Scan on event\b/m);
				if (dialect === 'sqlite') expect(plan, `${query.sql}\n${plan}`).toMatch(/SEARCH task USING (COVERING )?INDEX sqlite_autoindex_task_1 \(id=\?\)/);
			}
		} finally {
			await recording.destroy();
		}
	});
});
