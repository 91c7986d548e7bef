import { requireCoordinator } from '$lib/server/auth/guards';
import type { LayoutServerLoad } from './$types';

// A first line of defence; every page load and action below checks again.
export const load: LayoutServerLoad = ({ locals, url }) => {
	requireCoordinator(locals, url);
	return {};
};
