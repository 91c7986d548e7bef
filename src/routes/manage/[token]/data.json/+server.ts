import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as registrations from '$lib/server/registrations';
import * as runtime from '$lib/server/runtime';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const data = await registrations.exportData(runtime.db(), params.token);
	if (!data) error(404, m.manage_not_found());
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': 'attachment; filename="miteinander-daten.json"',
			'cache-control': 'no-store'
		}
	});
};
