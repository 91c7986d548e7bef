// A real SMTP server on 127.0.0.1 for tests; it can be told to reject recipients.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
	url: string;
	received: ParsedMail[];
	/** Recipients for whom RCPT TO answers 550. */
	rejecting: Set<string>;
	close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
	const received: ParsedMail[] = [];
	const rejecting = new Set<string>();
	const server = new SMTPServer({
		secure: false,
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onRcptTo(address, _session, callback) {
			if (rejecting.has(address.address)) {
				const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
				return callback(error);
			}
			callback();
		},
		onData(stream, _session, callback) {
			simpleParser(stream)
				.then((mail) => {
					received.push(mail);
					callback();
				})
				.catch(callback);
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return {
		url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
		received,
		rejecting,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
