import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Dialect = 'sqlite' | 'postgres';

export interface Connection {
	db: Kysely<Database>;
	dialect: Dialect;
}

export function isPostgresUrl(url: string | undefined): url is string {
	return !!url && /^postgres(ql)?:\/\//.test(url);
}

/** PostgreSQL when a postgres:// URL is given, otherwise the embedded SQLite file. */
export function connect(options: { databaseUrl?: string; sqlitePath: string }): Connection {
	if (isPostgresUrl(options.databaseUrl)) {
		const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
		// An idle client losing its connection must not crash the process; the next query reports it.
		pool.on('error', (error) => console.error('[db] idle PostgreSQL client error:', error.message));
		return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
	}
	fs.mkdirSync(path.dirname(options.sqlitePath), { recursive: true });
	const database = new SQLite(options.sqlitePath);
	database.pragma('journal_mode = WAL');
	database.pragma('foreign_keys = ON');
	database.pragma('busy_timeout = 5000');
	database.pragma('synchronous = NORMAL');
	return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), dialect: 'sqlite' };
}
