import { requireCoordinator } from '$lib/server/auth/guards';
import * as events from '$lib/server/events';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireCoordinator(locals, url);
	const list = await events.listForCoordinator(runtime.db(), user, { from: new Date(Date.now() - 7 * 86_400_000) });
	return {
		events: list.map((e) => ({
			id: e.id,
			title: e.title,
			kind: e.kind,
			startsAt: e.startsAt,
			endsAt: e.endsAt,
			timeZone: e.timeZone,
			status: e.status,
			capacity: e.capacity,
			confirmed: e.confirmedCount,
			hosts: e.hosts.map((h) => h.name)
		}))
	};
};
