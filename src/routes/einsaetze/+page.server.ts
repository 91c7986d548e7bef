import { getLocale } from '$lib/paraglide/runtime';
import { REGION_TIME_ZONE } from '$lib/format';
import * as municipalities from '$lib/server/municipalities';
import * as runtime from '$lib/server/runtime';
import * as tags from '$lib/server/tags';
import * as tasks from '$lib/server/tasks';
import { parsePublicTaskQuery, periodRange } from '$lib/server/tasks/public-filter';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 20;

export const load: PageServerLoad = async ({ url }) => {
	const db = runtime.db();
	const now = new Date();
	const [tagList, all] = await Promise.all([tags.list(db, getLocale()), municipalities.list(db)]);
	const query = parsePublicTaskQuery(url.searchParams, { tagSlugs: tagList.map((t) => t.slug), municipalitySlugs: all.map((x) => x.slug) });
	// "This week" is the week where the Einsätze take place: the chosen municipality's, else the first one's.
	const timeZone = (all.find((x) => x.slug === query.municipality) ?? all[0])?.timeZone ?? REGION_TIME_ZONE;
	const { items, total } = await tasks.listPublished(db, {
		now,
		municipalitySlug: query.municipality,
		tag: query.tag,
		...(query.period ? periodRange(query.period, now, timeZone) : {}),
		freeOnly: query.freeOnly,
		limit: PAGE_SIZE,
		offset: (query.page - 1) * PAGE_SIZE
	});
	return {
		tasks: items.map((t) => ({
			id: t.id,
			title: t.title,
			place: t.place,
			by: t.clubName ?? t.municipalityName,
			municipality: t.municipalityName,
			firstShift: t.shifts[0] ? { id: t.shifts[0].id, startsAt: t.shifts[0].startsAt, endsAt: t.shifts[0].endsAt, timeZone: t.shifts[0].timeZone } : null,
			shiftCount: t.shifts.length,
			seatsLeft: t.shifts.reduce((sum, s) => sum + s.seatsLeft, 0)
		})),
		filter: {
			municipality: query.municipality ?? '',
			tag: query.tag ?? '',
			when: query.period ?? '',
			free: query.freeOnly ? 'on' : ''
		},
		tags: tagList,
		municipalities: all.map((x) => ({ slug: x.slug, name: x.name })),
		total,
		page: query.page,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE))
	};
};
