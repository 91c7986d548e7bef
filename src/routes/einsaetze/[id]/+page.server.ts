import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import * as competences from '$lib/server/competences';
import { env } from '$lib/server/env';
import * as rateLimit from '$lib/server/rate-limit';
import * as registrations from '$lib/server/registrations';
import * as runtime from '$lib/server/runtime';
import * as tasks from '$lib/server/tasks';
import { parseSignUp, readSignUp } from '$lib/server/tasks/signup-form';
import type { Actions, PageServerLoad } from './$types';

async function loadTask(id: string, locals: App.Locals) {
	const task = await tasks.get(runtime.db(), locals.user ?? null, id, new Date());
	if (!task) error(404, m.tasks_not_found());
	return task;
}

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const task = await loadTask(params.id, locals);
	const labels = new Map((await competences.choices(runtime.db(), [task.municipalityId], getLocale())).map((c) => [c.slug, c.label]));
	const now = new Date();
	return {
		task: {
			id: task.id,
			title: task.title,
			description: task.description,
			place: task.place,
			by: task.clubName ?? task.municipalityName,
			minAge: task.minAge,
			languages: task.languages,
			accessibility: task.accessibility,
			status: task.status,
			competences: task.competences.map((slug) => labels.get(slug) ?? slug),
			canManage: task.canManage,
			clubId: task.clubId
		},
		shifts: task.shifts.filter((s) => s.endsAt >= now || task.canManage),
		selected: url.searchParams.get('shift') ?? ''
	};
};

export const actions: Actions = {
	signup: async ({ params, request, locals, getClientAddress }) => {
		const task = await loadTask(params.id, locals);
		const db = runtime.db();
		const form = await request.formData();
		const open = task.shifts.filter((s) => s.registration === 'open');
		const parsed = parseSignUp(form, open);
		if (!parsed.ok) {
			const errors = { ...parsed.errors };
			if (errors.shiftId && task.shifts.some((s) => s.id === parsed.values.shiftId)) errors.shiftId = m.tasks_shift_closed();
			return fail(400, { errors, values: parsed.values });
		}
		const shift = open.find((s) => s.id === parsed.shiftId)!;
		// Not enough free places for the whole team: say so, unless the team asked for the waiting list.
		if (parsed.places > 1 && parsed.places > shift.seatsLeft && !parsed.waitlistOk) {
			return fail(409, { errors: { places: m.tasks_error_not_enough({ places: parsed.places, left: shift.seatsLeft }) }, values: readSignUp(form) });
		}
		const config = env();
		const now = new Date();
		if (!(await rateLimit.consume(db, `register:ip:${getClientAddress()}`, config.registrationLimitPerIp, config.signInLimitWindowMinutes * 60_000, now))) {
			return fail(429, { errors: { form: m.register_rate_limited({ minutes: config.signInLimitWindowMinutes }) }, values: readSignUp(form) });
		}
		const result = await registrations.register(
			db,
			{ eventId: shift.id, email: parsed.email, name: parsed.name, locale: getLocale(), profile: null, consentIntroductions: false, places: parsed.places },
			runtime.links(),
			now
		);
		if (!result.ok) {
			const message = result.problem === 'too_many_places' ? m.tasks_error_places({ max: result.capacity }) : m.tasks_shift_closed();
			return fail(409, { errors: { [result.problem === 'too_many_places' ? 'places' : 'shiftId']: message }, values: readSignUp(form) });
		}
		return { sent: true, email: parsed.email };
	}
};
