import type { SelectQueryBuilder } from 'kysely';
import type { Database, EventKind, Db } from '../db/schema';
import type { MatchClub, MatchOffer, MatchPerson } from '../../matching/scoring';
import { monthsFromPresence } from '../../matching/presence';
import { parseProfile, type Profile } from '../../participant-profile';

/** A person who takes part in the matching: confirmed (or already attended) for the event. */
export interface Participant {
	id: string;
	registrationId: string;
	name: string;
	email: string;
	locale: string;
	consentIntroductions: boolean;
	match: MatchPerson;
}

/** A club that meets people at the event: its stall at a market, its table at a Gesprächsrunde. */
export interface Host {
	id: string;
	name: string;
	stallId: string | null;
	/** Stall number, or table number at a Gesprächsrunde. */
	place: string;
	/** How many people it talks to at once (stall: the request's chairs). */
	seatsPerRound: number;
	match: MatchClub;
}

/** First interest weighs 3, the second 2, every further one 1: people list what matters most first. */
export function interestWeights(interests: string[]): Record<string, number> {
	const weights: Record<string, number> = {};
	interests.forEach((slug, i) => {
		weights[slug] ??= i === 0 ? 3 : i === 1 ? 2 : 1;
	});
	return weights;
}

function jsonList<T>(json: string): T[] {
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? (value as T[]) : [];
	} catch {
		return [];
	}
}

/** The scoring core's view of a kept profile; shared by the markets, suggestions and alerts. */
export function matchPersonFromProfile(personId: string, profile: Profile): MatchPerson {
	return {
		id: personId,
		residency: profile.residency,
		interests: interestWeights(profile.interests),
		availability: profile.availability,
		presentMonths: monthsFromPresence(profile.presence),
		languages: profile.languages,
		homePlace: profile.homePlace,
		secondPlace: profile.secondPlace,
		...(profile.competences?.length ? { competences: profile.competences } : {})
	};
}

export async function loadParticipants(db: Db, eventId: string): Promise<Participant[]> {
	const rows = await db
		.selectFrom('registration')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.select(['registration.id as registration_id', 'person.id', 'person.name', 'person.email', 'person.locale', 'person.profile', 'person.consent_introductions'])
		.where('registration.event_id', '=', eventId)
		.where('registration.status', 'in', ['confirmed', 'attended'])
		.where('person.anonymised_at', 'is', null)
		.orderBy('registration.created_at')
		.orderBy('registration.id')
		.execute();
	return rows.map((r) => {
		const profile = parseProfile(r.profile);
		return {
			id: r.id,
			registrationId: r.registration_id,
			name: r.name,
			email: r.email,
			locale: r.locale,
			consentIntroductions: r.consent_introductions === 1,
			match: matchPersonFromProfile(r.id, profile)
		};
	});
}

/**
 * Markets: the clubs with an approved stall request, seated by the request's chairs. A
 * Gesprächsrunde has no stalls: every approved club of a host municipality with a published offer
 * hosts a table of `tableSeats`.
 */
export async function loadHosts(db: Db, event: { id: string; kind: EventKind; hostIds: string[] }, tableSeats: number): Promise<Host[]> {
	const base = db
		.selectFrom('club')
		.innerJoin('municipality', 'municipality.id', 'club.municipality_id')
		.select(['club.id', 'club.name', 'municipality.name as municipality']);
	let rows: { id: string; name: string; municipality: string; stallId: string | null; place: string; seats: number }[];
	if (event.kind === 'market') {
		const found = await base
			.innerJoin('stall_request', 'stall_request.club_id', 'club.id')
			.leftJoin('stall', 'stall.id', 'stall_request.stall_id')
			.select(['stall_request.chairs', 'stall.id as stall_id', 'stall.number'])
			.where('stall_request.event_id', '=', event.id)
			.where('stall_request.status', '=', 'approved')
			.execute();
		rows = found
			.map((r) => ({ id: r.id, name: r.name, municipality: r.municipality, stallId: r.stall_id, place: r.number ?? '', seats: Math.max(0, r.chairs) }))
			.sort((a, b) => a.place.localeCompare(b.place, 'de', { numeric: true }) || a.name.localeCompare(b.name, 'de'));
	} else {
		if (event.hostIds.length === 0) return [];
		const found = await base
			.where('club.status', '=', 'approved')
			.where('club.municipality_id', 'in', event.hostIds)
			.where((eb) => eb.exists(eb.selectFrom('offer').select('offer.id').whereRef('offer.club_id', '=', 'club.id').where('offer.status', '=', 'published')))
			.orderBy('club.name')
			.execute();
		rows = found.map((r, i) => ({ id: r.id, name: r.name, municipality: r.municipality, stallId: null, place: String(i + 1), seats: tableSeats }));
	}
	if (rows.length === 0) return [];
	const clubIds = rows.map((r) => r.id);
	const [clubTags, offers] = await Promise.all([
		db.selectFrom('club_tag').innerJoin('tag', 'tag.id', 'club_tag.tag_id').select(['club_tag.club_id', 'tag.slug']).where('club_tag.club_id', 'in', clubIds).execute(),
		loadMatchOffers(db, (qb) => qb.where('offer.club_id', 'in', clubIds))
	]);
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		stallId: r.stallId,
		place: r.place,
		seatsPerRound: r.seats,
		match: {
			id: r.id,
			municipality: r.municipality,
			tags: clubTags.filter((t) => t.club_id === r.id).map((t) => t.slug),
			offers: offers.filter((o) => o.clubId === r.id).map((o) => o.match)
		}
	}));
}

/** Published offers (narrowed by `where`) in the scoring core's shape, with their club, oldest first. */
export async function loadMatchOffers(
	db: Db,
	where: (qb: SelectQueryBuilder<Database, 'offer', object>) => SelectQueryBuilder<Database, 'offer', object>
): Promise<{ clubId: string; match: MatchOffer }[]> {
	const offers = await where(db.selectFrom('offer'))
		.select(['offer.id', 'offer.club_id', 'offer.title', 'offer.commitment', 'offer.on_weekdays', 'offer.on_weekends', 'offer.in_evenings', 'offer.months', 'offer.is_remote', 'offer.languages', 'offer.suits_multilocal'])
		.where('offer.status', '=', 'published')
		.orderBy('offer.created_at')
		.orderBy('offer.id')
		.execute();
	if (offers.length === 0) return [];
	const offerIds = offers.map((o) => o.id);
	const [offerTags, offerCompetences] = await Promise.all([
		db.selectFrom('offer_tag').innerJoin('tag', 'tag.id', 'offer_tag.tag_id').select(['offer_tag.offer_id', 'tag.slug']).where('offer_tag.offer_id', 'in', offerIds).execute(),
		db
			.selectFrom('offer_competence')
			.innerJoin('competence', 'competence.id', 'offer_competence.competence_id')
			.select(['offer_competence.offer_id', 'competence.slug'])
			.where('offer_competence.offer_id', 'in', offerIds)
			.execute()
	]);
	const tagsOf = groupBy(offerTags, (t) => t.offer_id);
	const competencesOf = groupBy(offerCompetences, (c) => c.offer_id);
	return offers.map((o) => {
		const competences = (competencesOf.get(o.id) ?? []).map((c) => c.slug);
		return {
			clubId: o.club_id,
			match: {
				id: o.id,
				title: o.title,
				tags: (tagsOf.get(o.id) ?? []).map((t) => t.slug),
				commitment: o.commitment,
				onWeekdays: o.on_weekdays === 1,
				onWeekends: o.on_weekends === 1,
				inEvenings: o.in_evenings === 1,
				months: jsonList<number>(o.months),
				isRemote: o.is_remote === 1,
				languages: jsonList<string>(o.languages),
				suitsMultilocal: o.suits_multilocal === 1,
				// Only offers that ask for some carry the field, so those that do not score as before.
				...(competences.length > 0 ? { competences } : {})
			}
		};
	});
}

export function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const row of rows) {
		const k = key(row);
		const list = groups.get(k);
		if (list) list.push(row);
		else groups.set(k, [row]);
	}
	return groups;
}
