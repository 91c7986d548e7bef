import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import * as clubs from '$lib/server/clubs';
import * as matching from '$lib/server/matching';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const db = runtime.db();
	const plans = await matching.eventsForClub(db, user, params.clubId);
	if (!plans.ok) error(plans.problem === 'not_found' ? 404 : 403, plans.problem === 'not_found' ? m.club_error_not_found() : m.club_error_forbidden());
	const club = await clubs.find(db, user, params.clubId);
	return { club: { id: params.clubId, name: club?.name ?? '' }, events: plans.items };
};
