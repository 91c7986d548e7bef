// Backup and restore (issue 18) on both databases: `npm run backup` copies a running instance of the
// built app while people keep registering through it; `npm run restore` puts the copy into a fresh
// data directory and database, and every table is compared row by row with the source. The load
// only inserts (each registration a new person, registration, outbox row and rate-limit key; the
// mail worker is off), so a consistent snapshot is a subset of the final source in which rows of
// one registration are all present or all absent, and every other table is equal.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser } from '../../src/lib/server/auth/users';
import { connect } from '../../src/lib/server/db/connect';
import { migrateTo } from '../../src/lib/server/db/migrate';
import type { Database } from '../../src/lib/server/db/schema';
import * as events from '../../src/lib/server/events';
import { sha256Hex } from '../../src/lib/server/ids';
import * as municipalities from '../../src/lib/server/municipalities';
import { createBackup, listBackups, type BackupConfig, type Manifest } from '../../src/lib/server/ops/backup';
import { takeScheduledBackup } from '../../src/lib/server/ops/schedule';
import { manageSecret } from '../../src/lib/server/registrations/links';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { startApp, type AppProcess } from './processes';

const execFileAsync = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
/** Tables the load writes to; all others must come back exactly as they were. */
const LOADED_TABLES = ['person', 'registration', 'outbox', 'rate_limit'];
const LANES = 6;

interface Target {
	dataDir: string;
	settings: { databaseUrl?: string; sqlitePath: string };
	destroy(): Promise<void>;
}

/** An empty data directory, with a fresh PostgreSQL database or (SQLite) no database file yet. */
async function createTarget(dialect: TestDatabase['dialect']): Promise<Target> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-restore-'));
	if (dialect === 'sqlite') {
		return { dataDir, settings: { sqlitePath: path.join(dataDir, 'miteinander.sqlite') }, destroy: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
	}
	const database = await createTestDatabase('postgres', false);
	// Only its name is used; the restore and the checks open connections of their own.
	return {
		dataDir,
		settings: database.settings,
		async destroy() {
			await database.destroy();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** The environment of the CLI scripts for one installation. */
function cliEnv(dataDir: string, settings: Target['settings'], extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, DATABASE_URL: settings.databaseUrl ?? '', ...extra };
	if (settings.sqlitePath) env.DATABASE_PATH = settings.sqlitePath;
	return env;
}

async function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', script), ...args], { cwd: root, env });
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
	}
}

async function tableNames(db: Kysely<Database>, dialect: TestDatabase['dialect']): Promise<string[]> {
	const query =
		dialect === 'sqlite'
			? sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`
			: sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`;
	return (await query.execute(db)).rows.map((r) => r.name);
}

/** A row as text that compares equal when every column does (keys sorted, dates as ISO). */
function canonical(row: Record<string, unknown>): string {
	return JSON.stringify(
		Object.keys(row)
			.sort()
			.map((key) => {
				const value = row[key];
				if (value instanceof Date) return [key, value.toISOString()];
				if (Buffer.isBuffer(value)) return [key, value.toString('base64')];
				if (typeof value === 'bigint') return [key, String(value)];
				return [key, value];
			})
	);
}

async function tableRows(db: Kysely<Database>, table: string): Promise<string[]> {
	const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
	return rows.map(canonical).sort();
}

/** Rows of `subset` missing from `all`, counting duplicates. */
function missingFrom(all: string[], subset: string[]): string[] {
	const counts = new Map<string, number>();
	for (const row of all) counts.set(row, (counts.get(row) ?? 0) + 1);
	return subset.filter((row) => {
		const left = counts.get(row) ?? 0;
		counts.set(row, left - 1);
		return left <= 0;
	});
}

describe.each(dialects)('backup and restore on %s', (dialect) => {
	let source: TestDatabase;
	let sourceDir: string;
	let app: AppProcess;
	let eventId: string;
	let target: Target;
	let backupFile: string;
	let manifest: Manifest;
	const opened: Kysely<Database>[] = [];

	const open = (settings: Target['settings']) => {
		const { db } = connect(settings);
		opened.push(db);
		return db;
	};

	async function createEvent(): Promise<string> {
		const now = new Date();
		const host = (await municipalities.findBySlugOrName(source.db, 'imst'))!;
		const actor = await ensureUser(source.db, { email: 'koordination@imst.example', name: 'K' }, now);
		const created = await events.create(
			source.db,
			{
				kind: 'round_table', title: 'Gesprächsrunde während der Sicherung', description: '', hostIds: [host.id], venueId: null, capacity: 100_000,
				timeZone: 'Europe/Vienna', durationMinutes: 120, status: 'published', registrationOpensDaysBefore: null,
				registrationClosesHoursBefore: null, firstStartLocal: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 16), rrule: null
			},
			actor.id,
			'http://127.0.0.1',
			now
		);
		if (!created.ok) throw new Error('could not create the event');
		return created.eventIds[0]!;
	}

	/** Registers people through the app, each with an address of their own, until `stop` is called. */
	function startLoad() {
		let registered = 0;
		let stopped = false;
		let next = 0;
		const lane = async () => {
			while (!stopped) {
				const i = next++;
				const response = await fetch(`${app.origin}/de/events/${eventId}?/register`, {
					method: 'POST',
					headers: { origin: app.origin, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-sveltekit-action': 'true', 'x-client-address': `10.7.${i >> 8}.${i & 255}` },
					body: new URLSearchParams({ name: `Person ${i}`, email: `load${i}@example.org`, residency: 'resident', languages: 'de', consentPrivacy: 'on' })
				});
				const result = (await response.json()) as { type: string };
				if (result.type !== 'success') throw new Error(`registration ${i} failed: ${JSON.stringify(result)}`);
				registered++;
			}
		};
		const lanes = Promise.all(Array.from({ length: LANES }, lane));
		return {
			count: () => registered,
			async until(count: number) {
				while (registered < count) await Promise.race([lanes, new Promise((r) => setTimeout(r, 20))]);
			},
			async stop() {
				stopped = true;
				await lanes;
			}
		};
	}

	beforeAll(async () => {
		source = await createTestDatabase(dialect);
		sourceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-backup-'));
		app = await startApp({
			DATA_DIR: sourceDir,
			DATABASE_URL: source.settings.databaseUrl ?? '',
			DATABASE_PATH: source.settings.sqlitePath,
			// No APP_SECRET: the app keeps its own in DATA_DIR/app-secret, which the backup must carry.
			APP_SECRET: '',
			WORKER_ENABLED: 'false',
			ADDRESS_HEADER: 'x-client-address',
			REGISTRATION_LIMIT_PER_IP: '100000'
		});
		eventId = await createEvent();
		target = await createTarget(dialect);
	}, 120_000);

	afterAll(async () => {
		await app?.stop();
		await Promise.all(opened.map((db) => db.destroy()));
		await target?.destroy();
		await source?.destroy();
		if (sourceDir) fs.rmSync(sourceDir, { recursive: true, force: true });
	});

	it('backs up the running app under write load; the restored copy is a consistent snapshot, equal row by row', async () => {
		const load = startLoad();
		await load.until(30);
		const before = load.count();
		const backup = await runScript('backup.ts', [], cliEnv(sourceDir, source.settings));
		const after = load.count();
		expect(backup.stderr).not.toMatch(/failed/);
		expect(backup.code).toBe(0);
		await load.until(after + 30);
		await load.stop();
		// Registrations were going on while the backup ran.
		expect(after).toBeGreaterThan(before);

		backupFile = backup.stdout.trim();
		expect(path.dirname(backupFile)).toBe(path.join(sourceDir, 'backups'));
		expect(path.basename(backupFile)).toMatch(/^miteinander-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.tar\.gz$/);
		expect(fs.statSync(backupFile).mode & 0o777).toBe(0o600);
		const { stdout: listing } = await execFileAsync('tar', ['-tzf', backupFile]);
		expect(listing.trim().split('\n').sort()).toEqual(['app-secret', dialect === 'sqlite' ? 'database.sqlite' : 'database.pgdump', 'manifest.json']);
		manifest = JSON.parse((await execFileAsync('tar', ['-xzOf', backupFile, 'manifest.json'])).stdout) as Manifest;
		expect(manifest).toMatchObject({ format: 'miteinander-backup', formatVersion: 1, dialect, appSecret: { source: 'file' } });

		const restore = await runScript('restore.ts', [backupFile], cliEnv(target.dataDir, target.settings));
		expect(restore.stderr).toBe('');
		expect(restore.code).toBe(0);

		const restored = open(target.settings);
		const tables = await tableNames(source.db, dialect);
		expect(await tableNames(restored, dialect)).toEqual(tables);
		expect(tables).toContain('club');
		for (const table of tables) {
			const [now, copy] = await Promise.all([tableRows(source.db, table), tableRows(restored, table)]);
			expect(copy.length, `rows of ${table} against the manifest`).toBe(manifest.rowCounts[table]);
			// Every restored row is a row of the source (none torn, none changed) ...
			expect(missingFrom(now, copy), `restored rows of ${table} not in the source`).toEqual([]);
			// ... and only rows written by the load after the snapshot may be missing.
			if (!LOADED_TABLES.includes(table)) expect(copy.length, `rows of ${table}`).toBe(now.length);
		}

		// The snapshot fell inside the load, and each registration is there entirely or not at all.
		const registrations = await restored.selectFrom('registration').innerJoin('person', 'person.id', 'registration.person_id').select(['registration.id', 'person.email']).where('event_id', '=', eventId).execute();
		const sourceCount = (await source.db.selectFrom('registration').select('id').where('event_id', '=', eventId).execute()).length;
		expect(registrations.length).toBeGreaterThan(0);
		expect(registrations.length).toBeLessThan(sourceCount);
		const loadPeople = await restored.selectFrom('person').select('email').where('email', 'like', 'load%@example.org').execute();
		expect(loadPeople.length).toBe(registrations.length);
		const mails = await restored.selectFrom('outbox').select('recipient').where('recipient', 'like', 'load%@example.org').execute();
		expect(mails.map((m) => m.recipient).sort()).toEqual(registrations.map((r) => r.email).sort());
	}, 180_000);

	it('carries the app secret: the restored app makes the same links and starts on the copy', async () => {
		const secret = fs.readFileSync(path.join(sourceDir, 'app-secret'), 'utf8').trim();
		expect(fs.readFileSync(path.join(target.dataDir, 'app-secret'), 'utf8').trim()).toBe(secret);
		expect(fs.statSync(path.join(target.dataDir, 'app-secret')).mode & 0o777).toBe(0o600);
		// Links the app derives from now on must match the hashes stored with every registration.
		const restored = open(target.settings);
		const registrations = await restored.selectFrom('registration').select(['id', 'manage_secret_hash']).where('event_id', '=', eventId).execute();
		expect(registrations.length).toBeGreaterThan(30);
		for (const r of registrations) expect(sha256Hex(manageSecret(secret, r.id))).toBe(r.manage_secret_hash);

		const copy = await startApp({
			DATA_DIR: target.dataDir,
			DATABASE_URL: target.settings.databaseUrl ?? '',
			APP_SECRET: '',
			SEED_DEMO: 'false',
			WORKER_ENABLED: 'false',
			...(target.settings.sqlitePath ? { DATABASE_PATH: target.settings.sqlitePath } : {})
		});
		try {
			const page = await fetch(`${copy.origin}/de/events/${eventId}`);
			expect(page.status).toBe(200);
			expect(await page.text()).toContain('Gesprächsrunde während der Sicherung');
		} finally {
			await copy.stop();
		}
	}, 60_000);

	it('refuses to restore over data without --force, and replaces it with --force', async () => {
		const restored = open(target.settings);
		await restored.deleteFrom('outbox').execute();
		if (dialect === 'postgres') await sql`create table left_over (id integer)`.execute(restored);

		const refused = await runScript('restore.ts', [backupFile], cliEnv(target.dataDir, target.settings));
		expect(refused.code).toBe(2);
		expect(refused.stderr).toMatch(/^Refusing to restore: the database .* is not empty \(\d+ tables\)\..*--force/);
		expect(await restored.selectFrom('outbox').select('id').execute()).toEqual([]);

		// A different secret in DATA_DIR is refused as well, even with an empty database.
		const other = await createTarget(dialect);
		try {
			fs.writeFileSync(path.join(other.dataDir, 'app-secret'), 'another-secret');
			const secretRefused = await runScript('restore.ts', [backupFile], cliEnv(other.dataDir, other.settings));
			expect(secretRefused.code).toBe(2);
			expect(secretRefused.stderr).toContain('holds a different app secret');
		} finally {
			await other.destroy();
		}

		if (dialect === 'sqlite') {
			// SQLite: the file is replaced, so this connection would keep reading the old one.
			await restored.destroy();
			opened.splice(opened.indexOf(restored), 1);
		}
		const forced = await runScript('restore.ts', [backupFile, '--force'], cliEnv(target.dataDir, target.settings));
		expect(forced.stderr).toBe('');
		expect(forced.code).toBe(0);
		const again = dialect === 'sqlite' ? open(target.settings) : restored;
		const tables = await tableNames(again, dialect);
		expect(tables).not.toContain('left_over');
		for (const table of tables) expect((await tableRows(again, table)).length, `rows of ${table}`).toBe(manifest.rowCounts[table]);
	}, 60_000);

	it('warns when APP_SECRET differs from the secret in the backup', async () => {
		const other = await createTarget(dialect);
		try {
			const result = await runScript('restore.ts', [backupFile], cliEnv(other.dataDir, other.settings, { APP_SECRET: 'a-different-secret' }));
			expect(result.code).toBe(0);
			expect(result.stderr).toMatch(/^Warning: APP_SECRET is set and differs from the secret in the backup/);
			expect(fs.readFileSync(path.join(other.dataDir, 'app-secret'), 'utf8')).toBe(fs.readFileSync(path.join(sourceDir, 'app-secret'), 'utf8').trim());
		} finally {
			await other.destroy();
		}
	}, 60_000);

	it(`keeps the newest BACKUP_KEEP backups`, async () => {
		const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-keep-'));
		try {
			const config: BackupConfig = { dataDir: sourceDir, databaseUrl: source.settings.databaseUrl, databasePath: source.settings.sqlitePath, appSecret: undefined, backupDir, backupKeep: 3 };
			const start = Date.parse('2026-12-07T01:00:00Z');
			const written: string[] = [];
			for (let i = 0; i < 5; i++) {
				const result = await createBackup(config, new Date(start + i * 3_600_000));
				written.push(result.file);
				expect(result.removed).toEqual(i < 3 ? [] : [written[i - 3]]);
			}
			expect(listBackups(backupDir)).toEqual(written.slice(2));
			expect(fs.readdirSync(backupDir).sort()).toEqual(written.slice(2).map((f) => path.basename(f)));
		} finally {
			fs.rmSync(backupDir, { recursive: true, force: true });
		}
	}, 60_000);

	it('takes one scheduled backup per window, whichever instance asks first', async () => {
		const dirs = [fs.mkdtempSync(path.join(os.tmpdir(), 'mt-sched-')), fs.mkdtempSync(path.join(os.tmpdir(), 'mt-sched-'))];
		const second = open(source.settings);
		try {
			const config = (backupDir: string) => ({ dataDir: sourceDir, databaseUrl: source.settings.databaseUrl, databasePath: source.settings.sqlitePath, appSecret: undefined, backupDir, backupKeep: 0, backupIntervalHours: 24 });
			const day = Date.parse('2026-12-08T00:00:00Z');
			const at = (hours: number) => new Date(day + hours * 3_600_000);
			// Two instances (two connections) at the same moment: one backup.
			const first = await Promise.all([takeScheduledBackup(source.db, config(dirs[0]!), at(1)), takeScheduledBackup(second, config(dirs[1]!), at(1))]);
			expect(first.filter((r) => r !== null)).toHaveLength(1);
			// Later in the same window, and after a restart: none; the next day: one.
			expect(await takeScheduledBackup(second, config(dirs[1]!), at(23))).toBeNull();
			expect(await takeScheduledBackup(source.db, config(dirs[0]!), at(25))).not.toBeNull();
			expect(listBackups(dirs[0]!).length + listBackups(dirs[1]!).length).toBe(2);
		} finally {
			for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);

	it('runs scheduled backups in the app when BACKUP_INTERVAL_HOURS is set', async () => {
		const fresh = await createTestDatabase(dialect);
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-sched-app-'));
		const backupDir = path.join(dataDir, 'nightly');
		const scheduled = await startApp({
			DATA_DIR: dataDir,
			DATABASE_URL: fresh.settings.databaseUrl ?? '',
			DATABASE_PATH: fresh.settings.sqlitePath,
			SEED_DEMO: 'false',
			BACKUP_INTERVAL_HOURS: '24',
			BACKUP_DIR: backupDir
		});
		try {
			while (!/\[backup\] (wrote|scheduled backup failed|could not)/.test(scheduled.output())) await new Promise((r) => setTimeout(r, 100));
			const [file] = listBackups(backupDir);
			expect(scheduled.output()).toContain(`[backup] wrote ${file} (`);
			const manifestOf = JSON.parse((await execFileAsync('tar', ['-xzOf', file!, 'manifest.json'])).stdout) as Manifest;
			expect(manifestOf).toMatchObject({ dialect, appSecret: { source: 'env' } });
		} finally {
			await scheduled.stop();
			await fresh.destroy();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	}, 60_000);

	it('restores an older backup, which the app then migrates', async () => {
		const old = await createTestDatabase(dialect, false);
		const oldDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-old-'));
		const other = await createTarget(dialect);
		try {
			await migrateTo(old.db, '2026-12-06T24-task-published-at');
			const config: BackupConfig = { dataDir: oldDir, databaseUrl: old.settings.databaseUrl, databasePath: old.settings.sqlitePath, appSecret: 'old-secret', backupDir: path.join(oldDir, 'backups'), backupKeep: 14 };
			const { file, manifest: oldManifest } = await createBackup(config, new Date());
			expect(oldManifest.lastMigration).toBe('2026-12-06T24-task-published-at');
			expect(oldManifest.appSecret).toMatchObject({ source: 'env' });
			const restore = await runScript('restore.ts', [file], cliEnv(other.dataDir, other.settings));
			expect(restore.code).toBe(0);

			const copy = await startApp({ DATA_DIR: other.dataDir, DATABASE_URL: other.settings.databaseUrl ?? '', APP_SECRET: '', SEED_DEMO: 'false', WORKER_ENABLED: 'false', ...(other.settings.sqlitePath ? { DATABASE_PATH: other.settings.sqlitePath } : {}) });
			await copy.stop();
			const restored = open(other.settings);
			const migrations = sql<{ name: string }>`select name from kysely_migration order by name`;
			const current = (await migrations.execute(source.db)).rows;
			expect((await migrations.execute(restored)).rows).toEqual(current);
			expect(current.length).toBeGreaterThan(14);
			expect(fs.readFileSync(path.join(other.dataDir, 'app-secret'), 'utf8')).toBe('old-secret');
			await restored.destroy();
			opened.splice(opened.indexOf(restored), 1);
		} finally {
			await other.destroy();
			await old.destroy();
			fs.rmSync(oldDir, { recursive: true, force: true });
		}
	}, 60_000);
});
