import * as reminders from '$lib/server/reminders';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';
import { findOr404 } from '../registration';

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
