import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as records from '$lib/server/records';
import * as registrations from '$lib/server/registrations';
import * as runtime from '$lib/server/runtime';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const data = await registrations.exportData(runtime.db(), params.token);
	if (!data) error(404, m.manage_not_found());
	const registration = await registrations.findByManageToken(runtime.db(), params.token);
	const issued = registration ? await records.listFor(runtime.db(), registration.person.id) : [];
	const volunteerRecords = issued.map((r) => ({
		issuedAt: r.issuedAt,
		revokedAt: r.revokedAt?.toISOString() ?? null,
		period: { from: r.periodFrom, to: r.periodTo },
		entries: r.entries,
		totalMinutes: r.totalMinutes,
		verificationPath: records.verificationPath(r)
	}));
	return new Response(JSON.stringify({ ...data, volunteerRecords }, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': 'attachment; filename="miteinander-daten.json"',
			'cache-control': 'no-store'
		}
	});
};
