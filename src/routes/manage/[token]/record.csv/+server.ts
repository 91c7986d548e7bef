import { error } from '@sveltejs/kit';
import { formatDateTime } from '$lib/format';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
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

/** RFC 4180 quoting; a leading =, +, - or @ is defused so spreadsheets don't run it as a formula. */
function cell(value: string): string {
	const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
	return `"${safe.replaceAll('"', '""')}"`;
}

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
	// A byte-order mark, so spreadsheet programs read the umlauts as UTF-8.
	const body = '\uFEFF' + lines.map((line) => line.map(cell).join(';')).join('\r\n') + '\r\n';
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="engagement-nachweis.csv"',
			'cache-control': 'no-store'
		}
	});
};
