// Registration under load against the built app (issue 17): many people registering and confirming
// at once through HTTP never overbook an event, on SQLite (one instance) and on PostgreSQL with two
// app instances sharing the database and the load. The per-address rate limit counts the attempts
// at both instances, and a seat taken on one instance shows at once there and within the render
// cache's lifetime (PUBLIC_PAGE_CACHE_MS) on the other. No timing is asserted, only outcomes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser } from '../../src/lib/server/auth/users';
import * as events from '../../src/lib/server/events';
import * as municipalities from '../../src/lib/server/municipalities';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { startApp, type AppProcess } from './processes';

const SEATS = 20;
const PEOPLE = 200;
const PARALLEL = 50;
const RATE_LIMIT = 10;
const CACHE_MS = 1000;

interface ActionResult {
	type: string;
	status: number;
}

/** Runs `tasks` with at most `parallel` in flight at once, keeping the results in order. */
async function inParallel<T>(count: number, parallel: number, task: (i: number) => Promise<T>): Promise<T[]> {
	const results: T[] = new Array(count);
	let next = 0;
	const lane = async () => {
		while (next < count) {
			const i = next++;
			results[i] = await task(i);
		}
	};
	await Promise.all(Array.from({ length: parallel }, lane));
	return results;
}

/** Posts a form as an enhanced form does: the answer is an action result in JSON. */
async function postAction(app: AppProcess, pathname: string, form: Record<string, string>, clientAddress: string): Promise<ActionResult> {
	const response = await fetch(`${app.origin}${pathname}`, {
		method: 'POST',
		headers: {
			origin: app.origin,
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			// The test instances take the client's address from this header, as behind a load balancer.
			'x-client-address': clientAddress
		},
		body: new URLSearchParams(form)
	});
	return (await response.json()) as ActionResult;
}

function register(app: AppProcess, eventId: string, email: string, clientAddress: string): Promise<ActionResult> {
	return postAction(app, `/de/events/${eventId}?/register`, { name: `Person ${email}`, email, residency: 'resident', languages: 'de', consentPrivacy: 'on' }, clientAddress);
}

/** The seats left as the public event page states them ("Noch 4 Plätze frei"). */
async function seatsShown(app: AppProcess, eventId: string): Promise<number> {
	const html = await (await fetch(`${app.origin}/de/events/${eventId}`, { headers: { accept: 'text/html' } })).text();
	const count = /Noch (\d+) Plätze frei/.exec(html)?.[1];
	if (!count) throw new Error('no seat count on the event page');
	return Number(count);
}

describe.each(dialects)('registration under load through the built app on %s', (dialect) => {
	let test: TestDatabase;
	let dataDir: string;
	/** Two instances on PostgreSQL; SQLite serves one process. */
	let apps: AppProcess[] = [];
	let eventId: string;

	async function createEvent(capacity: number): Promise<string> {
		const now = new Date();
		const host = (await municipalities.findBySlugOrName(test.db, 'imst')) ?? (await municipalities.create(test.db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, now));
		const actor = await ensureUser(test.db, { email: 'koordination@imst.example', name: 'K' }, now);
		const created = await events.create(
			test.db,
			{
				kind: 'round_table', title: 'Gesprächsrunde unter Last', description: '', hostIds: [host.id], venueId: null, capacity,
				timeZone: 'Europe/Vienna', durationMinutes: 120, status: 'published', registrationOpensDaysBefore: null,
				registrationClosesHoursBefore: null, firstStartLocal: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 16), rrule: null
			},
			actor.id,
			'http://127.0.0.1',
			now
		);
		if (!created.ok) throw new Error('could not create the event');
		return created.eventIds[0]!;
	}

	/** The confirmation link's token from each person's queued email. */
	async function confirmTokens(emails: string[]): Promise<string[]> {
		const mails = await test.db.selectFrom('outbox').select(['recipient', 'text_body']).where('template', '=', 'registration-confirm-request').where('recipient', 'in', emails).execute();
		return emails.map((email) => {
			const token = /\/confirm\/([a-z2-7]{24}\.[a-z2-7]{24})/.exec(mails.find((m) => m.recipient === email)?.text_body ?? '')?.[1];
			if (!token) throw new Error(`no confirmation link for ${email}`);
			return token;
		});
	}

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		eventId = await createEvent(SEATS);
		dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-load-'));
		const env = {
			DATA_DIR: dataDir,
			DATABASE_URL: test.settings.databaseUrl ?? '',
			DATABASE_PATH: test.settings.sqlitePath,
			SEED_DEMO: 'false',
			WORKER_ENABLED: 'false',
			ADDRESS_HEADER: 'x-client-address',
			REGISTRATION_LIMIT_PER_IP: String(RATE_LIMIT),
			// One window for the whole test (windows are aligned to the epoch; this one is weeks long).
			SIGN_IN_LIMIT_WINDOW_MINUTES: '100000',
			PUBLIC_PAGE_CACHE_MS: String(CACHE_MS)
		};
		apps = await Promise.all(Array.from({ length: dialect === 'postgres' ? 2 : 1 }, () => startApp(env)));
	}, 120_000);

	afterAll(async () => {
		await Promise.all(apps.map((app) => app.stop()));
		await test?.destroy();
		if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
	});

	const at = (i: number) => apps[i % apps.length]!;

	it(`${PEOPLE} people register and confirm, ${PARALLEL} at a time, for ${SEATS} seats: exactly ${SEATS} get one`, async () => {
		const emails = Array.from({ length: PEOPLE }, (_, i) => `rush${i}@example.org`);
		// Each person from an address of their own, so that the rate limit does not decide.
		const registered = await inParallel(PEOPLE, PARALLEL, (i) => register(at(i), eventId, emails[i]!, `10.1.${i >> 8}.${i & 255}`));
		expect(registered.filter((r) => r.type !== 'success')).toEqual([]);

		const tokens = await confirmTokens(emails);
		const confirmed = await inParallel(PEOPLE, PARALLEL, (i) => postAction(at(i + 1), `/de/confirm/${tokens[i]}`, {}, `10.2.${i >> 8}.${i & 255}`));
		expect(confirmed.filter((r) => r.type !== 'success')).toEqual([]);

		const rows = await test.db.selectFrom('registration').select(['status', 'waitlist_position']).where('event_id', '=', eventId).execute();
		expect(rows).toHaveLength(PEOPLE);
		expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(SEATS);
		const waiting = rows.filter((r) => r.status === 'waitlisted').map((r) => Number(r.waitlist_position));
		expect(waiting.sort((a, b) => a - b)).toEqual(Array.from({ length: PEOPLE - SEATS }, (_, i) => i + 1));
		const event = await test.db.selectFrom('event').select('confirmed_count').where('id', '=', eventId).executeTakeFirstOrThrow();
		expect(Number(event.confirmed_count)).toBe(SEATS);
	}, 120_000);

	it(`lets one address register ${RATE_LIMIT} times in the window, counted at every instance`, async () => {
		const attempts = RATE_LIMIT * 3;
		const results = await inParallel(attempts, attempts, (i) => register(at(i), eventId, `limited${i}@example.org`, '10.9.9.9'));
		expect(results.filter((r) => r.type === 'success')).toHaveLength(RATE_LIMIT);
		expect(results.filter((r) => r.type === 'failure' && r.status === 429)).toHaveLength(attempts - RATE_LIMIT);
		// Both instances refused some: the limit held across them, not per process.
		if (apps.length > 1) {
			const refusedAt = new Set(results.flatMap((r, i) => (r.status === 429 ? [i % apps.length] : [])));
			expect(refusedAt.size).toBe(apps.length);
		}
		const counter = await test.db.selectFrom('rate_limit').select('hits').where('key', '=', 'register:ip:10.9.9.9').executeTakeFirstOrThrow();
		expect(Number(counter.hits)).toBe(attempts);
	}, 60_000);

	it('shows a seat taken at once on the instance that took it, and after the cache lifetime on the others', async () => {
		const fresh = await createEvent(5);
		// Every instance has the page with five seats in its render cache.
		for (const app of apps) expect(await seatsShown(app, fresh)).toBe(5);
		expect(await register(apps[0]!, fresh, 'fresh@example.org', '10.3.0.1')).toMatchObject({ type: 'success' });
		const [token] = await confirmTokens(['fresh@example.org']);
		expect(await postAction(apps[0]!, `/de/confirm/${token}`, {}, '10.3.0.1')).toMatchObject({ type: 'success' });
		const writtenAt = Date.now();
		expect(await seatsShown(apps[0]!, fresh)).toBe(4);

		for (const other of apps.slice(1)) {
			// Poll: a page may show the old count only while the render it comes from is younger than
			// the cache lifetime; every page requested that long after the write must show the new one.
			for (;;) {
				const requestedAt = Date.now();
				const seats = await seatsShown(other, fresh);
				if (requestedAt - writtenAt >= CACHE_MS) {
					expect(seats).toBe(4);
					break;
				}
				if (seats === 4) break;
				await new Promise((r) => setTimeout(r, 50));
			}
		}
	}, 60_000);
});
