import { sql } from 'kysely';
import * as runtime from '$lib/server/runtime';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	try {
		await sql`select 1`.execute(runtime.db());
		return Response.json({ status: 'ok', database: 'reachable' });
	} catch (error) {
		console.error('[healthz] database unreachable:', error instanceof Error ? error.message : error);
		return Response.json({ status: 'unavailable', database: 'unreachable' }, { status: 503 });
	}
};
