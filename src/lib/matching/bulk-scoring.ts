/**
 * Every person × club value at once: `scoreMatrix(people, clubs)[p × clubs + c]` is exactly
 * `scoreValue(people[p], clubs[c])`, −1 when excluded. Pure, no I/O.
 *
 * Each person, club and offer is prepared once (scoring.ts, cached per object); the offers are
 * then flattened into typed arrays (tags, languages and competences as runs of interned ids; days,
 * times and months as bit masks) and the loop over the pairs touches no object and allocates
 * nothing. Per person, its interest weights, languages and competences are spread into dense
 * arrays indexed by interned id, so any number of tags, languages or competences costs the same.
 *
 * The points are added in scoring.ts's order (`offerPoints`, `clubPoints`) from the same terms,
 * so the floating-point sums, and with them the rounding, are identical; bulk-scoring.spec.ts
 * checks that pair by pair.
 */
import {
	BIT_COUNT,
	internedCounts,
	NEUTRAL,
	ONE_OFF,
	prepareClub,
	preparePerson,
	REGULAR,
	WEIGHTS,
	type MatchClub,
	type MatchPerson,
	type PreparedClub,
	type PreparedOffer
} from './scoring';

const INTERESTS = WEIGHTS.interests;
const DAYS = WEIGHTS.days;
const DAYS_NEUTRAL = WEIGHTS.days * NEUTRAL;
const SEASON = WEIGHTS.season;
const LANGUAGE = WEIGHTS.language;
const LANGUAGE_NEUTRAL = WEIGHTS.language * NEUTRAL;
const PLACE = WEIGHTS.place;
const REMOTE = WEIGHTS.remote;
const MULTILOCAL = WEIGHTS.multilocal;
const COMPETENCES = WEIGHTS.competences;
/** What a club without offers gets for time and language (clubPoints). */
const CLUB_NEUTRAL = (WEIGHTS.days + WEIGHTS.season + WEIGHTS.language) * NEUTRAL;

/**
 * The values of all pairs, person-major (`p × clubs.length + c`): 1..1000, or −1 when the pair is
 * excluded. Two bytes a pair: 10,000 × 500 take 10 MB.
 */
export function scoreMatrix(people: MatchPerson[], clubs: MatchClub[]): Int16Array {
	const preparedPeople = people.map(preparePerson);
	const market = flattenClubs(clubs.map(prepareClub));
	// Read after everything is prepared: every id is below these.
	const counts = internedCounts();
	const clubCount = clubs.length;
	const values = new Int16Array(people.length * clubCount);

	const { clubStart, clubPlace, clubTagStart, clubTags, clubTagMask, tagStart, tags, tagMask } = market;
	const { languageStart, languages, languageMask, competenceStart, competences, competenceMask } = market;
	const { when, dayPoints, languagePoints, remotePoints, multilocalPoints, seasonByCommonMonths } = market;
	// Bit i of a mask stands for the ids ≡ i (mod 32): no common bit, nothing in common; a common
	// bit is certain only while there are at most 32 ids.
	const isLanguageMaskExact = counts.languages <= 32;
	const seasonByShare = new Map<number, Float64Array>();

	const weights = new Float64Array(counts.tags);
	const speaks = new Uint8Array(counts.languages);
	const brings = new Uint8Array(market.competenceIds.size);

	for (let p = 0; p < preparedPeople.length; p++) {
		const person = preparedPeople[p]!;
		// A person's weights end at the tags interned before them; later ones weigh 0.
		weights.set(person.weights);
		let personTags = 0;
		for (let id = 0; id < person.weights.length; id++) if (person.weights[id]! > 0) personTags |= bit(id);
		let personLanguages = 0;
		for (const id of person.languages) {
			speaks[id] = 1;
			personLanguages |= bit(id);
		}
		const broughtIds: number[] = [];
		let personCompetences = 0;
		for (const slug of person.competences) {
			const id = market.competenceIds.get(slug);
			if (id === undefined) continue;
			brings[id] = 1;
			broughtIds.push(id);
			personCompetences |= bit(id);
		}
		const totalWeight = person.totalWeight;
		const hasLanguages = person.languages.length > 0;
		const { saysWhen, saysMonths, isMultilocal } = person;
		const personWhen = packWhen(person.days, person.times, person.months);
		const months = person.months;
		let seasonWithoutMonths = seasonByShare.get(person.defaultShare);
		if (seasonWithoutMonths === undefined) {
			seasonWithoutMonths = Float64Array.from(market.offers, (offer) => SEASON * seasonFit(offer, person.defaultShare));
			seasonByShare.set(person.defaultShare, seasonWithoutMonths);
		}
		const home = person.home === '' ? -1 : (market.placeIds.get(person.home) ?? -1);
		const second = person.second === '' ? -1 : (market.placeIds.get(person.second) ?? -1);
		const row = p * clubCount;

		for (let c = 0; c < clubCount; c++) {
			const place = clubPlace[c]!;
			const isLocal = place >= 0 && (place === home || place === second);
			const firstOffer = clubStart[c]!;
			const endOffer = clubStart[c + 1]!;
			let best = -1;
			if (firstOffer === endOffer) {
				let interest = 0;
				if (totalWeight !== 0 && (personTags & clubTagMask[c]!) !== 0) {
					let shared = 0;
					for (let t = clubTagStart[c]!, end = clubTagStart[c + 1]!; t < end; t++) shared += weights[clubTags[t]!]!;
					interest = shared === 0 ? 0 : INTERESTS * Math.sqrt(Math.min(1, shared / totalWeight));
				}
				best = interest + CLUB_NEUTRAL + (isLocal ? PLACE : 0);
			}
			for (let o = firstOffer; o < endOffer; o++) {
				const offerLanguages = languageMask[o]!;
				if (hasLanguages && offerLanguages !== 0) {
					if ((personLanguages & offerLanguages) === 0) continue;
					if (!isLanguageMaskExact && !sharesLanguage(speaks, languages, languageStart[o]!, languageStart[o + 1]!)) continue;
				}
				const common = personWhen & when[o]!;
				if ((common & DAYS_BITS) === 0 || (common & TIMES_BITS) === 0 || (common & MONTHS_BITS) === 0) continue;

				let interest = 0;
				if (totalWeight !== 0 && (personTags & tagMask[o]!) !== 0) {
					let shared = 0;
					for (let t = tagStart[o]!, end = tagStart[o + 1]!; t < end; t++) shared += weights[tags[t]!]!;
					interest = shared === 0 ? 0 : INTERESTS * Math.sqrt(Math.min(1, shared / totalWeight));
				}
				const day = saysWhen ? dayPoints[o]! : DAYS_NEUTRAL;
				const season = saysMonths ? seasonByCommonMonths[o * 13 + BIT_COUNT[months & (common >>> MONTHS_SHIFT)]!]! : seasonWithoutMonths[o]!;
				const language = hasLanguages ? languagePoints[o]! : LANGUAGE_NEUTRAL;
				const placePoints = isLocal ? PLACE : remotePoints[o]!;
				const multilocal = isMultilocal ? multilocalPoints[o]! : 0;
				let competence = 0;
				if ((personCompetences & competenceMask[o]!) !== 0) {
					const first = competenceStart[o]!;
					const wanted = competenceStart[o + 1]! - first;
					let brought = 0;
					for (let k = 0; k < wanted; k++) brought += brings[competences[first + k]!]!;
					competence = (COMPETENCES * brought) / wanted;
				}
				const points = interest + day + season + language + placePoints + multilocal + competence;
				if (points > best) best = points;
			}
			values[row + c] = best < 0 ? -1 : Math.min(1000, Math.max(1, Math.round(best)));
		}

		weights.fill(0, 0, person.weights.length);
		for (const id of person.languages) speaks[id] = 0;
		for (const id of broughtIds) brings[id] = 0;
	}
	return values;
}

const bit = (id: number) => 1 << (id & 31);

const DAYS_BITS = 0b11;
const TIMES_BITS = 0b1100;
const MONTHS_SHIFT = 4;
const MONTHS_BITS = 0xfff << MONTHS_SHIFT;

/** Days, times and months in one word: one AND tests all three for overlap. */
const packWhen = (days: number, times: number, months: number) => days | (times << 2) | (months << MONTHS_SHIFT);

function sharesLanguage(speaks: Uint8Array, languages: Int32Array, first: number, end: number): boolean {
	for (let l = first; l < end; l++) if (speaks[languages[l]!] === 1) return true;
	return false;
}

/** scoring.ts's seasonFit for a given share of presence. */
function seasonFit(offer: PreparedOffer, share: number): number {
	if (offer.commitment === ONE_OFF) return 1;
	return offer.commitment === REGULAR ? share : (1 + share) / 2;
}

/** All clubs' offers as parallel typed arrays; a club's offers are `clubStart[c] … clubStart[c + 1]`. */
function flattenClubs(clubs: PreparedClub[]) {
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
			seasonByCommonMonths[o * 13 + common] = SEASON * seasonFit(offer, common / offer.monthCount);
		}
	});
	return {
		offers,
		clubStart,
		clubPlace,
		placeIds,
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
		dayPoints: points((offer) => (offer.saysWhen ? DAYS : DAYS_NEUTRAL)),
		languagePoints: points((offer) => (offer.languages.length > 0 ? LANGUAGE : LANGUAGE_NEUTRAL)),
		remotePoints: points((offer) => (offer.isRemote ? REMOTE : 0)),
		multilocalPoints: points((offer) => (offer.suitsMultilocal ? MULTILOCAL : 0)),
		seasonByCommonMonths
	};
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
