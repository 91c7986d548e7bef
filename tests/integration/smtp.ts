// A real SMTP server on 127.0.0.1 for tests. It can refuse recipients for a while (4xx) or for good
// (5xx), and inject faults at random: temporary refusals at RCPT TO and after DATA, and connections
// cut after the message arrived but before the reply to DATA (so it was not accepted). It can take
// its time per message, and be stopped (an outage) and started again on the same port.
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
	/** Per recipient: how often a message to them was accepted, and how often refused (4xx or 5xx). */
	acceptances: Map<string, number>;
	refusals: Map<string, number>;
	/** Called with each Message-ID (and recipient) as it is accepted; the reply waits for its promise. */
	onAccepted: ((messageId: string, recipient: string) => void | Promise<void>) | null;
	/** An outage: stops listening and cuts every open connection. */
	stop(): Promise<void>;
	/** Back after an outage, on the same port. */
	start(): Promise<void>;
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

function countUp(counts: Map<string, number>, key: string) {
	counts.set(key, (counts.get(key) ?? 0) + 1);
}

export async function startSmtp(options: { faults?: SmtpFaults; delayMs?: number } = {}): Promise<TestSmtp> {
	const faults = { rcptTempFailRate: 0, dataTempFailRate: 0, dropRate: 0, seed: 1, ...options.faults };
	const random = seededRandom(faults.seed);
	const sockets = new Map<number, Socket>();
	const smtp: Omit<TestSmtp, 'url' | 'close' | 'stop' | 'start'> = {
		received: [],
		accepted: [],
		rejecting: new Set(),
		rejectingPermanently: new Set(),
		injected: { rcptTempFail: 0, dataTempFail: 0, dropped: 0 },
		acceptances: new Map(),
		refusals: new Map(),
		onAccepted: null
	};

	const dropConnection = (session: SMTPServerSession) => {
		smtp.injected.dropped++;
		sockets.get(session.remotePort)?.destroy();
	};
	const refuse = (recipient: string, message: string, responseCode: number) => {
		countUp(smtp.refusals, recipient);
		return smtpError(message, responseCode);
	};

	const createServer = () => {
		const server = new SMTPServer({
			secure: false,
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			logger: false,
			onRcptTo(address, _session, callback) {
				const recipient = address.address;
				if (smtp.rejectingPermanently.has(recipient)) return callback(refuse(recipient, 'Mailbox unavailable', 550));
				if (smtp.rejecting.has(recipient)) return callback(refuse(recipient, 'Mailbox unavailable, try again later', 450));
				if (random() < faults.rcptTempFailRate) {
					smtp.injected.rcptTempFail++;
					return callback(refuse(recipient, 'Too many recipients right now, try again later', 450));
				}
				callback();
			},
			onData(stream, session, callback) {
				const recipient = session.envelope.rcptTo[0]?.address ?? '';
				simpleParser(stream)
					.then(async (mail) => {
						if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
						// Cut meanwhile (the server was stopped): the message was not accepted.
						if (sockets.get(session.remotePort)?.destroyed !== false) return;
						const draw = random();
						if (draw < faults.dropRate) return dropConnection(session);
						if (draw < faults.dropRate + faults.dataTempFailRate) {
							smtp.injected.dataTempFail++;
							return callback(refuse(recipient, 'Local problem, try again later', 451));
						}
						smtp.received.push(mail);
						smtp.accepted.push(mail.messageId ?? '');
						countUp(smtp.acceptances, recipient);
						await smtp.onAccepted?.(mail.messageId ?? '', recipient);
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
		// A client killed with SIGKILL mid-message resets its connection: smtp-server emits that as
		// an 'error' on the server, which would end the test process unheard.
		server.on('error', () => {});
		return server;
	};

	let server: SMTPServer | null = null;
	const listen = async (port: number) => {
		const next = createServer();
		await new Promise<void>((resolve, reject) => {
			next.server.once('error', reject);
			next.listen(port, '127.0.0.1', resolve);
		});
		server = next;
		return (next.server.address() as AddressInfo).port;
	};
	const stop = () =>
		new Promise<void>((resolve) => {
			const current = server;
			server = null;
			if (!current) return resolve();
			current.close(() => resolve());
			// Clients that kept a connection open would otherwise hold the server for 30 seconds.
			for (const socket of sockets.values()) socket.destroy();
		});
	const port = await listen(0);
	return Object.assign(smtp, {
		url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
		stop,
		start: async () => {
			if (!server) await listen(port);
		},
		close: stop
	});
}
