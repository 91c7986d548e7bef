import * as audit from '$lib/server/audit';
import { requireCoordinator } from '$lib/server/auth/guards';
import * as dashboard from '$lib/server/dashboard';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireCoordinator(locals, url);
	const db = runtime.db();
	return {
		...(await dashboard.overview(db, user, new Date())),
		activity: await audit.recent(db, user, 10)
	};
};
