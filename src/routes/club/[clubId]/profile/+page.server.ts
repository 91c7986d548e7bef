import { fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { env } from '$lib/server/env';
import * as clubs from '$lib/server/clubs';
import { clubProblemMessage, parseProfile, readLogo, readValues } from '$lib/server/clubs/form';
import { MAX_LOGO_BYTES } from '$lib/server/clubs/logo';
import * as runtime from '$lib/server/runtime';
import * as tags from '$lib/server/tags';
import { profileValues, requireClubEditor } from '../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { club } = await requireClubEditor(locals, url, params.clubId);
	return {
		club: { id: club.id, name: club.name, status: club.status, hasLogo: club.logoVersion !== null },
		logoUrl: club.logoVersion ? clubs.paths.logo(club.id, club.logoVersion) : null,
		values: profileValues(club),
		tags: await tags.list(runtime.db(), getLocale()),
		maxLogoKb: MAX_LOGO_BYTES / 1024
	};
};

export const actions: Actions = {
	save: async ({ locals, url, params, request }) => {
		const { user } = await requireClubEditor(locals, url, params.clubId);
		const db = runtime.db();
		const form = await request.formData();
		const parsed = parseProfile(form, { tagSlugs: (await tags.list(db, 'de')).map((t) => t.slug) });
		if (!parsed.ok) return fail(400, { action: 'save', errors: parsed.errors, values: parsed.values });
		const result = await clubs.update(db, user, params.clubId, parsed.data, { origin: env().origin }, new Date());
		if (!result.ok) {
			const field = result.problem === 'duplicate_name' ? 'name' : result.problem === 'unknown_tag' ? 'tags' : 'form';
			return fail(result.problem === 'forbidden' ? 403 : 400, {
				action: 'save',
				errors: { [field]: clubProblemMessage(result.problem) } as Record<string, string>,
				values: readValues(form)
			});
		}
		return { action: 'save', notice: result.resubmitted ? m.clubarea_profile_resubmitted() : m.clubarea_profile_saved() };
	},
	logo: async ({ locals, url, params, request }) => {
		const { user } = await requireClubEditor(locals, url, params.clubId);
		const logo = await readLogo(await request.formData());
		if (!logo.ok) return fail(400, { action: 'logo', errors: { logo: logo.error } as Record<string, string> });
		if (!logo.bytes) return fail(400, { action: 'logo', errors: { logo: m.clubarea_logo_missing() } as Record<string, string> });
		const result = await clubs.setLogo(runtime.db(), user, params.clubId, logo.bytes, new Date());
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'logo', errors: { logo: clubProblemMessage(result.problem) } as Record<string, string> });
		return { action: 'logo', notice: m.clubarea_logo_saved() };
	},
	removeLogo: async ({ locals, url, params }) => {
		const { user } = await requireClubEditor(locals, url, params.clubId);
		const result = await clubs.setLogo(runtime.db(), user, params.clubId, null, new Date());
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'logo', errors: { logo: clubProblemMessage(result.problem) } as Record<string, string> });
		return { action: 'logo', notice: m.clubarea_logo_removed() };
	}
};
