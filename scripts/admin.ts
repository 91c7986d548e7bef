// `npm run admin -- <command>`: account administration without mail, e.g. on a fresh install.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as audit from '../src/lib/server/audit';
import { createLoginToken, signInUrl } from '../src/lib/server/auth/login-token';
import { addCoordinator, ensureUser } from '../src/lib/server/auth/users';
import { connect } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { env } from '../src/lib/server/env';
import * as municipalities from '../src/lib/server/municipalities';

const usage = `Usage:
  npm run admin -- create-coordinator --email <address> --municipality <name or slug> [--name <full name>]
      [--country AT|DE] [--time-zone Europe/Vienna] [--platform-admin]
  npm run admin -- sign-in-link --email <address>`;

const { positionals, values } = parseArgs({
	allowPositionals: true,
	options: {
		email: { type: 'string' },
		municipality: { type: 'string', multiple: true },
		name: { type: 'string' },
		country: { type: 'string', default: 'AT' },
		'time-zone': { type: 'string' },
		'platform-admin': { type: 'boolean', default: false }
	}
});

function fail(message: string): never {
	console.error(`${message}\n\n${usage}`);
	process.exit(1);
}

const command = positionals[0];
const email = values.email?.trim().toLowerCase();
if (!command) fail('No command given.');
if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail('--email must be a valid email address.');

if (existsSync('.env')) process.loadEnvFile('.env');
const config = env();
const { db } = connect({ databaseUrl: config.databaseUrl, sqlitePath: config.databasePath });
try {
	await migrateToLatest(db);
	const now = new Date();
	if (command === 'create-coordinator') {
		const names = values.municipality ?? [];
		if (names.length === 0 && !values['platform-admin']) fail('--municipality is required (or --platform-admin).');
		const timeZone = values['time-zone'] ?? (values.country === 'DE' ? 'Europe/Berlin' : 'Europe/Vienna');
		if (!Intl.supportedValuesOf('timeZone').includes(timeZone)) fail(`Unknown time zone: ${timeZone}`);
		await db.transaction().execute(async (trx) => {
			const user = await ensureUser(
				trx,
				{ email, name: values.name ?? email.split('@')[0]!, isPlatformAdmin: values['platform-admin'] },
				now
			);
			console.log(`${user.created ? 'Created' : 'Found'} account ${email}`);
			for (const name of names) {
				let municipality = await municipalities.findBySlugOrName(trx, name);
				if (!municipality) {
					municipality = await municipalities.create(trx, { name, country: values.country!, timeZone }, now);
					console.log(`Created municipality ${municipality.name} (${municipality.slug})`);
				}
				await addCoordinator(trx, user.id, municipality.id, now);
				await audit.record(
					trx,
					{ actorUserId: null, action: 'coordinator.added', entityType: 'user', entityId: user.id, municipalityId: municipality.id, details: { via: 'cli' } },
					now
				);
				console.log(`${email} coordinates ${municipality.name}`);
			}
			const token = await createLoginToken(trx, user.id, now);
			console.log(`Sign-in link (valid 15 minutes, single use):\n${signInUrl(config.origin, token)}`);
		});
	} else if (command === 'sign-in-link') {
		const user = await db.selectFrom('user').select('id').where('email', '=', email).executeTakeFirst();
		if (!user) fail(`No account with the address ${email}.`);
		const token = await createLoginToken(db, user.id, now);
		console.log(`Sign-in link (valid 15 minutes, single use):\n${signInUrl(config.origin, token)}`);
	} else {
		fail(`Unknown command: ${command}`);
	}
} finally {
	await db.destroy();
}
