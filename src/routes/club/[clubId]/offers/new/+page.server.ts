import { fail, redirect } from '@sveltejs/kit';
import { localizeHref } from '$lib/i18n';
import { offerProblemMessage, parseOffer, readValues } from '$lib/server/clubs/form';
import * as offers from '$lib/server/clubs/offers';
import * as runtime from '$lib/server/runtime';
import { requireClubEditor } from '../../../guard';
import { competenceSlugs, offerChoices, problemField, tagSlugs } from '../scope';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { club } = await requireClubEditor(locals, url, params.clubId);
	return { club: { id: club.id, name: club.name }, ...(await offerChoices(club.municipality.id)) };
};

export const actions: Actions = {
	default: async ({ locals, url, params, request }) => {
		const { user, club } = await requireClubEditor(locals, url, params.clubId);
		const form = await request.formData();
		const parsed = parseOffer(form, { tagSlugs: await tagSlugs(), competenceSlugs: await competenceSlugs(club.municipality.id), withStatus: true });
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const result = await offers.create(runtime.db(), user, params.clubId, { ...parsed.data, status: parsed.status }, new Date());
		if (!result.ok) {
			return fail(result.problem === 'forbidden' ? 403 : 400, {
				errors: { [problemField(result.problem)]: offerProblemMessage(result.problem) } as Record<string, string>,
				values: readValues(form)
			});
		}
		redirect(303, localizeHref(`/club?club=${params.clubId}&notice=offer_created`));
	}
};
