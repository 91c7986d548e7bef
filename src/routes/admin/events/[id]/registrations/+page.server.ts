import { queryParams } from '$lib/server/forms';
import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { requireEventManager } from '$lib/server/auth/guards';
import * as registrations from '$lib/server/registrations';
import { RESIDENCIES } from '$lib/participant-profile';
import * as roster from '$lib/server/registrations/roster';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 25;
const STATUSES = ['pending', 'confirmed', 'waitlisted', 'cancelled', 'expired', 'attended', 'no_show'] as const;
const querySchema = v.object({
	q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100)), ''),
	status: v.optional(v.picklist(STATUSES)),
	residency: v.optional(v.picklist(RESIDENCIES)),
	sort: v.optional(v.picklist(roster.SORTS), 'name'),
	page: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1)), '1'),
	confirmCancel: v.optional(v.string())
});

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { event } = await requireEventManager(locals, url, params.id);
	const parsed = v.safeParse(querySchema, queryParams(url));
	const query = parsed.success ? parsed.output : { q: '', sort: 'name' as const, page: 1 };
	const page = Number(query.page);
	const { items, total } = await roster.list(runtime.db(), event.id, {
		query: query.q || undefined,
		status: query.status,
		residency: query.residency,
		sort: query.sort,
		page,
		pageSize: PAGE_SIZE
	});
	const pendingCancel = parsed.success && query.confirmCancel ? items.find((i) => i.id === query.confirmCancel) : undefined;
	return {
		event: { id: event.id, title: event.title },
		items: items.map((i) => ({
			id: i.id,
			name: i.name,
			email: i.email,
			status: i.status,
			waitlistPosition: i.waitlistPosition,
			residency: i.profile.residency,
			registeredAt: i.registeredAt
		})),
		filter: { q: query.q ?? '', status: query.status ?? '', residency: query.residency ?? '', sort: query.sort ?? 'name' },
		statuses: STATUSES,
		residencies: RESIDENCIES,
		sorts: roster.SORTS,
		page,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
		pendingCancel: pendingCancel ? { id: pendingCancel.id, name: pendingCancel.name } : null
	};
};

export const actions: Actions = {
	cancel: async ({ locals, url, params, request }) => {
		const { user, event } = await requireEventManager(locals, url, params.id);
		const registrationId = String((await request.formData()).get('registrationId') ?? '');
		const entry = await roster.find(runtime.db(), event.id, registrationId);
		if (!entry) return fail(404, { notice: m.error_404() });
		await registrations.cancelByCoordinator(runtime.db(), registrationId, user.id, runtime.links(), new Date());
		return { notice: m.registrations_cancelled() };
	}
};
