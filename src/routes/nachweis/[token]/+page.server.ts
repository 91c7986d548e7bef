import * as records from '$lib/server/records';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

// Public and without sign-in: shows only what the record itself states, or "not genuine" alike for
// a forged, altered, revoked or unknown link.
export const load: PageServerLoad = async ({ params, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex' });
	const result = await records.verify(runtime.db(), runtime.appSecret(), params.token.slice(0, 200));
	return { verification: result };
};
