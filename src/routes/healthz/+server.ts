import { sql } from 'kysely';
import * as runtime from '$lib/server/runtime';
import { describeFailure, RETRY_AFTER_SECONDS } from '$lib/server/unavailable';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	try {
		await sql`select 1`.execute(runtime.db());
		return Response.json({ status: 'ok', database: 'reachable' }, { headers: { 'cache-control': 'no-store' } });
	} catch (error) {
		// Says why, for the operator or load balancer that asks; it names no secret, only the failure.
		const reason = describeFailure(error);
		console.warn('[healthz] database unreachable:', reason);
		return Response.json(
			{ status: 'unavailable', database: 'unreachable', reason },
			{ status: 503, headers: { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' } }
		);
	}
};
