import * as audit from '$lib/server/audit';
import { requireCoordinator } from '$lib/server/auth/guards';
import * as outbox from '$lib/server/mail/outbox';
import * as municipalities from '$lib/server/municipalities';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireCoordinator(locals, url);
	const db = runtime.db();
	const scope = await municipalities.list(db, user.isPlatformAdmin ? undefined : user.municipalityIds);
	const venues = await municipalities.listVenues(db, scope.map((x) => x.id));
	return {
		isPlatformAdmin: user.isPlatformAdmin,
		municipalities: scope.map((x) => ({
			id: x.id,
			name: x.name,
			venues: venues.filter((v) => v.municipalityId === x.id).map((v) => v.name)
		})),
		outbox: await outbox.countByStatus(db, user),
		activity: await audit.recent(db, user, 10)
	};
};
