import { error, fail, redirect } from '@sveltejs/kit';
import { localizeHref } from '$lib/i18n';
import * as m from '$lib/paraglide/messages';
import { offerProblemMessage, parseOffer, readValues } from '$lib/server/clubs/form';
import * as offers from '$lib/server/clubs/offers';
import * as runtime from '$lib/server/runtime';
import { requireClubEditor } from '../../../guard';
import { competenceSlugs, offerChoices, offerValues, problemField, tagSlugs } from '../scope';
import type { Actions, PageServerLoad } from './$types';

async function requireOffer(locals: App.Locals, url: URL, params: { clubId: string; offerId: string }) {
	const { user, club } = await requireClubEditor(locals, url, params.clubId);
	const offer = await offers.find(runtime.db(), user, params.offerId);
	if (!offer || offer.clubId !== club.id) error(404, m.offer_error_not_found());
	return { user, club, offer };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { club, offer } = await requireOffer(locals, url, params);
	return {
		club: { id: club.id, name: club.name },
		offer: { id: offer.id, title: offer.title, status: offer.status },
		values: offerValues(offer),
		...(await offerChoices(club.municipality.id))
	};
};

export const actions: Actions = {
	save: async ({ locals, url, params, request }) => {
		const { user, club, offer } = await requireOffer(locals, url, params);
		const form = await request.formData();
		const parsed = parseOffer(form, { tagSlugs: await tagSlugs(), competenceSlugs: await competenceSlugs(club.municipality.id) });
		if (!parsed.ok) return fail(400, { action: 'save', errors: parsed.errors, values: parsed.values });
		const result = await offers.update(runtime.db(), user, offer.id, parsed.data, new Date());
		if (!result.ok) {
			return fail(result.problem === 'forbidden' ? 403 : 400, {
				action: 'save',
				errors: { [problemField(result.problem)]: offerProblemMessage(result.problem) } as Record<string, string>,
				values: readValues(form)
			});
		}
		return { action: 'save', notice: m.clubarea_offer_saved() };
	},
	status: async ({ locals, url, params, request }) => {
		const { user, offer } = await requireOffer(locals, url, params);
		const status = (await request.formData()).get('status');
		if (status !== 'published' && status !== 'paused' && status !== 'draft') return fail(400, { action: 'status', error: m.error_invalid_choice() });
		const result = await offers.setStatus(runtime.db(), user, offer.id, status, new Date());
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'status', error: offerProblemMessage(result.problem) });
		return { action: 'status', notice: m.clubarea_offer_saved() };
	},
	archive: async ({ locals, url, params, request }) => {
		const { user, offer } = await requireOffer(locals, url, params);
		if ((await request.formData()).get('confirmArchive') !== 'on') {
			return fail(400, { action: 'archive', error: m.clubarea_offer_archive_needs_confirm() });
		}
		const result = await offers.setStatus(runtime.db(), user, offer.id, 'archived', new Date());
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'archive', error: offerProblemMessage(result.problem) });
		redirect(303, localizeHref(`/club?club=${params.clubId}&notice=offer_archived`));
	}
};
