import { queryParams } from '$lib/server/forms';
import * as v from 'valibot';
import * as feeds from '$lib/server/calendar/feeds';
import { env } from '$lib/server/env';
import * as events from '$lib/server/events';
import * as municipalities from '$lib/server/municipalities';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

// Links, a GET filter form and the language links (a plain link): nothing here needs JavaScript, so the
// page ships none (issue 17). A visitor who arrives here by client-side navigation still gets it rendered.
export const csr = false;

const PAGE_SIZE = 20;
const querySchema = v.object({
	kind: v.optional(v.picklist(['round_table', 'market', 'shift'])),
	municipality: v.optional(v.pipe(v.string(), v.maxLength(80))),
	page: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1)))
});

export const load: PageServerLoad = async ({ url }) => {
	const db = runtime.db();
	const parsed = v.safeParse(querySchema, queryParams(url));
	const query = parsed.success ? parsed.output : {};
	const page = query.page ?? 1;
	const all = await municipalities.list(db);
	const { items, total } = await events.listUpcoming(db, {
		now: new Date(),
		kind: query.kind,
		municipalitySlug: query.municipality || undefined,
		limit: PAGE_SIZE,
		offset: (page - 1) * PAGE_SIZE
	});
	const origin = env().origin;
	const municipality = all.find((x) => x.slug === query.municipality);
	return {
		feeds: {
			region: feeds.links(origin, { kind: 'region' }),
			municipality: municipality ? { name: municipality.name, ...feeds.links(origin, { kind: 'municipality', slug: municipality.slug }) } : null
		},
		events: items.map((e) => ({
			id: e.id,
			kind: e.kind,
			title: e.title,
			startsAt: e.startsAt,
			endsAt: e.endsAt,
			timeZone: e.timeZone,
			venue: e.venue ? events.venueLine(e.venue) : e.place || null,
			href: e.taskId ? `/einsaetze/${e.taskId}` : `/events/${e.id}`,
			accessibility: e.venue?.accessibilityNotes ?? '',
			hosts: e.hosts.map((h) => h.name),
			seatsLeft: e.seatsLeft,
			cancelled: e.status === 'cancelled'
		})),
		filter: { kind: query.kind ?? '', municipality: query.municipality ?? '' },
		municipalities: all.map((x) => ({ slug: x.slug, name: x.name })),
		page,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE))
	};
};
