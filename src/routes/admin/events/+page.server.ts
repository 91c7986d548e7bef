import { requireCoordinator } from '$lib/server/auth/guards';
import * as events from '$lib/server/events';
import type { EventDetails } from '$lib/server/events';
import * as series from '$lib/server/events/series';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

function row(e: EventDetails) {
	return {
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
	};
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireCoordinator(locals, url);
	const now = new Date();
	const list = await events.listForCoordinator(runtime.db(), user, { from: new Date(now.getTime() - 7 * 86_400_000) });
	return {
		rows: series.groupBySeries(list, now).map((r) =>
			r.kind === 'single'
				? { kind: 'single' as const, key: r.event.id, event: row(r.event) }
				: { kind: 'series' as const, key: r.seriesId, seriesId: r.seriesId, event: row(r.next), dates: r.dates.map(row) }
		)
	};
};
