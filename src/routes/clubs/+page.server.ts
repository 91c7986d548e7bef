import * as clubs from '$lib/server/clubs';
import * as directory from '$lib/server/clubs/directory';
import { parseDirectoryQuery } from '$lib/server/clubs/form';
import * as municipalities from '$lib/server/municipalities';
import * as runtime from '$lib/server/runtime';
import * as tags from '$lib/server/tags';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

// Links and a GET filter form need no JavaScript: the page ships none (issue 17), like home.
export const csr = false;

const PAGE_SIZE = 20;
/** The list shows the start of a description; the club page shows all of it. */
const TEASER_LENGTH = 280;

function teaser(text: string): string {
	return text.length <= TEASER_LENGTH ? text : `${text.slice(0, TEASER_LENGTH).replace(/\s+\S*$/, '')} …`;
}

export const load: PageServerLoad = async ({ url }) => {
	const db = runtime.db();
	const [tagList, all] = await Promise.all([tags.list(db, getLocale()), municipalities.list(db)]);
	const filter = parseDirectoryQuery(url.searchParams, {
		tagSlugs: tagList.map((t) => t.slug),
		municipalitySlugs: all.map((x) => x.slug),
		pageSize: PAGE_SIZE
	});
	const { items, total } = await directory.search(db, filter);
	return {
		clubs: items.map((club) => ({
			id: club.id,
			name: club.name,
			description: teaser(club.description),
			href: clubs.paths.clubPage(club.municipality.slug, club.slug),
			municipality: club.municipality.name,
			tags: club.tags,
			offers: club.offers.map((o) => ({ id: o.id, title: o.title, commitment: o.commitment, suitsMultilocal: o.suitsMultilocal }))
		})),
		filter: {
			q: filter.query ?? '',
			tag: filter.tag ?? '',
			municipality: filter.municipality ?? '',
			commitment: filter.commitment ?? '',
			language: filter.language ?? '',
			multilocal: filter.suitsMultilocal ? 'on' : ''
		},
		tags: tagList,
		municipalities: all.map((x) => ({ slug: x.slug, name: x.name })),
		total,
		page: filter.page,
		pages: Math.max(1, Math.ceil(total / PAGE_SIZE))
	};
};
