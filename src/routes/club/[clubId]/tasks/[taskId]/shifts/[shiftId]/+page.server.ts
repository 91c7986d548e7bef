import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { generateId } from '$lib/server/ids';
import * as runtime from '$lib/server/runtime';
import * as tasks from '$lib/server/tasks';
import * as pages from '$lib/server/tasks/pages';
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
	// Sent back with the message form: submitting twice sends once.
	return { club: { id: club.id, name: club.name }, task: { id: task.id, title: task.title }, shift, helpers, messageId: generateId() };
};

export const actions: Actions = {
	mark: async ({ locals, url, params, request }) => {
		const { user, task, shift } = await scope(locals, url, params);
		return pages.mark(user, task.id, shift.id, request);
	},
	message: async ({ locals, url, params, request }) => {
		const { user, task, shift } = await scope(locals, url, params);
		return pages.message(user, task.id, shift.id, request);
	}
};
