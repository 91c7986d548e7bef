import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { FALLBACK_CHECKPOINT_PAGES, startCheckpointer } from './checkpoint';
import type { Database } from './schema';

export type Dialect = 'sqlite' | 'postgres';

export interface Connection {
	db: Kysely<Database>;
	dialect: Dialect;
}

export function isPostgresUrl(url: string | undefined): url is string {
	return !!url && /^postgres(ql)?:\/\//.test(url);
}

/**
 * PostgreSQL when a postgres:// URL is given, otherwise the embedded SQLite file.
 * `backgroundCheckpoints`: SQLite's log is checkpointed by a worker thread (see checkpoint.ts);
 * for the long-running app, not for short-lived scripts and tests.
 */
export function connect(options: { databaseUrl?: string; sqlitePath: string; backgroundCheckpoints?: boolean }): Connection {
	if (isPostgresUrl(options.databaseUrl)) {
		const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10, connectionTimeoutMillis: 5000 });
		// A client that loses its connection emits 'error'; unheard, that ends the process. The pool
		// hears it only for idle clients, so every client gets a listener of its own, also while a
		// request holds it (between the statements of a transaction). pg-pool then discards the
		// broken client on release, and the next request connects afresh once the server is back.
		const onClientError = (error: Error) => console.warn('[db] PostgreSQL connection lost:', error.message);
		pool.on('connect', (client) => client.on('error', onClientError));
		pool.on('error', () => {}); // the pool repeats an idle client's error, already logged above
		return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
	}
	fs.mkdirSync(path.dirname(options.sqlitePath), { recursive: true });
	const database = new SQLite(options.sqlitePath);
	database.pragma('journal_mode = WAL');
	database.pragma('foreign_keys = ON');
	database.pragma('busy_timeout = 5000');
	database.pragma('synchronous = NORMAL');
	keepStatisticsFresh(database);
	const cached = withStatementCache(database);
	if (options.backgroundCheckpoints) {
		database.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
		const checkpointer = startCheckpointer(options.sqlitePath);
		cached.close = () => {
			void checkpointer.stop();
			database.close();
		};
	}
	return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) }), dialect: 'sqlite' };
}

const OPTIMIZE_EVERY_MS = 60 * 60 * 1000;

/**
 * SQLite plans from table statistics that only ANALYZE gathers; without them it lists upcoming
 * events by walking every past one in start order. PostgreSQL's autovacuum does this by itself.
 * This is what SQLite recommends for long-lived connections: optimize on open, then periodically.
 */
function keepStatisticsFresh(database: SQLite.Database): void {
	// Statistics only steer plans: a busy or read-only file is no reason to fail.
	const optimize = (mask = '') => {
		try {
			database.pragma(`optimize${mask}`);
		} catch (error) {
			console.warn('[db] PRAGMA optimize failed:', (error as Error).message);
		}
	};
	database.pragma('analysis_limit = 400');
	optimize(' = 0x10002');
	const timer = setInterval(() => (database.open ? optimize() : clearInterval(timer)), OPTIMIZE_EVERY_MS);
	timer.unref();
}

/**
 * Kysely prepares every query anew; with better-sqlite3 that is a measurable share of a page's time.
 * The same SQL text gets the same prepared statement back (the least recently used are dropped).
 * Safe because Kysely runs one statement at a time on this connection and we never stream.
 */
export function withStatementCache(database: SQLite.Database, size = 500): SqliteDatabase {
	const cache = new Map<string, SQLite.Statement>();
	return {
		close: () => database.close(),
		prepare(sql) {
			let statement = cache.get(sql);
			if (statement) cache.delete(sql);
			else statement = database.prepare(sql);
			cache.set(sql, statement);
			if (cache.size > size) cache.delete(cache.keys().next().value!);
			return statement;
		}
	};
}
