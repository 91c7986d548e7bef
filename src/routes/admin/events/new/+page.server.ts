import { fail, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { localizeHref } from '$lib/i18n';
import { getLocale } from '$lib/paraglide/runtime';
import { requireCoordinator } from '$lib/server/auth/guards';
import type { SessionUser } from '$lib/server/auth/users';
import { env } from '$lib/server/env';
import * as events from '$lib/server/events';
import { DEFAULT_COUNT, MAX_DATES, parseCreate, readEventValues, RECURRENCE_CHOICES, TIME_ZONES } from '$lib/server/events/form';
import * as series from '$lib/server/events/series';
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
		recurrences: RECURRENCE_CHOICES,
		defaultCount: DEFAULT_COUNT,
		maxDates: MAX_DATES
	};
};

/**
 * Both steps read the whole form: "preview" lists the dates, "create" stores the ticked ones. The
 * dates are worked out again on create, so only dates of the rule can be created, and if the form
 * changed after the preview (the list no longer matches), the new list is shown instead.
 */
async function planFrom(user: SessionUser, formData: FormData) {
	const { hosts, venues } = await scopeOf(user);
	const parsed = parseCreate(formData, { municipalityIds: hosts.map((h) => h.id), venueIds: venues.map((v) => v.id) });
	if (!parsed.ok) return { ok: false as const, errors: parsed.errors, values: parsed.values };
	// Holidays of the first host's country (co-hosts across a border are rare; the first host leads).
	const country = hosts.find((h) => h.id === parsed.data.hostIds[0])?.country ?? 'AT';
	const plan = series.plan(parsed.data, { country, language: getLocale() }, new Date());
	if (!plan.ok) return { ok: false as const, errors: planErrors(plan.problem), values: parsed.values };
	return { ok: true as const, data: parsed.data, values: parsed.values, plan };
}

function planErrors(problem: 'invalid_start' | 'invalid_rule' | 'no_dates' | 'past'): Record<string, string> {
	if (problem === 'invalid_start') return { startLocal: m.error_datetime() };
	if (problem === 'past') return { startLocal: m.event_start_past() };
	return { rrule: m.error_rrule() };
}

function previewOf(plan: series.PlannedSeries, timeZone: string) {
	return {
		timeZone,
		rrule: plan.rrule,
		capped: plan.capped,
		dates: plan.dates.map((d) => ({ startLocal: d.startLocal, startsAt: d.startsAt, endsAt: d.endsAt, holiday: d.holiday }))
	};
}

export const actions: Actions = {
	preview: async ({ locals, url, request }) => {
		const user = requireCoordinator(locals, url);
		const formData = await request.formData();
		const planned = await planFrom(user, formData);
		if (!planned.ok) return fail(400, { errors: planned.errors, values: planned.values });
		return { values: planned.values, preview: previewOf(planned.plan, planned.data.timeZone) };
	},
	create: async ({ locals, url, request }) => {
		const user = requireCoordinator(locals, url);
		const formData = await request.formData();
		const planned = await planFrom(user, formData);
		if (!planned.ok) return fail(400, { errors: planned.errors, values: planned.values });
		const { plan, data, values } = planned;
		const preview = previewOf(plan, data.timeZone);
		const shown = formData.getAll('previewed').map(String);
		if (shown.join('|') !== plan.dates.map((d) => d.startLocal).join('|')) {
			return fail(400, { values, preview, notice: m.recurrence_preview_changed() });
		}
		const ticked = new Set(formData.getAll('dates').map(String));
		const chosen = plan.dates.map((d) => d.startLocal).filter((d) => ticked.has(d));
		if (chosen.length === 0) {
			return fail(400, { values, preview, errors: { dates: m.recurrence_preview_none_selected() } as Record<string, string> });
		}
		const result = await events.create(
			runtime.db(),
			{ ...data, firstStartLocal: data.startLocal, rrule: plan.rrule, onlyStartsLocal: plan.rrule ? chosen : undefined },
			user.id,
			env().origin,
			new Date()
		);
		if (!result.ok) return fail(400, { errors: { rrule: m.error_rrule() } as Record<string, string>, values: readEventValues(formData) });
		redirect(303, localizeHref(`/admin/events/${result.eventIds[0]}?created=${result.eventIds.length}`));
	}
};
