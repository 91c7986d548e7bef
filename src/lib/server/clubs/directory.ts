import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database, Db, OfferCommitment } from '../db/schema';
import type { Viewer } from '../auth/users';
import * as municipalities from '../municipalities';
import { containsPattern } from './access';
import { tagSlugsOf } from './index';
import { offerSelection, tagSlugsOfOffers, toOffer, type Offer } from './offers';

// The public club directory: approved clubs and their published offers, nothing else.

export type PublicOffer = Omit<Offer, 'clubId' | 'status' | 'createdAt'>;

export interface DirectoryClub {
	id: string;
	slug: string;
	name: string;
	description: string;
	website: string;
	municipality: { slug: string; name: string };
	tags: string[];
	logoVersion: string | null;
	/** Its published offers that match the filter (all of them on the club page). */
	offers: PublicOffer[];
}

export interface PublicClub extends DirectoryClub {
	contactEmail: string;
	contactPhone: string;
}

export interface DirectoryFilter {
	/** Words in the club's name or description, or an offer's title, description or place. */
	query?: string;
	/** A tag slug, on the club or on an offer. */
	tag?: string;
	/** A municipality slug; none = the whole region. */
	municipality?: string;
	commitment?: OfferCommitment;
	suitsMultilocal?: boolean;
	/** A language code an offer is available in. */
	language?: string;
	page: number;
	pageSize: number;
}

type Scope = ExpressionBuilder<Database, 'club' | 'offer'>;

function contains(column: 'club.search_text' | 'offer.search_text', query: string) {
	// The escape character as a parameter: no string-literal quoting rules of either database apply.
	return sql<SqlBool>`${sql.ref(column)} like ${containsPattern(query)} escape ${'\\'}`;
}

function clubHasTag(eb: ExpressionBuilder<Database, 'club'>, slug: string) {
	return eb.exists(
		eb
			.selectFrom('club_tag')
			.innerJoin('tag', 'tag.id', 'club_tag.tag_id')
			.select('club_tag.club_id')
			.whereRef('club_tag.club_id', '=', 'club.id')
			.where('tag.slug', '=', slug)
	);
}

function offerHasTag(eb: Scope, slug: string) {
	return eb.exists(
		eb
			.selectFrom('offer_tag')
			.innerJoin('tag', 'tag.id', 'offer_tag.tag_id')
			.select('offer_tag.offer_id')
			.whereRef('offer_tag.offer_id', '=', 'offer.id')
			.where('tag.slug', '=', slug)
	);
}

function hasOfferFilter(filter: DirectoryFilter): boolean {
	return !!filter.commitment || !!filter.suitsMultilocal || !!filter.language;
}

/**
 * A published offer matches when it has every offer property asked for, and the tag and words
 * are found on the offer or on its club ("Sport" finds every offer of a sports club).
 */
function offerMatches(eb: Scope, filter: DirectoryFilter): Expression<SqlBool> {
	const conditions: Expression<SqlBool>[] = [eb('offer.status', '=', 'published')];
	if (filter.commitment) conditions.push(eb('offer.commitment', '=', filter.commitment));
	if (filter.suitsMultilocal) conditions.push(eb('offer.suits_multilocal', '=', 1));
	if (filter.language) {
		// Languages are a JSON array of codes; the code is reduced to letters, so it cannot escape the quotes.
		conditions.push(eb('offer.languages', 'like', `%"${filter.language.replace(/[^a-z-]/gi, '').toLowerCase()}"%`));
	}
	if (filter.tag) conditions.push(eb.or([clubHasTag(eb, filter.tag), offerHasTag(eb, filter.tag)]));
	if (filter.query?.trim()) conditions.push(eb.or([contains('club.search_text', filter.query), contains('offer.search_text', filter.query)]));
	return eb.and(conditions);
}

/**
 * A club is listed when one of its published offers matches, or — without offer filters — when the
 * club itself has the tag and words (a club without offers yet is still findable).
 */
function clubMatches(eb: ExpressionBuilder<Database, 'club'>, filter: DirectoryFilter): Expression<SqlBool> | null {
	const clubOnly: Expression<SqlBool>[] = [];
	if (filter.tag) clubOnly.push(clubHasTag(eb, filter.tag));
	if (filter.query?.trim()) clubOnly.push(contains('club.search_text', filter.query));
	if (!hasOfferFilter(filter) && clubOnly.length === 0) return null;
	const anOfferMatches = eb.exists(
		eb
			.selectFrom('offer')
			.select('offer.id')
			.whereRef('offer.club_id', '=', 'club.id')
			.where((inner) => offerMatches(inner, filter))
	);
	return hasOfferFilter(filter) ? anOfferMatches : eb.or([anOfferMatches, eb.and(clubOnly)]);
}

function approvedClubs(db: Db) {
	return db
		.selectFrom('club')
		.innerJoin('municipality', 'municipality.id', 'club.municipality_id')
		.where('club.status', '=', 'approved');
}

const clubSelection = [
	'club.id',
	'club.slug',
	'club.name',
	'club.description',
	'club.website',
	'club.logo_sha256',
	'club.contact_email',
	'club.contact_phone',
	'municipality.slug as municipality_slug',
	'municipality.name as municipality_name'
] as const;

async function offersOf(db: Db, clubIds: string[], filter: DirectoryFilter): Promise<Map<string, PublicOffer[]>> {
	const byClub = new Map<string, PublicOffer[]>();
	if (clubIds.length === 0) return byClub;
	const rows = await db
		.selectFrom('offer')
		.innerJoin('club', 'club.id', 'offer.club_id')
		.select([...offerSelection])
		.where('offer.club_id', 'in', clubIds)
		.where((eb) => offerMatches(eb, filter))
		.orderBy('offer.title')
		.orderBy('offer.id')
		.execute();
	const tags = await tagSlugsOfOffers(db, rows.map((r) => r.id));
	for (const row of rows) {
		// Status and creation date stay inside: every offer here is published.
		const { clubId, status, createdAt, ...offer } = toOffer(row, tags.get(row.id) ?? []);
		byClub.set(clubId, [...(byClub.get(clubId) ?? []), offer]);
	}
	return byClub;
}

type ClubRow = { id: string; slug: string; name: string; description: string; website: string; logo_sha256: string | null; municipality_slug: string; municipality_name: string };

async function toDirectoryClubs(db: Db, rows: ClubRow[], filter: DirectoryFilter): Promise<DirectoryClub[]> {
	const ids = rows.map((r) => r.id);
	const [tags, offers] = await Promise.all([tagSlugsOf(db, ids), offersOf(db, ids, filter)]);
	return rows.map((r) => ({
		id: r.id,
		slug: r.slug,
		name: r.name,
		description: r.description,
		website: r.website,
		municipality: { slug: r.municipality_slug, name: r.municipality_name },
		tags: tags.get(r.id) ?? [],
		logoVersion: r.logo_sha256,
		offers: offers.get(r.id) ?? []
	}));
}

/** One page of the directory, clubs by name, each with its matching offers. */
export async function search(db: Db, filter: DirectoryFilter): Promise<{ items: DirectoryClub[]; total: number }> {
	let query = approvedClubs(db);
	if (filter.municipality) query = query.where('municipality.slug', '=', filter.municipality);
	query = query.where((eb) => clubMatches(eb, filter) ?? eb.lit(true));
	const { total } = await query.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow();
	const pageSize = Math.min(Math.max(1, filter.pageSize), 100);
	const rows = await query
		.select([...clubSelection])
		.orderBy('club.name_key')
		.orderBy('club.id')
		.limit(pageSize)
		.offset((Math.max(1, filter.page) - 1) * pageSize)
		.execute();
	return { items: await toDirectoryClubs(db, rows, filter), total: Number(total) };
}

/** The public page of an approved club with all its published offers; null otherwise. */
export async function clubPage(db: Db, municipalitySlug: string, clubSlug: string): Promise<PublicClub | null> {
	const row = await approvedClubs(db)
		.select([...clubSelection])
		.where('municipality.slug', '=', municipalitySlug)
		.where('club.slug', '=', clubSlug)
		.executeTakeFirst();
	if (!row) return null;
	const [club] = await toDirectoryClubs(db, [row], { page: 1, pageSize: 1 });
	return { ...club!, contactEmail: row.contact_email, contactPhone: row.contact_phone };
}

export interface TagCounts {
	tag: string;
	/** Per municipality id: approved clubs with this area in their profile, published offers with it. */
	byMunicipality: Record<string, { clubs: number; offers: number }>;
}

/**
 * Approved clubs and published offers per engagement area and municipality, for the coordinator's
 * overview of where offers are missing: their own municipalities, every one for platform admins.
 */
export async function countsByTagAndMunicipality(
	db: Db,
	viewer: Viewer | null
): Promise<{ ok: true; municipalities: { id: string; slug: string; name: string }[]; rows: TagCounts[] } | { ok: false; problem: 'forbidden' }> {
	if (!viewer || (!viewer.isPlatformAdmin && viewer.municipalityIds.length === 0)) return { ok: false, problem: 'forbidden' };
	const scope = await municipalities.list(db, viewer.isPlatformAdmin ? undefined : viewer.municipalityIds);
	const scopeIds = scope.map((m) => m.id);
	const tags = await db.selectFrom('tag').select('slug').orderBy('slug').execute();
	const rows: TagCounts[] = tags.map((t) => ({
		tag: t.slug,
		byMunicipality: Object.fromEntries(scopeIds.map((id) => [id, { clubs: 0, offers: 0 }]))
	}));
	if (scopeIds.length === 0) return { ok: true, municipalities: [], rows };
	const bySlug = new Map(rows.map((r) => [r.tag, r]));

	const clubCounts = await db
		.selectFrom('club_tag')
		.innerJoin('club', 'club.id', 'club_tag.club_id')
		.innerJoin('tag', 'tag.id', 'club_tag.tag_id')
		.select(['club.municipality_id', 'tag.slug', (eb) => eb.fn.countAll<number | string>().as('count')])
		.where('club.status', '=', 'approved')
		.where('club.municipality_id', 'in', scopeIds)
		.groupBy(['club.municipality_id', 'tag.slug'])
		.execute();
	for (const c of clubCounts) bySlug.get(c.slug)!.byMunicipality[c.municipality_id]!.clubs = Number(c.count);

	const offerCounts = await db
		.selectFrom('offer_tag')
		.innerJoin('offer', 'offer.id', 'offer_tag.offer_id')
		.innerJoin('club', 'club.id', 'offer.club_id')
		.innerJoin('tag', 'tag.id', 'offer_tag.tag_id')
		.select(['club.municipality_id', 'tag.slug', (eb) => eb.fn.countAll<number | string>().as('count')])
		.where('club.status', '=', 'approved')
		.where('offer.status', '=', 'published')
		.where('club.municipality_id', 'in', scopeIds)
		.groupBy(['club.municipality_id', 'tag.slug'])
		.execute();
	for (const c of offerCounts) bySlug.get(c.slug)!.byMunicipality[c.municipality_id]!.offers = Number(c.count);

	return { ok: true, municipalities: scope.map((m) => ({ id: m.id, slug: m.slug, name: m.name })), rows };
}
