import { fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as records from '$lib/server/records';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';
import { findOr404 } from '../registration';

export const load: PageServerLoad = async ({ params }) => {
	const { person } = await findOr404(params.token);
	const db = runtime.db();
	const entries = await records.attendedEntries(db, person.id, new Date());
	const issued = await records.listFor(db, person.id);
	return {
		name: person.name,
		entries,
		totalMinutes: records.totalMinutes(entries),
		records: issued.map((r) => ({ id: r.id, issuedAt: r.issuedAt, revoked: r.revokedAt !== null, totalMinutes: r.totalMinutes }))
	};
};

export const actions: Actions = {
	issue: async ({ params }) => {
		const { person } = await findOr404(params.token);
		const result = await records.issue(runtime.db(), runtime.appSecret(), { id: person.id, name: person.name }, new Date());
		if (!result.ok) return fail(400, { action: 'issue', error: m.nachweis_issue_empty() });
		return { action: 'issue', message: m.nachweis_issued(), recordId: result.record.id };
	},
	revoke: async ({ params, request }) => {
		const { person } = await findOr404(params.token);
		const recordId = String((await request.formData()).get('recordId') ?? '').slice(0, 64);
		if (!(await records.revoke(runtime.db(), person.id, recordId, new Date()))) return fail(400, { action: 'revoke', error: m.nachweis_revoke_unknown() });
		return { action: 'revoke', message: m.nachweis_revoked() };
	}
};
