// `npm run make-upgrade-fixture`: writes the upgrade test's fixture for the current latest migration,
// tests/fixtures/upgrade/<migration>.sqlite and .json. Run it after adding a migration that changes
// tables, and commit both files; older fixtures stay, so every later version is tested against them.
// The SQLite file is a database as this version leaves it (the demo data plus a row in every table
// the demo leaves empty, made through the app's own functions where one exists); the JSON holds the
// same rows in foreign-key order, for loading into PostgreSQL at the same migration.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import * as alerts from '../src/lib/server/alerts';
import { createSession } from '../src/lib/server/auth/session';
import { findSessionUser, findUserByEmail } from '../src/lib/server/auth/users';
import * as members from '../src/lib/server/clubs/members';
import { connect } from '../src/lib/server/db/connect';
import { migrateToLatest, migrations } from '../src/lib/server/db/migrate';
import type { Database } from '../src/lib/server/db/schema';
import { DEMO_CLUB_MEMBER_EMAIL, DEMO_COORDINATOR_EMAIL, seedDemo } from '../src/lib/server/demo';
import { generateId } from '../src/lib/server/ids';
import * as matching from '../src/lib/server/matching';
import * as messages from '../src/lib/server/messages';
import * as rateLimit from '../src/lib/server/rate-limit';
import * as registrations from '../src/lib/server/registrations';

const NOW = new Date('2026-12-07T09:00:00.000Z');
const ctx = { origin: 'https://miteinander.example', secret: 'upgrade-fixture-secret', confirmHours: 48 };
const outDir = path.resolve(import.meta.dirname, '../tests/fixtures/upgrade');

const migration = Object.keys(migrations).sort().at(-1)!;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-fixture-'));
const file = path.join(workDir, 'fixture.sqlite');
const { db } = connect({ sqlitePath: file });
try {
	await migrateToLatest(db);
	await seedDemo(db, NOW, ctx.origin, ctx.secret);
	await fillEmptyTables(db);
	const empty = await emptyTables(db);
	if (empty.length > 0) throw new Error(`tables without rows: ${empty.join(', ')}; fill them in fillEmptyTables`);
} finally {
	await db.destroy();
}

// One self-contained file (no write-ahead log beside it), as small as it gets.
const raw = new SQLite(file);
raw.pragma('journal_mode = DELETE');
raw.pragma('page_size = 1024');
raw.exec('VACUUM');
const tables = tablesInForeignKeyOrder(raw).map((name) => ({ name, rows: raw.prepare(`select * from "${name}" order by rowid`).all() }));
raw.close();

fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(file, path.join(outDir, `${migration}.sqlite`));
fs.writeFileSync(path.join(outDir, `${migration}.json`), JSON.stringify({ migration, madeAt: NOW.toISOString(), tables }, null, '\t') + '\n');
fs.rmSync(workDir, { recursive: true, force: true });
console.log(`tests/fixtures/upgrade/${migration}.sqlite and .json: ${tables.length} tables, ${tables.reduce((n, t) => n + t.rows.length, 0)} rows`);

/** What the demo leaves empty, made the way the app makes it. */
async function fillEmptyTables(db: Kysely<Database>) {
	const coordinator = (await findSessionUser(db, (await findUserByEmail(db, DEMO_COORDINATOR_EMAIL))!.id))!;
	const clubMember = (await findSessionUser(db, (await findUserByEmail(db, DEMO_CLUB_MEMBER_EMAIL))!.id))!;
	await createSession(db, coordinator.id, NOW);
	await rateLimit.consume(db, 'register:203.0.113.7', 30, 15 * 60_000, NOW);

	const market = await db.selectFrom('event').select('id').where('title', '=', 'Vereinsbörse Imst – Gespräche am Stand').executeTakeFirstOrThrow();
	const registered = await registrations.register(
		db,
		{ eventId: market.id, email: 'nora.neu@example.org', name: 'Nora Neu', locale: 'tr', profile: null, consentIntroductions: true },
		ctx,
		NOW
	);
	if (!registered.ok) throw new Error(`registration: ${registered.problem}`);
	const draft = { audiences: ['confirmed' as const], subjectDe: 'Treffpunkt', bodyDe: 'Wir treffen uns am Eingang.', subjectEn: 'Meeting point', bodyEn: 'We meet at the entrance.' };
	await messages.send(db, generateId(), market.id, draft, coordinator.id, ctx, NOW);

	await matching.saveSettings(db, coordinator, market.id, { ...(await matching.getSettings(db, market.id)), rounds: 2 }, NOW);
	const pair = await db
		.selectFrom('registration')
		.innerJoin('stall_request', 'stall_request.event_id', 'registration.event_id')
		.select(['registration.person_id', 'stall_request.club_id'])
		.where('registration.event_id', '=', market.id)
		.where('registration.status', '=', 'confirmed')
		.where('stall_request.status', '=', 'approved')
		.executeTakeFirstOrThrow();
	const pinned = await matching.setRule(db, coordinator, market.id, pair.person_id, pair.club_id, 'pin', NOW);
	if (!pinned.ok) throw new Error(`pin: ${JSON.stringify(pinned)}`);

	const clubId = (await members.listForUser(db, clubMember.id))[0]!.id;
	const invited = await members.invite(db, clubMember, clubId, { email: 'neues.mitglied@example.org', name: 'Neues Mitglied' }, { origin: ctx.origin, locale: 'de' }, NOW);
	if (!invited.ok) throw new Error(`invitation: ${JSON.stringify(invited)}`);

	const person = await db.selectFrom('person').select(['id', 'profile']).where('anonymised_at', 'is', null).execute();
	const withProfile = person.find((p) => alerts.hasProfile(p.profile))!;
	const municipality = await db.selectFrom('municipality').select('id').orderBy('name').executeTakeFirstOrThrow();
	const subscribed = await alerts.subscribe(db, { personId: withProfile.id, municipalityId: municipality.id, frequency: 'weekly', locale: 'de' }, ctx, NOW);
	if (!subscribed.ok) throw new Error(`alert subscription: ${subscribed.problem}`);
	const request = await db.selectFrom('outbox').select('text_body').where('template', '=', 'alert-confirm-request').executeTakeFirstOrThrow();
	const token = /\/alerts\/confirm\/([\w.-]+)/.exec(request.text_body)![1]!;
	if (!(await alerts.confirm(db, token, NOW)).ok) throw new Error('alert confirmation failed');
	// A digest needs an offer published after the confirmation; the row it would leave is this.
	const offer = await db.selectFrom('offer').select('id').where('status', '=', 'published').executeTakeFirstOrThrow();
	await db.insertInto('alert_sent').values({ person_id: withProfile.id, item_kind: 'offer', item_id: offer.id, sent_at: NOW.toISOString() }).execute();
}

async function emptyTables(db: Kysely<Database>): Promise<string[]> {
	const empty: string[] = [];
	for (const table of await db.introspection.getTables()) {
		const row = await db.selectFrom(table.name as keyof Database).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		if (Number(row.n) === 0) empty.push(table.name);
	}
	return empty;
}

/** The app's tables, each after the tables it references (so rows can be inserted in this order). */
function tablesInForeignKeyOrder(raw: SQLite.Database): string[] {
	const names = (raw.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`).all() as { name: string }[]).map((r) => r.name);
	const ordered: string[] = [];
	const visit = (name: string, path: string[]) => {
		if (ordered.includes(name)) return;
		if (path.includes(name)) throw new Error(`foreign keys form a cycle: ${[...path, name].join(' → ')}`);
		const references = raw.prepare(`select "table" from pragma_foreign_key_list(?)`).all(name) as { table: string }[];
		for (const { table } of references) if (table !== name) visit(table, [...path, name]);
		ordered.push(name);
	};
	for (const name of names) visit(name, []);
	return ordered;
}
