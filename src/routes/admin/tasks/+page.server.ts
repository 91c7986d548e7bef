import { requireCoordinator } from '$lib/server/auth/guards';
import * as runtime from '$lib/server/runtime';
import * as tasks from '$lib/server/tasks';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 20;

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireCoordinator(locals, url);
	const requested = Number(url.searchParams.get('page') ?? '1');
	const page = Number.isInteger(requested) && requested >= 1 && requested <= 10_000 ? requested : 1;
	const { items, total } = await tasks.listForCoordinator(runtime.db(), user, { now: new Date(), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
	return {
		tasks: items.map((t) => ({
			id: t.id,
			title: t.title,
			status: t.status,
			municipalityName: t.municipalityName,
			clubName: t.clubName,
			canManage: t.canManage && t.clubId === null,
			shifts: t.shifts.length,
			firstShift: tasks.leadingShift(t),
			filled: t.shifts.reduce((n, s) => n + s.confirmedCount, 0),
			capacity: t.shifts.reduce((n, s) => n + s.capacity, 0)
		})),
		page,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE))
	};
};
