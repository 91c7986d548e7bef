/**
 * Seeded random instances for tests and benchmarks of the matching core (no I/O).
 */
import type { AssignmentProblem } from './assignment';

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
