import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as contact from '$lib/server/leads/contact';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const found = await contact.findByManageToken(runtime.db(), params.token);
	if (!found) error(404, m.contact_not_found());
	const { offer, club, message, confirmed, withdrawn } = found;
	return { contact: { offer, club, message, confirmed, withdrawn } };
};

export const actions: Actions = {
	withdraw: async ({ params }) => {
		if (!(await contact.withdraw(runtime.db(), params.token, new Date()))) error(404, m.contact_not_found());
		return { withdrawn: true };
	}
};
