import { fail, redirect } from '@sveltejs/kit';
import { localizeHref } from '$lib/i18n';
import * as m from '$lib/paraglide/messages';
import { requireEventManager } from '$lib/server/auth/guards';
import { env } from '$lib/server/env';
import * as events from '$lib/server/events';
import * as changes from '$lib/server/events/changes';
import { parseEdit } from '$lib/server/events/form';
import { utcToZoned } from '$lib/server/events/recurrence';
import * as municipalities from '$lib/server/municipalities';
import * as roster from '$lib/server/registrations/roster';
import * as reminders from '$lib/server/reminders';
import { rulesFromForm, rulesToForm } from '$lib/server/reminders/rules';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

async function venuesFor(hostIds: string[]) {
	return municipalities.listVenues(runtime.db(), hostIds);
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { event } = await requireEventManager(locals, url, params.id);
	const venues = await venuesFor(event.hosts.map((h) => h.id));
	const created = Number(url.searchParams.get('created') ?? 0);
	return {
		event: {
			id: event.id,
			kind: event.kind,
			title: event.title,
			description: event.description,
			startsAt: event.startsAt,
			endsAt: event.endsAt,
			timeZone: event.timeZone,
			status: event.status,
			capacity: event.capacity,
			confirmed: event.confirmedCount,
			hosts: event.hosts.map((h) => h.name),
			venueId: event.venue?.id ?? '',
			startLocal: utcToZoned(event.startsAt, event.timeZone),
			durationMinutes: Math.round((event.endsAt.getTime() - event.startsAt.getTime()) / 60_000),
			feedbackDelayHours: event.feedbackDelayHours,
			seriesId: event.seriesId,
			canPublish: event.status === 'published' || event.startsAt > new Date()
		},
		venues: venues.map((v) => ({ id: v.id, name: v.name })),
		counts: await roster.counts(runtime.db(), event.id),
		reminders: {
			...event.reminders,
			form: rulesToForm(event.reminders.rules),
			inSeries: event.seriesId !== null,
			...(await reminders.counts(runtime.db(), event.id))
		},
		created: Number.isInteger(created) && created > 0 ? created : 0
	};
};

export const actions: Actions = {
	update: async ({ locals, url, params, request }) => {
		const { user, event } = await requireEventManager(locals, url, params.id);
		const venues = await venuesFor(event.hosts.map((h) => h.id));
		const parsed = parseEdit(await request.formData(), { municipalityIds: [], venueIds: venues.map((v) => v.id) });
		if (!parsed.ok) return fail(400, { action: 'update', errors: parsed.errors, values: parsed.values });
		const result = await changes.update(runtime.db(), event.id, parsed.data, user.id, runtime.links(), new Date());
		if (!result.ok) {
			const message = { invalid_start: m.error_datetime(), past: m.event_publish_past(), cancelled: m.event_publish_cancelled(), not_found: m.event_not_found() }[result.problem];
			const errors: Record<string, string> = result.problem === 'past' ? { status: message } : { startLocal: message };
			return fail(400, { action: 'update', errors, values: parsed.data as unknown as Record<string, string> });
		}
		const notices = [result.moved ? m.event_saved_moved() : m.event_saved()];
		if (result.promoted > 0) notices.push(m.event_saved_promoted({ count: result.promoted }));
		return { action: 'update', notice: notices.join(' ') };
	},
	reminders: async ({ locals, url, params, request }) => {
		const { user, event } = await requireEventManager(locals, url, params.id);
		const form = await request.formData();
		const days = String(form.get('reminderDays') ?? '').slice(0, 100);
		const at = String(form.get('reminderTime') ?? '').slice(0, 10);
		const rules = rulesFromForm(days, at);
		if (rules === 'invalid') {
			return fail(400, { action: 'reminders', errors: { reminderDays: m.reminders_invalid() } as Record<string, string>, reminderDays: days, reminderTime: at });
		}
		const scope = form.get('reminderScope') === 'on' ? 'series' : 'event';
		const result = await reminders.setRules(runtime.db(), event.id, rules, scope, user.id, runtime.links(), new Date());
		return { action: 'reminders', notice: m.reminders_saved({ count: result?.scheduled ?? 0 }) };
	},
	addDate: async ({ locals, url, params, request }) => {
		const { user, event } = await requireEventManager(locals, url, params.id);
		const startLocal = String((await request.formData()).get('newStartLocal') ?? '');
		const result = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(startLocal)
			? await events.addDate(runtime.db(), event.id, startLocal, user.id, env().origin, new Date())
			: ({ ok: false, problem: 'invalid_start' } as const);
		if (!result.ok) {
			return fail(400, { action: 'addDate', errors: { newStartLocal: m.error_datetime() } as Record<string, string>, newStartLocal: startLocal });
		}
		redirect(303, localizeHref(`/admin/events/${result.eventId}?created=1`));
	},
	cancel: async ({ locals, url, params, request }) => {
		const { user, event } = await requireEventManager(locals, url, params.id);
		if ((await request.formData()).get('confirmCancel') !== 'on') {
			return fail(400, { action: 'cancel', errors: { confirmCancel: m.event_cancel_needs_confirm() } as Record<string, string> });
		}
		const result = await changes.cancel(runtime.db(), event.id, user.id, runtime.links(), new Date());
		return { action: 'cancel', notice: m.event_cancelled_notice({ count: result.ok ? result.notified : 0 }) };
	}
};
