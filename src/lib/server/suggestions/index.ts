import type { Db } from '../db/schema';
import * as registrations from '../registrations';
import * as competences from '../competences';
import { loadMatchOffers, matchPersonFromProfile } from '../matching/problem';
import { loadMatchTasks } from '../tasks/match';
import { rankItems, type RankItem } from '../../matching/ranking';
import type { Reason } from '../../matching/scoring';
import type { Profile } from '../../participant-profile';

// "Passt zu mir": the published offers of the region (every approved club of this instance, which
// several neighbouring municipalities share), ranked for the profile a person keeps behind their
// manage link by the markets' scoring core.

/** How many suggestions the page shows; the rest would be weak fits. */
export const LIMIT = 20;

export interface Suggestion {
	kind: RankItem['kind'];
	id: string;
	title: string;
	/** The club; null for an Einsatz a municipality publishes itself. */
	club: string | null;
	municipality: string;
	/** Where the title links to: the offer's card on its club's page, or the Einsatz's page. */
	path: string;
	/** The call to action: "Ich möchte mitmachen" for an offer, the Einsatz's page to sign up for a shift. */
	contactPath: string;
	/** An Einsatz's soonest open shift still to come (ISO), and the zone it is shown in. */
	nextShiftAt: string | null;
	nextShiftTimeZone: string | null;
	value: number;
	reasons: Reason[];
}

export interface Suggestions {
	/** False when the profile says nothing to match by (no interests, no competences). */
	hasProfile: boolean;
	suggestions: Suggestion[];
	/** Labels for the competences named in the reasons, in the reader's language. */
	competenceLabels: Record<string, string>;
}

/** Whether a kept profile says enough to rank by: interests or competences. */
export function hasProfile(profile: Profile): boolean {
	return profile.interests.length > 0 || (profile.competences?.length ?? 0) > 0;
}

type OfferItem = RankItem & { title: string; club: string; clubSlug: string; municipalitySlug: string; municipalityId: string };
type TaskItem = RankItem & { title: string; club: string | null; municipalityId: string; nextShiftAt: Date; nextShiftTimeZone: string };

/** The region's published offers of approved clubs, ready for ranking. */
export async function loadOfferItems(db: Db): Promise<OfferItem[]> {
	const clubRows = await db
		.selectFrom('club')
		.innerJoin('municipality', 'municipality.id', 'club.municipality_id')
		.select(['club.id', 'club.name', 'club.slug', 'municipality.id as municipality_id', 'municipality.name as municipality', 'municipality.slug as municipality_slug'])
		.where('club.status', '=', 'approved')
		.execute();
	if (clubRows.length === 0) return [];
	const clubsById = new Map(clubRows.map((c) => [c.id, c]));
	const offers = await loadMatchOffers(db, (qb) =>
		qb.where('offer.club_id', 'in', (eb) => eb.selectFrom('club').select('club.id').where('club.status', '=', 'approved'))
	);
	return offers.flatMap(({ clubId, match }) => {
		const club = clubsById.get(clubId);
		if (!club) return [];
		return [
			{
				kind: 'offer' as const,
				id: match.id,
				municipality: club.municipality,
				match,
				title: match.title,
				club: club.name,
				clubSlug: club.slug,
				municipalitySlug: club.municipality_slug,
				municipalityId: club.municipality_id
			}
		];
	});
}

/**
 * The region's published Einsätze with an open shift still to come, ready for ranking with the
 * offers (kind 'task'; their shifts' times stand for an offer's days and evenings).
 */
export async function loadTaskItems(db: Db, now: Date): Promise<TaskItem[]> {
	const tasks = await loadMatchTasks(db, { now });
	return tasks.map((t) => ({
		kind: 'task' as const,
		id: t.id,
		municipality: t.municipality,
		match: t.match,
		title: t.match.title,
		club: t.club,
		municipalityId: t.municipalityId,
		nextShiftAt: t.nextShiftAt,
		nextShiftTimeZone: t.nextShiftTimeZone
	}));
}

/** Ranks the region's offers and Einsätze together for a kept profile. */
export async function forProfile(db: Db, personId: string, profile: Profile, locale: string, now: Date = new Date()): Promise<Suggestions> {
	if (!hasProfile(profile)) return { hasProfile: false, suggestions: [], competenceLabels: {} };
	const [offers, tasks] = await Promise.all([loadOfferItems(db), loadTaskItems(db, now)]);
	const items: (OfferItem | TaskItem)[] = [...offers, ...tasks];
	const ranked = rankItems(matchPersonFromProfile(personId, profile), items, { limit: LIMIT });
	const municipalityIds = [...new Set(ranked.map((r) => r.item.municipalityId))];
	const labels = await competences.choices(db, municipalityIds, locale);
	return {
		hasProfile: true,
		competenceLabels: Object.fromEntries(labels.map((c) => [c.slug, c.label])),
		suggestions: ranked.map(({ item, value, reasons }): Suggestion => {
			if ('nextShiftAt' in item) {
				const path = `/einsaetze/${item.id}`;
				return { kind: 'task', id: item.id, title: item.title, club: item.club, municipality: item.municipality, path, contactPath: path, nextShiftAt: item.nextShiftAt.toISOString(), nextShiftTimeZone: item.nextShiftTimeZone, value, reasons };
			}
			const clubPath = `/clubs/${item.municipalitySlug}/${item.clubSlug}`;
			return {
				kind: 'offer',
				id: item.id,
				title: item.title,
				club: item.club,
				municipality: item.municipality,
				path: `${clubPath}#offer-${item.id}`,
				contactPath: `${clubPath}/offers/${item.id}/contact`,
				nextShiftAt: null,
				nextShiftTimeZone: null,
				value,
				reasons
			};
		})
	};
}

/** Suggestions for the person behind a manage link; null for a forged or dead link. */
export async function forManageToken(db: Db, token: string, locale: string, now: Date = new Date()): Promise<(Suggestions & { name: string }) | null> {
	const registration = await registrations.findByManageToken(db, token);
	if (!registration) return null;
	const { person } = registration;
	return { name: person.name, ...(await forProfile(db, person.id, person.profile, locale, now)) };
}
