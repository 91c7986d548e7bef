// Two processes migrate the same empty database at the same moment, as two instances (or the app and
// `npm run worker`) starting together would: both succeed and every migration is applied once.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/lib/server/db/migrate';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { schemaOf } from './schema-dump';

const root = path.resolve(import.meta.dirname, '../..');

interface Migrator {
	ready: Promise<void>;
	go(): void;
	finished: Promise<{ code: number | null; applied: string[]; output: string }>;
}

function startMigrator(settings: TestDatabase['settings']): Migrator {
	const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['tests/integration/migrate-child.ts'], {
		cwd: root,
		env: { PATH: process.env.PATH ?? '', DATABASE_URL: settings.databaseUrl ?? '', DATABASE_PATH: settings.sqlitePath },
		stdio: ['pipe', 'pipe', 'pipe']
	});
	let output = '';
	let onReady: () => void;
	const ready = new Promise<void>((resolve) => (onReady = resolve));
	child.stdout.on('data', (chunk) => {
		output += chunk;
		if (output.includes('ready\n')) onReady();
	});
	child.stderr.on('data', (chunk) => (output += chunk));
	const finished = new Promise<{ code: number | null; applied: string[]; output: string }>((resolve) =>
		child.once('exit', (code) => {
			const line = output.split('\n').find((l) => l.startsWith('{'));
			resolve({ code, applied: line ? (JSON.parse(line) as { applied: string[] }).applied : [], output });
		})
	);
	return {
		ready: Promise.race([ready, finished.then(({ output }) => Promise.reject(new Error(`migrator ended before it was ready:\n${output}`)))]),
		go: () => child.stdin.end('go\n'),
		finished
	};
}

describe.each(dialects)('concurrent migrations on %s', (dialect) => {
	const databases: TestDatabase[] = [];
	afterEach(async () => {
		await Promise.all(databases.splice(0).map((d) => d.destroy()));
	});

	it('two processes migrating an empty database at once apply every migration exactly once', async () => {
		const empty = await createTestDatabase(dialect, false);
		const reference = await createTestDatabase(dialect);
		databases.push(empty, reference);

		const migrators = [startMigrator(empty.settings), startMigrator(empty.settings)];
		await Promise.all(migrators.map((m) => m.ready));
		for (const m of migrators) m.go();
		const results = await Promise.all(migrators.map((m) => m.finished));

		for (const result of results) expect(result.code, result.output).toBe(0);
		const names = Object.keys(migrations).sort();
		expect(results.flatMap((r) => r.applied).sort()).toEqual(names);
		const recorded = await empty.db.selectFrom('kysely_migration' as never).select('name' as never).execute();
		expect((recorded as { name: string }[]).map((r) => r.name).sort()).toEqual(names);
		expect(await schemaOf(empty.db, dialect)).toEqual(await schemaOf(reference.db, dialect));
	});
});

describe('a held write lock on sqlite', () => {
	let test: TestDatabase;
	afterEach(() => test.destroy());

	it('makes a migrating process wait longer than the busy timeout of the app (5 s), then migrate', async () => {
		test = await createTestDatabase('sqlite', false);
		// Another process in the middle of a long write, e.g. a migration rebuilding a big table.
		const other = new SQLite(test.settings.sqlitePath);
		other.pragma('journal_mode = WAL');
		other.exec('begin immediate; create table long_write (id integer)');
		const migrator = startMigrator(test.settings);
		await migrator.ready;
		migrator.go();
		await sleep(8_000);
		other.exec('rollback');
		other.close();
		const result = await migrator.finished;
		expect(result.code, result.output).toBe(0);
		expect(result.applied).toEqual(Object.keys(migrations).sort());
	});
});
