// Restores a backup file made by backup.ts into the configured database and DATA_DIR. Only into
// an empty one unless forced: a restore replaces everything, so overwriting has to be asked for.
// The app migrates the restored database at its next start, so an older backup comes up in a newer
// version of the app; a backup of a newer version is refused by that start (unknown migrations).
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { version as appVersion } from '../../../../package.json';
import { isPostgresUrl, type Dialect } from '../db/connect';
import type { Env } from '../env';
import { appSecretFile, BACKUP_FORMAT, BACKUP_FORMAT_VERSION, BackupError, libpqTarget, MANIFEST_FILE, run, sha256, type Manifest } from './backup';

export type RestoreConfig = Pick<Env, 'dataDir' | 'databaseUrl' | 'databasePath' | 'appSecret'>;

/** The target holds data and `force` was not given. */
export class RestoreRefused extends Error {}

export interface RestoreResult {
	manifest: Manifest;
	/** Where the database went: the SQLite file or the PostgreSQL database's name. */
	target: string;
	/** Things the administrator must know (a different APP_SECRET, another app version). */
	warnings: string[];
}

function readManifest(dir: string): Manifest {
	const file = path.join(dir, MANIFEST_FILE);
	if (!fs.existsSync(file)) throw new BackupError('not a Miteinander backup (no manifest.json inside)');
	const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
	if (manifest.format !== BACKUP_FORMAT) throw new BackupError('not a Miteinander backup (unknown format)');
	if (manifest.formatVersion > BACKUP_FORMAT_VERSION) {
		throw new BackupError(`this backup has format version ${manifest.formatVersion}; this version of Miteinander reads up to ${BACKUP_FORMAT_VERSION}`);
	}
	if (!/^database\.(sqlite|pgdump)$/.test(manifest.database) || !fs.existsSync(path.join(dir, manifest.database))) {
		throw new BackupError('the backup is incomplete (no database file inside)');
	}
	return manifest;
}

/** The secret inside the backup, checked against the manifest's hash. */
function readSecret(dir: string, manifest: Manifest): string | null {
	if (!manifest.appSecret) return null;
	const file = path.join(dir, path.basename(manifest.appSecret.file));
	const value = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
	if (sha256(value) !== manifest.appSecret.sha256) throw new BackupError('the backup is damaged (the app secret does not match its manifest)');
	return value;
}

function sqliteTables(file: string): number {
	if (!fs.existsSync(file) || fs.statSync(file).size === 0) return 0;
	const db = new SQLite(file, { readonly: true, fileMustExist: true });
	try {
		return db.prepare("select count(*) from sqlite_master where type = 'table'").pluck().get() as number;
	} finally {
		db.close();
	}
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	client.on('error', () => {}); // a lost connection fails the query, which reports it
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

async function postgresTables(url: string): Promise<number> {
	return withClient(url, async (client) => {
		const { rows } = await client.query<{ count: string }>("select count(*) as count from pg_tables where schemaname = current_schema()");
		return Number(rows[0]!.count);
	});
}

/** Drops every table of the current schema (the app creates tables and their indexes only). */
async function emptyPostgres(url: string): Promise<void> {
	await withClient(url, async (client) => {
		await client.query(`do $$
			declare t record;
			begin
				for t in select tablename from pg_tables where schemaname = current_schema() loop
					execute format('drop table if exists %I cascade', t.tablename);
				end loop;
			end $$`);
	});
}

function removeSqlite(file: string): void {
	// A log left next to a new file would be played into it: the -wal and -shm go with the file.
	for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

/** Writes the secret file as the app does (mode 0600), replacing it in one step. */
function writeSecret(dataDir: string, secret: string): void {
	const file = appSecretFile(dataDir);
	const temporary = `${file}.restoring`;
	fs.writeFileSync(temporary, secret, { mode: 0o600 });
	fs.renameSync(temporary, file);
}

/**
 * Restores `archive` into the configured database and DATA_DIR. Refuses (RestoreRefused) when the
 * database has tables or DATA_DIR has a different app secret, unless `force`: then the SQLite file
 * is replaced, or every table of the PostgreSQL schema dropped first. Stop the app before.
 */
export async function restoreBackup(config: RestoreConfig, archive: string, options: { force?: boolean } = {}): Promise<RestoreResult> {
	if (!fs.existsSync(archive)) throw new BackupError(`${archive} does not exist`);
	const dialect: Dialect = isPostgresUrl(config.databaseUrl) ? 'postgres' : 'sqlite';
	// Unpacked next to the SQLite file, so that it is moved into place by a rename on one file system.
	const stagingParent = dialect === 'sqlite' ? path.dirname(config.databasePath) : config.dataDir;
	fs.mkdirSync(stagingParent, { recursive: true });
	fs.mkdirSync(config.dataDir, { recursive: true });
	const staging = fs.mkdtempSync(path.join(stagingParent, '.restore-'));
	try {
		await run('tar', ['--extract', '--gzip', `--file=${path.resolve(archive)}`, `--directory=${staging}`, '--no-same-owner', '--no-same-permissions']);
		const manifest = readManifest(staging);
		if (manifest.dialect !== dialect) {
			const configured = dialect === 'postgres' ? 'DATABASE_URL is PostgreSQL' : 'DATABASE_URL is not set (SQLite)';
			throw new BackupError(`this is a backup of a ${manifest.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} database, but ${configured}`);
		}
		const secret = readSecret(staging, manifest);

		const problems: string[] = [];
		const tables = dialect === 'postgres' ? await postgresTables(config.databaseUrl!) : sqliteTables(config.databasePath);
		const target = dialect === 'postgres' ? decodeURIComponent(new URL(config.databaseUrl!).pathname.slice(1)) : config.databasePath;
		if (tables > 0) problems.push(`the database ${target} is not empty (${tables} tables)`);
		const secretFile = appSecretFile(config.dataDir);
		const existingSecret = fs.existsSync(secretFile) ? fs.readFileSync(secretFile, 'utf8').trim() : undefined;
		if (secret !== null && existingSecret !== undefined && existingSecret !== secret) problems.push(`${secretFile} holds a different app secret`);
		if (problems.length > 0 && !options.force) {
			throw new RestoreRefused(`Refusing to restore: ${problems.join('; ')}. Restore into an empty data directory and database, or add --force to replace what is there.`);
		}

		const databaseFile = path.join(staging, manifest.database);
		if (dialect === 'postgres') {
			if (tables > 0) await emptyPostgres(config.databaseUrl!);
			const { dbname, env } = libpqTarget(config.databaseUrl!);
			// One transaction: a restore that fails leaves the database as it was (empty).
			await run('pg_restore', ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${dbname}`, databaseFile], { env });
		} else {
			removeSqlite(config.databasePath);
			fs.renameSync(databaseFile, config.databasePath);
		}

		const warnings: string[] = [];
		if (secret !== null) {
			writeSecret(config.dataDir, secret);
			if (config.appSecret && config.appSecret !== secret) {
				warnings.push(
					`APP_SECRET is set and differs from the secret in the backup: the links to manage a registration in every email the app sends ` +
						`from now on for the people in this backup will not work. Set APP_SECRET to the restored value in ${secretFile} (or unset it).`
				);
			}
		} else {
			warnings.push('the backup holds no app secret (the app had never started): the app makes a new one at its first start');
		}
		if (manifest.appVersion !== appVersion) {
			warnings.push(`the backup was made by Miteinander ${manifest.appVersion}, this is ${appVersion}: the app migrates the database at its next start`);
		}
		return { manifest, target, warnings };
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}
