import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { env } from '$lib/server/env';
import * as runtime from '$lib/server/runtime';
import * as tasks from '$lib/server/tasks';
import { parseOneShift, parseTask, problemMessage, readTaskValues } from '$lib/server/tasks/form';
import { requireClubEditor } from '../../../guard';
import { slugs, taskChoices } from '../scope';
import type { Actions, PageServerLoad } from './$types';

async function loadOwnTask(locals: App.Locals, url: URL, clubId: string, taskId: string) {
	const { user, club } = await requireClubEditor(locals, url, clubId);
	const task = await tasks.get(runtime.db(), user, taskId, new Date());
	// Another club's Einsatz is not found here, whatever its status.
	if (!task || task.clubId !== club.id || !task.canManage) error(404, m.tasks_not_found());
	return { user, club, task };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { club, task } = await loadOwnTask(locals, url, params.clubId, params.taskId);
	const counts = await runtime
		.db()
		.selectFrom('registration')
		.select(['event_id', (eb) => eb.fn.countAll<number | string>().as('n')])
		.where('event_id', 'in', task.shifts.length ? task.shifts.map((s) => s.id) : ['-'])
		.where('status', 'in', ['confirmed', 'waitlisted', 'attended', 'no_show'])
		.groupBy('event_id')
		.execute();
	return {
		club: { id: club.id, name: club.name },
		task: { id: task.id, title: task.title, status: task.status },
		values: {
			title: task.title,
			description: task.description,
			place: task.place,
			minAge: task.minAge === null ? '' : String(task.minAge),
			accessibility: task.accessibility,
			languages: task.languages,
			tags: task.tags,
			competences: task.competences
		} as Record<string, string | string[]>,
		shifts: task.shifts.map((s) => ({ ...s, helpers: Number(counts.find((c) => c.event_id === s.id)?.n ?? 0) })),
		saved: url.searchParams.has('saved'),
		...(await taskChoices(club.municipality.id))
	};
};

export const actions: Actions = {
	save: async ({ locals, url, params, request }) => {
		const { user, club, task } = await loadOwnTask(locals, url, params.clubId, params.taskId);
		const form = await request.formData();
		const parsed = parseTask(form, { ...(await slugs(club.municipality.id)), withShifts: false });
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const result = await tasks.update(runtime.db(), user, task.id, parsed.data, new Date());
		if (!result.ok) return fail(400, { errors: { form: problemMessage(result.problem) } as Record<string, string>, values: readTaskValues(form) });
		return { saved: true };
	},
	publish: async ({ locals, url, params }) => {
		const { user, task } = await loadOwnTask(locals, url, params.clubId, params.taskId);
		const result = await tasks.publish(runtime.db(), user, task.id, new Date());
		if (!result.ok) return fail(400, { statusError: problemMessage(result.problem) });
		return { saved: true };
	},
	cancel: async ({ locals, url, params }) => {
		const { user, task } = await loadOwnTask(locals, url, params.clubId, params.taskId);
		const result = await tasks.cancel(runtime.db(), user, task.id, runtime.links(), new Date());
		if (!result.ok) return fail(400, { statusError: problemMessage(result.problem) });
		return { saved: true };
	},
	shift: async ({ locals, url, params, request }) => {
		const { user, task } = await loadOwnTask(locals, url, params.clubId, params.taskId);
		const form = await request.formData();
		const shift = parseOneShift(form);
		const values = readTaskValues(form);
		if (!shift) return fail(400, { shiftErrors: { shiftStart0: m.task_error_shift() } as Record<string, string>, shiftValues: values });
		const result = await tasks.addShift(runtime.db(), user, task.id, shift, env().origin, new Date());
		if (!result.ok) return fail(400, { shiftErrors: { shiftStart0: problemMessage(result.problem) } as Record<string, string>, shiftValues: values });
		return { saved: true };
	}
};
