/**
 * How well a person fits a club: `score(person, club) → { value, reasons }`.
 * Pure, no I/O. Values are integers 0..1000; a hard mismatch (no common language, no time
 * overlap) is `excluded` and never becomes a candidate pair.
 *
 * Points per offer (they add up to 1000; the club scores as its best offer):
 *   interests   600 · √(weight of the shared tags / weight of all the person's interests)
 *   time        180 = 60 for days (both sides say when and it overlaps: 60; either says nothing: 30)
 *                   + 120 · season fit, where c = share of the offer's months the person is here
 *                     (from presentMonths; unsaid: 1 for people living here, ½ for incoming/outgoing)
 *                     and the fit is c for regular, (1 + c)/2 for occasional and 1 for one-off offers
 *   language     60 with a common language, 30 when either side says nothing
 *   place       100 when the home or second place is the club's municipality, else 70 if remote
 *   multilocal   60 when the offer suits multilocals and the person is incoming or outgoing
 *   competences  80 · share of the offer's wanted competences (Kompetenzen) the person brings; an
 *                   extra on top of the 1000 (capped there), so people and offers that say none
 *                   score exactly as before
 * A club without offers scores its own tags and place; time and language count half (90 + 30).
 * A kept pair scores at least 1, so people without interests can still be placed.
 *
 * Days are a grid {weekday, weekend} × {daytime, evening}: a side's days and times multiply, and
 * what it leaves open is the whole axis. "inEvenings" makes an offer evening-only.
 *
 * Inputs are treated as immutable: what is derived from a person, club or offer is cached per
 * object (WeakMap), which keeps bulk scoring fast. Build new objects to change them.
 */

export type MatchPerson = {
	id: string;
	/** 'resident' | 'incoming' | 'outgoing' | 'new_in_town' | 'guest' (see participant-profile.ts). */
	residency: string;
	/** Interest tag slug → weight (> 0); the person's own order gives weights in the app. */
	interests: Record<string, number>;
	/** Any of 'weekdays' | 'weekends' | 'evenings' | 'daytime'; [] = not said (no constraint). */
	availability: string[];
	/** Months 1–12 in which the person is here; [] = all year / not said. */
	presentMonths: number[];
	/** Language codes; [] = not said (no constraint). */
	languages: string[];
	/** Place names as typed (compared case- and accent-insensitively); '' = not said. */
	homePlace: string;
	secondPlace: string;
	/** Competence slugs the person brings (Erste Hilfe …); absent or [] = not said. */
	competences?: string[];
};

export type MatchOffer = {
	id: string;
	title: string;
	tags: string[];
	commitment: 'one_off' | 'occasional' | 'regular';
	onWeekdays: boolean;
	onWeekends: boolean;
	inEvenings: boolean;
	/** Months 1–12; [] = all year. */
	months: number[];
	isRemote: boolean;
	/** Language codes; [] = not said. */
	languages: string[];
	suitsMultilocal: boolean;
	/** Competence slugs the offer asks for; absent or [] = none wanted. */
	competences?: string[];
};

export type MatchClub = {
	id: string;
	/** Name of the club's municipality (compared with the person's places). */
	municipality: string;
	/** The club's own tags (used when it has no offers). */
	tags: string[];
	offers: MatchOffer[];
};

export type Reason =
	| { code: 'interests'; tags: string[] }
	| { code: 'time'; when: string[]; months: number[] }
	| { code: 'language'; languages: string[] }
	| { code: 'place'; place: string; which: 'home' | 'second' }
	| { code: 'remote' }
	| { code: 'multilocal' }
	| { code: 'competences'; competences: string[] };

export type Exclusion = 'no_common_language' | 'no_time_overlap';

export type Score = {
	/** 0..1000, integer. 0 when excluded. */
	value: number;
	/** Why, best first; the app translates them. */
	reasons: Reason[];
	/** The offer the value comes from (the club's best), or null when the club has none. */
	offerId: string | null;
	/** Set when the pair must never be matched. */
	excluded?: Exclusion;
};

export const WEIGHTS = {
	interests: 600,
	days: 60,
	season: 120,
	language: 60,
	place: 100,
	remote: 70,
	multilocal: 60,
	competences: 80
} as const;

/** The person's share of presence assumed when an incoming or outgoing person names no months. */
const MULTILOCAL_SHARE = 0.5;
export const NEUTRAL = 0.5;
const MULTILOCAL_RESIDENCIES = new Set(['incoming', 'outgoing']);

/** Why a person fits none of the clubs: the hard mismatch most of them share (language on a tie). */
export function commonExclusion(exclusions: (Exclusion | undefined)[]): Exclusion {
	const language = exclusions.filter((e) => e === 'no_common_language').length;
	return language * 2 >= exclusions.length ? 'no_common_language' : 'no_time_overlap';
}

export function score(person: MatchPerson, club: MatchClub): Score {
	const p = preparePerson(person);
	const c = prepareClub(club);
	const best = bestOffer(p, c);
	if (best === EXCLUDED_LANGUAGE || best === EXCLUDED_TIME) {
		return {
			value: 0,
			reasons: [],
			offerId: null,
			excluded: best === EXCLUDED_LANGUAGE ? 'no_common_language' : 'no_time_overlap'
		};
	}
	const offer = best === NO_OFFERS ? null : (c.offers[best] ?? null);
	const total = offer ? offerPoints(p, offer, placeMatch(p, c.municipality) !== null) : clubPoints(p, c);
	return {
		value: finalValue(total),
		reasons: explain(person, p, c, offer),
		offerId: offer ? offer.source.id : null
	};
}

/** The same value as `score(person, club).value` without building reasons; −1 when excluded. */
export function scoreValue(person: MatchPerson, club: MatchClub): number {
	const p = preparePerson(person);
	const c = prepareClub(club);
	const best = bestOffer(p, c);
	if (best === EXCLUDED_LANGUAGE || best === EXCLUDED_TIME) return -1;
	return finalValue(best === NO_OFFERS ? clubPoints(p, c) : offerPoints(p, c.offers[best] as PreparedOffer, placeMatch(p, c.municipality) !== null));
}

/**
 * One offer on its own, exactly as `score` rates a club of `municipality` with only this offer,
 * without building that club: ranking thousands of items prepares each offer once and nothing else.
 */
export function scoreOffer(person: MatchPerson, offer: MatchOffer, municipality: string): Score {
	const p = preparePerson(person);
	const o = prepareOffer(offer);
	const exclusion = excludes(p, o);
	if (exclusion !== 0) return { value: 0, reasons: [], offerId: null, excluded: exclusion === EXCLUDED_LANGUAGE ? 'no_common_language' : 'no_time_overlap' };
	const where = { tags: NO_TAGS, municipality: normalisePlace(municipality) };
	return { value: finalValue(offerPoints(p, o, placeMatch(p, where.municipality) !== null)), reasons: explain(person, p, where, o), offerId: offer.id };
}

/** `scoreOffer(…).value` without the reasons; −1 when excluded. */
export function scoreOfferValue(person: MatchPerson, offer: MatchOffer, municipality: string): number {
	const p = preparePerson(person);
	const o = prepareOffer(offer);
	if (excludes(p, o) !== 0) return -1;
	return finalValue(offerPoints(p, o, placeMatch(p, normalisePlace(municipality)) !== null));
}

const NO_TAGS = new Int32Array(0);

function finalValue(points: number): number {
	return Math.min(1000, Math.max(1, Math.round(points)));
}

// ---- Preparation (cached per input object) --------------------------------------------------
// The prepared forms are exported for bulk-scoring.ts, which flattens them into typed arrays;
// the app uses score, scoreValue and scoreOffer.

const WEEKDAY = 1;
const WEEKEND = 2;
const DAYTIME = 1;
const EVENING = 2;
const ANY = 3;
const ALL_MONTHS = 0xfff;

export const REGULAR = 0;
const OCCASIONAL = 1;
export const ONE_OFF = 2;

export type PreparedPerson = {
	/**
	 * Interest weight by interned tag id; ids interned later than the person are 0. Plain arrays:
	 * a typed array this long is allocated outside V8's heap, three times slower to make.
	 */
	weights: number[];
	/** Position of each interest in the person's own list, by tag id (for explaining). */
	order: number[];
	totalWeight: number;
	days: number;
	times: number;
	saysDays: boolean;
	saysTimes: boolean;
	saysWhen: boolean;
	months: number;
	saysMonths: boolean;
	/** Share of presence assumed when no months are said. */
	defaultShare: number;
	languages: Int32Array;
	home: string;
	second: string;
	isMultilocal: boolean;
	competences: Set<string>;
};

export type PreparedOffer = {
	source: MatchOffer;
	tags: Int32Array;
	days: number;
	times: number;
	saysDays: boolean;
	saysTimes: boolean;
	saysWhen: boolean;
	months: number;
	monthCount: number;
	commitment: number;
	languages: Int32Array;
	isRemote: boolean;
	suitsMultilocal: boolean;
	competences: string[];
};

export type PreparedClub = {
	offersRef: MatchOffer[];
	offerCount: number;
	offers: PreparedOffer[];
	tags: Int32Array;
	municipality: string;
};

const tagIds = new Map<string, number>();
const tagNames: string[] = [];
const languageIds = new Map<string, number>();
const languageNames: string[] = [];
const people = new WeakMap<MatchPerson, PreparedPerson>();
const clubs = new WeakMap<MatchClub, PreparedClub>();
const offers = new WeakMap<MatchOffer, PreparedOffer>();

/** Number of months in a month mask. */
export const BIT_COUNT = new Uint8Array(ALL_MONTHS + 1);
for (let mask = 1; mask <= ALL_MONTHS; mask++) BIT_COUNT[mask] = (BIT_COUNT[mask >> 1] ?? 0) + (mask & 1);

/** How many tags and languages are interned: every prepared tag or language id is below these. */
export function internedCounts(): { tags: number; languages: number } {
	return { tags: tagIds.size, languages: languageIds.size };
}

function intern(ids: Map<string, number>, key: string): number {
	let id = ids.get(key);
	if (id === undefined) {
		id = ids.size;
		ids.set(key, id);
		(ids === tagIds ? tagNames : languageNames).push(key);
	}
	return id;
}

function internAll(ids: Map<string, number>, keys: string[], normalise: (key: string) => string): Int32Array {
	const unique: number[] = [];
	for (const key of keys) {
		const k = normalise(key);
		if (k === '') continue;
		const id = intern(ids, k);
		if (!unique.includes(id)) unique.push(id);
	}
	return new Int32Array(unique);
}

const languageKey = (code: string) => code.trim().toLowerCase();

// Thousands of offers share a few municipality names: normalise each name once (bounded cache).
const normalisedPlaces = new Map<string, string>();

/** Case-, accent- and spacing-insensitive form of a place name. */
function normalisePlace(place: string): string {
	let normalised = normalisedPlaces.get(place);
	if (normalised === undefined) {
		normalised = place
			.normalize('NFD')
			.replace(/\p{M}/gu, '')
			.toLowerCase()
			.replace(/ß/g, 'ss')
			.replace(/\s+/g, ' ')
			.trim();
		if (normalisedPlaces.size >= 10_000) normalisedPlaces.clear();
		normalisedPlaces.set(place, normalised);
	}
	return normalised;
}

function monthMask(months: number[]): number {
	let mask = 0;
	for (const m of months) if (Number.isInteger(m) && m >= 1 && m <= 12) mask |= 1 << (m - 1);
	return mask;
}

export function preparePerson(person: MatchPerson): PreparedPerson {
	const cached = people.get(person);
	if (cached) return cached;

	// Plain loops: bulk scoring prepares tens of thousands of people at once.
	const ids: number[] = [];
	const interestWeights: number[] = [];
	for (const tag of Object.keys(person.interests)) {
		const w = person.interests[tag]!;
		if (!(Number.isFinite(w) && w > 0)) continue;
		ids.push(intern(tagIds, tag));
		interestWeights.push(w);
	}
	const weights: number[] = new Array(tagIds.size).fill(0);
	const order: number[] = new Array(tagIds.size).fill(0);
	let totalWeight = 0;
	for (let i = 0; i < ids.length; i++) {
		weights[ids[i]!] = interestWeights[i]!;
		order[ids[i]!] = i;
		totalWeight += interestWeights[i]!;
	}

	let days = 0;
	let times = 0;
	for (const a of person.availability) {
		if (a === 'weekdays') days |= WEEKDAY;
		else if (a === 'weekends') days |= WEEKEND;
		else if (a === 'daytime') times |= DAYTIME;
		else if (a === 'evenings') times |= EVENING;
	}
	const months = monthMask(person.presentMonths);
	const isMultilocal = MULTILOCAL_RESIDENCIES.has(person.residency);

	const prepared: PreparedPerson = {
		weights,
		order,
		totalWeight,
		days: days || ANY,
		times: times || ANY,
		saysDays: days !== 0,
		saysTimes: times !== 0,
		saysWhen: days !== 0 || times !== 0,
		months: months || ALL_MONTHS,
		saysMonths: months !== 0,
		defaultShare: isMultilocal ? MULTILOCAL_SHARE : 1,
		languages: internAll(languageIds, person.languages, languageKey),
		home: normalisePlace(person.homePlace),
		second: normalisePlace(person.secondPlace),
		isMultilocal,
		competences: new Set(person.competences ?? [])
	};
	people.set(person, prepared);
	return prepared;
}

function prepareOffer(offer: MatchOffer): PreparedOffer {
	const cached = offers.get(offer);
	if (cached) return cached;
	const days = (offer.onWeekdays ? WEEKDAY : 0) | (offer.onWeekends ? WEEKEND : 0);
	const months = monthMask(offer.months) || ALL_MONTHS;
	const prepared: PreparedOffer = {
		source: offer,
		tags: internAll(tagIds, offer.tags, (tag) => tag),
		days: days || ANY,
		times: offer.inEvenings ? EVENING : ANY,
		saysDays: days !== 0,
		saysTimes: offer.inEvenings,
		saysWhen: days !== 0 || offer.inEvenings,
		months,
		monthCount: BIT_COUNT[months] ?? 12,
		commitment: offer.commitment === 'regular' ? REGULAR : offer.commitment === 'occasional' ? OCCASIONAL : ONE_OFF,
		languages: internAll(languageIds, offer.languages, languageKey),
		isRemote: offer.isRemote,
		suitsMultilocal: offer.suitsMultilocal,
		competences: [...new Set(offer.competences ?? [])]
	};
	offers.set(offer, prepared);
	return prepared;
}

export function prepareClub(club: MatchClub): PreparedClub {
	const cached = clubs.get(club);
	if (cached && cached.offersRef === club.offers && cached.offerCount === club.offers.length) return cached;
	const prepared: PreparedClub = {
		offersRef: club.offers,
		offerCount: club.offers.length,
		offers: club.offers.map(prepareOffer),
		tags: internAll(tagIds, club.tags, (tag) => tag),
		municipality: normalisePlace(club.municipality)
	};
	clubs.set(club, prepared);
	return prepared;
}

// ---- Points ---------------------------------------------------------------------------------

const EXCLUDED_LANGUAGE = -1;
const EXCLUDED_TIME = -2;
const NO_OFFERS = -3;

/** Index of the best offer (the first on ties), NO_OFFERS, or why every offer is excluded. */
function bestOffer(p: PreparedPerson, c: PreparedClub): number {
	const count = c.offers.length;
	if (count === 0) return NO_OFFERS;
	const local = placeMatch(p, c.municipality) !== null;
	let best = -1;
	let bestPoints = -1;
	let onlyLanguage = true;
	for (let i = 0; i < count; i++) {
		const offer = c.offers[i] as PreparedOffer;
		const exclusion = excludes(p, offer);
		if (exclusion !== 0) {
			if (exclusion === EXCLUDED_TIME) onlyLanguage = false;
			continue;
		}
		const points = offerPoints(p, offer, local);
		if (points > bestPoints) {
			best = i;
			bestPoints = points;
		}
	}
	if (best >= 0) return best;
	// Language first: it also rules out the offers whose times would fit.
	return onlyLanguage ? EXCLUDED_LANGUAGE : EXCLUDED_TIME;
}

function excludes(p: PreparedPerson, o: PreparedOffer): number {
	if (p.languages.length > 0 && o.languages.length > 0 && !sharesLanguage(p, o)) return EXCLUDED_LANGUAGE;
	if ((p.days & o.days) === 0 || (p.times & o.times) === 0 || (p.months & o.months) === 0) return EXCLUDED_TIME;
	return 0;
}

function sharesLanguage(p: PreparedPerson, o: PreparedOffer): boolean {
	for (let i = 0; i < o.languages.length; i++) {
		const id = o.languages[i];
		for (let j = 0; j < p.languages.length; j++) if (p.languages[j] === id) return true;
	}
	return false;
}

function interestPoints(p: PreparedPerson, tags: Int32Array): number {
	if (p.totalWeight === 0) return 0;
	let shared = 0;
	for (let i = 0; i < tags.length; i++) shared += p.weights[tags[i] as number] ?? 0;
	return shared === 0 ? 0 : WEIGHTS.interests * Math.sqrt(Math.min(1, shared / p.totalWeight));
}

function seasonFit(p: PreparedPerson, o: PreparedOffer): number {
	if (o.commitment === ONE_OFF) return 1;
	const share = p.saysMonths ? (BIT_COUNT[p.months & o.months] ?? 0) / o.monthCount : p.defaultShare;
	return o.commitment === REGULAR ? share : (1 + share) / 2;
}

function dayPoints(p: PreparedPerson, o: PreparedOffer): number {
	return p.saysWhen && o.saysWhen ? WEIGHTS.days : WEIGHTS.days * NEUTRAL;
}

function languagePoints(p: PreparedPerson, o: PreparedOffer): number {
	// Only called for offers that are not excluded: stated on both sides means shared.
	return p.languages.length > 0 && o.languages.length > 0 ? WEIGHTS.language : WEIGHTS.language * NEUTRAL;
}

/** `municipality` normalised (normalisePlace). */
function placeMatch(p: PreparedPerson, municipality: string): 'home' | 'second' | null {
	if (municipality === '') return null;
	if (p.home === municipality) return 'home';
	if (p.second === municipality) return 'second';
	return null;
}

/** The offer's wanted competences the person brings, in the offer's order. */
function broughtCompetences(p: PreparedPerson, o: PreparedOffer): string[] {
	if (p.competences.size === 0) return [];
	return o.competences.filter((c) => p.competences.has(c));
}

function competencePoints(p: PreparedPerson, o: PreparedOffer): number {
	if (o.competences.length === 0) return 0;
	return (WEIGHTS.competences * broughtCompetences(p, o).length) / o.competences.length;
}

function offerPoints(p: PreparedPerson, o: PreparedOffer, local: boolean): number {
	const place = local ? WEIGHTS.place : o.isRemote ? WEIGHTS.remote : 0;
	const multilocal = p.isMultilocal && o.suitsMultilocal ? WEIGHTS.multilocal : 0;
	return (
		interestPoints(p, o.tags) +
		dayPoints(p, o) +
		WEIGHTS.season * seasonFit(p, o) +
		languagePoints(p, o) +
		place +
		multilocal +
		competencePoints(p, o)
	);
}

function clubPoints(p: PreparedPerson, c: PreparedClub): number {
	const neutral = (WEIGHTS.days + WEIGHTS.season + WEIGHTS.language) * NEUTRAL;
	return interestPoints(p, c.tags) + neutral + (placeMatch(p, c.municipality) !== null ? WEIGHTS.place : 0);
}

// ---- Reasons --------------------------------------------------------------------------------

const WHEN_WORDS = [
	{ word: 'weekdays', axis: 'days', bit: WEEKDAY },
	{ word: 'weekends', axis: 'days', bit: WEEKEND },
	{ word: 'evenings', axis: 'times', bit: EVENING },
	{ word: 'daytime', axis: 'times', bit: DAYTIME }
] as const;

/** `c`: the club's own tags (used without an offer) and its normalised municipality. */
function explain(person: MatchPerson, p: PreparedPerson, c: Pick<PreparedClub, 'tags' | 'municipality'>, o: PreparedOffer | null): Reason[] {
	const weighted: { reason: Reason; points: number }[] = [];

	const tags = sharedTags(p, o ? o.tags : c.tags);
	if (tags.length > 0) {
		weighted.push({ reason: { code: 'interests', tags }, points: interestPoints(p, o ? o.tags : c.tags) });
	}

	if (o) {
		const when: string[] = [];
		if (p.saysWhen && o.saysWhen) {
			// Name an axis only where someone spoke of it: "evenings" rather than every day as well.
			const days = p.saysDays || o.saysDays ? p.days & o.days : 0;
			const times = p.saysTimes || o.saysTimes ? p.times & o.times : 0;
			for (const { word, axis, bit } of WHEN_WORDS) if ((axis === 'days' ? days : times) & bit) when.push(word);
		}
		const fit = seasonFit(p, o);
		// Common months are only a reason when the person named theirs and the commitment fits them.
		const months = p.saysMonths && fit >= 0.5 ? monthList(p.months & o.months) : [];
		if (when.length > 0 || months.length > 0) {
			weighted.push({
				reason: { code: 'time', when, months },
				points: dayPoints(p, o) + WEIGHTS.season * fit
			});
		}
	}

	const which = placeMatch(p, c.municipality);
	if (which !== null) {
		const place = which === 'home' ? person.homePlace : person.secondPlace;
		weighted.push({ reason: { code: 'place', place: place.trim(), which }, points: WEIGHTS.place });
	}
	if (o?.isRemote) weighted.push({ reason: { code: 'remote' }, points: WEIGHTS.remote });

	if (o && p.languages.length > 0 && o.languages.length > 0) {
		const languages = commonLanguages(p, o);
		if (languages.length > 0) {
			weighted.push({ reason: { code: 'language', languages }, points: WEIGHTS.language });
		}
	}
	if (o && p.isMultilocal && o.suitsMultilocal) {
		weighted.push({ reason: { code: 'multilocal' }, points: WEIGHTS.multilocal });
	}

	if (o) {
		const competences = broughtCompetences(p, o);
		if (competences.length > 0) {
			weighted.push({ reason: { code: 'competences', competences }, points: competencePoints(p, o) });
		}
	}

	// Array.prototype.sort is stable: equal points keep the order above.
	return weighted.sort((a, b) => b.points - a.points).map((w) => w.reason);
}

/** Tags on both sides, by the person's weight (highest first), then in the person's order. */
function sharedTags(p: PreparedPerson, tags: Int32Array): string[] {
	const shared: number[] = [];
	for (const id of tags) if ((p.weights[id] ?? 0) > 0) shared.push(id);
	shared.sort((a, b) => (p.weights[b] ?? 0) - (p.weights[a] ?? 0) || (p.order[a] ?? 0) - (p.order[b] ?? 0));
	return shared.map((id) => tagNames[id] as string);
}

function commonLanguages(p: PreparedPerson, o: PreparedOffer): string[] {
	const common: string[] = [];
	for (const id of p.languages) if (o.languages.includes(id)) common.push(languageNames[id] as string);
	return common;
}

function monthList(mask: number): number[] {
	const months: number[] = [];
	for (let m = 1; m <= 12; m++) if (mask & (1 << (m - 1))) months.push(m);
	return months;
}
