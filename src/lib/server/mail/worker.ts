import type { Db } from '../db/schema';
import { claimDue, markAttemptFailed, markSent, type Attachment, type MailHeaders } from './outbox';
import type { MailTransport } from './transport';

export interface DeliveryOptions {
	transport: MailTransport;
	from: string;
	owner: string;
	maxAttempts: number;
	now: Date;
	leaseMs?: number;
	batchSize?: number;
}

export interface DeliveryReport {
	sent: number;
	retrying: number;
	failed: number;
}

function messageIdFor(rowId: string, from: string): string {
	const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'miteinander.local';
	return `<${rowId}@${domain}>`;
}

/** One pass of the outbox worker: claim what is due, send it, record the outcome. */
export async function deliverDue(db: Db, options: DeliveryOptions): Promise<DeliveryReport> {
	const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
	const rows = await claimDue(db, {
		owner: options.owner,
		now: options.now,
		leaseMs: options.leaseMs ?? 5 * 60_000,
		limit: options.batchSize ?? 20
	});
	for (const row of rows) {
		try {
			const info = await options.transport.send({
				from: options.from,
				to: row.recipient,
				subject: row.subject,
				text: row.text_body,
				html: row.html_body,
				messageId: messageIdFor(row.id, options.from),
				attachments: row.attachments ? (JSON.parse(row.attachments) as Attachment[]) : [],
				headers: row.headers ? (JSON.parse(row.headers) as MailHeaders) : undefined
			});
			await markSent(db, row.id, options.owner, info.messageId, options.now);
			report.sent++;
		} catch (error) {
			// The SMTP boundary: any failure is recorded on the row and retried later.
			const message = error instanceof Error ? error.message : String(error);
			const status = await markAttemptFailed(db, row, options.owner, message, options.maxAttempts, options.now);
			if (status === 'failed') {
				report.failed++;
				console.error(`[mail] giving up on ${row.id} to ${row.recipient} after ${row.attempts} attempts: ${message}`);
			} else {
				report.retrying++;
				console.warn(`[mail] attempt ${row.attempts} for ${row.id} failed, will retry: ${message}`);
			}
		}
	}
	return report;
}
