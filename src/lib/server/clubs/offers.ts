import { toDate, type Db, type OfferCommitment, type OfferStatus } from '../db/schema';
import type { Viewer } from '../auth/users';
import { generateId } from '../ids';
import * as audit from '../audit';
import { authorize, canEdit, canView, inTransaction, loadAccess, searchable, type Denied } from './access';
import { resolveTags } from './index';
import * as competences from '../competences';

// A club's volunteering offers (Engagementangebote). Members create and edit them; the public sees
// published offers of approved clubs (see directory.ts).

export const COMMITMENTS = ['one_off', 'occasional', 'regular'] as const satisfies readonly OfferCommitment[];
export const OFFER_STATUSES = ['draft', 'published', 'paused', 'archived'] as const satisfies readonly OfferStatus[];
export type { OfferCommitment, OfferStatus };

/** Which status may follow which: pausing keeps an offer for later, archiving retires it. */
export const TRANSITIONS: Record<OfferStatus, OfferStatus[]> = {
	draft: ['published', 'archived'],
	published: ['paused', 'archived'],
	paused: ['published', 'archived'],
	archived: ['draft']
};

export interface OfferInput {
	title: string;
	description: string;
	commitment: OfferCommitment;
	onWeekdays: boolean;
	onWeekends: boolean;
	inEvenings: boolean;
	/** Months 1–12 in which the offer runs; [] = all year. */
	months: number[];
	place: string;
	isRemote: boolean;
	/** Language codes, e.g. ['de', 'en']. */
	languages: string[];
	minimumAge: number | null;
	/** Can be done with irregular presence (people living in two places). */
	suitsMultilocal: boolean;
	/** How many new people the club can take on; null = no fixed limit. */
	capacity: number | null;
	/** Tag slugs. */
	tags: string[];
	/** Slugs of wanted competences from the club's municipality's list; absent = leave as they are. */
	competences?: string[];
}

export interface Offer extends OfferInput {
	id: string;
	clubId: string;
	status: OfferStatus;
	createdAt: Date;
	updatedAt: Date;
}

export const offerSelection = [
	'offer.id',
	'offer.club_id',
	'offer.title',
	'offer.description',
	'offer.commitment',
	'offer.on_weekdays',
	'offer.on_weekends',
	'offer.in_evenings',
	'offer.months',
	'offer.place',
	'offer.is_remote',
	'offer.languages',
	'offer.minimum_age',
	'offer.suits_multilocal',
	'offer.capacity',
	'offer.status',
	'offer.created_at',
	'offer.updated_at'
] as const;

interface OfferRowShape {
	id: string;
	club_id: string;
	title: string;
	description: string;
	commitment: OfferCommitment;
	on_weekdays: number;
	on_weekends: number;
	in_evenings: number;
	months: string;
	place: string;
	is_remote: number;
	languages: string;
	minimum_age: number | null;
	suits_multilocal: number;
	capacity: number | null;
	status: OfferStatus;
	created_at: Date | string;
	updated_at: Date | string;
}

function parseList<T>(json: string, keep: (value: unknown) => value is T): T[] {
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? value.filter(keep) : [];
	} catch {
		return [];
	}
}

/** The one mapper from an offer row (0/1 flags, JSON lists, either timestamp type) to an Offer. */
export function toOffer(row: OfferRowShape, tags: string[]): Offer {
	return {
		id: row.id,
		clubId: row.club_id,
		title: row.title,
		description: row.description,
		commitment: row.commitment,
		onWeekdays: row.on_weekdays === 1,
		onWeekends: row.on_weekends === 1,
		inEvenings: row.in_evenings === 1,
		months: parseList(row.months, (v): v is number => Number.isInteger(v)),
		place: row.place,
		isRemote: row.is_remote === 1,
		languages: parseList(row.languages, (v): v is string => typeof v === 'string'),
		minimumAge: row.minimum_age,
		suitsMultilocal: row.suits_multilocal === 1,
		capacity: row.capacity,
		tags,
		status: row.status,
		createdAt: toDate(row.created_at),
		updatedAt: toDate(row.updated_at)
	};
}

function toColumns(input: OfferInput) {
	return {
		title: input.title,
		description: input.description,
		commitment: input.commitment,
		on_weekdays: input.onWeekdays ? 1 : 0,
		on_weekends: input.onWeekends ? 1 : 0,
		in_evenings: input.inEvenings ? 1 : 0,
		months: JSON.stringify([...new Set(input.months)].filter((m) => m >= 1 && m <= 12).sort((a, b) => a - b)),
		place: input.place,
		is_remote: input.isRemote ? 1 : 0,
		languages: JSON.stringify([...new Set(input.languages)]),
		minimum_age: input.minimumAge,
		suits_multilocal: input.suitsMultilocal ? 1 : 0,
		capacity: input.capacity,
		search_text: searchable(input.title, input.description, input.place)
	};
}

export async function tagSlugsOfOffers(db: Db, offerIds: string[]): Promise<Map<string, string[]>> {
	const byOffer = new Map<string, string[]>();
	if (offerIds.length === 0) return byOffer;
	const rows = await db
		.selectFrom('offer_tag')
		.innerJoin('tag', 'tag.id', 'offer_tag.tag_id')
		.select(['offer_tag.offer_id', 'tag.slug'])
		.where('offer_tag.offer_id', 'in', offerIds)
		.orderBy('tag.slug')
		.execute();
	for (const row of rows) byOffer.set(row.offer_id, [...(byOffer.get(row.offer_id) ?? []), row.slug]);
	return byOffer;
}

async function replaceTags(db: Db, offerId: string, tagIds: string[]): Promise<void> {
	await db.deleteFrom('offer_tag').where('offer_id', '=', offerId).execute();
	if (tagIds.length > 0) {
		await db
			.insertInto('offer_tag')
			.values(tagIds.map((tag_id) => ({ offer_id: offerId, tag_id })))
			.execute();
	}
}

async function clubOf(db: Db, offerId: string): Promise<{ clubId: string; status: OfferStatus } | null> {
	const row = await db.selectFrom('offer').select(['club_id', 'status']).where('id', '=', offerId).executeTakeFirst();
	return row ? { clubId: row.club_id, status: row.status } : null;
}

export type CreateResult = { ok: true; offerId: string } | Denied | { ok: false; problem: 'unknown_tag' | 'unknown_competence' };

/** A member adds an offer, as a draft or published (public once the club is approved). */
export async function create(
	db: Db,
	viewer: Viewer | null,
	clubId: string,
	input: OfferInput & { status: 'draft' | 'published' },
	now: Date
): Promise<CreateResult> {
	return inTransaction(db, async (trx): Promise<CreateResult> => {
		const auth = await authorize(trx, viewer, clubId, canEdit);
		if (!auth.ok) return auth;
		const tagIds = await resolveTags(trx, input.tags);
		if (!tagIds) return { ok: false, problem: 'unknown_tag' };
		const competenceIds = await competences.resolve(trx, auth.access.municipalityId, input.competences ?? []);
		if (!competenceIds) return { ok: false, problem: 'unknown_competence' };
		const offerId = generateId();
		await trx
			.insertInto('offer')
			.values({
				id: offerId,
				club_id: clubId,
				...toColumns(input),
				status: input.status,
				published_at: input.status === 'published' ? now.toISOString() : null,
				created_by: auth.viewer.id,
				created_at: now.toISOString(),
				updated_at: now.toISOString()
			})
			.execute();
		await replaceTags(trx, offerId, tagIds);
		await competences.setForOffer(trx, offerId, competenceIds);
		await audit.record(
			trx,
			{
				actorUserId: auth.viewer.id,
				action: 'offer.created',
				entityType: 'offer',
				entityId: offerId,
				municipalityId: auth.access.municipalityId,
				details: { clubId, title: input.title, status: input.status }
			},
			now
		);
		return { ok: true, offerId };
	});
}

export type UpdateResult = { ok: true } | Denied | { ok: false; problem: 'unknown_tag' | 'unknown_competence' | 'archived' };

/** A member changes an offer's content; its status changes only through setStatus. */
export async function update(db: Db, viewer: Viewer | null, offerId: string, input: OfferInput, now: Date): Promise<UpdateResult> {
	return inTransaction(db, async (trx): Promise<UpdateResult> => {
		const offer = await clubOf(trx, offerId);
		if (!offer) return { ok: false, problem: 'not_found' };
		const auth = await authorize(trx, viewer, offer.clubId, canEdit);
		if (!auth.ok) return auth;
		if (offer.status === 'archived') return { ok: false, problem: 'archived' };
		const tagIds = await resolveTags(trx, input.tags);
		if (!tagIds) return { ok: false, problem: 'unknown_tag' };
		const competenceIds = input.competences ? await competences.resolve(trx, auth.access.municipalityId, input.competences) : [];
		if (!competenceIds) return { ok: false, problem: 'unknown_competence' };
		await trx
			.updateTable('offer')
			.set({ ...toColumns(input), updated_at: now.toISOString() })
			.where('id', '=', offerId)
			.execute();
		await replaceTags(trx, offerId, tagIds);
		if (input.competences) await competences.setForOffer(trx, offerId, competenceIds);
		await audit.record(
			trx,
			{ actorUserId: auth.viewer.id, action: 'offer.updated', entityType: 'offer', entityId: offerId, municipalityId: auth.access.municipalityId },
			now
		);
		return { ok: true };
	});
}

export type StatusResult = { ok: true } | Denied | { ok: false; problem: 'invalid_transition' };

/** Publish, pause, archive or restore (archived → draft), as TRANSITIONS allows. */
export async function setStatus(db: Db, viewer: Viewer | null, offerId: string, status: OfferStatus, now: Date): Promise<StatusResult> {
	return inTransaction(db, async (trx): Promise<StatusResult> => {
		const offer = await clubOf(trx, offerId);
		if (!offer) return { ok: false, problem: 'not_found' };
		const auth = await authorize(trx, viewer, offer.clubId, canEdit);
		if (!auth.ok) return auth;
		const allowedFrom = OFFER_STATUSES.filter((from) => TRANSITIONS[from].includes(status));
		if (allowedFrom.length === 0) return { ok: false, problem: 'invalid_transition' };
		// Conditional on the current status, so two members clicking at once cannot skip a step.
		const result = await trx
			.updateTable('offer')
			.set({ status, updated_at: now.toISOString() })
			.where('id', '=', offerId)
			.where('status', 'in', allowedFrom)
			.executeTakeFirst();
		if (Number(result.numUpdatedRows) !== 1) return { ok: false, problem: 'invalid_transition' };
		// Only the first publication counts as new (alerts); pausing and publishing again does not.
		if (status === 'published') {
			await trx.updateTable('offer').set({ published_at: now.toISOString() }).where('id', '=', offerId).where('published_at', 'is', null).execute();
		}
		await audit.record(
			trx,
			{
				actorUserId: auth.viewer.id,
				action: 'offer.status_changed',
				entityType: 'offer',
				entityId: offerId,
				municipalityId: auth.access.municipalityId,
				details: { from: offer.status, to: status }
			},
			now
		);
		return { ok: true };
	});
}

/** All offers of a club for its members and reviewers, archived ones only on request. */
export async function listForClub(
	db: Db,
	viewer: Viewer | null,
	clubId: string,
	options: { includeArchived?: boolean } = {}
): Promise<{ ok: true; offers: Offer[] } | Denied> {
	const auth = await authorize(db, viewer, clubId, canView);
	if (!auth.ok) return auth;
	let query = db.selectFrom('offer').select([...offerSelection]).where('offer.club_id', '=', clubId);
	if (!options.includeArchived) query = query.where('offer.status', '!=', 'archived');
	const rows = await query.orderBy('offer.created_at').orderBy('offer.id').execute();
	const ids = rows.map((r) => r.id);
	const [tags, wanted] = await Promise.all([tagSlugsOfOffers(db, ids), competences.ofOffers(db, ids, 'de')]);
	return {
		ok: true,
		offers: rows.map((r) => ({ ...toOffer(r, tags.get(r.id) ?? []), competences: (wanted.get(r.id) ?? []).map((c) => c.slug) }))
	};
}

/** One offer for its club's members and reviewers (for the edit form); null for anyone else. */
export async function find(db: Db, viewer: Viewer | null, offerId: string): Promise<Offer | null> {
	const row = await db.selectFrom('offer').select([...offerSelection]).where('offer.id', '=', offerId).executeTakeFirst();
	if (!row) return null;
	const access = await loadAccess(db, viewer, row.club_id);
	if (!access || !canView(access)) return null;
	const wanted = (await competences.ofOffers(db, [row.id], 'de')).get(row.id) ?? [];
	return { ...toOffer(row, (await tagSlugsOfOffers(db, [row.id])).get(row.id) ?? []), competences: wanted.map((c) => c.slug) };
}
