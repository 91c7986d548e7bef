// `npm run migrate`: bring the configured database (DATABASE_URL or the SQLite file) to the latest schema.
import { existsSync } from 'node:fs';
import { connect } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { env } from '../src/lib/server/env';

if (existsSync('.env')) process.loadEnvFile('.env');
const config = env();
const { db, dialect } = connect({ databaseUrl: config.databaseUrl, sqlitePath: config.databasePath });
try {
	const results = await migrateToLatest(db);
	for (const r of results) console.log(`${r.migrationName}: ${r.status}`);
	console.log(results.length === 0 ? `${dialect}: already up to date` : `${dialect}: ${results.length} migration(s) applied`);
} finally {
	await db.destroy();
}
