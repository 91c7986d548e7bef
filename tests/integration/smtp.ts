// A real SMTP server on 127.0.0.1 for tests. It can refuse recipients for a while (4xx) or for good
// (5xx), and inject faults at random: temporary refusals at RCPT TO and after DATA, and connections
// cut after the message arrived but before the reply to DATA (so it was not accepted).
import type { AddressInfo, Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface SmtpFaults {
	/** Share of RCPT TO commands answered 450. */
	rcptTempFailRate?: number;
	/** Share of messages answered 451 once their content has arrived. */
	dataTempFailRate?: number;
	/** Share of messages whose connection is destroyed once their content has arrived. */
	dropRate?: number;
	/** Seed of the random choices, so a failing run can be repeated. */
	seed?: number;
}

export interface TestSmtp {
	url: string;
	received: ParsedMail[];
	/** Message-IDs in the order the server accepted them (answered 250 to the message). */
	accepted: string[];
	/** Recipients for whom RCPT TO answers 450: a temporary refusal, worth retrying. */
	rejecting: Set<string>;
	/** Recipients for whom RCPT TO answers 550: a permanent refusal. */
	rejectingPermanently: Set<string>;
	/** How often each random fault was injected. */
	injected: { rcptTempFail: number; dataTempFail: number; dropped: number };
	/** Called with each Message-ID as it is accepted, before the reply goes out. */
	onAccepted: ((messageId: string) => void) | null;
	close(): Promise<void>;
}

/** mulberry32: a small seeded generator, good enough to pick faults. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function smtpError(message: string, responseCode: number) {
	return Object.assign(new Error(message), { responseCode });
}

export async function startSmtp(options: { faults?: SmtpFaults } = {}): Promise<TestSmtp> {
	const faults = { rcptTempFailRate: 0, dataTempFailRate: 0, dropRate: 0, seed: 1, ...options.faults };
	const random = seededRandom(faults.seed);
	const sockets = new Map<number, Socket>();
	const smtp: Omit<TestSmtp, 'url' | 'close'> = {
		received: [],
		accepted: [],
		rejecting: new Set(),
		rejectingPermanently: new Set(),
		injected: { rcptTempFail: 0, dataTempFail: 0, dropped: 0 },
		onAccepted: null
	};

	const dropConnection = (session: SMTPServerSession) => {
		smtp.injected.dropped++;
		sockets.get(session.remotePort)?.destroy();
	};

	const server = new SMTPServer({
		secure: false,
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onRcptTo(address, _session, callback) {
			if (smtp.rejectingPermanently.has(address.address)) return callback(smtpError('Mailbox unavailable', 550));
			if (smtp.rejecting.has(address.address)) return callback(smtpError('Mailbox unavailable, try again later', 450));
			if (random() < faults.rcptTempFailRate) {
				smtp.injected.rcptTempFail++;
				return callback(smtpError('Too many recipients right now, try again later', 450));
			}
			callback();
		},
		onData(stream, session, callback) {
			simpleParser(stream)
				.then((mail) => {
					const draw = random();
					if (draw < faults.dropRate) return dropConnection(session);
					if (draw < faults.dropRate + faults.dataTempFailRate) {
						smtp.injected.dataTempFail++;
						return callback(smtpError('Local problem, try again later', 451));
					}
					smtp.received.push(mail);
					smtp.accepted.push(mail.messageId ?? '');
					smtp.onAccepted?.(mail.messageId ?? '');
					callback();
				})
				.catch(callback);
		}
	});
	server.server.on('connection', (socket: Socket) => {
		const port = socket.remotePort!;
		sockets.set(port, socket);
		socket.once('close', () => sockets.delete(port));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return Object.assign(smtp, {
		url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				// Clients that kept a connection open would otherwise hold the server for 30 seconds.
				for (const socket of sockets.values()) socket.destroy();
			})
	});
}
