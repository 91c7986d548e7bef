import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requireCoordinator } from '$lib/server/auth/guards';
import * as boerse from '$lib/server/boerse';
import * as reports from '$lib/server/reports';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireCoordinator(locals, url);
	const db = runtime.db();
	const municipalities = await reports.scope(db, user);
	const options = municipalities.map((x) => ({ value: x.id, label: x.name }));
	const municipality = (url.searchParams.get('municipality') ?? municipalities[0]?.id ?? '').slice(0, 64);
	if (!municipality) return { options, municipality, overview: null };
	const result = await boerse.overview(db, user, municipality, getLocale());
	if (!result.ok) error(403, m.error_403());
	return { options, municipality, overview: result.overview };
};
