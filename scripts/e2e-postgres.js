// `npm run test:e2e:postgres`: the end-to-end fuzz test once more with the server on PostgreSQL
// (it refuses what SQLite stores, e.g. NUL characters in text). A fresh database mt_e2e_<random> on
// TEST_DATABASE_URL's server (postgres://postgres@127.0.0.1:5432), dropped afterwards; its own port
// so that it never meets the SQLite server. Further arguments go to Playwright.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const name = `mt_e2e_${randomBytes(6).toString('hex')}`;

/** @param {string} sql */
async function adminQuery(sql) {
	const client = new pg.Client({ connectionString: serverUrl });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

await adminQuery(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
console.log(`[e2e-postgres] database ${name}`);
let status = 1;
try {
	const result = spawnSync('npx', ['playwright', 'test', '--project', 'fuzz', '--no-deps', ...process.argv.slice(2)], {
		cwd: root,
		stdio: 'inherit',
		// Fewer random requests than on SQLite: each fingerprint is a psql call here.
		env: { FUZZ_RUNS: '400', ...process.env, E2E_DATABASE_URL: url.href, E2E_PORT: process.env.E2E_PORT ?? '4183' }
	});
	if (result.error) console.error(result.error);
	status = result.status ?? 1;
} finally {
	await adminQuery(`drop database if exists ${name} with (force)`);
}
process.exit(status);
