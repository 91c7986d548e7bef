// Runs integration suites on a fresh SQLite file and a fresh PostgreSQL database each,
// so parallel files and concurrent CI runs never share state.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { connect, type Dialect } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import type { Database } from '../../src/lib/server/db/schema';
import { generateId } from '../../src/lib/server/ids';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const dialects: Dialect[] = ['sqlite', 'postgres'];

export interface TestDatabase {
	db: Kysely<Database>;
	dialect: Dialect;
	/** Connection settings for a second, independent connection (a second app instance). */
	settings: { databaseUrl?: string; sqlitePath: string };
	destroy(): Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
	const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

export async function createTestDatabase(dialect: Dialect, migrate = true): Promise<TestDatabase> {
	const name = `mt_test_${generateId()}`;
	let settings: TestDatabase['settings'];
	let cleanup: () => Promise<void>;
	if (dialect === 'postgres') {
		// Deliberately no skip: PostgreSQL must be reachable wherever the tests run (CI included).
		await adminQuery(`create database ${name}`);
		const url = new URL(TEST_DATABASE_URL);
		url.pathname = `/${name}`;
		settings = { databaseUrl: url.href, sqlitePath: '' };
		cleanup = () => adminQuery(`drop database if exists ${name} with (force)`);
	} else {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-test-'));
		settings = { sqlitePath: path.join(dir, `${name}.sqlite`) };
		cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
	}
	const { db } = connect(settings);
	if (migrate) await migrateToLatest(db);
	return {
		db,
		dialect,
		settings,
		async destroy() {
			await db.destroy();
			await cleanup();
		}
	};
}
