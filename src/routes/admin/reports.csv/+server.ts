import { error } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import * as m from '$lib/paraglide/messages';
import { csvResponse } from '$lib/server/csv';
import { reportCsv } from '$lib/server/reports/csv';
import { loadReport } from '../reports/report-load';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
	const { report, errors } = await loadReport(locals, url);
	if (!report) error(400, Object.values(errors).join(' '));
	const filename = `${m.report_csv_filename()}-${report.from}-${report.to}.csv`;
	return csvResponse(reportCsv(report, getLocale()), filename);
};
