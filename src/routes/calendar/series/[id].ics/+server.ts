import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as feeds from '$lib/server/calendar/feeds';
import { env } from '$lib/server/env';
import * as runtime from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The dates of one series, for calendar subscriptions (webcal). */
export const GET: RequestHandler = async ({ params, request }) => {
	const { origin, regionName } = env();
	const response = await feeds.serve(runtime.db(), { kind: 'series', id: params.id }, { origin, regionName, ifNoneMatch: request.headers.get('if-none-match'), now: new Date() });
	if (!response) error(404, m.feed_not_found());
	return response;
};
