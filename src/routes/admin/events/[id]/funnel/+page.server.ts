import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requireEventManager } from '$lib/server/auth/guards';
import * as reports from '$lib/server/reports';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { user, event } = await requireEventManager(locals, url, params.id);
	const result = await reports.funnel(runtime.db(), user, { eventId: event.id }, new Date());
	if (!result.ok) error(result.problem === 'forbidden' ? 403 : 404, m.error_403());
	return {
		event: { id: event.id, title: event.title, startsAt: event.startsAt, endsAt: event.endsAt, timeZone: event.timeZone },
		steps: result.steps
	};
};
