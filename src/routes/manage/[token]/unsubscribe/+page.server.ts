import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as registrations from '$lib/server/registrations';
import * as reminders from '$lib/server/reminders';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

async function findOr404(token: string) {
	const registration = await registrations.findByManageToken(runtime.db(), token);
	if (!registration) error(404, m.manage_not_found());
	return registration;
}

// Opening the link only asks (mail scanners follow links); the POST — from the button, or the
// one-click "List-Unsubscribe=One-Click" POST of a mail program — opts out.
export const load: PageServerLoad = async ({ params }) => {
	const registration = await findOr404(params.token);
	return { optedOut: registration.person.mailOptOut, email: registration.person.email };
};

export const actions: Actions = {
	default: async ({ params }) => {
		const registration = await findOr404(params.token);
		if (!registration.person.mailOptOut) {
			await reminders.setOptOut(runtime.db(), registration.person.id, true, runtime.links(), new Date());
		}
		return { done: true };
	}
};
