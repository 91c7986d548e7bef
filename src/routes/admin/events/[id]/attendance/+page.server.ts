import { requireEventManager } from '$lib/server/auth/guards';
import * as roster from '$lib/server/registrations/roster';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { event } = await requireEventManager(locals, url, params.id);
	const people = await roster.all(runtime.db(), event.id, ['confirmed', 'attended', 'no_show']);
	return {
		event: { id: event.id, title: event.title, startsAt: event.startsAt, endsAt: event.endsAt, timeZone: event.timeZone, venue: event.venue?.name ?? '' },
		people: people.map((p) => ({ id: p.id, name: p.name, email: p.email, residency: p.profile.residency, needs: p.profile.accessibilityNeeds }))
	};
};
