// `npm run backup`: writes one backup file (database, app secret, manifest) to BACKUP_DIR while the
// app may keep running, deletes the oldest beyond BACKUP_KEEP and prints the path it wrote.
// Same configuration as the app (DATA_DIR, DATABASE_URL, DATABASE_PATH, APP_SECRET; `.env`).
import { existsSync } from 'node:fs';
import { env } from '../src/lib/server/env';
import { createBackup, formatBytes } from '../src/lib/server/ops/backup';

if (existsSync('.env')) process.loadEnvFile('.env');
try {
	const result = await createBackup(env(), new Date());
	const { manifest } = result;
	const rows = Object.values(manifest.rowCounts).reduce((sum, n) => sum + n, 0);
	console.error(
		`[backup] ${manifest.dialect}, ${Object.keys(manifest.rowCounts).length} tables, ${rows} rows, last migration ${manifest.lastMigration ?? '(none)'}, ` +
			`app secret ${manifest.appSecret ? `from ${manifest.appSecret.source === 'env' ? 'APP_SECRET' : 'DATA_DIR/app-secret'}` : 'not found'}, ${formatBytes(result.bytes)}`
	);
	for (const file of result.removed) console.error(`[backup] removed ${file} (BACKUP_KEEP=${env().backupKeep})`);
	// The path alone on stdout, for scripts: `file=$(npm run --silent backup)`.
	console.log(result.file);
} catch (error) {
	console.error(`[backup] failed: ${(error as Error).message}`);
	process.exitCode = 1;
}
