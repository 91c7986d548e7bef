import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { dateTimeFormat } from '$lib/format';
import { requireCoordinator } from '$lib/server/auth/guards';
import type { SessionUser } from '$lib/server/auth/users';
import { parseFuture } from '$lib/server/events/form';
import { utcToZoned } from '$lib/server/events/recurrence';
import * as series from '$lib/server/events/series';
import * as municipalities from '$lib/server/municipalities';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

/** A coordinator of one of the series' host municipalities (or a platform admin), with the series. */
async function requireSeriesManager(locals: App.Locals, url: URL, id: string) {
	const user: SessionUser = requireCoordinator(locals, url);
	const found = await series.get(runtime.db(), id);
	if (!found) error(404, m.series_not_found());
	if (!series.canManage(user, found)) error(403, m.error_403());
	return { user, series: found };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { series: found } = await requireSeriesManager(locals, url, params.id);
	const db = runtime.db();
	const now = new Date();
	const dates = await series.dates(db, found.id);
	const future = dates.filter((e) => series.isChangeable(e, now));
	const template = future[0] ?? dates[dates.length - 1];
	const venues = await municipalities.listVenues(db, found.hosts.map((h) => h.id));
	return {
		series: {
			id: found.id,
			kind: found.kind,
			title: found.title,
			timeZone: found.timeZone,
			rrule: found.rrule,
			hosts: found.hosts.map((h) => h.name),
			firstStart: dates[0]?.startsAt ?? null
		},
		dates: dates.map((e) => ({
			id: e.id,
			startsAt: e.startsAt,
			endsAt: e.endsAt,
			status: e.status,
			isPast: e.startsAt <= now,
			confirmed: e.confirmedCount,
			capacity: e.capacity,
			venue: e.venue?.name ?? null
		})),
		futureCount: future.length,
		venues: venues.map((v) => ({ id: v.id, name: v.name })),
		// The form starts from the next date, which is what a coordinator changes from.
		current: template
			? {
					startTime: utcToZoned(template.startsAt, template.timeZone).slice(11, 16),
					durationMinutes: String(Math.round((template.endsAt.getTime() - template.startsAt.getTime()) / 60_000)),
					venueId: template.venue?.id ?? '',
					capacity: String(template.capacity)
				}
			: null
	};
};

export const actions: Actions = {
	changeFuture: async ({ locals, url, params, request }) => {
		const { user, series: found } = await requireSeriesManager(locals, url, params.id);
		const venues = await municipalities.listVenues(runtime.db(), found.hosts.map((h) => h.id));
		const parsed = parseFuture(await request.formData(), { venueIds: venues.map((v) => v.id) });
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const result = await series.changeFuture(runtime.db(), found.id, parsed.data, user.id, runtime.links(), new Date());
		if (!result.ok) {
			const message =
				result.problem === 'invalid_start'
					? m.series_error_invalid_start({ date: dateTimeFormat(getLocale(), { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${result.date}:00Z`)) })
					: result.problem === 'no_future_dates'
						? m.series_no_future()
						: m.series_not_found();
			return fail(400, { errors: { startTime: message } as Record<string, string>, values: parsed.data as unknown as Record<string, string> });
		}
		const notices = [m.series_changed({ count: result.changed })];
		// Who is registered is told per moved date (see the intro); with nobody registered there is nothing to say.
		if (result.promoted > 0) notices.push(m.event_saved_promoted({ count: result.promoted }));
		return { notice: notices.join(' ') };
	}
};
