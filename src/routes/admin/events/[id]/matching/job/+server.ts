import { json } from '@sveltejs/kit';
import { requireEventManager } from '$lib/server/auth/guards';
import * as jobs from '$lib/server/matching/jobs';
import * as runtime from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The event's latest matching job, for the matching page to follow its progress without reloading everything. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const { event } = await requireEventManager(locals, url, params.id);
	const job = await jobs.latestJob(runtime.db(), event.id);
	const body = job && { id: job.id, status: job.status, stage: job.stage, progress: job.progress, cancelRequested: job.cancelRequested };
	return json(body, { headers: { 'cache-control': 'no-store' } });
};
