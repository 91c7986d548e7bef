import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as registrations from '$lib/server/registrations';
import * as runtime from '$lib/server/runtime';

/** The registration behind a manage link; a forged or dead link is a 404 with a clear message. */
export async function findOr404(token: string) {
	const registration = await registrations.findByManageToken(runtime.db(), token);
	if (!registration) error(404, m.manage_not_found());
	return registration;
}
