// Backups: one file per run holding the database, the app secret and a manifest.
//
// The file is a gzip-compressed tar archive made by the system `tar` (GNU tar is on every Debian
// and in the container image): no new npm dependency, and an administrator can look inside with
// `tar -tzf` or take it apart by hand without Miteinander. It holds
//   manifest.json     format version, dialect, app version, last migration, time, row counts
//   database.sqlite   SQLite: a copy made with SQLite's online backup API (never a file copy of a
//                     live WAL database, which can be torn)
//   database.pgdump   PostgreSQL: `pg_dump --format=custom` of one snapshot
//   app-secret        the key manage links are derived from (APP_SECRET or DATA_DIR/app-secret)
// Club logos are kept in the database (club.logo, see clubs/logo.ts): nothing uploaded lives on
// disk. DATA_DIR/mail holds only the .eml copies the file transport writes when no SMTP server is
// set; every message is also in the outbox table, so they are left out.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { version as appVersion } from '../../../../package.json';
import { isPostgresUrl, type Dialect } from '../db/connect';
import type { Env } from '../env';

export type BackupConfig = Pick<Env, 'dataDir' | 'databaseUrl' | 'databasePath' | 'appSecret' | 'backupDir' | 'backupKeep'>;

export const BACKUP_FORMAT = 'miteinander-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const SECRET_FILE = 'app-secret';

export interface Manifest {
	format: typeof BACKUP_FORMAT;
	formatVersion: number;
	dialect: Dialect;
	appVersion: string;
	/** The newest migration applied to the database when it was copied. */
	lastMigration: string | null;
	createdAt: string;
	/** Name of the database file inside the archive. */
	database: string;
	/** Where the secret came from; null when there was none yet (the app never started). */
	appSecret: { source: 'env' | 'file'; file: string; sha256: string } | null;
	/** Rows per table in the copy (the same snapshot as the copy itself). */
	rowCounts: Record<string, number>;
}

export interface BackupResult {
	file: string;
	bytes: number;
	manifest: Manifest;
	/** Older backup files deleted to keep BACKUP_KEEP. */
	removed: string[];
}

export class BackupError extends Error {}

const NAME_PATTERN = /^miteinander-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z\.tar\.gz$/;

/** `miteinander-2026-12-07T01-02-03.456Z.tar.gz`: sorts by time, no colons (scp, Windows). */
export function backupFileName(now: Date): string {
	return `miteinander-${now.toISOString().replace(/:/g, '-')}.tar.gz`;
}

/** Backup files in `dir`, oldest first. */
export function listBackups(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((name) => NAME_PATTERN.test(name))
		.sort()
		.map((name) => path.join(dir, name));
}

const STALE_LEFTOVER_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes all but the newest `keep` backups (0 keeps all), and leftovers of runs that died
 * half-way (a day old, so never those of a backup still running). Returns the deleted backups.
 */
export function prune(dir: string, keep: number, now = new Date()): string[] {
	if (fs.existsSync(dir)) {
		for (const name of fs.readdirSync(dir)) {
			if (!name.startsWith('.staging-') && !name.endsWith('.tar.gz.partial')) continue;
			const file = path.join(dir, name);
			if (now.getTime() - fs.statSync(file).mtimeMs > STALE_LEFTOVER_MS) fs.rmSync(file, { recursive: true, force: true });
		}
	}
	if (keep === 0) return [];
	const all = listBackups(dir);
	const removed = all.slice(0, Math.max(0, all.length - keep));
	for (const file of removed) fs.rmSync(file, { force: true });
	return removed;
}

export function appSecretFile(dataDir: string): string {
	return path.join(dataDir, 'app-secret');
}

/** The secret the app uses: APP_SECRET, else the file the app made in DATA_DIR (see runtime.appSecret). */
function currentSecret(config: BackupConfig): { value: string; source: 'env' | 'file' } | null {
	if (config.appSecret) return { value: config.appSecret, source: 'env' };
	const file = appSecretFile(config.dataDir);
	return fs.existsSync(file) ? { value: fs.readFileSync(file, 'utf8').trim(), source: 'file' } : null;
}

export function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** Runs a program without a shell; its stderr becomes the error message. */
export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile(command, args, { env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
			if (!error) return resolve(stdout);
			const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${command} is not installed (not found on PATH)` : stderr.trim() || error.message;
			reject(new BackupError(`${command} failed: ${reason}`));
		});
	});
}

/**
 * pg_dump and pg_restore take the URL as their database name; the password goes into their
 * environment instead, so that it does not show in the process list.
 */
export function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
	const parsed = new URL(url);
	const password = decodeURIComponent(parsed.password);
	parsed.password = '';
	return { dbname: parsed.href, env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

interface Snapshot {
	rowCounts: Record<string, number>;
	lastMigration: string | null;
}

// Runs in a worker thread, so that neither the copy nor the counting holds up the app's requests.
// One backup step copies every page under one read transaction: a consistent snapshot. With WAL,
// writers never wait for it; and since nothing is copied between steps, writes by other
// connections cannot make the copy start over (with small steps, steady writes by the app could
// restart it forever). The copy is turned into a plain file (journal_mode DELETE) and checked.
const SQLITE_COPY_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
(async () => {
	const source = new Database(workerData.source, { fileMustExist: true });
	try {
		source.pragma('busy_timeout = 5000');
		await source.backup(workerData.target, { progress: () => 0x7fffffff });
	} finally {
		source.close();
	}
	const copy = new Database(workerData.target, { fileMustExist: true });
	try {
		copy.pragma('journal_mode = DELETE');
		const check = copy.pragma('quick_check', { simple: true });
		if (check !== 'ok') throw new Error('the copy failed its integrity check: ' + check);
		const tables = copy.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite\\\\_%' escape '\\\\' order by name").pluck().all();
		const rowCounts = {};
		for (const table of tables) rowCounts[table] = copy.prepare('select count(*) from "' + table.replaceAll('"', '""') + '"').pluck().get();
		const lastMigration = tables.includes('kysely_migration') ? (copy.prepare('select name from kysely_migration order by name desc limit 1').pluck().get() ?? null) : null;
		parentPort.postMessage({ rowCounts, lastMigration });
	} finally {
		copy.close();
	}
})().catch((error) => parentPort.postMessage({ error: String((error && error.message) || error) }));
`;

function copySqlite(source: string, target: string): Promise<Snapshot> {
	if (!fs.existsSync(source)) return Promise.reject(new BackupError(`no SQLite database at ${source}`));
	const driver = createRequire(import.meta.url).resolve('better-sqlite3');
	const worker = new Worker(SQLITE_COPY_SOURCE, { eval: true, workerData: { source, target, driver } });
	return new Promise((resolve, reject) => {
		worker.once('message', (message: Snapshot | { error: string }) => {
			void worker.terminate();
			if ('error' in message) reject(new BackupError(`SQLite backup failed: ${message.error}`));
			else resolve(message);
		});
		worker.once('error', reject);
		worker.once('exit', (code) => reject(new BackupError(`SQLite backup worker exited with ${code}`)));
	});
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * pg_dump of one snapshot exported by a read-only transaction that stays open while it runs, so
 * the row counts in the manifest are those of the dump.
 */
async function dumpPostgres(url: string, target: string): Promise<Snapshot> {
	const client = new pg.Client({ connectionString: url });
	client.on('error', () => {}); // a lost connection fails the queries below, which report it
	await client.connect();
	try {
		await client.query('begin isolation level repeatable read read only');
		const { rows } = await client.query<{ snapshot: string }>('select pg_export_snapshot() as snapshot');
		const { dbname, env } = libpqTarget(url);
		const dump = run('pg_dump', ['--format=custom', `--snapshot=${rows[0]!.snapshot}`, `--file=${target}`, `--dbname=${dbname}`], { env });
		const count = async (): Promise<Snapshot> => {
			const tables = await client.query<{ name: string }>(
				"select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name"
			);
			const rowCounts: Record<string, number> = {};
			for (const { name } of tables.rows) {
				const result = await client.query<{ count: string }>(`select count(*) as count from ${quote(name)}`);
				rowCounts[name] = Number(result.rows[0]!.count);
			}
			const last = 'kysely_migration' in rowCounts ? await client.query<{ name: string }>('select name from kysely_migration order by name desc limit 1') : undefined;
			return { rowCounts, lastMigration: last?.rows[0]?.name ?? null };
		};
		const [, snapshot] = await Promise.all([dump, count()]);
		await client.query('commit');
		return snapshot;
	} finally {
		await client.end();
	}
}

/**
 * Writes one backup file to BACKUP_DIR and deletes the oldest beyond BACKUP_KEEP. Safe while the
 * app runs and writes. The file appears under its final name only when complete (mode 0600: it
 * holds personal data and the secret).
 */
export async function createBackup(config: BackupConfig, now: Date): Promise<BackupResult> {
	const dialect: Dialect = isPostgresUrl(config.databaseUrl) ? 'postgres' : 'sqlite';
	fs.mkdirSync(config.backupDir, { recursive: true, mode: 0o700 });
	const file = path.join(config.backupDir, backupFileName(now));
	if (fs.existsSync(file)) throw new BackupError(`${file} exists already`);
	const partial = `${file}.partial`;
	const staging = fs.mkdtempSync(path.join(config.backupDir, '.staging-'));
	try {
		const database = dialect === 'postgres' ? 'database.pgdump' : 'database.sqlite';
		const snapshot =
			dialect === 'postgres'
				? await dumpPostgres(config.databaseUrl!, path.join(staging, database))
				: await copySqlite(config.databasePath, path.join(staging, database));
		const secret = currentSecret(config);
		const files = [MANIFEST_FILE, database];
		if (secret) {
			fs.writeFileSync(path.join(staging, SECRET_FILE), secret.value, { mode: 0o600 });
			files.push(SECRET_FILE);
		}
		const manifest: Manifest = {
			format: BACKUP_FORMAT,
			formatVersion: BACKUP_FORMAT_VERSION,
			dialect,
			appVersion,
			lastMigration: snapshot.lastMigration,
			createdAt: now.toISOString(),
			database,
			appSecret: secret ? { source: secret.source, file: SECRET_FILE, sha256: sha256(secret.value) } : null,
			rowCounts: snapshot.rowCounts
		};
		fs.writeFileSync(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, '\t')}\n`);
		// Created first with mode 0600; tar then writes into it and keeps the mode.
		fs.closeSync(fs.openSync(partial, 'wx', 0o600));
		await run('tar', ['--create', '--gzip', `--file=${partial}`, `--directory=${staging}`, ...files]);
		fs.renameSync(partial, file);
		const removed = prune(config.backupDir, config.backupKeep, now);
		return { file, bytes: fs.statSync(file).size, manifest, removed };
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
		fs.rmSync(partial, { force: true });
	}
}

/** "12.3 MB" for log lines. */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
