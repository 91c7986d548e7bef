import { sql } from 'kysely';
import { mailHealth, workerView } from '$lib/server/mail/health';
import * as runtime from '$lib/server/runtime';
import { describeFailure, RETRY_AFTER_SECONDS } from '$lib/server/unavailable';
import type { RequestHandler } from './$types';

/**
 * For the load balancer and the operator: 503 only when the database is away (this instance can
 * serve nothing then); mail that cannot go out is reported (`smtp.status: 'failing'` and why) with
 * 200, since the site itself still works and restarting it would not help.
 */
export const GET: RequestHandler = async () => {
	const headers = { 'cache-control': 'no-store' };
	const now = new Date();
	try {
		await sql`select 1`.execute(runtime.db());
		const smtp = await mailHealth(runtime.db(), now);
		return Response.json({ status: 'ok', database: 'reachable', smtp }, { headers });
	} catch (error) {
		// Says why, for the operator or load balancer that asks; it names no secret, only the failure.
		const reason = describeFailure(error);
		console.warn('[healthz] database unreachable:', reason);
		return Response.json(
			{ status: 'unavailable', database: 'unreachable', reason, smtp: workerView() },
			{ status: 503, headers: { ...headers, 'retry-after': String(RETRY_AFTER_SECONDS) } }
		);
	}
};
