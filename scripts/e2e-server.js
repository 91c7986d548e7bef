// The end-to-end server: the production build (`node build`) sending its mail over SMTP to a real
// SMTP server on 127.0.0.1, which stores each accepted message as an .eml file in DATA_DIR/mail,
// where tests/e2e/helpers.ts reads it. So every e2e mail crosses the same pooled SMTP transport
// as in production, not the file transport of a machine without SMTP_URL.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const mailDir = path.resolve(process.env.DATA_DIR ?? '.e2e-data', 'mail');
fs.mkdirSync(mailDir, { recursive: true });
let received = 0;

const smtp = new SMTPServer({
	secure: false,
	authOptional: true,
	disabledCommands: ['STARTTLS'],
	logger: false,
	onData(stream, session, callback) {
		const chunks = [];
		stream.on('data', (chunk) => chunks.push(chunk));
		stream.on('end', () => {
			// Named like the file transport's files (write time first), so newest-first sorting holds.
			const file = path.join(mailDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(++received).padStart(6, '0')}-${session.id}.eml`);
			fs.writeFile(file, Buffer.concat(chunks), (error) => callback(error ?? null));
		});
	}
});

smtp.listen(0, '127.0.0.1', () => {
	const { port } = smtp.server.address();
	const app = spawn(process.execPath, ['build'], { stdio: 'inherit', env: { ...process.env, SMTP_URL: `smtp://127.0.0.1:${port}` } });
	for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
	app.on('exit', (code, signal) => smtp.close(() => process.exit(code ?? (signal ? 1 : 0))));
});
