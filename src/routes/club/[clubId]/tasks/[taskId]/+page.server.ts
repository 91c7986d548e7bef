import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as runtime from '$lib/server/runtime';
import * as tasks from '$lib/server/tasks';
import { taskChoices } from '$lib/server/tasks/choices';
import * as pages from '$lib/server/tasks/pages';
import { requireClubEditor } from '../../../guard';
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
	return {
		club: { id: club.id, name: club.name },
		...(await pages.editData(task, url)),
		saved: url.searchParams.has('saved'),
		...(await taskChoices(club.municipality.id))
	};
};

export const actions: Actions = {
	save: async ({ locals, url, params, request }) => {
		const { user, task } = await loadOwnTask(locals, url, params.clubId, params.taskId);
		return pages.save(user, task, request);
	},
	publish: async ({ locals, url, params }) => {
		const { user, task } = await loadOwnTask(locals, url, params.clubId, params.taskId);
		return pages.publish(user, task);
	},
	cancel: async ({ locals, url, params, request }) => {
		const { user, task } = await loadOwnTask(locals, url, params.clubId, params.taskId);
		return pages.cancel(user, task, request);
	},
	shift: async ({ locals, url, params, request }) => {
		const { user, task } = await loadOwnTask(locals, url, params.clubId, params.taskId);
		return pages.addShift(user, task, request);
	},
	changeShift: async ({ locals, url, params, request }) => {
		const { user, task } = await loadOwnTask(locals, url, params.clubId, params.taskId);
		return pages.changeShift(user, task, request);
	},
	removeShift: async ({ locals, url, params, request }) => {
		const { user, task } = await loadOwnTask(locals, url, params.clubId, params.taskId);
		return pages.removeShift(user, task, request);
	}
};
