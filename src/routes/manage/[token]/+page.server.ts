import { fail, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale, isLocale } from '$lib/paraglide/runtime';
import { localizeHref } from '$lib/i18n';
import { availableLocales, nativeLanguageName } from '$lib/locale';
import * as alerts from '$lib/server/alerts';
import * as matching from '$lib/server/matching';
import * as registrations from '$lib/server/registrations';
import * as reminders from '$lib/server/reminders';
import { parseDetailsFor } from '$lib/server/registrations/form';
import { LANGUAGES } from '$lib/participant-profile';
import * as rateLimit from '$lib/server/rate-limit';
import * as runtime from '$lib/server/runtime';
import { env } from '$lib/server/env';
import * as tags from '$lib/server/tags';
import * as competences from '$lib/server/competences';
import * as events from '$lib/server/events';
import type { Actions, PageServerLoad } from './$types';
import { findOr404 } from './registration';

export const load: PageServerLoad = async ({ params }) => {
	const registration = await findOr404(params.token);
	const { event, person } = registration;
	const plan = ['confirmed', 'attended'].includes(registration.status) ? await matching.personPlan(runtime.db(), event.id, person.id) : null;
	// A date the organisers called off keeps its registrations; there is nothing to cancel or check in.
	const upcoming = event.status !== 'cancelled' && event.startsAt > new Date();
	return {
		registration: {
			status: registration.status,
			waitlistRank: registration.waitlistRank,
			places: registration.places,
			canCancel: ['pending', 'confirmed', 'waitlisted'].includes(registration.status) && upcoming,
			checkInCode: upcoming ? await registrations.checkInCode(runtime.links(), registration) : null
		},
		event: { id: event.id, title: event.title, kind: event.kind, startsAt: event.startsAt, endsAt: event.endsAt, timeZone: event.timeZone, venue: event.venue, cancelled: event.status === 'cancelled' },
		task: event.taskId ? { id: event.taskId, place: event.place } : null,
		plan: plan && { slots: plan.slots.map(({ club, place, round, startsAt, endsAt, reasons }) => ({ club, place, round, startsAt, endsAt, reasons })) },
		person: {
			name: person.name,
			email: person.email,
			consentIntroductions: person.consentIntroductions,
			mailOptOut: person.mailOptOut,
			locale: person.locale,
			...person.profile
		},
		tags: await tags.list(runtime.db(), getLocale()),
		competences: await competences.choices(runtime.db(), event.hosts.map((h) => h.id), getLocale()),
		languages: LANGUAGES,
		mailLanguages: availableLocales.map((locale) => ({ value: locale, label: nativeLanguageName(locale), lang: locale })),
		alerts: {
			subscription: await alerts.findForPerson(runtime.db(), person.id),
			municipalities: event.hosts.map((h) => ({ value: h.id, label: h.name }))
		},
		// Other dates to register for with the kept profile filled in (`?from=`).
		otherEvents: (await events.listUpcoming(runtime.db(), { now: new Date(), limit: 10, offset: 0 })).items
			// A co-hosted event is listed under each host: once is enough here. Shifts have their own
			// sign-up on the Einsatz page, which asks no profile questions.
			.filter((e, i, all) => e.id !== event.id && e.kind !== 'shift' && all.findIndex((x) => x.id === e.id) === i && events.registrationState(e, new Date()) === 'open')
			.slice(0, 5)
			.map((e) => ({ id: e.id, title: e.title, startsAt: e.startsAt, timeZone: e.timeZone }))
	};
};

export const actions: Actions = {
	update: async ({ params, request }) => {
		const { event, person } = await findOr404(params.token);
		const db = runtime.db();
		const parsed = await parseDetailsFor(db, event.hosts.map((h) => h.id), await request.formData(), { withEmail: false });
		if (!parsed.ok) return fail(400, { action: 'update', errors: parsed.errors, values: parsed.values });
		await registrations.updateDetails(
			db,
			params.token,
			{ name: parsed.name, locale: isLocale(person.locale) ? person.locale : getLocale(), profile: parsed.profile, consentIntroductions: parsed.consentIntroductions },
			runtime.links(),
			new Date()
		);
		return { action: 'update', message: m.manage_saved() };
	},
	language: async ({ params, request }) => {
		await findOr404(params.token);
		const locale = (await request.formData()).get('locale');
		if (typeof locale !== 'string' || !isLocale(locale)) return fail(400, { action: 'language', problem: m.manage_language_invalid() });
		await registrations.setLanguage(runtime.db(), params.token, locale, runtime.links(), new Date());
		// The page follows the choice: it comes back in the chosen language.
		redirect(303, `/${locale}/manage/${params.token}?saved=language#language`);
	},
	mailPreference: async ({ params, request }) => {
		const registration = await findOr404(params.token);
		const optOut = (await request.formData()).get('optOut') === 'true';
		await reminders.setOptOut(runtime.db(), registration.person.id, optOut, runtime.links(), new Date());
		return { action: 'mailPreference', message: optOut ? m.manage_mail_saved_off() : m.manage_mail_saved_on() };
	},
	alerts: async ({ params, request, getClientAddress }) => {
		const { event, person } = await findOr404(params.token);
		const data = await request.formData();
		const frequency = data.get('frequency');
		const municipalityId = String(data.get('municipalityId') ?? event.hosts[0]?.id ?? '');
		if (!alerts.isFrequency(frequency) || !event.hosts.some((h) => h.id === municipalityId)) {
			return fail(400, { action: 'alerts', problem: m.alerts_bad_choice() });
		}
		// Each request may send a confirmation mail: limited per connection like registrations.
		const config = env();
		const now = new Date();
		if (!(await rateLimit.consume(runtime.db(), `alerts:ip:${getClientAddress()}`, config.registrationLimitPerIp, config.signInLimitWindowMinutes * 60_000, now))) {
			return fail(429, { action: 'alerts', problem: m.alerts_rate_limited({ minutes: config.signInLimitWindowMinutes }) });
		}
		const result = await alerts.subscribe(runtime.db(), { personId: person.id, municipalityId, frequency, locale: getLocale() }, runtime.links(), now);
		if (!result.ok) return fail(400, { action: 'alerts', problem: result.problem === 'no_profile' ? m.alerts_needs_profile() : m.manage_not_found() });
		return { action: 'alerts', message: result.state === 'updated' ? m.alerts_updated() : m.alerts_confirm_sent() };
	},
	cancel: async ({ params }) => {
		await findOr404(params.token);
		await registrations.cancel(runtime.db(), params.token, runtime.links(), new Date());
		return { action: 'cancel', message: m.manage_cancelled() };
	},
	delete: async ({ params, request }) => {
		await findOr404(params.token);
		if ((await request.formData()).get('confirmDelete') !== 'on') {
			return fail(400, { action: 'delete', errors: { confirmDelete: m.manage_delete_needs_confirm() } });
		}
		await registrations.deleteData(runtime.db(), params.token, runtime.links(), new Date());
		// The link is dead now, so the page cannot be shown again.
		redirect(303, localizeHref('/manage/deleted'));
	}
};
