// A migrating process for migrations-concurrent.test.ts: connects, says "ready", waits for a line on
// stdin (so several processes start migrating at the same moment), migrates, prints what it applied.
import readline from 'node:readline';
import { sql } from 'kysely';
import { connect } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrate';

const { db } = connect({ databaseUrl: process.env.DATABASE_URL, sqlitePath: process.env.DATABASE_PATH ?? '' });
try {
	await sql`select 1`.execute(db);
	console.log('ready');
	const lines = readline.createInterface({ input: process.stdin });
	await new Promise((resolve) => lines.once('line', resolve));
	lines.close();
	const steps = await migrateToLatest(db);
	console.log(JSON.stringify({ applied: steps.map((s) => s.migrationName) }));
} finally {
	await db.destroy();
}
