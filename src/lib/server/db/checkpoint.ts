import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// SQLite in WAL mode copies the log back into the database file now and then (a checkpoint, with
// two fsyncs). By default the commit that fills the log to 1000 pages does it, on the event loop:
// every registration paid a share of it, and the requests behind it waited. Here a worker thread
// with its own connection checkpoints a few times a second instead (PASSIVE: it never blocks the
// app's reads or writes), and the app's connection checkpoints itself only if the worker falls far
// behind. Durability is unchanged: with synchronous=NORMAL commits are made durable by checkpoints.

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
	try {
		db.pragma('wal_checkpoint(PASSIVE)');
	} catch (error) {
		parentPort.postMessage(String((error && error.message) || error));
	}
}, workerData.everyMs);
parentPort.once('message', () => {
	clearInterval(timer);
	db.close();
	parentPort.close();
});
`;

/** Pages the log may reach before the app's own connection checkpoints (about 40 MB). */
export const FALLBACK_CHECKPOINT_PAGES = 10_000;

export interface Checkpointer {
	stop(): Promise<void>;
}

/** Starts checkpointing `file` in a worker thread every `everyMs`. Does not keep the process alive. */
export function startCheckpointer(file: string, everyMs = 200): Checkpointer {
	const driver = createRequire(import.meta.url).resolve('better-sqlite3');
	const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs } });
	worker.on('message', (message) => console.warn(`[db] background checkpoint failed: ${message}`));
	worker.on('error', (error) => console.warn(`[db] background checkpoints stopped: ${error.message}`));
	worker.unref();
	const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
	return {
		async stop() {
			worker.postMessage('stop');
			await exited;
		}
	};
}
