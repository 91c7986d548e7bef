import { describe, expect, it } from 'vitest';
import { scoreMatrix } from './bulk-scoring';
import { scoreAll } from './market';
import { randomMarket, seededRandom } from './random-instances';
import { score, scoreValue, type MatchClub, type MatchOffer, type MatchPerson } from './scoring';

type Rng = ReturnType<typeof seededRandom>;

/** Every pair where the bulk value differs from scoreValue, as readable lines (empty when none). */
function differences(people: MatchPerson[], clubs: MatchClub[]): string[] {
	const values = scoreMatrix(people, clubs);
	expect(values.length).toBe(people.length * clubs.length);
	const found: string[] = [];
	people.forEach((person, p) =>
		clubs.forEach((club, c) => {
			const expected = scoreValue(person, club);
			const actual = values[p * clubs.length + c];
			if (actual !== expected) found.push(`${person.id} × ${club.id}: bulk ${actual}, scoreValue ${expected}`);
		})
	);
	return found;
}

/** What the instances exercised, so that a generator gone dull fails the test instead of passing it. */
function tally(people: MatchPerson[], clubs: MatchClub[], seen: Map<string, number>) {
	const count = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);
	for (const person of people) {
		for (const club of clubs) {
			const s = score(person, club);
			if (s.excluded) count(s.excluded);
			else if (club.offers.length === 0) count('no offers');
			for (const r of s.reasons) count(r.code);
		}
	}
}

// ---- A wilder generator than randomMarket: every field's odd values, from small vocabularies ----

const PLACES = ['', ' ', 'Großenhain', 'grossenhain', 'GROSSENHAIN ', 'Bad  Tölz', 'bad tolz', 'Bad Tölz', 'Gmünd', 'Gmund', 'Köln', 'koeln'];
const LANGUAGES = ['de', 'DE ', ' en', 'en', 'tr', 'uk', 'ar', ''];
const WHEN = ['weekdays', 'weekends', 'evenings', 'daytime', 'sometimes'];
const RESIDENCIES = ['resident', 'incoming', 'outgoing', 'new_in_town', 'guest', ''];
const COMPETENCES = ['erste-hilfe', 'fahrerlaubnis-b', 'kochen', 'handwerk', 'paedagogik', ''];
const WEIGHTS = [1, 2, 3, 0.1, 0.7, 1e-9, 1 / 3, 2.5, 1e6, 0, -1, Number.NaN, Number.POSITIVE_INFINITY];

function pick<T>(rng: Rng, items: readonly T[]): T {
	return items[rng.int(0, items.length - 1)] as T;
}

function some<T>(rng: Rng, items: readonly T[], max: number): T[] {
	return Array.from({ length: rng.int(0, max) }, () => pick(rng, items));
}

function wildPerson(rng: Rng, id: string, tags: string[]): MatchPerson {
	const saysNothing = rng.next() < 0.1;
	const interests: Record<string, number> = {};
	for (const tag of saysNothing ? [] : some(rng, tags, rng.next() < 0.1 ? 40 : 5)) interests[tag] = pick(rng, WEIGHTS);
	const person: MatchPerson = {
		id,
		residency: pick(rng, RESIDENCIES),
		interests,
		availability: saysNothing ? [] : some(rng, WHEN, 3),
		presentMonths: saysNothing || rng.next() < 0.6 ? [] : some(rng, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 13, 2.5], 6),
		languages: saysNothing || rng.next() < 0.3 ? [] : some(rng, LANGUAGES, 3),
		homePlace: saysNothing ? '' : pick(rng, PLACES),
		secondPlace: saysNothing || rng.next() < 0.6 ? '' : pick(rng, PLACES)
	};
	if (rng.next() < 0.5) person.competences = some(rng, COMPETENCES, 3);
	return person;
}

function wildOffer(rng: Rng, id: string, tags: string[]): MatchOffer {
	const offer: MatchOffer = {
		id,
		title: id,
		tags: some(rng, [...tags, ''], rng.next() < 0.1 ? 40 : 3),
		commitment: pick(rng, ['one_off', 'occasional', 'regular'] as const),
		onWeekdays: rng.next() < 0.4,
		onWeekends: rng.next() < 0.4,
		inEvenings: rng.next() < 0.3,
		months: rng.next() < 0.6 ? [] : some(rng, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 0, 14], 7),
		isRemote: rng.next() < 0.2,
		languages: rng.next() < 0.4 ? [] : some(rng, LANGUAGES, 2),
		suitsMultilocal: rng.next() < 0.4
	};
	if (rng.next() < 0.5) offer.competences = some(rng, COMPETENCES, 3);
	return offer;
}

function wildClub(rng: Rng, id: string, tags: string[]): MatchClub {
	return {
		id,
		municipality: pick(rng, PLACES),
		tags: some(rng, [...tags, ''], 4),
		offers: Array.from({ length: rng.next() < 0.2 ? 0 : rng.int(1, 5) }, (_, o) => wildOffer(rng, `${id}-o${o}`, tags))
	};
}

/** `tagCount` tags, some of them known to nobody else (asked only by people, or only by clubs). */
function wildMarket(rng: Rng, size: { people: number; clubs: number; tagCount: number }) {
	const tags = Array.from({ length: size.tagCount }, (_, i) => `tag-${i}`);
	const peopleOnly = [...tags, 'nur-personen', 'auch-nur-personen'];
	const clubsOnly = [...tags, 'nur-vereine'];
	return {
		people: Array.from({ length: size.people }, (_, i) => wildPerson(rng, `p${i}`, peopleOnly)),
		clubs: Array.from({ length: size.clubs }, (_, i) => wildClub(rng, `c${i}`, clubsOnly))
	};
}

describe('scoreMatrix gives exactly scoreValue for every pair', () => {
	it('on seeded markets of several sizes, scored before anything else was prepared', () => {
		for (const [seed, people, clubs] of [
			[1, 400, 60],
			[2, 250, 120],
			[20_261_123, 300, 50],
			[7, 1, 1],
			[8, 0, 10],
			[9, 10, 0]
		] as const) {
			const market = randomMarket(seededRandom(seed), { people, clubs, seatsPerRound: [1, 5] });
			expect(differences(market.people, market.clubs), `seed ${seed}`).toEqual([]);
		}
	});

	it('on 300 wild instances: odd weights, unknown tags, places, languages, months and competences', () => {
		const rng = seededRandom(19_2026);
		const seen = new Map<string, number>();
		for (let round = 0; round < 300; round++) {
			const market = wildMarket(rng, { people: rng.int(0, 25), clubs: rng.int(0, 25), tagCount: rng.int(1, 90) });
			expect(differences(market.people, market.clubs), `instance ${round}`).toEqual([]);
			tally(market.people, market.clubs, seen);
		}
		for (const what of ['no_common_language', 'no_time_overlap', 'no offers', 'interests', 'place', 'remote', 'language', 'multilocal', 'competences', 'time']) {
			expect(seen.get(what) ?? 0, what).toBeGreaterThan(50);
		}
	});

	it('for people alike in all but interests and places, who share values of the clubs that do not interest them', () => {
		const rng = seededRandom(47);
		for (let round = 0; round < 40; round++) {
			const market = wildMarket(rng, { people: 6, clubs: rng.int(1, 40), tagCount: rng.int(1, 40) });
			const tags = [...new Set(market.clubs.flatMap((club) => [...club.tags, ...club.offers.flatMap((o) => o.tags)]))];
			// Each template person comes in several copies with other interests and places.
			const people = market.people.flatMap((template) =>
				Array.from({ length: rng.int(1, 6) }, (_, copy): MatchPerson => ({
					...template,
					id: `${template.id}-${copy}`,
					interests: Object.fromEntries(some(rng, tags, 4).map((tag) => [tag, pick(rng, WEIGHTS)])),
					homePlace: pick(rng, PLACES),
					secondPlace: rng.next() < 0.5 ? '' : pick(rng, PLACES)
				}))
			);
			expect(differences(people, market.clubs), `instance ${round}`).toEqual([]);
		}
	});

	it('when clubs bring tags and competences that were interned after the people were prepared', () => {
		const rng = seededRandom(31);
		const early = wildMarket(rng, { people: 30, clubs: 10, tagCount: 10 });
		expect(differences(early.people, early.clubs)).toEqual([]);
		const later = wildMarket(rng, { people: 0, clubs: 30, tagCount: 70 }).clubs;
		const clubs = [...later, ...early.clubs].map((club) => ({
			...club,
			offers: club.offers.map((offer, i) => ({ ...offer, tags: [...offer.tags, `neu-${i}`], competences: [...(offer.competences ?? []), `neu-${i}`] }))
		}));
		const people = early.people.map((person, i) => (i % 2 === 0 ? person : { ...person, interests: { ...person.interests, 'neu-0': 2, 'neu-1': 1 }, competences: ['neu-0'] }));
		expect(differences(people, clubs)).toEqual([]);
	});
});

const nobody: MatchPerson = { id: 'nobody', residency: '', interests: {}, availability: [], presentMonths: [], languages: [], homePlace: '', secondPlace: '' };

function offer(id: string, overrides: Partial<MatchOffer> = {}): MatchOffer {
	return {
		id,
		title: id,
		tags: [],
		commitment: 'one_off',
		onWeekdays: false,
		onWeekends: false,
		inEvenings: false,
		months: [],
		isRemote: false,
		languages: [],
		suitsMultilocal: false,
		...overrides
	};
}

describe('scoreMatrix on hand-made edge cases', () => {
	it('clubs without offers, people who say nothing, weights that do not count', () => {
		const people: MatchPerson[] = [
			nobody,
			{ ...nobody, id: 'weights', interests: { garten: 0, musik: -2, sport: Number.NaN, lesen: 3, kultur: Number.POSITIVE_INFINITY } },
			{ ...nobody, id: 'tiny', interests: { garten: 1e-300, musik: 1e300 } },
			{ ...nobody, id: 'unknown', interests: { 'gibt-es-nicht': 5 } },
			{ ...nobody, id: 'home', interests: { garten: 1, lesen: 2 }, homePlace: '  GROẞENHAIN ' }
		];
		const clubs: MatchClub[] = [
			{ id: 'empty', municipality: '', tags: [], offers: [] },
			{ id: 'tags only', municipality: 'Großenhain', tags: ['garten', 'lesen', 'garten', ''], offers: [] },
			{ id: 'offer', municipality: 'grossenhain', tags: ['garten'], offers: [offer('o', { tags: ['musik', 'lesen'] })] }
		];
		expect(differences(people, clubs)).toEqual([]);
		const values = scoreMatrix(people, clubs);
		// Nothing said on either side: half of time and language, and at least 1 point for a kept pair.
		expect(values[0]).toBe(120);
		// The home place matches whatever its case, accents, ß and spaces.
		expect(values[13]).toBe(600 + 120 + 100);
		expect(values[14]).toBe(Math.round(600 * Math.sqrt(2 / 3) + 30 + 120 + 30 + 100));
	});

	it('more than 32 and 64 tags and competences, sharing mask bits', () => {
		const tags = Array.from({ length: 100 }, (_, i) => `t${i}`);
		const competences = Array.from({ length: 70 }, (_, i) => `k${i}`);
		const people = tags.map((tag, i): MatchPerson => ({
			...nobody,
			id: tag,
			interests: Object.fromEntries(tags.filter((_, j) => j % 33 === i % 33).map((t, j) => [t, j + 1])),
			competences: competences.filter((_, j) => j % 32 === i % 32)
		}));
		const clubs = tags.map((tag, i): MatchClub => ({
			id: `club-${tag}`,
			municipality: '',
			tags: [tag],
			offers: i % 3 === 0 ? [] : [offer(`o${i}`, { tags: [tag, tags[(i + 64) % 100] as string], competences: [competences[i % 70] as string, competences[(i + 32) % 70] as string] })]
		}));
		expect(differences(people, clubs)).toEqual([]);
		expect(differences([{ ...nobody, id: 'all', interests: Object.fromEntries(tags.map((t) => [t, 1])), competences }], clubs)).toEqual([]);
	});

	it('languages on one side only, and every offer excluded by language, by time or some by each', () => {
		const germanOnly = offer('de', { languages: ['de'] });
		const weekdayEvenings = offer('abends', { inEvenings: true, onWeekdays: true });
		const summerWeekdays = offer('sommer', { months: [6, 7, 8], commitment: 'regular', onWeekdays: true });
		const people: MatchPerson[] = [
			{ ...nobody, id: 'en', languages: ['en'] },
			{ ...nobody, id: 'DE', languages: [' DE '] },
			{ ...nobody, id: 'en on weekend days', languages: ['en'], availability: ['weekends', 'daytime'] },
			{ ...nobody, id: 'winter', residency: 'incoming', presentMonths: [12, 1, 2] }
		];
		const clubs: MatchClub[] = [
			{ id: 'language', municipality: 'X', tags: [], offers: [germanOnly, { ...germanOnly, id: 'de2' }] },
			{ id: 'time', municipality: 'X', tags: [], offers: [weekdayEvenings, summerWeekdays] },
			{ id: 'both', municipality: 'X', tags: [], offers: [germanOnly, weekdayEvenings] },
			{ id: 'no languages', municipality: 'X', tags: [], offers: [offer('any')] }
		];
		expect(differences(people, clubs)).toEqual([]);
		const [en, german, enOnWeekendDays, winter] = people as [MatchPerson, MatchPerson, MatchPerson, MatchPerson];
		expect(clubs.map((club) => score(enOnWeekendDays, club).excluded)).toEqual(['no_common_language', 'no_time_overlap', 'no_time_overlap', undefined]);
		const values = [...scoreMatrix(people, clubs)];
		// Days and season as nothing is said (30 + 120), language 60 when shared, else 30.
		expect(values.slice(0, 4)).toEqual([-1, scoreValue(en, clubs[1]!), scoreValue(en, clubs[2]!), 180]);
		expect(values[4]).toBe(210);
		expect(values.slice(8, 12)).toEqual([-1, -1, -1, 180]);
		expect(values[13]).toBe(scoreValue(winter, clubs[1]!));
		expect(values[13]).toBeGreaterThan(0);
		expect(scoreValue(german, clubs[0]!)).toBe(210);
	});

	it('rounds a sum that is exactly half-way as scoreValue does, which depends on the order of the additions', () => {
		// Found by searching the possible terms: interests 600 · √(9/256) = 112.5, days 30, season
		// 120 · 1/9, language 30 and competences 80 · 3/9 give 212.5 in scoring.ts's order, but
		// 212.49999999999997 when the middle terms are added first.
		const nine = Array.from({ length: 9 }, (_, i) => `kompetenz-${i}`);
		const halfWay: [MatchPerson, MatchClub, number][] = [
			[
				{ ...nobody, id: 'a', interests: { halb: 9, rest: 247 }, presentMonths: [1], competences: nine.slice(0, 3) },
				{ id: 'a', municipality: '', tags: [], offers: [offer('a', { tags: ['halb'], commitment: 'regular', months: [1, 2, 3, 4, 5, 6, 7, 8, 9], competences: nine })] },
				213
			],
			[
				// 600 · √(1/81) + 30 + 120 · (1 + 1/8)/2 + 30 + 70 (remote) + 80 · 6/9 is 317.49999999999994 in this
				// order, 317.5 when the last three are added first.
				{ ...nobody, id: 'b', interests: { halb: 1, rest: 80 }, presentMonths: [1], competences: nine.slice(0, 6) },
				{ id: 'b', municipality: '', tags: [], offers: [offer('b', { tags: ['halb'], commitment: 'occasional', months: [1, 2, 3, 4, 5, 6, 7, 8], isRemote: true, competences: nine })] },
				317
			]
		];
		for (const [person, club, value] of halfWay) {
			expect(scoreValue(person, club)).toBe(value);
			expect(scoreMatrix([person], [club])[0]).toBe(value);
		}
	});

	it('more than 32 languages, whose mask bits coincide', () => {
		const languages = Array.from({ length: 70 }, (_, i) => `sprache-${i}`);
		const people = languages.map((language): MatchPerson => ({ ...nobody, id: language, languages: [language] }));
		const clubs = languages.map((language): MatchClub => ({ id: language, municipality: '', tags: [], offers: [offer(language, { languages: [language] })] }));
		expect(differences(people, clubs)).toEqual([]);
		const values = scoreMatrix(people, clubs);
		expect(values.filter((v) => v >= 0).length).toBe(languages.length);
	});
});

describe('scoreAll', () => {
	it('keeps the pairs scoreValue keeps, person by person with the clubs in input order', () => {
		const market = wildMarket(seededRandom(5), { people: 40, clubs: 30, tagCount: 12 });
		const expected: [number, number, number][] = [];
		market.people.forEach((person, p) =>
			market.clubs.forEach((club, c) => {
				const value = scoreValue(person, club);
				if (value >= 0) expected.push([p, c, value]);
			})
		);
		const candidates = scoreAll(market.people, market.clubs);
		expect(Array.from(candidates.value, (value, i) => [candidates.person[i], candidates.club[i], value])).toEqual(expected);
		expect(expected.length).toBeGreaterThan(100);
		expect(expected.length).toBeLessThan(40 * 30);
	});
});
