import * as v from 'valibot';
import { queryParams } from '$lib/server/forms';
import * as runtime from '$lib/server/runtime';
import * as tasks from '$lib/server/tasks';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 20;
const querySchema = v.object({ page: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1))) });

export const load: PageServerLoad = async ({ url }) => {
	const parsed = v.safeParse(querySchema, queryParams(url));
	const page = (parsed.success ? parsed.output.page : undefined) ?? 1;
	const { items, total } = await tasks.listPublished(runtime.db(), { now: new Date(), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
	return {
		tasks: items.map((t) => ({
			id: t.id,
			title: t.title,
			place: t.place,
			by: t.clubName ?? t.municipalityName,
			firstShift: t.shifts[0] ? { startsAt: t.shifts[0].startsAt, endsAt: t.shifts[0].endsAt, timeZone: t.shifts[0].timeZone } : null,
			shiftCount: t.shifts.length,
			seatsLeft: t.shifts.reduce((sum, s) => sum + s.seatsLeft, 0)
		})),
		page,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE))
	};
};
