import * as municipalities from '$lib/server/municipalities';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const db = runtime.db();
	const all = await municipalities.list(db);
	const venues = await municipalities.listVenues(db, all.map((x) => x.id));
	return {
		municipalities: all.map((municipality) => ({
			...municipality,
			venues: venues.filter((v) => v.municipalityId === municipality.id)
		}))
	};
};
