import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requireCoordinator } from '$lib/server/auth/guards';
import * as records from '$lib/server/records';
import * as reports from '$lib/server/reports';
import { parseFilter } from '$lib/server/reports/filter';
import * as runtime from '$lib/server/runtime';

/** The hours page and its CSV read the same filter (a GET form: municipality, from, to). */
export async function loadHours(locals: App.Locals, url: URL) {
	const user = requireCoordinator(locals, url);
	const db = runtime.db();
	const municipalities = await reports.scope(db, user);
	const now = new Date();
	const parsed = parseFilter(url.searchParams, municipalities, now);
	const options = municipalities.map((x) => ({ value: x.id, label: x.name }));
	const values = { municipality: parsed.values.municipality, from: parsed.values.from, to: parsed.values.to };
	if (!parsed.ok) return { options, values, errors: parsed.errors, query: '', report: null };
	const result = await records.hours.report(db, user, { municipalityId: values.municipality, from: values.from, to: values.to }, now);
	if (!result.ok) error(403, m.error_403());
	return { options, values, errors: {} as Record<string, string>, query: new URLSearchParams(values).toString(), report: result.report };
}
