import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Attachment, MailHeaders } from './outbox';

export interface OutgoingMail {
	from: string;
	to: string;
	subject: string;
	text: string;
	html: string;
	/** Stable per outbox row, so a receiving server can drop a duplicate after a crash mid-send. */
	messageId: string;
	attachments: Attachment[];
	headers?: MailHeaders;
}

export interface MailTransport {
	describe: string;
	send(mail: OutgoingMail): Promise<{ messageId: string }>;
	close(): void;
}

function toNodemailer(mail: OutgoingMail) {
	const calendar = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
	const unsubscribe = mail.headers?.listUnsubscribe;
	return {
		from: mail.headers?.fromName ? { name: mail.headers.fromName, address: /<([^>]+)>/.exec(mail.from)?.[1] ?? mail.from } : mail.from,
		replyTo: mail.headers?.replyTo,
		// List-Unsubscribe with List-Unsubscribe-Post: mail programs offer a one-click opt-out.
		list: unsubscribe ? { unsubscribe: { url: unsubscribe, comment: 'Unsubscribe' } } : undefined,
		headers: unsubscribe ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : undefined,
		to: mail.to,
		subject: mail.subject,
		text: mail.text,
		html: mail.html,
		messageId: mail.messageId,
		attachments: mail.attachments
			.filter((a) => a !== calendar)
			.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, encoding: a.encoding, cid: a.cid })),
		icalEvent: calendar
			? {
					filename: calendar.filename,
					method: /METHOD:(\w+)/.exec(calendar.content)?.[1] ?? 'PUBLISH',
					content: calendar.content
				}
			: undefined
	};
}

export function smtpTransport(url: string): MailTransport {
	const transporter = nodemailer.createTransport(url);
	return {
		describe: `SMTP ${new URL(url).host}`,
		async send(mail) {
			const info = await transporter.sendMail(toNodemailer(mail));
			return { messageId: info.messageId };
		},
		close: () => transporter.close()
	};
}

/** Without SMTP, each message becomes an .eml file a person can open (and coordinators read in the app). */
export function fileTransport(directory: string): MailTransport {
	const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
	return {
		describe: `files in ${directory}`,
		async send(mail) {
			const info = await transporter.sendMail(toNodemailer(mail));
			await fs.mkdir(directory, { recursive: true });
			const safeId = mail.messageId.replace(/[^a-zA-Z0-9@._-]/g, '');
			const file = path.join(directory, `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeId}.eml`);
			await fs.writeFile(file, info.message as Buffer);
			return { messageId: info.messageId };
		},
		close: () => transporter.close()
	};
}
