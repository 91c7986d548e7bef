import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as runtime from '$lib/server/runtime';
import * as tasks from '$lib/server/tasks';
import { requireClubEditor } from '../../guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { user, club } = await requireClubEditor(locals, url, params.clubId);
	const list = await tasks.listForClub(runtime.db(), user, club.id, new Date());
	if (!list) error(403, m.club_error_forbidden());
	return {
		club: { id: club.id, name: club.name },
		tasks: list.map((t) => ({ id: t.id, title: t.title, status: t.status, shifts: t.shifts.length, firstShift: tasks.leadingShift(t) }))
	};
};
