import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requireEventManager } from '$lib/server/auth/guards';
import { csvResponse, toCsv } from '$lib/server/csv';
import * as comments from '$lib/server/feedback/comments';
import * as runtime from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The comments the page shows, nothing more: hidden and withheld ones are not exported. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const { user, event } = await requireEventManager(locals, url, params.id);
	const result = await comments.forEvent(runtime.db(), user, event.id);
	if (!result.ok) error(403, m.error_403());
	const { personComments, clubComments } = result.comments;
	const rows = [
		...personComments.map((c) => [m.feedback_admin_people_title(), '', c.usefulness === null ? '' : String(c.usefulness), c.text]),
		...clubComments.map((c) => [m.feedback_admin_clubs_title(), c.club, '', c.text])
	];
	const csv = toCsv([[m.feedback_csv_group(), m.feedback_csv_club(), m.feedback_csv_rating(), m.feedback_csv_text()], ...rows]);
	return csvResponse(csv, `${m.feedback_csv_filename()}-${event.id}.csv`);
};
