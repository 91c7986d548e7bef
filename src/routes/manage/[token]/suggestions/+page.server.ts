import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import * as runtime from '$lib/server/runtime';
import * as suggestions from '$lib/server/suggestions';
import * as tags from '$lib/server/tags';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const found = await suggestions.forManageToken(runtime.db(), params.token, getLocale());
	if (!found) error(404, m.manage_not_found());
	return {
		hasProfile: found.hasProfile,
		suggestions: found.suggestions,
		competenceLabels: found.competenceLabels,
		tags: await tags.list(runtime.db(), getLocale())
	};
};
