import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requireCoordinator } from '$lib/server/auth/guards';
import * as runtime from '$lib/server/runtime';
import * as tasks from '$lib/server/tasks';

/**
 * A coordinator with a municipality's own Einsatz of one of their municipalities (platform admins:
 * any). Clubs' Einsätze are managed in the club area; here they are not found, like others' tasks.
 */
export async function requireMunicipalityTask(locals: App.Locals, url: URL, taskId: string) {
	const user = requireCoordinator(locals, url);
	const task = await tasks.get(runtime.db(), user, taskId, new Date());
	if (!task || task.clubId !== null || !task.canManage) error(404, m.tasks_not_found());
	if (!user.isPlatformAdmin && !user.municipalityIds.includes(task.municipalityId)) error(404, m.tasks_not_found());
	return { user, task };
}
