import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as audit from '$lib/server/audit';
import { requireCoordinator } from '$lib/server/auth/guards';
import * as outbox from '$lib/server/mail/outbox';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireCoordinator(locals, url);
	const message = await outbox.find(runtime.db(), user, params.id);
	if (!message) error(404, m.error_404());
	return { message };
};

export const actions: Actions = {
	retry: async ({ locals, url, params }) => {
		const user = requireCoordinator(locals, url);
		const db = runtime.db();
		const message = await outbox.find(db, user, params.id);
		if (!message) error(404, m.error_404());
		const now = new Date();
		if (!(await outbox.retry(db, message.id, now))) return fail(409, { retried: false });
		await audit.record(db, { actorUserId: user.id, action: 'outbox.retried', entityType: 'outbox', entityId: message.id }, now);
		return { retried: true };
	}
};
