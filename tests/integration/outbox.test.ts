import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/lib/server/db/connect';
import * as outbox from '../../src/lib/server/mail/outbox';
import { fileTransport, smtpTransport, type MailTransport } from '../../src/lib/server/mail/transport';
import { deliverDue } from '../../src/lib/server/mail/worker';
import * as municipalities from '../../src/lib/server/municipalities';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { startSmtp, type TestSmtp } from './smtp';

const FROM = 'Miteinander <no-reply@imst.example>';

describe.each(dialects)('mail outbox on %s', (dialect) => {
	let test: TestDatabase;
	let smtp: TestSmtp;
	let transport: MailTransport;
	const t0 = new Date('2026-11-23T09:00:00.000Z');

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		smtp = await startSmtp();
		transport = smtpTransport(smtp.url);
	});
	afterAll(async () => {
		transport.close();
		await smtp.close();
		await test.destroy();
	});

	const signInMail = (key: string, recipient: string, locale: 'de' | 'en' = 'de') => ({
		idempotencyKey: key,
		recipient,
		locale,
		template: 'sign-in-link' as const,
		payload: { name: 'Maria <b>Huber</b>', url: 'https://miteinander.example/sign-in/link?token=abc' }
	});

	it('stores each idempotency key once', async () => {
		expect(await outbox.enqueue(test.db, signInMail('once', 'a@example.org'), t0)).toBe(true);
		expect(await outbox.enqueue(test.db, signInMail('once', 'a@example.org'), t0)).toBe(false);
		const rows = await test.db.selectFrom('outbox').select('id').where('idempotency_key', '=', 'once').execute();
		expect(rows).toHaveLength(1);
	});

	it('writes nothing when the causing transaction rolls back', async () => {
		await expect(
			test.db.transaction().execute(async (trx) => {
				await outbox.enqueue(trx, signInMail('rolled-back', 'b@example.org'), t0);
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');
		const rows = await test.db.selectFrom('outbox').select('id').where('idempotency_key', '=', 'rolled-back').execute();
		expect(rows).toHaveLength(0);
	});

	it('delivers due mail over SMTP with text and escaped HTML in the recipient language, once', async () => {
		await outbox.enqueue(test.db, signInMail('deliver-en', 'maria@example.org', 'en'), t0);
		const report = await deliverDue(test.db, { transport, from: FROM, owner: 'w1', maxAttempts: 3, now: t0 });
		expect(report.sent).toBeGreaterThanOrEqual(1);

		const mail = smtp.received.find((m) => m.subject === 'Your sign-in link for Miteinander');
		expect(mail).toBeDefined();
		expect(mail!.text).toContain('Hello Maria <b>Huber</b>,');
		expect(mail!.html).toContain('Maria &lt;b&gt;Huber&lt;/b&gt;');
		expect(mail!.html).not.toContain('<b>Huber</b>');
		expect(mail!.messageId).toMatch(/^<[a-z2-7]{24}@imst\.example>$/);

		const row = await test.db.selectFrom('outbox').selectAll().where('idempotency_key', '=', 'deliver-en').executeTakeFirstOrThrow();
		expect(row.status).toBe('sent');
		expect(row.message_id).toBe(mail!.messageId);
		expect(row.attempts).toBe(1);

		const before = smtp.received.length;
		const again = await deliverDue(test.db, { transport, from: FROM, owner: 'w1', maxAttempts: 3, now: new Date(t0.getTime() + 3600_000) });
		expect(again.sent).toBe(0);
		expect(smtp.received.length).toBe(before);
	});

	it('sends calendar invites as a text/calendar part with METHOD and inline images by content id', async () => {
		const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:x@y\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
		await outbox.enqueue(
			test.db,
			{
				...signInMail('with-invite', 'invite@example.org'),
				attachments: [
					{ filename: 'einladung.ics', contentType: 'text/calendar; charset=utf-8; method=REQUEST', content: ics },
					{ filename: 'code.png', contentType: 'image/png', content: Buffer.from('png').toString('base64'), encoding: 'base64', cid: 'code' }
				]
			},
			t0
		);
		await deliverDue(test.db, { transport, from: FROM, owner: 'w1', maxAttempts: 3, now: new Date(t0.getTime() + 1000) });
		const mail = smtp.received.find((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes('invite@example.org')));
		expect(mail).toBeDefined();
		const calendarPart = mail!.attachments.find((a) => a.contentType === 'text/calendar');
		expect(calendarPart?.content.toString()).toContain('METHOD:REQUEST');
		expect(mail!.attachments.find((a) => a.contentType === 'image/png')?.content.toString()).toBe('png');
	});

	it('retries a failing address with exponential backoff, then marks it failed with the error', async () => {
		smtp.rejecting.add('bounce@example.org');
		await outbox.enqueue(test.db, signInMail('bounce', 'bounce@example.org'), t0);
		const read = () => test.db.selectFrom('outbox').selectAll().where('idempotency_key', '=', 'bounce').executeTakeFirstOrThrow();
		const options = { transport, from: FROM, owner: 'w1', maxAttempts: 3 };

		let now = new Date(t0.getTime() + 24 * 3600_000); // well after the earlier tests' mail
		await deliverDue(test.db, { ...options, now });
		let row = await read();
		expect(row.status).toBe('pending');
		expect(row.attempts).toBe(1);
		expect(row.last_error).toMatch(/550|Mailbox unavailable/);
		expect(new Date(row.next_attempt_at).getTime() - now.getTime()).toBe(60_000);

		// Not due yet: nothing happens.
		await deliverDue(test.db, { ...options, now: new Date(now.getTime() + 59_000) });
		expect((await read()).attempts).toBe(1);

		now = new Date(now.getTime() + 60_000);
		await deliverDue(test.db, { ...options, now });
		row = await read();
		expect(row.attempts).toBe(2);
		expect(new Date(row.next_attempt_at).getTime() - now.getTime()).toBe(120_000);

		now = new Date(now.getTime() + 120_000);
		const last = await deliverDue(test.db, { ...options, now });
		expect(last.failed).toBe(1);
		row = await read();
		expect(row.status).toBe('failed');
		expect(row.attempts).toBe(3);
		expect(row.last_error).toMatch(/550|Mailbox unavailable/);

		// A failed mail stays visible and is not picked up again until a coordinator retries it.
		await deliverDue(test.db, { ...options, now: new Date(now.getTime() + 7 * 24 * 3600_000) });
		expect((await read()).attempts).toBe(3);
		expect(await outbox.retry(test.db, row.id, now)).toBe(true);
		smtp.rejecting.delete('bounce@example.org');
		await deliverDue(test.db, { ...options, now });
		expect((await read()).status).toBe('sent');
		expect(await outbox.retry(test.db, row.id, now)).toBe(false);
	});

	it('lets concurrent workers claim each row exactly once, and reclaims after a lost lease', async () => {
		const now = new Date('2026-12-01T09:00:00.000Z');
		for (let i = 0; i < 30; i++) await outbox.enqueue(test.db, signInMail(`claim-${i}`, `c${i}@example.org`), now);
		// A second connection stands in for a second app instance.
		const second = connect(test.settings);
		try {
			const claims = await Promise.all([
				outbox.claimDue(test.db, { owner: 'a', now, leaseMs: 60_000, limit: 50 }),
				outbox.claimDue(second.db, { owner: 'b', now, leaseMs: 60_000, limit: 50 }),
				outbox.claimDue(test.db, { owner: 'c', now, leaseMs: 60_000, limit: 50 })
			]);
			const ids = claims.flat().map((r) => r.id);
			expect(ids).toHaveLength(30);
			expect(new Set(ids).size).toBe(30);

			// Nobody else gets them while the lease holds …
			expect(await outbox.claimDue(second.db, { owner: 'd', now: new Date(now.getTime() + 59_000), leaseMs: 60_000, limit: 50 })).toHaveLength(0);
			// … and after the holder died, another worker takes over.
			const reclaimed = await outbox.claimDue(second.db, { owner: 'd', now: new Date(now.getTime() + 61_000), leaseMs: 60_000, limit: 50 });
			expect(reclaimed).toHaveLength(30);
			// The takeover costs no second attempt: the dead worker never learnt how its attempt went.
			expect(reclaimed.every((r) => r.attempts === 1 && r.lease_owner === 'd')).toBe(true);
			// The dead worker's late report no longer counts.
			await outbox.markSent(test.db, reclaimed[0]!.id, 'a', '<late@x>', now);
			const row = await test.db.selectFrom('outbox').select('status').where('id', '=', reclaimed[0]!.id).executeTakeFirstOrThrow();
			expect(row.status).toBe('sending');
		} finally {
			await second.db.destroy();
		}
	});

	it('shows coordinators only their municipalities’ and their own mail', async () => {
		const now = new Date('2026-12-02T09:00:00.000Z');
		const imst = await municipalities.create(test.db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, now);
		const reutte = await municipalities.create(test.db, { name: 'Reutte', country: 'AT', timeZone: 'Europe/Vienna' }, now);
		await outbox.enqueue(test.db, { ...signInMail('imst-1', 'x@example.org'), municipalityId: imst.id }, now);
		await outbox.enqueue(test.db, { ...signInMail('reutte-1', 'y@example.org'), municipalityId: reutte.id }, now);

		const imstCoordinator = { id: 'nobody', isPlatformAdmin: false, municipalityIds: [imst.id] };
		const visible = await outbox.list(test.db, imstCoordinator, { page: 1, pageSize: 100 });
		expect(visible.items.map((i) => i.recipient)).toEqual(['x@example.org']);
		expect(visible.total).toBe(1);
		const reutteRow = await test.db.selectFrom('outbox').select('id').where('idempotency_key', '=', 'reutte-1').executeTakeFirstOrThrow();
		expect(await outbox.find(test.db, imstCoordinator, reutteRow.id)).toBeNull();

		const admin = { id: 'root', isPlatformAdmin: true, municipalityIds: [] };
		const all = await outbox.list(test.db, admin, { page: 1, pageSize: 2 });
		expect(all.items).toHaveLength(2);
		expect(all.total).toBeGreaterThan(30);
		const failedOnly = await outbox.list(test.db, admin, { status: 'sent', page: 1, pageSize: 100 });
		expect(failedOnly.items.every((i) => i.status === 'sent')).toBe(true);
	});
});

describe('file transport', () => {
	it('writes a readable .eml file per message', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-mail-'));
		const transport = fileTransport(dir);
		await transport.send({
			from: FROM,
			to: 'anna@example.org',
			subject: 'Grüße aus Imst',
			text: 'Hallo Anna',
			html: '<p>Hallo Anna</p>',
			messageId: '<abc@imst.example>',
			attachments: []
		});
		const files = fs.readdirSync(dir);
		expect(files).toHaveLength(1);
		const content = fs.readFileSync(path.join(dir, files[0]!), 'utf8');
		expect(content).toContain('To: anna@example.org');
		expect(content).toContain('Message-ID: <abc@imst.example>');
		expect(content).toMatch(/Subject: =\?UTF-8\?/);
		fs.rmSync(dir, { recursive: true, force: true });
	});
});
