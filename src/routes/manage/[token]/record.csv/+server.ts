import { error } from '@sveltejs/kit';
import { formatDateTime } from '$lib/format';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { csvResponse, toCsv } from '$lib/server/csv';
import * as feedback from '$lib/server/feedback';
import * as registrations from '$lib/server/registrations';
import * as runtime from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const statusLabels: Record<string, () => string> = {
	new: m.lead_status_new,
	contacted: m.lead_status_contacted,
	trying: m.lead_status_trying,
	joined: m.lead_status_joined,
	not_a_fit: m.lead_status_not_a_fit
};

export const GET: RequestHandler = async ({ params }) => {
	const registration = await registrations.findByManageToken(runtime.db(), params.token);
	if (!registration) error(404, m.manage_not_found());
	const entries = await feedback.engagementRecord(runtime.db(), registration.person.id, new Date());
	const locale = getLocale();
	const lines = [
		[m.record_heading({ name: registration.person.name })],
		[m.record_col_event(), m.record_col_date(), m.record_col_clubs(), m.record_col_interest()],
		...entries.map((e) => [
			e.event,
			formatDateTime(e.startsAt, locale, e.timeZone),
			e.clubsMet.join(', '),
			e.interests.map((i) => `${i.club} (${statusLabels[i.status]?.() ?? i.status})`).join(', ')
		])
	];
	return csvResponse(toCsv(lines), 'engagement-nachweis.csv');
};
