import { fail } from '@sveltejs/kit';
import { anonymiseAddress } from '$lib/server/log-privacy';
import * as m from '$lib/paraglide/messages';
import { statusLabel } from '$lib/registration-status';
import * as registrations from '$lib/server/registrations';
import * as runtime from '$lib/server/runtime';
import type { Actions } from './$types';

/** What the page shows after confirming: the date, the status, the place in the queue and the check-in code. */
async function summary(manageToken: string) {
	const registration = await registrations.findByManageToken(runtime.db(), manageToken);
	if (!registration) return null;
	const { event } = registration;
	return {
		event: { id: event.id, title: event.title, startsAt: event.startsAt, endsAt: event.endsAt, timeZone: event.timeZone, venue: event.venue },
		status: registration.status,
		waitlistRank: registration.waitlistRank,
		checkInCode: await registrations.checkInCode(runtime.links(), registration)
	};
}

// Opening the link shows a button; only the POST confirms, so mail scanners cannot confirm for people.
export const actions: Actions = {
	default: async ({ params, getClientAddress }) => {
		const result = await registrations.confirm(runtime.db(), params.token, runtime.links(), new Date());
		if (result.ok) {
			const details = await summary(result.manageToken);
			const rank = details?.waitlistRank ?? result.position ?? 0;
			return {
				message: result.status === 'confirmed' ? m.confirm_confirmed() : m.confirm_waitlisted({ position: rank }),
				manageToken: result.manageToken,
				summary: details
			};
		}
		if (result.problem === 'already') {
			return { message: m.confirm_already({ status: statusLabel(result.status) }), manageToken: result.manageToken, summary: await summary(result.manageToken) };
		}
		console.warn(`[registration] ${result.problem} confirmation link from ${anonymiseAddress(getClientAddress())}`);
		const problem = { invalid: m.confirm_invalid, expired: m.confirm_expired, closed: m.confirm_closed }[result.problem]();
		return fail(400, { problem });
	}
};
