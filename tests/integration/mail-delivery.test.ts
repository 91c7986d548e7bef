// The outbox worker against a real SMTP server: batches over pooled connections, several workers,
// injected SMTP faults, a worker stopped mid-batch and a worker that died holding a lease.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect } from '../../src/lib/server/db/connect';
import { toDate, type Db } from '../../src/lib/server/db/schema';
import * as outbox from '../../src/lib/server/mail/outbox';
import { smtpTransport } from '../../src/lib/server/mail/transport';
import { deliverBacklog, deliverDue } from '../../src/lib/server/mail/worker';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { reminder } from './mail-fixtures';
import { startSmtp, type SmtpFaults } from './smtp';

const FROM = 'Miteinander <no-reply@imst.example>';
const t0 = new Date('2027-05-01T07:00:00.000Z');


async function enqueueReminders(db: Db, count: number, now: Date, recipient = (i: number) => `person${i}@example.org`) {
	await db.transaction().execute(async (trx) => {
		for (let i = 0; i < count; i++) await outbox.enqueue(trx, reminder(`reminder-${i}`, recipient(i)), now);
	});
}

async function readRows(db: Db) {
	return db
		.selectFrom('outbox')
		.select(['id', 'recipient', 'status', 'attempts', 'message_id', 'last_error', 'lease_owner', 'next_attempt_at'])
		.execute();
}

/** The earliest time a row is waiting for, or null when nothing is left to send. */
async function nextDueAt(db: Db): Promise<Date | null> {
	const row = await db
		.selectFrom('outbox')
		.select((eb) => eb.fn.min('next_attempt_at').as('next'))
		.where('status', 'in', ['pending', 'sending'])
		.executeTakeFirst();
	return row?.next ? toDate(row.next) : null;
}

const sorted = (values: (string | null)[]) => [...values].sort();

describe.each(dialects)('mail delivery on %s', (dialect) => {
	let test: TestDatabase;
	let cleanups: (() => unknown)[] = [];

	beforeEach(async () => {
		test = await createTestDatabase(dialect);
	});
	afterEach(async () => {
		for (const cleanup of cleanups.reverse()) await cleanup();
		cleanups = [];
		await test.destroy();
	});

	async function startMail(options: { faults?: SmtpFaults; poolSize?: number; delayMs?: number } = {}) {
		const smtp = await startSmtp({ faults: options.faults, delayMs: options.delayMs });
		const transport = smtpTransport(smtp.url, { poolSize: options.poolSize ?? 4 });
		cleanups.push(() => smtp.close(), () => transport.close());
		return { smtp, transport, worker: { transport, from: FROM, maxAttempts: 3 } };
	}

	it('claims a batch with one statement and sends it over pooled connections, each message once', async () => {
		const { smtp, worker } = await startMail();
		await enqueueReminders(test.db, 250, t0);

		const first = await deliverDue(test.db, { ...worker, owner: 'w1', batchSize: 100, now: t0 });
		expect(first).toEqual({ claimed: 100, sent: 100, retrying: 0, failed: 0, released: 0 });
		expect(smtp.accepted).toHaveLength(100);

		const rest = await deliverBacklog(test.db, { ...worker, owner: 'w1', batchSize: 100, clock: () => t0 });
		expect(rest.claimed).toBe(150);
		expect(rest.sent).toBe(150);

		const rows = await readRows(test.db);
		expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && r.lease_owner === null)).toBe(true);
		expect(new Set(smtp.accepted).size).toBe(250);
		expect(sorted(smtp.accepted)).toEqual(sorted(rows.map((r) => r.message_id)));
		expect(smtp.received[0]!.subject).toBe('Erinnerung: Gesprächsrunde');
	});

	it('lets workers in two instances drain one backlog together, each message once', async () => {
		const a = await startMail({ poolSize: 3 });
		const b = smtpTransport(a.smtp.url, { poolSize: 3 });
		const second = connect(test.settings);
		cleanups.push(() => second.db.destroy(), () => b.close());
		await enqueueReminders(test.db, 300, t0);

		const reports = await Promise.all([
			deliverBacklog(test.db, { ...a.worker, owner: 'a1', batchSize: 25, clock: () => t0 }),
			deliverBacklog(test.db, { ...a.worker, owner: 'a2', batchSize: 25, clock: () => t0 }),
			deliverBacklog(second.db, { ...a.worker, transport: b, owner: 'b1', batchSize: 25, clock: () => t0 })
		]);

		expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(300);
		const rows = await readRows(test.db);
		expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
		expect(a.smtp.accepted).toHaveLength(300);
		expect(sorted(a.smtp.accepted)).toEqual(sorted(rows.map((r) => r.message_id)));
	});

	it('survives refusals and dropped connections: every message ends sent exactly once, or failed', async () => {
		const maxAttempts = 4;
		const { smtp, worker } = await startMail({ faults: { rcptTempFailRate: 0.1, dataTempFailRate: 0.1, dropRate: 0.1, seed: 7 } });
		const permanent = ['person0@example.org', 'person1@example.org', 'person2@example.org'];
		const alwaysLater = ['person3@example.org', 'person4@example.org'];
		permanent.forEach((r) => smtp.rejectingPermanently.add(r));
		alwaysLater.forEach((r) => smtp.rejecting.add(r));
		await enqueueReminders(test.db, 200, t0);

		// Run the worker, then move time to the next retry, until nothing is waiting any more.
		let now: Date | null = t0;
		for (let round = 0; now && round < 50; round++) {
			const clock = now;
			await deliverBacklog(test.db, { ...worker, maxAttempts, owner: `w${round}`, batchSize: 50, clock: () => clock });
			now = await nextDueAt(test.db);
		}
		expect(now).toBeNull();

		// The faults really happened.
		expect(smtp.injected.rcptTempFail).toBeGreaterThan(0);
		expect(smtp.injected.dataTempFail).toBeGreaterThan(0);
		expect(smtp.injected.dropped).toBeGreaterThan(0);

		const rows = await readRows(test.db);
		expect(rows.every((r) => r.status === 'sent' || r.status === 'failed')).toBe(true);
		const sent = rows.filter((r) => r.status === 'sent');
		const failed = rows.filter((r) => r.status === 'failed');
		expect(new Set(smtp.accepted).size).toBe(smtp.accepted.length);
		expect(sorted(smtp.accepted)).toEqual(sorted(sent.map((r) => r.message_id)));
		expect(sent.length).toBeGreaterThan(150);

		for (const row of failed) {
			expect(row.last_error).toBeTruthy();
			expect(row.message_id).toBeNull();
			if (permanent.includes(row.recipient)) {
				expect(row.attempts).toBe(1);
				expect(row.last_error).toMatch(/550/);
			} else {
				expect(row.attempts).toBe(maxAttempts);
			}
		}
		expect(sorted(failed.filter((r) => permanent.includes(r.recipient)).map((r) => r.recipient))).toEqual(permanent);
		for (const recipient of alwaysLater) {
			const row = failed.find((r) => r.recipient === recipient);
			expect(row?.last_error).toMatch(/450/);
		}
	});

	it('fails a message refused with 550 at once, and retries one refused with 450', async () => {
		const { smtp, worker } = await startMail();
		smtp.rejectingPermanently.add('gone@example.org');
		smtp.rejecting.add('full@example.org');
		await outbox.enqueue(test.db, reminder('gone', 'gone@example.org'), t0);
		await outbox.enqueue(test.db, reminder('full', 'full@example.org'), t0);
		const read = (recipient: string) =>
			test.db.selectFrom('outbox').selectAll().where('recipient', '=', recipient).executeTakeFirstOrThrow();

		const report = await deliverDue(test.db, { ...worker, owner: 'w1', now: t0 });
		expect(report).toMatchObject({ claimed: 2, sent: 0, failed: 1, retrying: 1 });
		expect(await read('gone@example.org')).toMatchObject({ status: 'failed', attempts: 1, lease_owner: null });
		expect((await read('gone@example.org')).last_error).toMatch(/550 Mailbox unavailable/);
		expect(await read('full@example.org')).toMatchObject({ status: 'pending', attempts: 1 });

		smtp.rejectingPermanently.clear();
		smtp.rejecting.clear();
		await deliverDue(test.db, { ...worker, owner: 'w1', now: new Date(t0.getTime() + 24 * 3600_000) });
		expect(await read('gone@example.org')).toMatchObject({ status: 'failed', attempts: 1 });
		const full = await read('full@example.org');
		expect(full).toMatchObject({ status: 'sent', attempts: 2 });
		expect(smtp.accepted).toEqual([full.message_id]);
	});

	it('stopped mid-batch, finishes the messages in flight and hands the rest to the next worker', async () => {
		const { smtp, worker } = await startMail({ poolSize: 4 });
		await enqueueReminders(test.db, 60, t0);
		const stop = new AbortController();
		smtp.onAccepted = () => {
			if (smtp.accepted.length === 10) stop.abort();
		};

		const first = await deliverDue(test.db, { ...worker, owner: 'first', batchSize: 60, signal: stop.signal, now: t0 });
		expect(first.claimed).toBe(60);
		expect(first.sent).toBeGreaterThanOrEqual(10);
		expect(first.sent).toBeLessThan(60);
		expect(first.released).toBe(60 - first.sent);
		// Whatever the server accepted was recorded as sent before the worker returned.
		expect(smtp.accepted).toHaveLength(first.sent);

		const released = (await readRows(test.db)).filter((r) => r.status === 'pending');
		expect(released).toHaveLength(first.released);
		expect(released.every((r) => r.attempts === 0 && r.lease_owner === null && toDate(r.next_attempt_at) <= t0)).toBe(true);

		smtp.onAccepted = null;
		const second = await deliverDue(test.db, { ...worker, owner: 'second', batchSize: 60, now: t0 });
		expect(second.sent).toBe(first.released);

		const rows = await readRows(test.db);
		expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
		expect(smtp.accepted).toHaveLength(60);
		expect(sorted(smtp.accepted)).toEqual(sorted(rows.map((r) => r.message_id)));
	});

	it('sends the claim of a worker that died only after its lease expired, each message once', async () => {
		const { smtp, worker } = await startMail();
		await enqueueReminders(test.db, 40, t0);
		const orphaned = await outbox.claimDue(test.db, { owner: 'crashed', now: t0, leaseMs: 60_000, limit: 100 });
		expect(orphaned).toHaveLength(40);

		const next = { ...worker, owner: 'next', leaseMs: 60_000, batchSize: 100 };
		const early = await deliverDue(test.db, { ...next, now: new Date(t0.getTime() + 59_000) });
		expect(early.claimed).toBe(0);
		expect(smtp.accepted).toHaveLength(0);

		const late = await deliverDue(test.db, { ...next, now: new Date(t0.getTime() + 61_000) });
		expect(late.sent).toBe(40);
		const rows = await readRows(test.db);
		// The dead worker's claim cost no attempt: it never learnt what became of it.
		expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
		expect(sorted(smtp.accepted)).toEqual(sorted(rows.map((r) => r.message_id)));
	});

	it('restarted under the same owner, takes back its own claims at once with their attempts', async () => {
		await enqueueReminders(test.db, 30, t0);
		const mine = await outbox.claimDue(test.db, { owner: 'host:3000', now: t0, leaseMs: 60_000, limit: 10 });
		const others = await outbox.claimDue(test.db, { owner: 'host:3001', now: t0, leaseMs: 60_000, limit: 10 });

		expect(await outbox.takeBackClaims(test.db, 'host:3000')).toBe(10);
		const rows = await readRows(test.db);
		const taken = rows.filter((r) => mine.some((m) => m.id === r.id));
		expect(taken.every((r) => r.status === 'pending' && r.attempts === 0 && r.lease_owner === null)).toBe(true);
		// Another living worker's claims stay its own.
		expect(rows.filter((r) => r.lease_owner === 'host:3001').map((r) => r.id).sort()).toEqual(others.map((r) => r.id).sort());
		// Due at once, long before the dead claim's lease would have run out.
		const again = await outbox.claimDue(test.db, { owner: 'host:3000', now: t0, leaseMs: 60_000, limit: 100 });
		expect(again).toHaveLength(20);
	});

	it('keeps its claims with a heartbeat while a batch takes longer than the lease', async () => {
		const { smtp, worker } = await startMail({ poolSize: 2, delayMs: 60 });
		await enqueueReminders(test.db, 24, t0);
		const leaseMs = 300;
		const started = performance.now();
		const clock = () => new Date(t0.getTime() + (performance.now() - started));
		let stolen = 0;
		let isSending = true;
		// Once the batch is claimed, a second worker keeps trying to take rows whose lease has run
		// out, on the same clock.
		const rival = (async () => {
			while (isSending && (await readRows(test.db)).some((r) => r.status === 'pending')) {
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
			while (isSending) {
				const claimed = await outbox.claimDue(test.db, { owner: 'rival', now: clock(), leaseMs, limit: 100 });
				stolen += claimed.length;
				await outbox.releaseClaims(test.db, claimed.map((r) => r.id), 'rival');
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		})();

		const report = await deliverDue(test.db, { ...worker, owner: 'w1', leaseMs, heartbeatMs: 60, batchSize: 24, now: t0 });
		isSending = false;
		await rival;

		expect(performance.now() - started).toBeGreaterThan(2 * leaseMs);
		expect(report).toMatchObject({ claimed: 24, sent: 24, released: 0 });
		expect(stolen).toBe(0);
		expect(new Set(smtp.accepted).size).toBe(24);
		expect(smtp.accepted).toHaveLength(24);
	});

	it('with the SMTP server down, gives the batch back without spending attempts and says so', async () => {
		const { smtp, worker } = await startMail();
		await enqueueReminders(test.db, 30, t0);
		await smtp.stop();

		const report = await deliverBacklog(test.db, { ...worker, owner: 'w1', batchSize: 10, clock: () => t0 });
		expect(report.unreachable).toMatch(/ECONNREFUSED|connect/i);
		expect(report).toMatchObject({ claimed: 10, sent: 0, retrying: 0, failed: 0, released: 10 });
		expect((await readRows(test.db)).every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);

		await smtp.start();
		const after = await deliverBacklog(test.db, { ...worker, owner: 'w1', batchSize: 10, clock: () => t0 });
		expect(after).toMatchObject({ sent: 30, released: 0 });
		expect(after.unreachable).toBeUndefined();
		expect((await readRows(test.db)).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
	});

	it('records a message the server accepted once the database answers again, instead of sending it twice', async () => {
		const { smtp, worker } = await startMail({ poolSize: 1 });
		await enqueueReminders(test.db, 3, t0);
		// The database refuses the worker's writes for a moment, right as the server accepts the
		// first message: the table is renamed away (a real error on the real write path, the same on
		// both databases) and back a second later.
		let isAway = false;
		smtp.onAccepted = async () => {
			smtp.onAccepted = null;
			await sql`alter table outbox rename to outbox_away`.execute(test.db);
			isAway = true;
			setTimeout(() => {
				void sql`alter table outbox_away rename to outbox`.execute(test.db).then(() => (isAway = false));
			}, 1000);
		};
		const warnings: string[] = [];
		const warn = vi.spyOn(console, 'warn').mockImplementation((message: string) => void warnings.push(message));
		cleanups.push(() => warn.mockRestore());

		const report = await deliverDue(test.db, { ...worker, owner: 'w1', now: t0 });
		expect(isAway).toBe(false);
		expect(report).toMatchObject({ claimed: 3, sent: 3, released: 0 });
		expect(warnings.some((w) => /accepted but could not be recorded yet/.test(w))).toBe(true);
		const rows = await readRows(test.db);
		expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
		expect(smtp.accepted).toHaveLength(3);
		expect(sorted(smtp.accepted)).toEqual(sorted(rows.map((r) => r.message_id)));
	});

	it('counts an attempt for a connection cut while the server stays reachable, so one message cannot stall the rest', async () => {
		const { smtp, worker } = await startMail({ faults: { dropRate: 1 } });
		await enqueueReminders(test.db, 3, t0);

		const report = await deliverDue(test.db, { ...worker, owner: 'w1', now: t0 });
		expect(report).toMatchObject({ claimed: 3, retrying: 3, released: 0 });
		expect(report.unreachable).toBeUndefined();
		expect(smtp.injected.dropped).toBe(3);
		expect((await readRows(test.db)).every((r) => r.status === 'pending' && r.attempts === 1)).toBe(true);
	});

	it('hands claimed rows back unsent when too little of the lease is left to send them', async () => {
		const { smtp, worker } = await startMail();
		await enqueueReminders(test.db, 5, t0);

		const report = await deliverDue(test.db, { ...worker, owner: 'w1', leaseMs: 0, now: t0 });
		expect(report).toMatchObject({ claimed: 5, sent: 0, released: 5 });
		expect(smtp.accepted).toHaveLength(0);
		expect((await readRows(test.db)).every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);

		expect((await deliverDue(test.db, { ...worker, owner: 'w1', now: t0 })).sent).toBe(5);
	});

	it('fails mail past its expiry time without sending it', async () => {
		const { smtp, worker } = await startMail();
		await outbox.enqueue(test.db, { ...reminder('late', 'late@example.org'), expiresAt: new Date(t0.getTime() + 3600_000) }, t0);
		await outbox.enqueue(test.db, { ...reminder('timely', 'timely@example.org'), expiresAt: new Date(t0.getTime() + 3 * 3600_000) }, t0);

		const report = await deliverDue(test.db, { ...worker, owner: 'w1', now: new Date(t0.getTime() + 2 * 3600_000) });
		expect(report).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
		const late = await test.db.selectFrom('outbox').selectAll().where('recipient', '=', 'late@example.org').executeTakeFirstOrThrow();
		expect(late).toMatchObject({ status: 'failed', attempts: 0, message_id: null });
		expect(late.last_error).toMatch(/expired/i);
		expect(smtp.received.map((m) => m.to && JSON.stringify(m.to))).toEqual([expect.stringContaining('timely@example.org')]);
	});
});
