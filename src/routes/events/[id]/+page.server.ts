import { error, fail, redirect } from '@sveltejs/kit';
import { localizeHref } from '$lib/i18n';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import * as feeds from '$lib/server/calendar/feeds';
import { env } from '$lib/server/env';
import * as events from '$lib/server/events';
import * as rateLimit from '$lib/server/rate-limit';
import * as registrations from '$lib/server/registrations';
import { parseDetailsFor, readValues } from '$lib/server/registrations/form';
import { LANGUAGES } from '$lib/participant-profile';
import * as runtime from '$lib/server/runtime';
import * as tags from '$lib/server/tags';
import * as competences from '$lib/server/competences';
import { meetsClubs } from '$lib/server/matching/meets-clubs';
import * as prefill from '$lib/server/registrations/prefill';
import type { Actions, PageServerLoad } from './$types';

async function loadVisibleEvent(id: string, locals: App.Locals) {
	const event = await events.get(runtime.db(), id);
	// Drafts exist only for the coordinators who host them.
	if (!event || (event.status === 'draft' && !(locals.user && events.canManage(locals.user, event)))) {
		error(404, m.event_not_found());
	}
	return event;
}

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const event = await loadVisibleEvent(params.id, locals);
	// A shift is shown, and signed up for, on its Einsatz's page.
	if (event.taskId) redirect(303, localizeHref(`/einsaetze/${event.taskId}?shift=${event.id}`));
	const db = runtime.db();
	const kept = await prefill.fromManageToken(db, url.searchParams.get('from'));
	return {
		event: {
			id: event.id,
			kind: event.kind,
			title: event.title,
			description: event.description,
			startsAt: event.startsAt,
			endsAt: event.endsAt,
			timeZone: event.timeZone,
			venue: event.venue,
			hosts: event.hosts.map((h) => h.name),
			organizers: event.hosts.map((h) => ({ name: h.name, slug: h.slug })),
			status: event.status,
			capacity: event.capacity,
			seatsLeft: event.seatsLeft,
			registrationOpensAt: event.registrationOpensAt
		},
		country: env().regionCountry,
		// A date that is public makes its series' feed public too; drafts shown to coordinators get none.
		seriesFeed: event.seriesId && event.status !== 'draft' ? feeds.links(env().origin, { kind: 'series', id: event.seriesId }) : null,
		registration: events.registrationState(event, new Date()),
		tags: await tags.list(runtime.db(), getLocale()),
		competences: await competences.choices(runtime.db(), event.hosts.map((h) => h.id), getLocale()),
		languages: LANGUAGES,
		matchesPeople: await meetsClubs(db, { kind: event.kind, hostIds: event.hosts.map((h) => h.id) }),
		prefill: kept && {
			name: kept.name,
			email: kept.email,
			consentIntroductions: kept.consentIntroductions,
			...kept.profile,
			competences: kept.profile.competences ?? []
		}
	};
};

export const actions: Actions = {
	register: async ({ params, request, locals, getClientAddress }) => {
		const event = await loadVisibleEvent(params.id, locals);
		const db = runtime.db();
		const form = await request.formData();
		const parsed = await parseDetailsFor(db, event.hosts.map((h) => h.id), form, { withEmail: true });
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });

		const config = env();
		const now = new Date();
		const windowMs = config.signInLimitWindowMinutes * 60_000;
		if (!(await rateLimit.consume(db, `register:ip:${getClientAddress()}`, config.registrationLimitPerIp, windowMs, now))) {
			return fail(429, {
				errors: { form: m.register_rate_limited({ minutes: config.signInLimitWindowMinutes }) },
				values: readValues(form)
			});
		}
		const result = await registrations.register(
			db,
			{
				eventId: event.id,
				email: parsed.email,
				name: parsed.name,
				locale: getLocale(),
				profile: parsed.profile,
				consentIntroductions: parsed.consentIntroductions
			},
			runtime.links(),
			now
		);
		if (!result.ok) {
			const message =
				result.problem === 'past' ? m.register_closed_past()
				: result.problem === 'cancelled' ? m.register_closed_cancelled()
				: m.register_closed_window();
			return fail(409, { errors: { form: message }, values: readValues(form) });
		}
		return { sent: true, email: parsed.email };
	}
};
