import { DateTime } from 'luxon';
import { REGION_TIME_ZONE } from '../../format';
import * as m from '../../paraglide/messages';
import type { ReportFilter } from './index';

// The report's filters come from the query string (a GET form, so a report is a link that can be
// bookmarked and opened again). Shared by the page, its print view and the CSV.

export const MAX_SPAN_DAYS = 5 * 366;

export interface FilterValues {
	municipality: string;
	series: string;
	from: string;
	to: string;
}

export type ParsedFilter = { ok: true; filter: ReportFilter; values: FilterValues } | { ok: false; errors: Record<string, string>; values: FilterValues };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isDay(value: string): boolean {
	return DAY.test(value) && DateTime.fromISO(value).isValid;
}

/** The current calendar year in the municipality's zone, when the form was not sent. */
export function defaultPeriod(now: Date, timeZone: string): { from: string; to: string } {
	const year = DateTime.fromJSDate(now, { zone: timeZone }).year;
	return { from: `${year}-01-01`, to: `${year}-12-31` };
}

export function parseFilter(params: URLSearchParams, municipalities: { id: string; timeZone: string }[], now: Date): ParsedFilter {
	const municipality = (params.get('municipality') ?? municipalities[0]?.id ?? '').slice(0, 64);
	const zone = municipalities.find((x) => x.id === municipality)?.timeZone ?? REGION_TIME_ZONE;
	const period = defaultPeriod(now, zone);
	const values: FilterValues = {
		municipality,
		series: (params.get('series') ?? '').slice(0, 64),
		from: (params.get('from') ?? period.from).trim().slice(0, 10),
		to: (params.get('to') ?? period.to).trim().slice(0, 10)
	};
	const errors: Record<string, string> = {};
	if (!municipality) errors.municipality = m.report_error_municipality();
	if (!isDay(values.from)) errors.from = m.report_error_date();
	if (!isDay(values.to)) errors.to = m.report_error_date();
	if (!errors.from && !errors.to) {
		const days = DateTime.fromISO(values.to).diff(DateTime.fromISO(values.from), 'days').days;
		if (days < 0) errors.to = m.report_error_order();
		else if (days > MAX_SPAN_DAYS) errors.to = m.report_error_span();
	}
	if (Object.keys(errors).length > 0) return { ok: false, errors, values };
	return { ok: true, values, filter: { municipalityId: municipality, seriesId: values.series || null, from: values.from, to: values.to } };
}

/** The query string of a filter, for links to the CSV, the print view and back. */
export function filterQuery(values: FilterValues): string {
	const params = new URLSearchParams({ municipality: values.municipality, from: values.from, to: values.to });
	if (values.series) params.set('series', values.series);
	return params.toString();
}

export interface LandscapeValues {
	municipalities: string[];
	from: string;
	to: string;
}

/** The landscape's filters: several municipalities (none ticked = all of the viewer's) and a period. */
export function parseLandscapeFilter(
	params: URLSearchParams,
	now: Date
): { ok: true; values: LandscapeValues } | { ok: false; errors: Record<string, string>; values: LandscapeValues } {
	const period = defaultPeriod(now, REGION_TIME_ZONE);
	const values: LandscapeValues = {
		municipalities: params.getAll('municipality').slice(0, 50).map((id) => id.slice(0, 64)),
		from: (params.get('from') ?? period.from).trim().slice(0, 10),
		to: (params.get('to') ?? period.to).trim().slice(0, 10)
	};
	const errors: Record<string, string> = {};
	if (!isDay(values.from)) errors.from = m.report_error_date();
	if (!isDay(values.to)) errors.to = m.report_error_date();
	if (!errors.from && !errors.to) {
		const days = DateTime.fromISO(values.to).diff(DateTime.fromISO(values.from), 'days').days;
		if (days < 0) errors.to = m.report_error_order();
		else if (days > MAX_SPAN_DAYS) errors.to = m.report_error_span();
	}
	return Object.keys(errors).length > 0 ? { ok: false, errors, values } : { ok: true, values };
}
