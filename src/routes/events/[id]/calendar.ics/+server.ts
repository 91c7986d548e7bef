import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { calendar } from '$lib/server/calendar';
import { calendarEvent } from '$lib/server/calendar/invites';
import { env } from '$lib/server/env';
import * as events from '$lib/server/events';
import * as runtime from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** "Add to calendar": the published date as a .ics file (same UID as the emailed invites). */
export const GET: RequestHandler = async ({ params }) => {
	const event = await events.get(runtime.db(), params.id);
	if (!event || event.status === 'draft') error(404, m.event_not_found());
	const body = calendar([calendarEvent(event, env().origin, event.description)], { method: 'PUBLISH', name: event.title });
	return new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': `attachment; filename="veranstaltung-${event.startsAt.toISOString().slice(0, 10)}.ics"`
		}
	});
};
