import { fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { statusLabel } from '$lib/registration-status';
import { requireEventManager } from '$lib/server/auth/guards';
import * as roster from '$lib/server/registrations/roster';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { event } = await requireEventManager(locals, url, params.id);
	const query = (url.searchParams.get('q') ?? '').trim().toLowerCase().slice(0, 100);
	const highlight = url.searchParams.get('r') ?? '';
	const people = await roster.all(runtime.db(), event.id, ['confirmed', 'attended', 'no_show']);
	const shown = people.filter((p) => p.id === highlight || !query || p.name.toLowerCase().includes(query) || p.email.includes(query));
	return {
		event: { id: event.id, title: event.title },
		query,
		highlight,
		people: shown.map((p) => ({ id: p.id, name: p.name, email: p.email, status: p.status })),
		summary: {
			attended: people.filter((p) => p.status === 'attended').length,
			open: people.filter((p) => p.status === 'confirmed').length,
			noShow: people.filter((p) => p.status === 'no_show').length
		}
	};
};

export const actions: Actions = {
	default: async ({ locals, url, params, request }) => {
		const { user, event } = await requireEventManager(locals, url, params.id);
		const form = await request.formData();
		const outcome = String(form.get('outcome'));
		const registrationId = String(form.get('registrationId') ?? '');
		if (outcome !== 'attended' && outcome !== 'no_show' && outcome !== 'confirmed') return fail(400, { notice: m.error_invalid_choice() });
		const person = await roster.find(runtime.db(), event.id, registrationId);
		if (!person || !(await roster.checkIn(runtime.db(), event.id, registrationId, outcome, user.id, new Date()))) {
			return fail(400, { notice: m.error_invalid_choice() });
		}
		return { notice: m.check_in_saved({ name: person.name, status: statusLabel(outcome) }) };
	}
};
