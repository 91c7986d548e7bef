// `npm run restore FILE [--force]`: restores a backup made by `npm run backup` into the configured
// database and DATA_DIR (same configuration as the app; `.env`). Refuses a database that has
// tables, or a DATA_DIR with another app secret, unless --force. Stop the app first; it migrates
// the restored database when it starts.
// Exit codes: 0 restored, 1 failed, 2 refused (not empty, without --force), 64 wrong usage.
import { existsSync } from 'node:fs';
import { env } from '../src/lib/server/env';
import { restoreBackup, RestoreRefused } from '../src/lib/server/ops/restore';

const args = process.argv.slice(2);
// `npm run restore FILE --force` hands --force to npm itself, which passes it on as npm_config_force;
// `npm run restore -- FILE --force` passes it to the script.
const force = args.includes('--force') || process.env.npm_config_force === 'true';
const files = args.filter((arg) => arg !== '--force');
if (files.length !== 1 || files[0]!.startsWith('-')) {
	console.error('usage: npm run restore FILE [--force]');
	process.exit(64);
}

if (existsSync('.env')) process.loadEnvFile('.env');
try {
	const { manifest, target, warnings } = await restoreBackup(env(), files[0]!, { force });
	const rows = Object.values(manifest.rowCounts).reduce((sum, n) => sum + n, 0);
	console.log(`Restored the backup of ${manifest.createdAt} (${manifest.dialect}, ${rows} rows, last migration ${manifest.lastMigration ?? '(none)'}) into ${target}.`);
	if (manifest.appSecret) console.log(`Restored the app secret to ${env().dataDir}/app-secret.`);
	for (const warning of warnings) console.warn(`Warning: ${warning}`);
	console.log('Start the app now; it brings the database to its current schema.');
} catch (error) {
	console.error(error instanceof RestoreRefused ? error.message : `Restore failed: ${(error as Error).message}`);
	process.exitCode = error instanceof RestoreRefused ? 2 : 1;
}
