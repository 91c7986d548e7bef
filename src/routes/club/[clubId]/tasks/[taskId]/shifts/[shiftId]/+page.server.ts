import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as runtime from '$lib/server/runtime';
import * as tasks from '$lib/server/tasks';
import { requireClubEditor } from '../../../../../guard';
import type { Actions, PageServerLoad } from './$types';

async function scope(locals: App.Locals, url: URL, params: { clubId: string; taskId: string; shiftId: string }) {
	const { user, club } = await requireClubEditor(locals, url, params.clubId);
	const task = await tasks.get(runtime.db(), user, params.taskId, new Date());
	const shift = task?.shifts.find((s) => s.id === params.shiftId);
	if (!task || task.clubId !== club.id || !task.canManage || !shift) error(404, m.tasks_not_found());
	return { user, club, task, shift };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { user, club, task, shift } = await scope(locals, url, params);
	const helpers = await tasks.helpers(runtime.db(), user, task.id, shift.id);
	if (!helpers) error(404, m.tasks_not_found());
	return { club: { id: club.id, name: club.name }, task: { id: task.id, title: task.title }, shift, helpers };
};

const OUTCOMES = ['attended', 'no_show', 'confirmed'] as const;

export const actions: Actions = {
	mark: async ({ locals, url, params, request }) => {
		const { user, task, shift } = await scope(locals, url, params);
		const form = await request.formData();
		const outcome = OUTCOMES.find((o) => o === form.get('outcome'));
		const registrationId = String(form.get('registrationId') ?? '');
		if (!outcome) return fail(400, { error: m.error_invalid_choice() });
		const done = await tasks.markAttendance(runtime.db(), user, task.id, shift.id, registrationId, outcome, new Date());
		if (!done) return fail(404, { error: m.error_invalid_choice() });
		return { marked: registrationId };
	}
};
