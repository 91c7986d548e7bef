import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { addCoordinator, ensureUser, findSessionUser } from '../../src/lib/server/auth/users';
import * as matching from '../../src/lib/server/matching';
import * as jobs from '../../src/lib/server/matching/jobs';
import { startPlanRunner, type PlanRunner } from '../../src/lib/server/matching/runner';
import { generateId } from '../../src/lib/server/ids';
import { smtpTransport } from '../../src/lib/server/mail/transport';
import { deliverBacklog } from '../../src/lib/server/mail/worker';
import { startSmtp } from './smtp';
import { seedLargeMarket, type LargeMarket } from '../fixtures/large-market';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const t0 = new Date('2027-03-01T09:00:00.000Z');
const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };

/** Polls `read` until `done` holds for its value (or fails after `ms`). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe.each(dialects)('matching jobs on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	let market: LargeMarket;
	const runners: PlanRunner[] = [];

	const startRunner = (owner: string) => {
		const runner = startPlanRunner({ db, connection: test.settings, owner, pollMs: 50, reportMs: 50 });
		runners.push(runner);
		return runner;
	};
	const stopRunners = async () => {
		await Promise.all(runners.splice(0).map((r) => r.stop()));
	};
	const drafts = () => db.selectFrom('match_plan').select(['id', 'figures']).where('event_id', '=', market.eventId).where('status', '=', 'draft').execute();

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		market = await seedLargeMarket(db, { people: 2000, clubs: 100 }, t0);
	}, 120_000);

	afterAll(async () => {
		await stopRunners();
		await test?.destroy();
	});

	it('plans in a thread with progress and stores the same draft as planning in the request', async () => {
		const direct = await matching.run(db, market.coordinator, market.eventId, t0);
		if (!direct.ok) throw new Error(direct.problem);

		const requested = await jobs.requestPlan(db, market.coordinator, market.eventId, 'fresh', t0);
		if (!requested.ok) throw new Error(requested.problem);
		expect(requested).toMatchObject({ joined: false, job: { status: 'queued', mode: 'fresh', requestedBy: market.coordinator.name } });

		startRunner('runner-a');
		const seen = new Set<string>();
		const done = await until(
			async () => {
				const job = (await jobs.getJob(db, requested.job.id))!;
				seen.add(`${job.status}:${job.stage}:${job.progress}`);
				return job;
			},
			(job) => !jobs.isActive(job)
		);
		await stopRunners();

		expect(done).toMatchObject({ status: 'done', progress: 100, stage: null, error: null });
		// It was seen under way with a share between the ends, not only queued and done.
		expect([...seen].some((s) => s.startsWith('running:') && Number(s.split(':')[2]) > 0 && Number(s.split(':')[2]) < 100)).toBe(true);
		const stored = await drafts();
		expect(stored.map((d) => d.id)).toEqual([done.planId]);
		expect(JSON.parse(stored[0]!.figures)).toEqual(direct.figures);
		expect(direct.figures.slots).toBeGreaterThan(3000);
		const slots = await db.selectFrom('match_slot').select((eb) => eb.fn.countAll<number | string>().as('n')).where('plan_id', '=', done.planId!).executeTakeFirstOrThrow();
		expect(Number(slots.n)).toBe(direct.figures.slots);
		// The event is free again for the next job.
		expect((await db.selectFrom('match_job').select('id').where('active_event_id', '=', market.eventId).execute()).length).toBe(0);
	}, 120_000);

	it('lets two coordinators asking at once share one job', async () => {
		const { id } = await ensureUser(db, { email: `zweite.${dialect}@example.org`, name: 'Zweite Koordination' }, t0);
		await addCoordinator(db, id, market.municipalityId, t0);
		const second = (await findSessionUser(db, id))!;
		const [a, b] = await Promise.all([
			jobs.requestPlan(db, market.coordinator, market.eventId, 'fresh', t0),
			jobs.requestPlan(db, second, market.eventId, 'fresh', t0)
		]);
		if (!a.ok || !b.ok) throw new Error('not requested');
		expect(a.job.id).toBe(b.job.id);
		expect([a.joined, b.joined].sort()).toEqual([false, true]);
		expect((await db.selectFrom('match_job').select('id').where('active_event_id', '=', market.eventId).execute()).length).toBe(1);
		// Nobody runs it: cancelling a queued job ends it at once.
		expect(await jobs.cancelPlan(db, second, market.eventId, t0)).toEqual({ ok: true, cancelled: true });
		expect(await jobs.getJob(db, a.job.id)).toMatchObject({ status: 'cancelled' });
	});

	it('cancels a running job: the thread stops and the earlier draft stays', async () => {
		const before = await drafts();
		const requested = await jobs.requestPlan(db, market.coordinator, market.eventId, 'fresh', t0);
		if (!requested.ok) throw new Error(requested.problem);
		startRunner('runner-b');
		await until(() => jobs.getJob(db, requested.job.id), (job) => job!.status === 'running');
		expect(await jobs.cancelPlan(db, market.coordinator, market.eventId, t0)).toEqual({ ok: true, cancelled: true });
		const ended = await until(() => jobs.getJob(db, requested.job.id), (job) => !jobs.isActive(job!));
		await stopRunners();
		expect(ended).toMatchObject({ status: 'cancelled', planId: null });
		expect(await drafts()).toEqual(before);
	}, 120_000);

	it('takes over a job whose runner died, and refuses people who do not manage the event', async () => {
		const requested = await jobs.requestPlan(db, market.coordinator, market.eventId, 'fresh', t0);
		if (!requested.ok) throw new Error(requested.problem);
		// A runner claimed it and then vanished (its process was killed) two minutes ago.
		const longAgo = new Date(Date.now() - 120_000).toISOString();
		await db.updateTable('match_job').set({ status: 'running', owner: 'dead-runner', attempts: 1, heartbeat_at: longAgo, started_at: longAgo }).where('id', '=', requested.job.id).execute();
		startRunner('runner-c');
		const done = await until(() => jobs.getJob(db, requested.job.id), (job) => !jobs.isActive(job!));
		await stopRunners();
		expect(done).toMatchObject({ status: 'done' });
		expect((await drafts()).map((d) => d.id)).toEqual([done!.planId]);

		const { id } = await ensureUser(db, { email: `fremd.${dialect}@example.org`, name: 'Fremd' }, t0);
		const stranger = (await findSessionUser(db, id))!;
		expect(await jobs.requestPlan(db, stranger, market.eventId, 'fresh', t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await jobs.cancelPlan(db, stranger, market.eventId, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await jobs.requestPlan(db, market.coordinator, market.eventId, 'update', t0)).toEqual({ ok: false, problem: 'nothing_published' });
	}, 120_000);
	it('updates a published plan for a late registration: few people move, and only they are mailed', async () => {
		const first = await matching.publish(db, market.coordinator, market.eventId, ctx, t0);
		if (!first.ok) throw new Error(first.problem);
		expect(first.notified).toBeGreaterThan(1000);
		const published = await db.selectFrom('match_plan').select('id').where('event_id', '=', market.eventId).where('status', '=', 'published').executeTakeFirstOrThrow();

		// One more person registers after the plan went out: interests everyone has, so they compete for seats.
		const late = generateId();
		const profile = { residency: 'resident', homePlace: '', secondPlace: '', availability: [], presence: '', languages: ['de'], accessibilityNeeds: '', interests: [] };
		await db.insertInto('person').values({ id: late, email: `spaet.${dialect}@example.org`, name: 'Späte Anmeldung', profile: JSON.stringify(profile), consent_introductions: 0, created_at: t0.toISOString(), updated_at: t0.toISOString() }).execute();
		await db.insertInto('registration').values({ id: generateId(), event_id: market.eventId, person_id: late, status: 'confirmed', manage_secret_hash: generateId(), created_at: new Date(t0.getTime() + 86_400_000).toISOString(), updated_at: t0.toISOString(), confirmed_at: t0.toISOString() }).execute();

		const requested = await jobs.requestPlan(db, market.coordinator, market.eventId, 'update', t0);
		if (!requested.ok) throw new Error(requested.problem);
		startRunner('runner-d');
		const done = await until(() => jobs.getJob(db, requested.job.id), (job) => !jobs.isActive(job!));
		await stopRunners();
		expect(done).toMatchObject({ status: 'done', mode: 'update' });
		const figures = (await matching.planFigures(db, done!.planId!))!;
		const changes = figures.changes!;
		// The late person gets a plan; at most a handful of published people move to make that possible.
		expect(changes.find((c) => c.personId === late)).toMatchObject({ before: [], reasons: ['new'] });
		expect(changes.length).toBeLessThanOrEqual(1 + 3 * 3);
		const moved = changes.map((c) => c.personId).filter((id) => id !== late);
		for (const change of changes) expect(change.reasons.length).toBeGreaterThan(0);

		// The first plan's mails went out long ago; the update's go through a real SMTP server.
		await db.updateTable('outbox').set({ status: 'sent', sent_at: t0.toISOString() }).where('status', '=', 'pending').execute();
		const second = await matching.publish(db, market.coordinator, market.eventId, ctx, t0);
		if (!second.ok) throw new Error(second.problem);
		const smtp = await startSmtp();
		const transport = smtpTransport(smtp.url, { poolSize: 2 });
		try {
			const delivered = await deliverBacklog(db, { transport, from: 'Miteinander <no-reply@miteinander.example>', maxAttempts: 3, owner: 'w1', batchSize: 50, clock: () => t0 });
			expect(delivered.sent).toBe(changes.length + second.clubsNotified);
		} finally {
			transport.close();
			await smtp.close();
		}
		const recipients = smtp.received.flatMap((mail) => (Array.isArray(mail.to) ? mail.to : [mail.to!]).flatMap((to) => to.value.map((v) => v.address!))).sort();
		const movers = await db.selectFrom('person').select('email').where('id', 'in', [late, ...moved]).execute();
		expect(second.notified).toBe(changes.length);
		expect(recipients.filter((r) => !r.startsWith('verein'))).toEqual(movers.map((p) => p.email).sort());
		// Only the clubs that gain or lose a mover hear of the update (the late person's club at least).
		const moversClubs = new Set(
			(await db.selectFrom('match_slot').select(['club_id', 'plan_id']).where('person_id', 'in', [late, ...moved]).where('plan_id', 'in', [published.id, done!.planId!]).execute()).map((s) => s.club_id)
		);
		const clubMails = await db.selectFrom('outbox').innerJoin('club', 'club.contact_email', 'outbox.recipient').select('club.id').where('outbox.template', '=', 'club-schedule').where('outbox.idempotency_key', 'like', `club-schedule:${done!.planId}:%`).execute();
		expect(clubMails.length).toBe(second.clubsNotified);
		expect(clubMails.length).toBeGreaterThanOrEqual(1);
		for (const { id } of clubMails) expect(moversClubs.has(id)).toBe(true);
		expect(recipients.filter((r) => r.startsWith('verein'))).toHaveLength(second.clubsNotified);
		// Everyone else keeps exactly their published conversations.
		const slotsOf = async (planId: string) => {
			const byPerson = new Map<string, string[]>();
			for (const s of await db.selectFrom('match_slot').select(['person_id', 'club_id', 'round']).where('plan_id', '=', planId).execute()) {
				byPerson.set(s.person_id, [...(byPerson.get(s.person_id) ?? []), `${s.club_id}@${s.round}`]);
			}
			return new Map([...byPerson].map(([person, slots]) => [person, slots.sort().join(',')]));
		};
		const [before, after] = await Promise.all([slotsOf(published.id), slotsOf(done!.planId!)]);
		const unchanged = [...before.keys()].filter((id) => !changes.some((c) => c.personId === id));
		expect(unchanged.length).toBeGreaterThan(1000);
		for (const id of unchanged) expect(after.get(id)).toBe(before.get(id));
	}, 180_000);
});
