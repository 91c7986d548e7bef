/**
 * Every person × club value at once: `scoreMatrix(people, clubs)[p × clubs + c]` is exactly
 * `scoreValue(people[p], clubs[c])`, −1 when excluded. Pure, no I/O.
 *
 * Each person, club and offer is prepared once (scoring.ts, cached per object); the clubs and
 * offers are then flattened into typed arrays and bit masks (bulk-market.ts), and the loops over
 * the pairs touch no object and allocate nothing. Per person, their interest weights, languages
 * and competences are spread into dense arrays by interned id, so any number of tags, languages
 * or competences costs the same.
 *
 * Most pairs share no tag. People who are alike in everything but interests and places (a group)
 * get the same value from such a club, given whether it is in their place: each group works
 * those values out once, and each member copies them and works out in full only the clubs in
 * their places and the clubs carrying one of their tags (found through an index by tag).
 *
 * The points are added in scoring.ts's order (`offerPoints`, `clubPoints`) from the same terms,
 * so the floating-point sums, and with them the rounding, are identical; bulk-scoring.spec.ts
 * checks that pair by pair.
 */
import { bit, DAYS_BITS, flattenMarket, MONTHS_BITS, MONTHS_SHIFT, packWhen, seasonFit, TIMES_BITS, type FlatMarket } from './bulk-market';
import { BIT_COUNT, internedCounts, NEUTRAL, prepareClub, preparePerson, WEIGHTS, type MatchClub, type MatchPerson, type PreparedPerson } from './scoring';

const INTERESTS = WEIGHTS.interests;
const DAYS_NEUTRAL = WEIGHTS.days * NEUTRAL;
const LANGUAGE_NEUTRAL = WEIGHTS.language * NEUTRAL;
const PLACE = WEIGHTS.place;
const COMPETENCES = WEIGHTS.competences;
/** What a club without offers gets for time and language (clubPoints). */
const CLUB_NEUTRAL = (WEIGHTS.days + WEIGHTS.season + WEIGHTS.language) * NEUTRAL;

/**
 * The values of all pairs, person-major (`p × clubs.length + c`): 1..1000, or −1 when the pair is
 * excluded. Two bytes a pair: 10,000 × 500 take 10 MB.
 */
export function scoreMatrix(people: MatchPerson[], clubs: MatchClub[]): Int16Array {
	const values = new Int16Array(people.length * clubs.length);
	scoreRows(people, clubs, (p, row) => values.set(row, p * clubs.length));
	return values;
}

/**
 * Each person's values of all clubs in turn, as `scoreMatrix`'s row p: `onRow(p, row)`, where
 * `row` is reused for the next person (so a caller keeping only the kept pairs never holds the
 * whole matrix).
 */
export function scoreRows(people: MatchPerson[], clubs: MatchClub[], onRow: (p: number, row: Int16Array) => void): void {
	const preparedPeople = people.map(preparePerson);
	const preparedClubs = clubs.map(prepareClub);
	// Read after everything is prepared: every id is below these.
	const counts = internedCounts();
	const scorer = new PersonScorer(flattenMarket(preparedClubs, counts.tags), counts);
	const row = new Int16Array(clubs.length);

	const groups = preparedPeople.map((person) => scorer.groupOf(person));
	const groupSizes = new Map<string, number>();
	for (const group of groups) groupSizes.set(group, (groupSizes.get(group) ?? 0) + 1);
	const groupValues = new Map<string, GroupValues>();

	preparedPeople.forEach((person, p) => {
		scorer.setPerson(person);
		const group = groups[p]!;
		// Alone in their group, a person would work out the group's values for nobody else.
		if ((groupSizes.get(group) ?? 0) === 1) {
			scorer.scoreRow(row);
		} else {
			let shared = groupValues.get(group);
			if (shared === undefined) groupValues.set(group, (shared = scorer.groupValues()));
			scorer.scoreRowInGroup(row, shared);
		}
		scorer.clearPerson();
		onRow(p, row);
	});
}

/** A group's values of each club as if no interest counted: elsewhere (all), and local (as needed). */
type GroupValues = { elsewhere: Int16Array; local: Int16Array };

/** Not yet worked out, in GroupValues.local. */
const UNKNOWN = -2;

/** One person at a time against the flattened market. */
class PersonScorer {
	private readonly market: FlatMarket;
	private readonly clubCount: number;
	/** Whether a common bit of two language masks is a common language (see `bit`). */
	private readonly isLanguageMaskExact: boolean;
	private readonly seasonByShare = new Map<number, Float64Array>();
	// The person's interest weights, languages and competences, by interned id.
	private readonly weights: Float64Array;
	private readonly speaks: Uint8Array;
	private readonly brings: Uint8Array;
	/** The last person (numbered from 1) a club was worked out for in scoreRowInGroup. */
	private readonly doneFor: Int32Array;
	private personNumber = 0;

	private person: PreparedPerson | null = null;
	private readonly interestIds: number[] = [];
	private interestMask = 0;
	private languageMask = 0;
	private competenceMask = 0;
	private readonly broughtIds: number[] = [];
	private when = 0;
	private seasonWithoutMonths: Float64Array = new Float64Array(0);
	private home = -1;
	private second = -1;

	constructor(market: FlatMarket, counts: { tags: number; languages: number }) {
		this.market = market;
		this.clubCount = market.clubPlace.length;
		this.isLanguageMaskExact = counts.languages <= 32;
		this.weights = new Float64Array(counts.tags);
		this.speaks = new Uint8Array(counts.languages);
		this.brings = new Uint8Array(market.competenceIds.size);
		this.doneFor = new Int32Array(this.clubCount);
	}

	/** Everything the values depend on apart from interests and places. */
	groupOf(person: PreparedPerson): string {
		// packWhen takes 16 bits; the share of presence follows from isMultilocal. Then ' ' and the
		// languages, '|' and the competences. A number and short joins: this runs for every person.
		const flags = packWhen(person.days, person.times, person.months) | (+person.saysWhen << 16) | (+person.saysMonths << 17) | (+person.isMultilocal << 18);
		let key = String(flags);
		const languages = person.languages;
		if (languages.length === 1) key += ' ' + languages[0];
		else if (languages.length > 1) key += ' ' + Array.from(languages).sort((a, b) => a - b).join();
		if (person.competences.size > 0) {
			const known = [...person.competences].flatMap((slug) => this.market.competenceIds.get(slug) ?? []);
			key += '|' + known.sort((a, b) => a - b).join();
		}
		return key;
	}

	setPerson(person: PreparedPerson) {
		this.person = person;
		this.personNumber++;
		// A person's weights end at the tags interned before them; later ones weigh 0.
		this.weights.set(person.weights);
		this.interestIds.length = 0;
		this.interestMask = 0;
		for (let id = 0; id < person.weights.length; id++) {
			if (person.weights[id]! > 0) {
				this.interestIds.push(id);
				this.interestMask |= bit(id);
			}
		}
		this.languageMask = 0;
		for (const id of person.languages) {
			this.speaks[id] = 1;
			this.languageMask |= bit(id);
		}
		this.competenceMask = 0;
		this.broughtIds.length = 0;
		for (const slug of person.competences) {
			const id = this.market.competenceIds.get(slug);
			if (id === undefined) continue;
			this.brings[id] = 1;
			this.broughtIds.push(id);
			this.competenceMask |= bit(id);
		}
		this.when = packWhen(person.days, person.times, person.months);
		let season = this.seasonByShare.get(person.defaultShare);
		if (season === undefined) {
			season = Float64Array.from(this.market.offers, (offer) => WEIGHTS.season * seasonFit(offer, person.defaultShare));
			this.seasonByShare.set(person.defaultShare, season);
		}
		this.seasonWithoutMonths = season;
		this.home = person.home === '' ? -1 : (this.market.placeIds.get(person.home) ?? -1);
		this.second = person.second === '' ? -1 : (this.market.placeIds.get(person.second) ?? -1);
	}

	clearPerson() {
		const person = this.person!;
		this.weights.fill(0, 0, person.weights.length);
		for (const id of person.languages) this.speaks[id] = 0;
		for (const id of this.broughtIds) this.brings[id] = 0;
		this.person = null;
	}

	/** Every club worked out in full for the current person, into `row`. */
	scoreRow(row: Int16Array) {
		const { clubPlace } = this.market;
		const { clubCount, interestMask, home, second } = this;
		for (let c = 0; c < clubCount; c++) {
			const place = clubPlace[c]!;
			const isLocal = place >= 0 && (place === home || place === second);
			row[c] = finalValue(this.clubPoints(c, isLocal, interestMask));
		}
	}

	/** The current person's group's values (as if no interest counted), the local ones still unknown. */
	groupValues(): GroupValues {
		const elsewhere = new Int16Array(this.clubCount);
		for (let c = 0; c < this.clubCount; c++) elsewhere[c] = finalValue(this.clubPoints(c, false, 0));
		return { elsewhere, local: new Int16Array(this.clubCount).fill(UNKNOWN) };
	}

	/**
	 * The current person's values into `row`, from their group's where their interests
	 * do not count. Exclusions depend on neither interests nor places: a club the group cannot
	 * have stays −1.
	 */
	scoreRowInGroup(row: Int16Array, group: GroupValues) {
		const { clubPlace, clubsByTagStart, clubsByTag } = this.market;
		const { doneFor, personNumber, home, second, interestMask } = this;
		const elsewhere = group.elsewhere;
		row.set(elsewhere);
		if (home >= 0) this.copyLocal(row, group, home);
		if (second >= 0 && second !== home) this.copyLocal(row, group, second);
		for (const tag of this.interestIds) {
			for (let i = clubsByTagStart[tag]!, end = clubsByTagStart[tag + 1]!; i < end; i++) {
				const c = clubsByTag[i]!;
				if (doneFor[c] === personNumber || elsewhere[c] === -1) continue;
				doneFor[c] = personNumber;
				const place = clubPlace[c]!;
				const isLocal = place >= 0 && (place === home || place === second);
				row[c] = finalValue(this.clubPoints(c, isLocal, interestMask));
			}
		}
	}

	/** The group's values of the clubs in `place`, as local, into the current person's row. */
	private copyLocal(row: Int16Array, group: GroupValues, place: number) {
		const { clubsByPlaceStart, clubsByPlace } = this.market;
		const { elsewhere, local } = group;
		for (let i = clubsByPlaceStart[place]!, end = clubsByPlaceStart[place + 1]!; i < end; i++) {
			const c = clubsByPlace[i]!;
			if (elsewhere[c] === -1) continue;
			let value = local[c]!;
			if (value === UNKNOWN) local[c] = value = finalValue(this.clubPoints(c, true, 0));
			row[c] = value;
		}
	}

	/**
	 * The club's points for the current person as scoring.ts adds them (clubPoints, or the best
	 * offerPoints), −1 when every offer is excluded. Interests count only where `interestMask`
	 * meets a tag's bit: 0 leaves them out.
	 */
	private clubPoints(c: number, isLocal: boolean, interestMask: number): number {
		const m = this.market;
		const person = this.person!;
		const { weights, speaks, brings } = this;
		const totalWeight = person.totalWeight;
		const firstOffer = m.clubStart[c]!;
		const endOffer = m.clubStart[c + 1]!;
		if (firstOffer === endOffer) {
			let interest = 0;
			if (totalWeight !== 0 && (interestMask & m.clubTagMask[c]!) !== 0) {
				let shared = 0;
				for (let t = m.clubTagStart[c]!, end = m.clubTagStart[c + 1]!; t < end; t++) shared += weights[m.clubTags[t]!]!;
				interest = shared === 0 ? 0 : INTERESTS * Math.sqrt(Math.min(1, shared / totalWeight));
			}
			return interest + CLUB_NEUTRAL + (isLocal ? PLACE : 0);
		}
		const hasLanguages = person.languages.length > 0;
		let best = -1;
		for (let o = firstOffer; o < endOffer; o++) {
			const offerLanguages = m.languageMask[o]!;
			if (hasLanguages && offerLanguages !== 0) {
				if ((this.languageMask & offerLanguages) === 0) continue;
				if (!this.isLanguageMaskExact && !sharesLanguage(speaks, m.languages, m.languageStart[o]!, m.languageStart[o + 1]!)) continue;
			}
			const common = this.when & m.when[o]!;
			if ((common & DAYS_BITS) === 0 || (common & TIMES_BITS) === 0 || (common & MONTHS_BITS) === 0) continue;

			let interest = 0;
			if (totalWeight !== 0 && (interestMask & m.tagMask[o]!) !== 0) {
				let shared = 0;
				for (let t = m.tagStart[o]!, end = m.tagStart[o + 1]!; t < end; t++) shared += weights[m.tags[t]!]!;
				interest = shared === 0 ? 0 : INTERESTS * Math.sqrt(Math.min(1, shared / totalWeight));
			}
			const day = person.saysWhen ? m.dayPoints[o]! : DAYS_NEUTRAL;
			const season = person.saysMonths ? m.seasonByCommonMonths[o * 13 + BIT_COUNT[common >>> MONTHS_SHIFT]!]! : this.seasonWithoutMonths[o]!;
			const language = hasLanguages ? m.languagePoints[o]! : LANGUAGE_NEUTRAL;
			const place = isLocal ? PLACE : m.remotePoints[o]!;
			const multilocal = person.isMultilocal ? m.multilocalPoints[o]! : 0;
			let competence = 0;
			if ((this.competenceMask & m.competenceMask[o]!) !== 0) {
				const first = m.competenceStart[o]!;
				const wanted = m.competenceStart[o + 1]! - first;
				let brought = 0;
				for (let k = 0; k < wanted; k++) brought += brings[m.competences[first + k]!]!;
				competence = (COMPETENCES * brought) / wanted;
			}
			const points = interest + day + season + language + place + multilocal + competence;
			if (points > best) best = points;
		}
		return best;
	}
}

/** scoring.ts's finalValue, and −1 for an excluded pair. */
const finalValue = (points: number) => (points < 0 ? -1 : Math.min(1000, Math.max(1, Math.round(points))));

function sharesLanguage(speaks: Uint8Array, languages: Int32Array, first: number, end: number): boolean {
	for (let l = first; l < end; l++) if (speaks[languages[l]!] === 1) return true;
	return false;
}
