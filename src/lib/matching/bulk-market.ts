/**
 * The clubs and their offers as parallel typed arrays, for bulk-scoring.ts: tags, languages and
 * competences as runs of interned ids with a 32-bit mask each; days, times and months packed in
 * one word; the points that depend on the person only through a yes/no, ready for the yes.
 * Pure, no I/O.
 */
import { NEUTRAL, ONE_OFF, REGULAR, WEIGHTS, type PreparedClub, type PreparedOffer } from './scoring';

const DAYS_NEUTRAL = WEIGHTS.days * NEUTRAL;
const LANGUAGE_NEUTRAL = WEIGHTS.language * NEUTRAL;

export type FlatMarket = ReturnType<typeof flattenMarket>;

/**
 * Bit `id mod 32` of a mask: two sets with no common bit have nothing in common; a common bit is
 * certain only while there are at most 32 ids.
 */
export const bit = (id: number) => 1 << (id & 31);

export const DAYS_BITS = 0b11;
export const TIMES_BITS = 0b1100;
export const MONTHS_SHIFT = 4;
export const MONTHS_BITS = 0xfff << MONTHS_SHIFT;

/** Days, times and months in one word: one AND tests all three for overlap. */
export const packWhen = (days: number, times: number, months: number) => days | (times << 2) | (months << MONTHS_SHIFT);

/** scoring.ts's seasonFit for a given share of presence. */
export function seasonFit(offer: PreparedOffer, share: number): number {
	if (offer.commitment === ONE_OFF) return 1;
	return offer.commitment === REGULAR ? share : (1 + share) / 2;
}

/**
 * All clubs' offers as parallel typed arrays; club c's offers are `clubStart[c] … clubStart[c + 1] − 1`.
 * `tagCount`: every tag id is below it.
 */
export function flattenMarket(clubs: PreparedClub[], tagCount: number) {
	const offers: PreparedOffer[] = clubs.flatMap((club) => club.offers);
	const clubStart = new Int32Array(clubs.length + 1);
	clubs.forEach((club, c) => (clubStart[c + 1] = (clubStart[c] ?? 0) + club.offers.length));

	// Only the clubs' municipalities matter: a person's places are looked up among them.
	const placeIds = new Map<string, number>();
	const clubPlace = Int32Array.from(clubs, ({ municipality }) => {
		if (municipality === '') return -1;
		let id = placeIds.get(municipality);
		if (id === undefined) placeIds.set(municipality, (id = placeIds.size));
		return id;
	});

	const competenceIds = new Map<string, number>();
	const competenceOf = (slug: string) => {
		let id = competenceIds.get(slug);
		if (id === undefined) competenceIds.set(slug, (id = competenceIds.size));
		return id;
	};

	const clubTags = runs(clubs.map((club) => club.tags));
	const offerTags = runs(offers.map((offer) => offer.tags));
	const offerLanguages = runs(offers.map((offer) => offer.languages));
	const offerCompetences = runs(offers.map((offer) => Int32Array.from(offer.competences, competenceOf)));
	const points = (of: (offer: PreparedOffer) => number) => Float64Array.from(offers, of);
	// The season points by the number of months a person who names theirs shares with the offer,
	// computed as scoring.ts does: share = common months / the offer's months.
	const seasonByCommonMonths = new Float64Array(offers.length * 13);
	offers.forEach((offer, o) => {
		for (let common = 0; common <= 12; common++) {
			seasonByCommonMonths[o * 13 + common] = WEIGHTS.season * seasonFit(offer, common / offer.monthCount);
		}
	});
	const clubsByPlace = runs(inverse(Array.from(clubPlace, (place) => (place < 0 ? [] : [place])), placeIds.size));
	// The tags that can give a club interest points: its own without offers, else its offers'.
	const interestTags = clubs.map((club, c) =>
		club.offers.length === 0
			? [...clubTags.ids.subarray(clubTags.start[c], clubTags.start[c + 1])]
			: [...offerTags.ids.subarray(offerTags.start[clubStart[c]!], offerTags.start[clubStart[c + 1]!])]
	);
	const clubsByTag = runs(inverse(interestTags, tagCount));
	return {
		offers,
		clubStart,
		clubPlace,
		placeIds,
		clubsByPlaceStart: clubsByPlace.start,
		clubsByPlace: clubsByPlace.ids,
		clubsByTagStart: clubsByTag.start,
		clubsByTag: clubsByTag.ids,
		clubTagStart: clubTags.start,
		clubTags: clubTags.ids,
		clubTagMask: clubTags.mask,
		tagStart: offerTags.start,
		tags: offerTags.ids,
		tagMask: offerTags.mask,
		languageStart: offerLanguages.start,
		languages: offerLanguages.ids,
		languageMask: offerLanguages.mask,
		competenceIds,
		competenceStart: offerCompetences.start,
		competences: offerCompetences.ids,
		competenceMask: offerCompetences.mask,
		when: Int32Array.from(offers, (offer) => packWhen(offer.days, offer.times, offer.months)),
		// The terms that depend on the person only through a yes/no: their value when it is yes.
		dayPoints: points((offer) => (offer.saysWhen ? WEIGHTS.days : DAYS_NEUTRAL)),
		languagePoints: points((offer) => (offer.languages.length > 0 ? WEIGHTS.language : LANGUAGE_NEUTRAL)),
		remotePoints: points((offer) => (offer.isRemote ? WEIGHTS.remote : 0)),
		multilocalPoints: points((offer) => (offer.suitsMultilocal ? WEIGHTS.multilocal : 0)),
		seasonByCommonMonths
	};
}

/** For each id below `count`, the lists that hold it (each once, in order). */
function inverse(lists: number[][], count: number): Int32Array[] {
	const holders: number[][] = Array.from({ length: count }, () => []);
	lists.forEach((list, i) => {
		for (const id of list) if (holders[id]!.at(-1) !== i) holders[id]!.push(i);
	});
	return holders.map((holder) => Int32Array.from(holder));
}

/** Lists of ids as one array (list i is `ids[start[i]] … ids[start[i + 1] − 1]`, in its order) and a mask of each. */
function runs(lists: Int32Array[]): { start: Int32Array; ids: Int32Array; mask: Int32Array } {
	const start = new Int32Array(lists.length + 1);
	lists.forEach((list, i) => (start[i + 1] = (start[i] ?? 0) + list.length));
	const ids = new Int32Array(start[lists.length] ?? 0);
	lists.forEach((list, i) => ids.set(list, start[i]));
	const mask = Int32Array.from(lists, (list) => list.reduce((m, id) => m | bit(id), 0));
	return { start, ids, mask };
}
