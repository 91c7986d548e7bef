import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { Env } from '../env';
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

export interface SendOptions {
	/** Gives up on the message (it is not accepted) when it fires, e.g. before the row's lease ends. */
	signal?: AbortSignal;
}

export interface MailTransport {
	describe: string;
	/** How many messages are worth handing over at once (the SMTP pool's connections). */
	concurrency?: number;
	send(mail: OutgoingMail, options?: SendOptions): Promise<{ messageId: string }>;
	/** Resolves when the server can be reached and takes our login (a session without a message). */
	verify(): Promise<void>;
	close(): void;
}

// Replies to these concern this message or its recipient; a 5xx to AUTH or the greeting means the
// configuration or the server is wrong, and every message waits for that to be fixed instead.
const MESSAGE_COMMANDS = new Set(['RCPT TO', 'DATA']);

/** What a failed send says about the message. */
export type SendFailure =
	/** The server refused this message for good (5xx): sending it again would get the same answer. */
	| 'refused-permanently'
	/** The server refused this message for now (4xx to RCPT TO or DATA): try again later. */
	| 'refused'
	/**
	 * No answer about the message: the connection failed or was cut, or the server said it is
	 * closing (421). Whether that costs the message an attempt depends on whether the server can
	 * still be reached (see the worker).
	 */
	| 'unanswered';

export function classifySendFailure(error: unknown): SendFailure {
	if (!(error instanceof Error)) return 'unanswered';
	const { responseCode, command } = error as Error & { responseCode?: unknown; command?: unknown };
	if (typeof responseCode !== 'number' || typeof command !== 'string') return 'unanswered';
	// 421 may come as the reply to any command: the server is shutting the channel, whatever we sent.
	if (!MESSAGE_COMMANDS.has(command) || responseCode === 421 || responseCode < 400) return 'unanswered';
	// 503 is "bad sequence of commands": a protocol hiccup, not a verdict on the message.
	return responseCode >= 500 && responseCode !== 503 ? 'refused-permanently' : 'refused';
}

/** A permanent (5xx) refusal of this message: sending it again would get the same answer. */
export function isPermanentRejection(error: unknown): boolean {
	return classifySendFailure(error) === 'refused-permanently';
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

/**
 * Pooled SMTP: `poolSize` connections stay open and each carries many messages, instead of a TCP
 * and SMTP handshake per message. Close it to end them.
 */
export function smtpTransport(url: string, options: { poolSize?: number } = {}): MailTransport {
	const poolSize = options.poolSize ?? 5;
	const pool = nodemailer.createTransport({
		url,
		pool: true,
		maxConnections: poolSize,
		maxMessages: 1000,
		// nodemailer waits 2 minutes for a connection and 10 for a silent socket: a hung server would
		// hold a lane, the outage check and a SIGTERM that long.
		connectionTimeout: 30_000,
		greetingTimeout: 30_000,
		socketTimeout: 60_000
	});
	return {
		describe: `SMTP ${new URL(url).host} (${poolSize} pooled connections)`,
		concurrency: poolSize,
		async send(mail, { signal } = {}) {
			// nodemailer ≥ 10.5 takes a per-message AbortSignal; @types/nodemailer does not list it yet.
			const message: Mail.Options & { signal?: AbortSignal } = { ...toNodemailer(mail), signal };
			const info = await pool.sendMail(message);
			return { messageId: info.messageId };
		},
		// A connection of its own (connect, EHLO, STARTTLS, AUTH, QUIT), not one of the pool's.
		verify: async () => {
			await pool.verify();
		},
		close: () => pool.close()
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
		verify: async () => {
			await fs.mkdir(directory, { recursive: true });
		},
		close: () => transporter.close()
	};
}

/** SMTP when SMTP_URL is set, otherwise .eml files in DATA_DIR/mail: the app and `npm run worker` alike. */
export function configuredTransport(config: Pick<Env, 'smtpUrl' | 'mailPoolSize' | 'dataDir'>): MailTransport {
	return config.smtpUrl
		? smtpTransport(config.smtpUrl, { poolSize: config.mailPoolSize })
		: fileTransport(path.join(config.dataDir, 'mail'));
}
