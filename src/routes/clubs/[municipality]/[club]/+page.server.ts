import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import * as clubs from '$lib/server/clubs';
import * as competences from '$lib/server/competences';
import * as directory from '$lib/server/clubs/directory';
import { env } from '$lib/server/env';
import * as runtime from '$lib/server/runtime';
import * as tags from '$lib/server/tags';
import type { PageServerLoad } from './$types';

// Only links (the language switch is one too): the page ships no JavaScript (issue 17), like home and
// the directory.
export const csr = false;

export const load: PageServerLoad = async ({ params }) => {
	const db = runtime.db();
	const club = await directory.clubPage(db, params.municipality, params.club);
	if (!club) error(404, m.error_404());
	return {
		club: {
			name: club.name,
			description: club.description,
			municipality: club.municipality.name,
			website: club.website,
			contactEmail: club.contactEmail,
			contactPhone: club.contactPhone,
			tags: club.tags,
			logo: club.logoVersion ? clubs.paths.logo(club.id, club.logoVersion) : null,
			offers: club.offers
		},
		path: `/clubs/${params.municipality}/${params.club}`,
		country: env().regionCountry,
		tags: await tags.list(db, getLocale()),
		/** Per offer id: the labels of the competences it asks for. */
		competences: Object.fromEntries(
			[...(await competences.ofOffers(db, club.offers.map((o) => o.id), getLocale()))].map(([id, list]) => [id, list.map((c) => c.label)])
		)
	};
};
