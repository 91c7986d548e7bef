import { fail, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { localizeHref } from '$lib/i18n';
import { requireCoordinator } from '$lib/server/auth/guards';
import type { SessionUser } from '$lib/server/auth/users';
import { env } from '$lib/server/env';
import * as events from '$lib/server/events';
import { parseCreate, readEventValues, RECURRENCE_PRESETS, TIME_ZONES } from '$lib/server/events/form';
import { RecurrenceError } from '$lib/server/events/recurrence';
import * as municipalities from '$lib/server/municipalities';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

async function scopeOf(user: SessionUser) {
	const db = runtime.db();
	const hosts = await municipalities.list(db, user.isPlatformAdmin ? undefined : user.municipalityIds);
	const venues = await municipalities.listVenues(db, hosts.map((h) => h.id));
	return { hosts, venues };
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireCoordinator(locals, url);
	const { hosts, venues } = await scopeOf(user);
	return {
		hosts: hosts.map((h) => ({ id: h.id, name: h.name, timeZone: h.timeZone })),
		venues: venues.map((v) => ({ id: v.id, name: v.name, municipalityId: v.municipalityId, capacity: v.capacity })),
		timeZones: TIME_ZONES,
		recurrences: Object.keys(RECURRENCE_PRESETS)
	};
};

export const actions: Actions = {
	default: async ({ locals, url, request }) => {
		const user = requireCoordinator(locals, url);
		const { hosts, venues } = await scopeOf(user);
		const formData = await request.formData();
		const parsed = parseCreate(formData, {
			municipalityIds: hosts.map((h) => h.id),
			venueIds: venues.map((v) => v.id)
		});
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		let result;
		try {
			result = await events.create(runtime.db(), parsed.data, user.id, env().origin, new Date());
		} catch (error) {
			if (!(error instanceof RecurrenceError)) throw error;
			result = { ok: false as const, problem: 'no_dates' as const };
		}
		if (!result.ok) {
			const errors: Record<string, string> =
				result.problem === 'no_dates' ? { rrule: m.error_rrule() } : { startLocal: m.error_datetime() };
			return fail(400, { errors, values: readEventValues(formData) });
		}
		redirect(303, localizeHref(`/admin/events/${result.eventIds[0]}?created=${result.eventIds.length}`));
	}
};
