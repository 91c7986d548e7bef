import { fail, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { localizeHref } from '$lib/i18n';
import { requireCoordinator } from '$lib/server/auth/guards';
import { env } from '$lib/server/env';
import * as municipalities from '$lib/server/municipalities';
import * as runtime from '$lib/server/runtime';
import * as tasks from '$lib/server/tasks';
import { formOptions, taskChoices } from '$lib/server/tasks/choices';
import { parseTask, problemMessage, readTaskValues } from '$lib/server/tasks/form';
import type { Actions, PageServerLoad } from './$types';

/** The municipalities the coordinator may publish for, and the chosen one (the only one, or from the form/query). */
async function scope(locals: App.Locals, url: URL, chosen: string | null) {
	const user = requireCoordinator(locals, url);
	const hosts = (await municipalities.list(runtime.db(), user.isPlatformAdmin ? undefined : user.municipalityIds)).map((h) => ({ id: h.id, name: h.name }));
	const municipality = hosts.length === 1 ? hosts[0] : hosts.find((h) => h.id === chosen);
	return { user, hosts, municipality: municipality ?? null };
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const { hosts, municipality } = await scope(locals, url, url.searchParams.get('municipality'));
	return { hosts, municipality, ...(municipality ? await taskChoices(municipality.id) : { tags: [], competences: [], languages: [] as readonly string[], timeZone: '' }) };
};

export const actions: Actions = {
	default: async ({ locals, url, request }) => {
		const form = await request.formData();
		const { user, municipality } = await scope(locals, url, String(form.get('municipalityId') ?? ''));
		if (!municipality) return fail(400, { errors: { municipalityId: m.error_invalid_choice() } as Record<string, string>, values: readTaskValues(form) });
		const parsed = parseTask(form, { ...(await formOptions(municipality.id)), withShifts: true });
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const result = await tasks.create(runtime.db(), user, { municipalityId: municipality.id }, { ...parsed.data, status: parsed.status }, parsed.shifts, env().origin, new Date());
		if (!result.ok) {
			return fail(result.problem === 'forbidden' ? 403 : 400, { errors: { form: problemMessage(result.problem) } as Record<string, string>, values: readTaskValues(form) });
		}
		redirect(303, localizeHref(`/admin/tasks/${result.id}?saved=1`));
	}
};
