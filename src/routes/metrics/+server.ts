import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { env } from '$lib/server/env';
import { isAuthorised, scrape } from '$lib/server/http/metrics-scrape';
import * as runtime from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** Prometheus' scrape. Off (404) unless METRICS_TOKEN is set; then only with that bearer token. */
export const GET: RequestHandler = async ({ request }) => {
	const token = env().metricsToken;
	if (!token) error(404, m.error_404());
	if (!isAuthorised(request.headers.get('authorization'), token)) {
		return new Response('Unauthorized\n', { status: 401, headers: { 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' } });
	}
	return new Response(await scrape(runtime.db(), new Date()), {
		headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' }
	});
};
