import { fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { statusLabel } from '$lib/event-format';
import * as registrations from '$lib/server/registrations';
import * as runtime from '$lib/server/runtime';
import type { Actions } from './$types';

// Opening the link shows a button; only the POST confirms, so mail scanners cannot confirm for people.
export const actions: Actions = {
	default: async ({ params, getClientAddress }) => {
		const result = await registrations.confirm(runtime.db(), params.token, runtime.links(), new Date());
		if (result.ok) {
			return {
				message: result.status === 'confirmed' ? m.confirm_confirmed() : m.confirm_waitlisted({ position: result.position ?? 0 }),
				manageToken: result.manageToken
			};
		}
		if (result.problem === 'already') {
			return { message: m.confirm_already({ status: statusLabel(result.status) }), manageToken: result.manageToken };
		}
		console.warn(`[registration] ${result.problem} confirmation link from ${getClientAddress()}`);
		const problem = { invalid: m.confirm_invalid, expired: m.confirm_expired, closed: m.confirm_closed }[result.problem]();
		return fail(400, { problem });
	}
};
