import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requireEventManager } from '$lib/server/auth/guards';
import { venueLine } from '$lib/server/events';
import * as matching from '$lib/server/matching';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { user, event } = await requireEventManager(locals, url, params.id);
	const table = await matching.timetable(runtime.db(), user, event.id);
	if (!table.ok) error(403, m.error_403());
	return {
		event: { id: event.id, title: event.title, kind: event.kind, startsAt: event.startsAt, endsAt: event.endsAt, timeZone: event.timeZone, venue: venueLine(event.venue) },
		status: table.status,
		places: table.places,
		rounds: table.rounds
	};
};
