import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requireEventManager } from '$lib/server/auth/guards';
import * as comments from '$lib/server/feedback/comments';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { user, event } = await requireEventManager(locals, url, params.id);
	const result = await comments.forEvent(runtime.db(), user, event.id);
	if (!result.ok) error(403, m.error_403());
	return result.comments;
};

export const actions: Actions = {
	hide: async ({ locals, url, params, request }) => {
		const { user } = await requireEventManager(locals, url, params.id);
		const feedbackId = String((await request.formData()).get('feedbackId') ?? '');
		const result = await comments.hide(runtime.db(), user, feedbackId, new Date());
		if (!result.ok) {
			if (result.problem === 'already_hidden') return fail(400, { error: m.feedback_admin_already_hidden() });
			return fail(result.problem === 'not_found' ? 404 : 403, { error: m.error_403() });
		}
		return { notice: m.feedback_admin_hidden_notice() };
	}
};
