import { fail, redirect } from '@sveltejs/kit';
import { localizeHref } from '$lib/i18n';
import { env } from '$lib/server/env';
import * as runtime from '$lib/server/runtime';
import * as tasks from '$lib/server/tasks';
import { parseTask, problemMessage, readTaskValues } from '$lib/server/tasks/form';
import { requireClubEditor } from '../../../guard';
import { formOptions, taskChoices } from '$lib/server/tasks/choices';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { club } = await requireClubEditor(locals, url, params.clubId);
	return { club: { id: club.id, name: club.name }, ...(await taskChoices(club.municipality.id)) };
};

export const actions: Actions = {
	default: async ({ locals, url, params, request }) => {
		const { user, club } = await requireClubEditor(locals, url, params.clubId);
		const form = await request.formData();
		const parsed = parseTask(form, { ...(await formOptions(club.municipality.id)), withShifts: true });
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const result = await tasks.create(runtime.db(), user, { clubId: club.id }, { ...parsed.data, status: parsed.status }, parsed.shifts, env().origin, new Date());
		if (!result.ok) {
			return fail(result.problem === 'forbidden' ? 403 : 400, { errors: { form: problemMessage(result.problem) } as Record<string, string>, values: readTaskValues(form) });
		}
		redirect(303, localizeHref(`/club/${club.id}/tasks/${result.id}?saved=1`));
	}
};
