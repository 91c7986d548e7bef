import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assign, tierBonuses, type Assignment, type AssignmentProblem } from './assignment';
import { randomProblem, seededRandom } from './random-instances';

const objective = (a: Pick<Assignment, 'coverage' | 'totalScore'>) => [...a.coverage, a.totalScore];

function pairsOf(a: Assignment) {
	return a.pairs.map(([p, c]) => `${p}/${c}`);
}

describe('assign: hand-made cases', () => {
	it('gives more people a first club before anyone a second, even against score', () => {
		const result = assign({
			people: ['ana', 'ben', 'cem'],
			clubs: [
				{ id: 'choir', capacity: 2 },
				{ id: 'chess', capacity: 1 }
			],
			scores: [
				['ana', 'choir', 1000],
				['ana', 'chess', 1000],
				['ben', 'choir', 1],
				['cem', 'chess', 1]
			],
			k: 2
		});
		// Ana taking both clubs (2000 + …) would leave Cem without any club.
		expect(result.coverage).toEqual([3, 0]);
		expect(pairsOf(result).sort()).toEqual(['ana/choir', 'ben/choir', 'cem/chess']);
		expect(result.totalScore).toBe(1002);
		expect(result.unplaced).toEqual([]);
	});

	it('prefers a second club for more people over a higher score', () => {
		const result = assign({
			people: ['ana', 'ben'],
			clubs: [
				{ id: 'a', capacity: 2 },
				{ id: 'b', capacity: 1 },
				{ id: 'c', capacity: 1 }
			],
			scores: [
				['ana', 'a', 0],
				['ana', 'b', 1000],
				['ana', 'c', 1000],
				['ben', 'a', 0],
				['ben', 'b', 0]
			],
			k: 2
		});
		expect(result.coverage).toEqual([2, 2]);
		expect(pairsOf(result).sort()).toEqual(['ana/a', 'ana/c', 'ben/a', 'ben/b']);
	});

	it('respects club capacity and reports who is left over', () => {
		const result = assign({
			people: ['p1', 'p2', 'p3'],
			clubs: [{ id: 'tiny', capacity: 2 }],
			scores: [
				['p1', 'tiny', 10],
				['p2', 'tiny', 30],
				['p3', 'tiny', 20]
			],
			k: 1
		});
		expect(pairsOf(result)).toEqual(['p2/tiny', 'p3/tiny']);
		expect(result.unplaced).toEqual(['p1']);
		expect(result.coverage).toEqual([2]);
	});

	it('caps each person at k clubs, choosing the best ones', () => {
		const result = assign({
			people: ['p'],
			clubs: ['a', 'b', 'c', 'd'].map((id) => ({ id, capacity: 5 })),
			scores: [
				['p', 'a', 5],
				['p', 'b', 50],
				['p', 'c', 40],
				['p', 'd', 1]
			],
			k: 2
		});
		expect(pairsOf(result)).toEqual(['p/b', 'p/c']);
		expect(result.coverage).toEqual([1, 1]);
		expect(result.totalScore).toBe(90);
	});

	it('returns nothing for k = 0', () => {
		const result = assign({ people: ['p'], clubs: [{ id: 'a', capacity: 1 }], scores: [['p', 'a', 9]], k: 0 });
		expect(result.pairs).toEqual([]);
		expect(result.coverage).toEqual([]);
		expect(result.unplaced).toEqual(['p']);
	});

	it('honours pins even when they cost coverage or score', () => {
		const result = assign({
			people: ['ana', 'ben'],
			clubs: [{ id: 'solo', capacity: 1 }, { id: 'other', capacity: 1 }],
			scores: [
				['ana', 'solo', 1],
				['ben', 'solo', 1000],
				['ben', 'other', 3]
			],
			k: 1,
			pins: [['ana', 'solo']]
		});
		expect(pairsOf(result)).toEqual(['ana/solo', 'ben/other']);
		expect(result.rejectedPins).toEqual([]);
	});

	it('accepts a pin that is not a candidate, valued 0', () => {
		const result = assign({
			people: ['ana'],
			clubs: [{ id: 'a', capacity: 1 }],
			scores: [],
			k: 1,
			pins: [['ana', 'a']]
		});
		expect(result.pairs).toEqual([['ana', 'a', 0]]);
	});

	it('counts pins towards the tiers of the pinned person', () => {
		// Ana is pinned to x; a second club for her is tier 2, so Ben's first club wins y.
		const result = assign({
			people: ['ana', 'ben'],
			clubs: [{ id: 'x', capacity: 1 }, { id: 'y', capacity: 1 }],
			scores: [
				['ana', 'y', 1000],
				['ben', 'y', 0]
			],
			k: 2,
			pins: [['ana', 'x']]
		});
		expect(pairsOf(result)).toEqual(['ana/x', 'ben/y']);
		expect(result.coverage).toEqual([2, 0]);
	});

	it('reports pins beyond a club capacity or k instead of dropping them silently', () => {
		const result = assign({
			people: ['ana', 'ben', 'cem'],
			clubs: [{ id: 'one', capacity: 1 }, { id: 'two', capacity: 2 }],
			scores: [['cem', 'two', 7]],
			k: 1,
			pins: [
				['ana', 'one'],
				['ben', 'one'], // club full
				['ana', 'two'], // ana already has k = 1
				['ana', 'one'] // duplicate of an accepted pin: ignored, not rejected
			]
		});
		expect(result.rejectedPins).toEqual([
			['ben', 'one'],
			['ana', 'two']
		]);
		expect(pairsOf(result)).toEqual(['ana/one', 'cem/two']);
		expect(result.unplaced).toEqual(['ben']);
	});

	it('never chooses a banned pair', () => {
		const result = assign({
			people: ['ana'],
			clubs: [{ id: 'a', capacity: 1 }, { id: 'b', capacity: 1 }],
			scores: [
				['ana', 'a', 1000],
				['ana', 'b', 1]
			],
			k: 1,
			bans: [['ana', 'a']]
		});
		expect(pairsOf(result)).toEqual(['ana/b']);
	});

	it('lets a ban win over a contradictory pin and reports the pin', () => {
		const result = assign({ people: ['ana'], clubs: [{ id: 'a', capacity: 1 }], scores: [['ana', 'a', 5]], k: 1, pins: [['ana', 'a']], bans: [['ana', 'a']] });
		expect(result.pairs).toEqual([]);
		expect(result.rejectedPins).toEqual([['ana', 'a']]);
	});

	it('rejects malformed input', () => {
		const base: AssignmentProblem = {
			people: ['ana'],
			clubs: [{ id: 'a', capacity: 1 }],
			scores: [['ana', 'a', 1]],
			k: 1
		};
		expect(() => assign({ ...base, scores: [['bob', 'a', 1]] })).toThrow(/unknown person/);
		expect(() => assign({ ...base, scores: [['ana', 'zz', 1]] })).toThrow(/unknown club/);
		expect(() => assign({ ...base, scores: [['ana', 'a', -1]] })).toThrow(/must be an integer in 0/);
		expect(() => assign({ ...base, scores: [['ana', 'a', 1.5]] })).toThrow(/must be an integer in 0/);
		expect(() => assign({ ...base, scores: [...base.scores, ['ana', 'a', 2]] })).toThrow(/duplicate score/);
		expect(() => assign({ ...base, people: ['ana', 'ana'] })).toThrow(/duplicate person/);
		expect(() => assign({ ...base, k: -1 })).toThrow(RangeError);
	});

	it('throws a clear error when exact integer tier bonuses would overflow', () => {
		expect(tierBonuses(3, 2, 3, 9)).toEqual([57, 38, 19]);
		expect(() => tierBonuses(10_000_000, 10_000_000, 5, 1_000)).toThrow(/too large/);
	});
});

// Exhaustive reference: try every subset of allowed pairs that contains all pins.
function bruteForce(problem: AssignmentProblem): number[] {
	const banned = new Set((problem.bans ?? []).map(([p, c]) => `${p}/${c}`));
	const pinned = new Set((problem.pins ?? []).map(([p, c]) => `${p}/${c}`));
	const pairs = problem.scores.filter(([p, c]) => !banned.has(`${p}/${c}`));
	let best: number[] | null = null;
	for (let mask = 0; mask < 1 << pairs.length; mask++) {
		const chosen = pairs.filter((_, i) => mask & (1 << i));
		const keys = new Set(chosen.map(([p, c]) => `${p}/${c}`));
		if ([...pinned].some((key) => !keys.has(key))) continue;
		const perPerson = new Map<string, number>();
		const perClub = new Map<string, number>();
		for (const [p, c] of chosen) {
			perPerson.set(p, (perPerson.get(p) ?? 0) + 1);
			perClub.set(c, (perClub.get(c) ?? 0) + 1);
		}
		if ([...perPerson.values()].some((n) => n > problem.k)) continue;
		if (problem.clubs.some((club) => (perClub.get(club.id) ?? 0) > club.capacity)) continue;
		const counts = [...perPerson.values()];
		const vector = [
			...Array.from({ length: problem.k }, (_, t) => counts.filter((n) => n > t).length),
			chosen.reduce((sum, [, , v]) => sum + v, 0)
		];
		if (best === null || compareVectors(vector, best) > 0) best = vector;
	}
	if (best === null) throw new Error('brute force: pins are infeasible');
	return best;
}

function compareVectors(a: number[], b: number[]): number {
	for (let i = 0; i < a.length; i++) {
		const d = (a[i] ?? 0) - (b[i] ?? 0);
		if (d !== 0) return d;
	}
	return 0;
}

describe('assign: exact against brute force', () => {
	it('matches the exhaustive lexicographic optimum on 400 small random instances', () => {
		const rng = seededRandom(20261123);
		const seen = { pins: 0, bans: 0, secondTier: 0, unplaced: 0 };
		for (let round = 0; round < 400; round++) {
			const problem = randomProblem(rng, {
				people: rng.int(1, 5),
				clubs: rng.int(1, 4),
				k: rng.int(1, 3),
				maxCapacity: 3,
				density: 0.3 + 0.5 * rng.next(),
				maxPairs: 14
			});
			const result = assign(problem);
			expect(result.rejectedPins, `round ${round}`).toEqual([]);
			expect(objective(result), `round ${round}: ${JSON.stringify(problem)}`).toEqual(bruteForce(problem));
			if (problem.pins?.length) seen.pins++;
			if (problem.bans?.length) seen.bans++;
			if ((result.coverage[1] ?? 0) > 0) seen.secondTier++;
			if (result.unplaced.length > 0) seen.unplaced++;
		}
		// The generator must actually exercise the interesting cases.
		for (const count of Object.values(seen)) expect(count).toBeGreaterThan(40);
	});
});

describe('assign: invariants on larger instances', () => {
	it('keeps every constraint on 200 people × 30 clubs', () => {
		const rng = seededRandom(42);
		for (let round = 0; round < 5; round++) {
			const problem = randomProblem(rng, { people: 200, clubs: 30, k: 3, maxCapacity: 20, density: 0.15 });
			const result = assign(problem);
			const candidates = new Map(problem.scores.map(([p, c, v]) => [`${p}/${c}`, v]));
			const banned = new Set((problem.bans ?? []).map(([p, c]) => `${p}/${c}`));
			const chosen = new Set(pairsOf(result));
			const perPerson = new Map<string, number>();
			const perClub = new Map<string, number>();

			expect(chosen.size).toBe(result.pairs.length);
			for (const [p, c, v] of result.pairs) {
				expect(candidates.get(`${p}/${c}`)).toBe(v);
				expect(banned.has(`${p}/${c}`)).toBe(false);
				perPerson.set(p, (perPerson.get(p) ?? 0) + 1);
				perClub.set(c, (perClub.get(c) ?? 0) + 1);
			}
			for (const [p, c] of problem.pins ?? []) expect(chosen.has(`${p}/${c}`)).toBe(true);
			expect(result.rejectedPins).toEqual([]);
			for (const n of perPerson.values()) expect(n).toBeLessThanOrEqual(problem.k);
			for (const club of problem.clubs) expect(perClub.get(club.id) ?? 0).toBeLessThanOrEqual(club.capacity);

			const counts = problem.people.map((p) => perPerson.get(p) ?? 0);
			expect(result.coverage).toEqual([1, 2, 3].map((t) => counts.filter((n) => n >= t).length));
			expect(result.totalScore).toBe(result.pairs.reduce((sum, [, , v]) => sum + v, 0));
			expect(result.unplaced).toEqual(problem.people.filter((p) => !perPerson.has(p)));
			// Coverage can only fall from tier to tier.
			for (let t = 1; t < result.coverage.length; t++) {
				expect(result.coverage[t]).toBeLessThanOrEqual(result.coverage[t - 1] ?? 0);
			}
		}
	});
});

describe('assign: progress', () => {
	it('reports fractions from 0 to 1 that never fall, through dual-check re-solves, without changing the result', () => {
		const rng = seededRandom(19);
		let withResolves = 0;
		for (let round = 0; round < 20; round++) {
			const problem = randomProblem(rng, { people: 300, clubs: 30, k: 3, maxCapacity: 20, density: 0.3 });
			const fractions: number[] = [];
			// One starting candidate per person leaves work for the dual check.
			const result = assign(problem, { initialPerPerson: 1, onProgress: (fraction) => fractions.push(fraction) });
			if (result.solver.solves > 1) withResolves++;
			expect(result.solver.addedByDualCheck).toBeGreaterThan(0);
			expect(fractions[0]).toBe(0);
			expect(fractions.at(-1)).toBe(1);
			expect(fractions.length).toBeGreaterThanOrEqual(3);
			for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1] ?? 0);
			expect(objective(result)).toEqual(objective(assign(problem)));
		}
		expect(withResolves).toBeGreaterThan(0);
	});

	it('reports 0 and 1 even when there is nothing to solve', () => {
		const fractions: number[] = [];
		assign({ people: [], clubs: [], scores: [], k: 2 }, { onProgress: (fraction) => fractions.push(fraction) });
		expect(fractions).toEqual([0, 1]);
	});
});

describe('assign: properties for any input (fast-check)', () => {
	const instance = fc
		.record({
			people: fc.integer({ min: 0, max: 25 }),
			capacities: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 8 }),
			k: fc.integer({ min: 0, max: 4 }),
			cells: fc.array(fc.record({ roll: fc.integer({ min: 0, max: 9 }), value: fc.integer({ min: 0, max: 1000 }) }), {
				minLength: 200,
				maxLength: 200
			}),
			extraPins: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 5 })
		})
		.map(({ people, capacities, k, cells, extraPins }) => {
			const ids = Array.from({ length: people }, (_, i) => `p${i}`);
			const clubs = capacities.map((capacity, i) => ({ id: `c${i}`, capacity }));
			const scores: [string, string, number][] = [];
			const pins: [string, string][] = [];
			const bans: [string, string][] = [];
			ids.forEach((p, pi) =>
				clubs.forEach(({ id }, ci) => {
					const cell = cells[(pi * clubs.length + ci) % cells.length] ?? { roll: 0, value: 0 };
					if (cell.roll >= 4) scores.push([p, id, cell.value]);
					if (cell.roll === 1) bans.push([p, id]);
					if (cell.roll === 9) pins.push([p, id]);
				})
			);
			// Pins off the candidate list, possibly banned or beyond capacity or k: honoured or reported.
			for (const [p, c] of extraPins) {
				if (ids.length === 0) break;
				const pair: [string, string] = [ids[p % ids.length] ?? '', clubs[c % clubs.length]?.id ?? ''];
				pins.push(pair);
			}
			return { people: ids, clubs, scores, k, pins, bans } satisfies AssignmentProblem;
		});

	it('keeps capacities, k, pins and bans, and reports consistent figures', () => {
		fc.assert(
			fc.property(instance, (problem) => {
				const result = assign(problem);
				const key = (p: string, c: string) => `${p}/${c}`;
				const chosen = new Set(result.pairs.map(([p, c]) => key(p, c)));
				expect(chosen.size).toBe(result.pairs.length);
				const candidates = new Set(problem.scores.map(([p, c]) => key(p, c)));
				const pins = new Set(problem.pins.map(([p, c]) => key(p, c)));
				const rejected = new Set(result.rejectedPins.map(([p, c]) => key(p, c)));
				for (const [p, c] of problem.bans) expect(chosen.has(key(p, c))).toBe(false);
				for (const pin of pins) expect(chosen.has(pin) || rejected.has(pin)).toBe(true);
				for (const pair of chosen) expect(candidates.has(pair) || pins.has(pair)).toBe(true);
				const perPerson = new Map<string, number>();
				const perClub = new Map<string, number>();
				for (const [p, c] of result.pairs) {
					perPerson.set(p, (perPerson.get(p) ?? 0) + 1);
					perClub.set(c, (perClub.get(c) ?? 0) + 1);
				}
				for (const n of perPerson.values()) expect(n).toBeLessThanOrEqual(problem.k);
				for (const club of problem.clubs) expect(perClub.get(club.id) ?? 0).toBeLessThanOrEqual(club.capacity);
				const counts = problem.people.map((p) => perPerson.get(p) ?? 0);
				expect(result.coverage).toEqual(Array.from({ length: problem.k }, (_, t) => counts.filter((n) => n > t).length));
				expect(result.unplaced).toEqual(problem.people.filter((p) => !perPerson.has(p)));
				expect(result.totalScore).toBe(result.pairs.reduce((sum, [, , v]) => sum + v, 0));
				// A rejected pin was banned or really did not fit next to the accepted ones.
				const bans = new Set(problem.bans.map(([p, c]) => key(p, c)));
				for (const [p, c] of result.rejectedPins) {
					if (bans.has(key(p, c))) continue;
					const pinnedHere = problem.pins.filter(([pp, pc]) => (pp === p || pc === c) && !rejected.has(key(pp, pc)));
					const personFull = pinnedHere.filter(([pp]) => pp === p).length >= problem.k;
					const clubFull = pinnedHere.filter(([, pc]) => pc === c).length >= (problem.clubs.find((x) => x.id === c)?.capacity ?? 0);
					expect(personFull || clubFull).toBe(true);
				}
			}),
			{ numRuns: 300 }
		);
	});
});
