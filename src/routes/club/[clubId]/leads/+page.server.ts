import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import * as leads from '$lib/server/leads';
import * as runtime from '$lib/server/runtime';
import { requireClubEditor } from '../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { user, club } = await requireClubEditor(locals, url, params.clubId);
	const result = await leads.forClub(runtime.db(), user, club.id, Number(url.searchParams.get('page') ?? '1'));
	if (!result.ok) error(403, m.club_error_forbidden());
	const { ok: _ok, ...page } = result;
	return { club: { id: club.id, name: club.name }, statuses: leads.LEAD_STATUSES, ...page };
};

export const actions: Actions = {
	status: async ({ locals, url, params, request }) => {
		const user = requireUser(locals, url);
		const form = await request.formData();
		const leadId = String(form.get('leadId') ?? '');
		const status = String(form.get('status') ?? '');
		if (!leads.isLeadStatus(status)) return fail(400, { leadId, error: m.lead_error_status() });
		const result = await leads.setStatus(runtime.db(), user, params.clubId, leadId, status, new Date());
		if (!result.ok) {
			if (result.problem === 'forbidden') error(403, m.club_error_forbidden());
			return fail(404, { leadId, error: m.lead_not_found() });
		}
		return { leadId, status, name: result.name };
	}
};
