import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requireCoordinator } from '$lib/server/auth/guards';
import * as reports from '$lib/server/reports';
import { filterQuery, parseFilter } from '$lib/server/reports/filter';
import * as runtime from '$lib/server/runtime';

/** The report page, its print view and the CSV read the same filters and get the same report. */
export async function loadReport(locals: App.Locals, url: URL) {
	const user = requireCoordinator(locals, url);
	const db = runtime.db();
	const municipalities = await reports.scope(db, user);
	const now = new Date();
	const parsed = parseFilter(url.searchParams, municipalities, now);
	const options = {
		municipalities: municipalities.map((x) => ({ value: x.id, label: x.name })),
		series: (await reports.seriesOf(db, municipalities.map((x) => x.id))).map((s) => ({ value: s.id, label: s.title }))
	};
	if (!parsed.ok) return { options, values: parsed.values, errors: parsed.errors, query: '', report: null };
	const result = await reports.report(db, user, parsed.filter, now);
	if (!result.ok) {
		// Another municipality's report is refused; an unknown id is a wrong entry in the form.
		if (result.problem === 'forbidden') error(403, m.error_403());
		const errors: Record<string, string> = parsed.filter.seriesId ? { series: m.report_error_series() } : { municipality: m.report_error_municipality() };
		return { options, values: parsed.values, errors, query: '', report: null };
	}
	const { ok: _ok, ...report } = result;
	return { options, values: parsed.values, errors: {} as Record<string, string>, query: filterQuery(parsed.values), report };
}
