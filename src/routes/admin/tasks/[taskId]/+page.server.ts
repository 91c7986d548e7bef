import { taskChoices } from '$lib/server/tasks/choices';
import * as pages from '$lib/server/tasks/pages';
import { requireMunicipalityTask } from '../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { task } = await requireMunicipalityTask(locals, url, params.taskId);
	return {
		municipalityName: task.municipalityName,
		...(await pages.editData(task, url)),
		saved: url.searchParams.has('saved'),
		...(await taskChoices(task.municipalityId))
	};
};

export const actions: Actions = {
	save: async ({ locals, url, params, request }) => {
		const { user, task } = await requireMunicipalityTask(locals, url, params.taskId);
		return pages.save(user, task, request);
	},
	publish: async ({ locals, url, params }) => {
		const { user, task } = await requireMunicipalityTask(locals, url, params.taskId);
		return pages.publish(user, task);
	},
	cancel: async ({ locals, url, params, request }) => {
		const { user, task } = await requireMunicipalityTask(locals, url, params.taskId);
		return pages.cancel(user, task, request);
	},
	shift: async ({ locals, url, params, request }) => {
		const { user, task } = await requireMunicipalityTask(locals, url, params.taskId);
		return pages.addShift(user, task, request);
	},
	changeShift: async ({ locals, url, params, request }) => {
		const { user, task } = await requireMunicipalityTask(locals, url, params.taskId);
		return pages.changeShift(user, task, request);
	},
	removeShift: async ({ locals, url, params, request }) => {
		const { user, task } = await requireMunicipalityTask(locals, url, params.taskId);
		return pages.removeShift(user, task, request);
	}
};
