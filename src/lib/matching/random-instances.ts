/**
 * Seeded random instances for tests and benchmarks of the matching core (no I/O).
 */
import type { AssignmentProblem } from './assignment';
import type { MatchClub, MatchOffer, MatchPerson } from './scoring';

/** mulberry32: a tiny seeded PRNG so failures are reproducible. */
export function seededRandom(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
	return { next, int };
}

export function randomProblem(
	rng: ReturnType<typeof seededRandom>,
	size: { people: number; clubs: number; k: number; maxCapacity: number; density: number; maxPairs?: number }
): AssignmentProblem {
	const people = Array.from({ length: size.people }, (_, i) => `p${i}`);
	const clubs = Array.from({ length: size.clubs }, (_, i) => ({
		id: `c${i}`,
		capacity: rng.int(0, size.maxCapacity)
	}));
	const scores: [string, string, number][] = [];
	for (const p of people) {
		for (const { id } of clubs) {
			if (scores.length >= (size.maxPairs ?? Infinity)) break;
			// A coarse scale gives many ties, which is where tie-breaking bugs hide.
			if (rng.next() < size.density) scores.push([p, id, rng.next() < 0.5 ? rng.int(0, 3) : rng.int(0, 1000)]);
		}
	}
	const bans: [string, string][] = [];
	const pins: [string, string][] = [];
	const perPerson = new Map<string, number>();
	const perClub = new Map<string, number>();
	for (const [p, c] of scores) {
		const roll = rng.next();
		if (roll < 0.1) {
			bans.push([p, c]);
		} else if (roll < 0.2) {
			// Only feasible pins here; infeasible ones are covered by the hand-made cases.
			const capacity = clubs.find((club) => club.id === c)?.capacity ?? 0;
			if ((perPerson.get(p) ?? 0) < size.k && (perClub.get(c) ?? 0) < capacity) {
				pins.push([p, c]);
				perPerson.set(p, (perPerson.get(p) ?? 0) + 1);
				perClub.set(c, (perClub.get(c) ?? 0) + 1);
			}
		}
	}
	return { people, clubs, scores, k: size.k, pins, bans };
}

const TAGS = Array.from({ length: 40 }, (_, i) => `tag${i}`);
const PLACES = Array.from({ length: 20 }, (_, i) => `Gemeinde ${i}`);
const LANGUAGE_SETS = [['de'], ['de'], ['de'], ['de'], ['de'], ['de'], ['de'], ['de', 'en'], ['en'], ['de', 'tr'], ['uk'], ['de', 'uk']];
const AVAILABILITY = ['weekdays', 'weekends', 'evenings', 'daytime'];

/**
 * A seeded Markt der Möglichkeiten: popular interests and clubs (Zipf-like), 10 % Incomings and
 * Outgoings who are here a few months, some people without German, clubs with 1–3 offers and
 * seats per round drawn from `seatsPerRound` [min, max]. Used by the matching benchmark.
 */
export function randomMarket(
	rng: ReturnType<typeof seededRandom>,
	size: { people: number; clubs: number; seatsPerRound: [number, number] }
): { people: MatchPerson[]; clubs: (MatchClub & { seatsPerRound: number })[] } {
	const popularTag = () => TAGS[Math.min(TAGS.length - 1, Math.floor(TAGS.length * rng.next() ** 2))] ?? 'tag0';
	const distinct = (count: number, draw: () => string) => [...new Set(Array.from({ length: count }, draw))];
	const someOf = <T>(items: T[], chance: number) => items.filter(() => rng.next() < chance);
	const season = () => {
		const start = rng.int(1, 12);
		return Array.from({ length: rng.int(2, 6) }, (_, i) => ((start + i - 1) % 12) + 1);
	};

	const people = Array.from({ length: size.people }, (_, i): MatchPerson => {
		const roll = rng.next();
		const residency = roll < 0.05 ? 'incoming' : roll < 0.1 ? 'outgoing' : roll < 0.15 ? 'new_in_town' : 'resident';
		const multilocal = residency === 'incoming' || residency === 'outgoing';
		const interests = distinct(rng.int(0, 4), popularTag);
		return {
			id: `person${i}`,
			residency,
			interests: Object.fromEntries(interests.map((tag, rank) => [tag, interests.length - rank])),
			availability: someOf(AVAILABILITY, 0.4),
			presentMonths: multilocal && rng.next() < 0.7 ? season() : [],
			languages: LANGUAGE_SETS[rng.int(0, LANGUAGE_SETS.length - 1)] ?? ['de'],
			homePlace: PLACES[rng.int(0, PLACES.length - 1)] ?? '',
			secondPlace: multilocal ? (PLACES[rng.int(0, PLACES.length - 1)] ?? '') : ''
		};
	});
	const clubs = Array.from({ length: size.clubs }, (_, i) => {
		const tags = distinct(rng.int(1, 3), popularTag);
		const offers: MatchOffer[] = Array.from({ length: rng.int(1, 3) }, (_, o) => ({
			id: `club${i}-offer${o}`,
			title: `Angebot ${o}`,
			tags: distinct(rng.int(1, 2), () => (rng.next() < 0.7 ? (tags[rng.int(0, tags.length - 1)] ?? 'tag0') : popularTag())),
			commitment: (['one_off', 'occasional', 'regular'] as const)[rng.int(0, 2)] ?? 'occasional',
			onWeekdays: rng.next() < 0.5,
			onWeekends: rng.next() < 0.5,
			inEvenings: rng.next() < 0.2,
			months: rng.next() < 0.2 ? season() : [],
			isRemote: rng.next() < 0.1,
			languages: rng.next() < 0.85 ? ['de'] : ['de', 'en'],
			suitsMultilocal: rng.next() < 0.3
		}));
		return { id: `club${i}`, municipality: PLACES[rng.int(0, PLACES.length - 1)] ?? '', tags, offers, seatsPerRound: rng.int(...size.seatsPerRound) };
	});
	return { people, clubs };
}
