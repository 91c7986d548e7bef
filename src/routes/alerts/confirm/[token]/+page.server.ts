import { fail } from '@sveltejs/kit';
import { anonymiseAddress } from '$lib/server/log-privacy';
import * as m from '$lib/paraglide/messages';
import * as alerts from '$lib/server/alerts';
import * as runtime from '$lib/server/runtime';
import type { Actions } from './$types';

// Opening the link shows a button; only the POST confirms, so mail scanners cannot subscribe people.
export const actions: Actions = {
	default: async ({ params, getClientAddress }) => {
		const result = await alerts.confirm(runtime.db(), params.token, new Date());
		if (result.ok) return { message: result.frequency === 'daily' ? m.alerts_confirmed_daily() : m.alerts_confirmed_weekly() };
		console.warn(`[alerts] ${result.problem} confirmation link from ${anonymiseAddress(getClientAddress())}`);
		return fail(400, { problem: result.problem === 'expired' ? m.alerts_confirm_expired() : m.alerts_confirm_invalid() });
	}
};
