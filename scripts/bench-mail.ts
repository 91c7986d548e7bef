// `npm run bench:mail`: queues reminder emails into the outbox and lets one worker deliver them over
// pooled SMTP to a sink on 127.0.0.1 that runs in a child process (its own event loop and CPU), then
// prints JSON figures. SQLite in a temp directory by default; `--db postgres` uses a fresh database
// next to TEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432), dropped afterwards.
// Options: --messages 10000, --pool 5 (SMTP connections), --batch 200 (rows claimed per pass).
import { fork, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import * as outbox from '../src/lib/server/mail/outbox';
import { smtpTransport } from '../src/lib/server/mail/transport';
import { deliverBacklog } from '../src/lib/server/mail/worker';
import { createTestDatabase } from '../tests/integration/databases';

interface SinkReport {
	accepted: string[];
	duplicates: number;
	cpuSeconds: number;
}

/** The sink: accepts every message and remembers its Message-ID, reading only the header. */
function runSink() {
	const counts = new Map<string, number>();
	const server = new SMTPServer({
		secure: false,
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, _session, callback) {
			let header = '';
			let messageId: string | undefined;
			stream.on('data', (chunk: Buffer) => {
				if (messageId !== undefined) return;
				header += chunk.toString('latin1');
				const end = header.indexOf('\r\n\r\n');
				if (end === -1) return;
				messageId = /^message-id:\s*(<[^>]+>)/im.exec(header.slice(0, end))?.[1] ?? '';
			});
			stream.on('end', () => {
				counts.set(messageId ?? '', (counts.get(messageId ?? '') ?? 0) + 1);
				callback();
			});
		}
	});
	server.listen(0, '127.0.0.1', () => process.send!({ port: (server.server.address() as AddressInfo).port }));
	process.on('message', () => {
		const report: SinkReport = {
			accepted: [...counts.keys()],
			duplicates: [...counts.values()].reduce((sum, n) => sum + n - 1, 0),
			cpuSeconds: cpuSeconds(process.cpuUsage())
		};
		process.send!(report, () => process.exit(0));
	});
}

function startSink(): Promise<{ child: ChildProcess; port: number }> {
	const child = fork(import.meta.filename, ['--sink'], { stdio: 'inherit' });
	return new Promise((resolve, reject) => {
		child.once('message', (message) => resolve({ child, port: (message as { port: number }).port }));
		child.once('error', reject);
	});
}

function sinkReport(child: ChildProcess): Promise<SinkReport> {
	return new Promise((resolve) => {
		child.once('message', (message) => resolve(message as SinkReport));
		child.send('report');
	});
}

const cpuSeconds = ({ user, system }: NodeJS.CpuUsage) => (user + system) / 1e6;
const perSecond = (count: number, seconds: number) => Math.round(count / seconds);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

async function bench() {
	const { values } = parseArgs({
		options: {
			db: { type: 'string', default: 'sqlite' },
			messages: { type: 'string', default: '10000' },
			pool: { type: 'string', default: '5' },
			batch: { type: 'string', default: '200' }
		}
	});
	if (values.db !== 'sqlite' && values.db !== 'postgres') throw new Error('--db must be sqlite or postgres');
	const total = Number(values.messages);
	const poolSize = Number(values.pool);
	const batchSize = Number(values.batch);

	const test = await createTestDatabase(values.db);
	const sink = await startSink();
	const transport = smtpTransport(`smtp://127.0.0.1:${sink.port}?ignoreTLS=true`, { poolSize });
	try {
		const queueStarted = performance.now();
		const now = new Date();
		for (let start = 0; start < total; start += 500) {
			await test.db.transaction().execute(async (trx) => {
				for (let i = start; i < Math.min(total, start + 500); i++) await outbox.enqueue(trx, reminder(i), now);
			});
		}
		const queueSeconds = (performance.now() - queueStarted) / 1000;

		const started = performance.now();
		const cpuBefore = process.cpuUsage();
		const report = await deliverBacklog(test.db, {
			transport,
			from: 'Miteinander <no-reply@imst.example>',
			owner: 'bench',
			maxAttempts: 3,
			batchSize,
			clock: () => new Date()
		});
		const seconds = (performance.now() - started) / 1000;
		const workerCpuSeconds = cpuSeconds(process.cpuUsage(cpuBefore));

		const { accepted, duplicates, cpuSeconds: sinkCpuSeconds } = await sinkReport(sink.child);
		const sentRows = await test.db.selectFrom('outbox').select('message_id').where('status', '=', 'sent').execute();
		const acceptedIds = new Set(accepted);
		const result = {
			database: test.dialect,
			poolSize,
			batchSize,
			queueing: { messages: total, seconds: round(queueSeconds), messagesPerSecond: perSecond(total, queueSeconds) },
			messages: report.sent,
			seconds: round(seconds),
			messagesPerSecond: perSecond(report.sent, seconds),
			duplicates,
			failures: total - sentRows.length,
			/** Rows marked sent whose Message-ID the sink never accepted. */
			missing: sentRows.filter((r) => !acceptedIds.has(r.message_id ?? '')).length,
			peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
			/** CPU time while delivering: the worker process (≈ seconds means one core saturated), and the sink. */
			cpu: { workerSeconds: round(workerCpuSeconds), workerMsPerMessage: round((workerCpuSeconds * 1000) / report.sent), sinkSeconds: round(sinkCpuSeconds) }
		};
		console.log(JSON.stringify(result, null, 2));
		if (result.duplicates || result.failures || result.missing) process.exitCode = 1;
	} finally {
		transport.close();
		sink.child.kill();
		await test.destroy();
	}
}

function reminder(i: number) {
	const key = `bench-${i}`;
	return {
		idempotencyKey: `reminder:${key}`,
		recipient: `person${i}@example.org`,
		locale: i % 3 === 0 ? ('en' as const) : ('de' as const),
		template: 'event-reminder' as const,
		payload: {
			name: `Person ${i}`,
			event: {
				title: 'Gesprächsrunde',
				startsAt: '2027-05-08T16:00:00.000Z',
				endsAt: '2027-05-08T18:00:00.000Z',
				timeZone: 'Europe/Vienna',
				where: 'Stadtsaal Imst, Johannesplatz 4'
			},
			manageUrl: `https://miteinander.example/manage/${key}`,
			unsubscribeUrl: `https://miteinander.example/manage/${key}/unsubscribe`
		},
		headers: {
			fromName: 'Imst · Miteinander',
			replyTo: 'buergerservice@imst.example',
			listUnsubscribe: `https://miteinander.example/manage/${key}/unsubscribe`
		}
	};
}

if (process.argv.includes('--sink')) runSink();
else await bench();
