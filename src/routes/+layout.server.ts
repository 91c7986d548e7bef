import { env } from '$lib/server/env';
import { isCoordinator } from '$lib/server/auth/users';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	regionName: env().regionName,
	user: locals.user
		? { name: locals.user.name, email: locals.user.email, isCoordinator: isCoordinator(locals.user) }
		: null
});
