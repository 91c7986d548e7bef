import { fail } from '@sveltejs/kit';
import { anonymiseAddress } from '$lib/server/log-privacy';
import * as m from '$lib/paraglide/messages';
import * as contact from '$lib/server/leads/contact';
import * as runtime from '$lib/server/runtime';
import type { Actions } from './$types';

// Opening the link shows a button; only the POST confirms, so mail scanners cannot confirm for people.
export const actions: Actions = {
	default: async ({ params, getClientAddress }) => {
		const result = await contact.confirm(runtime.db(), params.token, runtime.links(), new Date());
		if (result.ok) return { message: m.contact_confirmed({ club: result.club, offer: result.offer }), manageToken: result.manageToken };
		if (result.problem === 'already') return { message: m.contact_already({ club: result.club }), manageToken: result.manageToken };
		console.warn(`[contact] ${result.problem} confirmation link from ${anonymiseAddress(getClientAddress())}`);
		const problem = { invalid: m.contact_invalid, expired: m.contact_expired, closed: m.contact_closed }[result.problem]();
		return fail(400, { problem });
	}
};
