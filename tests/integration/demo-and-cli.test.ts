import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLoginToken } from '../../src/lib/server/auth/login-token';
import { findSessionUser, findUserByEmail } from '../../src/lib/server/auth/users';
import { connect } from '../../src/lib/server/db/connect';
import { DEMO_COORDINATOR_EMAIL, seedDemo } from '../../src/lib/server/demo';
import * as events from '../../src/lib/server/events';
import * as municipalities from '../../src/lib/server/municipalities';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const run = promisify(execFile);

describe.each(dialects)('demo data and admin CLI on %s', (dialect) => {
	let test: TestDatabase;
	beforeAll(async () => {
		test = await createTestDatabase(dialect);
	});
	afterAll(() => test.destroy());

	it('seeds two municipalities with venues and a coordinator, once', async () => {
		expect(await seedDemo(test.db, new Date(), 'https://x.example')).toBe(true);
		expect(await seedDemo(test.db, new Date(), 'https://x.example')).toBe(false);
		const upcoming = await events.listUpcoming(test.db, { now: new Date(), limit: 50, offset: 0 });
		expect(upcoming.items.map((e) => e.kind)).toContain('market');
		expect(upcoming.items.some((e) => e.hosts.length === 2)).toBe(true);
		const all = await municipalities.list(test.db);
		expect(all.map((m) => m.name)).toEqual(['Imst', 'Tarrenz']);
		const venues = await municipalities.listVenues(test.db, all.map((m) => m.id));
		expect(venues.length).toBeGreaterThanOrEqual(3);
		expect(venues.every((v) => v.accessibilityNotes.length > 0)).toBe(true);
		const coordinator = await findUserByEmail(test.db, DEMO_COORDINATOR_EMAIL);
		const user = await findSessionUser(test.db, coordinator!.id);
		expect(user?.municipalityIds.sort()).toEqual(all.map((m) => m.id).sort());
		// Work waiting for the coordinator and the demo club, and no mail announcing it.
		expect(await test.db.selectFrom('club').select('name').where('status', '=', 'pending').execute()).toEqual([{ name: 'Repair-Café Imst' }]);
		const offerLeads = await test.db.selectFrom('lead').innerJoin('club', 'club.id', 'lead.club_id').select(['club.name', 'lead.status']).where('lead.source', '=', 'offer').execute();
		expect(offerLeads).toEqual([{ name: 'Tarrenzer Tafel', status: 'contacted' }]);
		expect(await test.db.selectFrom('outbox').select('template').where('template', 'like', 'club-%').execute()).toEqual([]);
	});

	it('creates a coordinator from the command line and prints a working sign-in link', async () => {
		const env = {
			...process.env,
			DATABASE_URL: test.settings.databaseUrl ?? '',
			DATABASE_PATH: test.settings.sqlitePath,
			ORIGIN: 'https://miteinander.example'
		};
		const { stdout } = await run(
			'npx',
			['tsx', 'scripts/admin.ts', 'create-coordinator', '--email', 'Neu@Reutte.example', '--municipality', 'Reutte', '--municipality', 'imst', '--name', 'Lena Neu'],
			{ env }
		);
		expect(stdout).toContain('Created account neu@reutte.example');
		expect(stdout).toContain('Created municipality Reutte (reutte)');
		const link = /https:\/\/miteinander\.example\/sign-in\/link\?token=([a-z2-7.]+)/.exec(stdout);
		expect(link).not.toBeNull();

		const { db } = connect(test.settings);
		try {
			const checked = await checkLoginToken(db, link![1]!, new Date());
			expect(checked.ok).toBe(true);
			const user = await findSessionUser(db, checked.ok ? checked.userId : '');
			const names = (await municipalities.list(db, user!.municipalityIds)).map((m) => m.name);
			expect(names).toEqual(['Imst', 'Reutte']);
		} finally {
			await db.destroy();
		}
	});

	it('refuses a malformed address without touching the database', async () => {
		const env = { ...process.env, DATABASE_URL: test.settings.databaseUrl ?? '', DATABASE_PATH: test.settings.sqlitePath };
		const before = (await municipalities.list(test.db)).length;
		await expect(
			run('npx', ['tsx', 'scripts/admin.ts', 'create-coordinator', '--email', 'not-an-address', '--municipality', 'Nowhere'], { env })
		).rejects.toMatchObject({ stderr: expect.stringContaining('--email must be a valid email address') });
		expect((await municipalities.list(test.db)).length).toBe(before);
	});
});

describe('migrate command', () => {
	it('migrates a fresh SQLite file and reports it up to date the second time', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-migrate-'));
		const env = { ...process.env, DATABASE_URL: '', DATABASE_PATH: path.join(dir, 'x.sqlite') };
		const first = await run('npx', ['tsx', 'scripts/migrate.ts'], { env });
		expect(first.stdout).toContain('2026-11-23T01-foundation: Success');
		const second = await run('npx', ['tsx', 'scripts/migrate.ts'], { env });
		expect(second.stdout).toContain('sqlite: already up to date');
		fs.rmSync(dir, { recursive: true, force: true });
	});
});
