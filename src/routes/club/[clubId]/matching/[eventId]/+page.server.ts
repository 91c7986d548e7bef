import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requireUser } from '$lib/server/auth/guards';
import { venueLine } from '$lib/server/events';
import * as clubs from '$lib/server/clubs';
import * as matching from '$lib/server/matching';
import * as runtime from '$lib/server/runtime';
import * as tags from '$lib/server/tags';
import * as competences from '$lib/server/competences';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const db = runtime.db();
	const plan = await matching.planForClub(db, user, params.clubId, params.eventId);
	if (!plan.ok) error(plan.problem === 'not_found' ? 404 : 403, plan.problem === 'not_found' ? m.club_error_not_found() : m.club_error_forbidden());
	const club = await clubs.find(db, user, params.clubId);
	const { event } = plan;
	return {
		club: { id: params.clubId, name: club?.name ?? '' },
		event: { id: event.id, title: event.title, kind: event.kind, startsAt: event.startsAt, endsAt: event.endsAt, timeZone: event.timeZone, venue: venueLine(event.venue) },
		place: plan.place,
		rounds: plan.rounds,
		tags: await tags.list(db, getLocale()),
		competences: club ? await competences.choices(db, [club.municipality.id], getLocale()) : []
	};
};
