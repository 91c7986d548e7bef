import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import * as records from '$lib/server/records';
import { loadHours } from '../hours/hours-load';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
	const { report, errors } = await loadHours(locals, url);
	if (!report) error(400, Object.values(errors).join(' '));
	return new Response(records.hours.csv(report, getLocale()), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${m.hours_csv_filename()}-${report.from}-${report.to}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
