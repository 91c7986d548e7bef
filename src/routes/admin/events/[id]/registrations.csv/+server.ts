import { dateTimeFormat } from '$lib/format';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { residencyLabel } from '$lib/event-format';
import { statusLabel } from '$lib/registration-status';
import { requireEventManager } from '$lib/server/auth/guards';
import { csvResponse, toCsv } from '$lib/server/csv';
import * as roster from '$lib/server/registrations/roster';
import * as runtime from '$lib/server/runtime';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url, params }) => {
	const { event } = await requireEventManager(locals, url, params.id);
	const entries = await roster.all(runtime.db(), event.id);
	const time = dateTimeFormat(getLocale(), { dateStyle: 'short', timeStyle: 'short', timeZone: event.timeZone });
	const csv = toCsv([
		[m.col_name(), m.col_email(), m.admin_col_status(), m.col_residency(), m.field_home_place(), m.field_second_place(), m.col_interests(), m.col_languages(), m.col_needs(), m.col_consent(), m.col_registered()],
		...entries.map((e) => [
			e.name,
			e.email,
			statusLabel(e.status),
			residencyLabel(e.profile.residency),
			e.profile.homePlace,
			e.profile.secondPlace,
			e.profile.interests.join(', '),
			e.profile.languages.join(', '),
			e.profile.accessibilityNeeds,
			e.consentIntroductions ? m.yes() : m.no(),
			time.format(e.registeredAt)
		])
	]);
	const filename = `anmeldungen-${event.startsAt.toISOString().slice(0, 10)}.csv`;
	return csvResponse(csv, filename);
};
