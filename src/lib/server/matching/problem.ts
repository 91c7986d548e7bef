import type { EventKind, Db } from '../db/schema';
import type { MatchClub, MatchOffer, MatchPerson } from '../../matching/scoring';
import { monthsFromPresence } from '../../matching/presence';
import { parseProfile } from '../../participant-profile';

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
			match: {
				id: r.id,
				residency: profile.residency,
				interests: interestWeights(profile.interests),
				availability: profile.availability,
				presentMonths: monthsFromPresence(profile.presence),
				languages: profile.languages,
				homePlace: profile.homePlace,
				secondPlace: profile.secondPlace,
				...(profile.competences?.length ? { competences: profile.competences } : {})
			}
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
		db
			.selectFrom('offer')
			.select(['id', 'club_id', 'title', 'commitment', 'on_weekdays', 'on_weekends', 'in_evenings', 'months', 'is_remote', 'languages', 'suits_multilocal'])
			.where('club_id', 'in', clubIds)
			.where('status', '=', 'published')
			.orderBy('created_at')
			.execute()
	]);
	const offerTags = offers.length
		? await db.selectFrom('offer_tag').innerJoin('tag', 'tag.id', 'offer_tag.tag_id').select(['offer_tag.offer_id', 'tag.slug']).where('offer_tag.offer_id', 'in', offers.map((o) => o.id)).execute()
		: [];
	const offerCompetences = offers.length
		? await db
				.selectFrom('offer_competence')
				.innerJoin('competence', 'competence.id', 'offer_competence.competence_id')
				.select(['offer_competence.offer_id', 'competence.slug'])
				.where('offer_competence.offer_id', 'in', offers.map((o) => o.id))
				.execute()
		: [];
	// Only offers that ask for some carry the field, so those that do not score as before.
	const competencesOf = (offerId: string) => {
		const slugs = offerCompetences.filter((c) => c.offer_id === offerId).map((c) => c.slug);
		return slugs.length > 0 ? { competences: slugs } : {};
	};
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
			offers: offers
				.filter((o) => o.club_id === r.id)
				.map(
					(o): MatchOffer => ({
						id: o.id,
						title: o.title,
						tags: offerTags.filter((t) => t.offer_id === o.id).map((t) => t.slug),
						commitment: o.commitment,
						onWeekdays: o.on_weekdays === 1,
						onWeekends: o.on_weekends === 1,
						inEvenings: o.in_evenings === 1,
						months: jsonList<number>(o.months),
						isRemote: o.is_remote === 1,
						languages: jsonList<string>(o.languages),
						suitsMultilocal: o.suits_multilocal === 1,
						...competencesOf(o.id)
					})
				)
		}
	}));
}
