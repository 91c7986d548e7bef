import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { csvResponse } from '$lib/server/csv';
import * as records from '$lib/server/records';
import { loadHours } from '../hours/hours-load';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
	const { report, errors } = await loadHours(locals, url);
	if (!report) error(400, Object.values(errors).join(' '));
	return csvResponse(records.hours.csv(report, getLocale()), `${m.hours_csv_filename()}-${report.from}-${report.to}.csv`);
};
