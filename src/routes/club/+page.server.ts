import { requireUser } from '$lib/server/auth/guards';
import type { PageServerLoad } from './$types';

// Club tables arrive with the clubs issue; until then every signed-in account sees its empty state.
export const load: PageServerLoad = ({ locals, url }) => {
	requireUser(locals, url);
	return {};
};
