import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requireEventManager } from '$lib/server/auth/guards';
import { venueLine } from '$lib/server/events';
import * as runtime from '$lib/server/runtime';
import * as stalls from '$lib/server/stalls';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { user, event } = await requireEventManager(locals, url, params.id);
	if (event.kind !== 'market') error(404, m.stalls_not_market());
	const plan = await stalls.plan(runtime.db(), user, event.id);
	if (!plan.ok) error(403, m.error_403());
	return {
		event: { id: event.id, title: event.title, startsAt: event.startsAt, endsAt: event.endsAt, timeZone: event.timeZone, venue: venueLine(event.venue) },
		stalls: plan.rows
	};
};
