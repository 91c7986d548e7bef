import * as alerts from '$lib/server/alerts';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// Opening the link only asks (mail scanners follow links); the POST — from the button, or the
// one-click "List-Unsubscribe=One-Click" POST of a mail program (RFC 8058, exempt from the
// cross-site form check in hooks.server.ts) — unsubscribes. The token is its own authorisation.
export const load: PageServerLoad = async ({ params }) => {
	const subscription = await alerts.findByUnsubscribeToken(runtime.db(), params.token);
	return { email: subscription?.email ?? null };
};

export const actions: Actions = {
	default: async ({ params }) => {
		await alerts.unsubscribe(runtime.db(), params.token);
		// The same answer for a spent or unknown link: either way no alerts go out.
		return { done: true };
	}
};
