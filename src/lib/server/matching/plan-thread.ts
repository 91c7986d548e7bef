import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { connect } from '../db/connect';
import { executeJob, type ClaimedJob } from './jobs';

// The thread a planning job runs in: its own database connection, so loading ten thousand people
// and storing their slots never holds up the app's event loop. The runner (runner.ts) starts this
// very module as the thread's entry (`planThreadUrl`), which is why it is only ever imported
// dynamically: the bundler then gives it a file of its own.

export const planThreadUrl: string = import.meta.url;

export interface PlanThreadData {
	role: 'match-plan';
	job: Pick<ClaimedJob, 'id' | 'eventId' | 'requestedBy' | 'mode'>;
	owner: string;
	connection: { databaseUrl?: string; sqlitePath: string };
}

export type PlanThreadMessage =
	| { type: 'progress'; stage: 'loading' | 'scoring' | 'assigning' | 'rounds' | 'saving'; fraction: number }
	| { type: 'done'; stored: true; planId: string; kind: string }
	| { type: 'done'; stored: false; why: 'cancelled' | 'lost' | 'event_gone' };

if (!isMainThread && (workerData as PlanThreadData | undefined)?.role === 'match-plan') {
	const { job, owner, connection } = workerData as PlanThreadData;
	const post = (message: PlanThreadMessage) => parentPort!.postMessage(message);
	const { db } = connect(connection);
	try {
		const outcome = await executeJob(db, job, owner, (stage, fraction) => post({ type: 'progress', stage, fraction }));
		post({ type: 'done', ...outcome });
	} finally {
		await db.destroy();
	}
}
