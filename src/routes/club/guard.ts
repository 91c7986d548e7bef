import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import * as clubs from '$lib/server/clubs';
import * as runtime from '$lib/server/runtime';

/**
 * The signed-in user with a club they may edit. Clubs they may not see answer 404 (no hint that
 * the id exists); visible but not editable (a reviewing coordinator) answers 403.
 */
export async function requireClubEditor(locals: App.Locals, url: URL, clubId: string) {
	const user = requireUser(locals, url);
	const club = await clubs.find(runtime.db(), user, clubId);
	if (!club) error(404, m.club_error_not_found());
	if (!club.viewer.canEdit) error(403, m.club_error_forbidden());
	return { user, club };
}

/** What the profile form shows, from a club or after a failed submit. */
export function profileValues(club: clubs.ClubDetails): Record<string, string | string[]> {
	return {
		name: club.name,
		description: club.description,
		contactEmail: club.contactEmail,
		contactPhone: club.contactPhone,
		website: club.website,
		tags: club.tags
	};
}
