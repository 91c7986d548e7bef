import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layRounds, type RoundsPlan, type RoundsProblem } from './rounds';

/** Broken hard rules: rounds in range, nobody twice in a round, no club over its seats, no pair lost. */
function violations(problem: RoundsProblem, plan: RoundsPlan): string[] {
	const broken: string[] = [];
	const seatsOf = new Map(problem.clubs.map((c) => [c.id, c.seatsPerRound]));
	const seen = new Set<string>();
	const load = new Map<string, number>();
	for (const [person, club, round] of plan.slots) {
		if (!Number.isInteger(round) || round < 0 || round >= problem.rounds) broken.push(`${person}/${club} in round ${round}`);
		if (seen.has(`${person}@${round}`)) broken.push(`${person} twice in round ${round}`);
		seen.add(`${person}@${round}`);
		load.set(`${club}@${round}`, (load.get(`${club}@${round}`) ?? 0) + 1);
		if ((load.get(`${club}@${round}`) ?? 0) > (seatsOf.get(club) ?? 0)) broken.push(`${club} over its seats in round ${round}`);
	}
	const given = problem.pairs.map(([p, c]) => `${p}/${c}`).sort();
	const returned = [...plan.slots, ...plan.unscheduled].map(([p, c]) => `${p}/${c}`).sort();
	if (given.join() !== returned.join()) broken.push('slots + unscheduled differ from the pairs');
	return broken;
}

/** Random pairs within the preconditions: each person ≤ rounds pairs, each club ≤ seats × rounds. */
const feasibleProblem = fc
	.record({
		rounds: fc.integer({ min: 1, max: 5 }),
		seats: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 5 }),
		fill: fc.double({ min: 0.4, max: 1, noNaN: true }),
		seed: fc.integer({ min: 0, max: 2 ** 30 })
	})
	.map(({ rounds, seats, fill, seed }): RoundsProblem => {
		let state = seed;
		const random = () => {
			state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
			return state / 2 ** 32;
		};
		const stubs = seats.flatMap((s, c) => new Array<number>(Math.round(s * rounds * fill)).fill(c));
		for (let i = stubs.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[stubs[i], stubs[j]] = [stubs[j] ?? 0, stubs[i] ?? 0];
		}
		const seen = new Set<string>();
		const pairs: [string, string][] = [];
		stubs.forEach((c, i) => {
			const pair: [string, string] = [`p${Math.floor(i / rounds)}`, `c${c}`];
			if (!seen.has(pair.join('/'))) pairs.push(pair);
			seen.add(pair.join('/'));
		});
		return { rounds, clubs: seats.map((s, c) => ({ id: `c${c}`, seatsPerRound: s })), pairs };
	});

const roundsOf = (plan: RoundsPlan) => new Map(plan.slots.map(([p, c, r]) => [`${p}/${c}`, r]));

describe('layRounds with previous rounds', () => {
	it('keeps a whole plan exactly as it was', () => {
		fc.assert(
			fc.property(feasibleProblem, (problem) => {
				const plan = layRounds(problem);
				const previous = roundsOf(plan);
				const again = layRounds({ ...problem, previousRounds: problem.pairs.map(([p, c]) => previous.get(`${p}/${c}`) ?? null) });
				expect(again).toEqual(plan);
			}),
			{ numRuns: 300 }
		);
	});

	it('keeps every remaining pair in its round when pairs only go', () => {
		fc.assert(
			fc.property(feasibleProblem, fc.integer({ min: 0, max: 2 ** 30 }), (problem, seed) => {
				const previous = roundsOf(layRounds(problem));
				const remaining = { ...problem, pairs: problem.pairs.filter((_, i) => (seed >> i % 30) & 1) };
				const plan = layRounds({ ...remaining, previousRounds: remaining.pairs.map(([p, c]) => previous.get(`${p}/${c}`) ?? null) });
				expect(violations(remaining, plan)).toEqual([]);
				for (const [p, c, round] of plan.slots) expect(round).toBe(previous.get(`${p}/${c}`));
			}),
			{ numRuns: 300 }
		);
	});

	it('fits new pairs in around kept ones, moving few, and never breaks a rule', () => {
		let added = 0;
		let moved = 0;
		fc.assert(
			fc.property(feasibleProblem, fc.integer({ min: 0, max: 2 ** 30 }), (problem, seed) => {
				// Publish a plan without some pairs, then add them back as new.
				const isNew = (i: number) => ((seed >> i % 30) & 3) === 0;
				const published = { ...problem, pairs: problem.pairs.filter((_, i) => !isNew(i)) };
				const previous = roundsOf(layRounds(published));
				const plan = layRounds({ ...problem, previousRounds: problem.pairs.map(([p, c]) => previous.get(`${p}/${c}`) ?? null) });
				expect(violations(problem, plan)).toEqual([]);
				expect(plan.unscheduled).toEqual([]);
				added += problem.pairs.length - published.pairs.length;
				moved += plan.slots.filter(([p, c, r]) => previous.has(`${p}/${c}`) && previous.get(`${p}/${c}`) !== r).length;
			}),
			{ numRuns: 300, seed: 19_2026 }
		);
		// Tight random instances: each new pair that finds no common free round flips one short path.
		console.log(`new pairs: ${added}, kept pairs moved: ${moved}`);
		expect(added).toBeGreaterThan(500);
		expect(moved).toBeLessThan(added);
	});

	it('stays proper with fewer seats, rounds out of range and clashing previous rounds', () => {
		fc.assert(
			fc.property(feasibleProblem, fc.integer({ min: 0, max: 2 ** 30 }), (problem, seed) => {
				const previous = roundsOf(layRounds(problem));
				// One seat less at the first club; that club keeps only as many pairs as still fit.
				const clubs = problem.clubs.map((c, i) => (i === 0 ? { ...c, seatsPerRound: c.seatsPerRound - 1 } : c));
				const capacity = (clubs[0]?.seatsPerRound ?? 0) * problem.rounds;
				let atFirst = 0;
				const pairs = problem.pairs.filter(([, c]) => c !== 'c0' || atFirst++ < capacity);
				const wrong = (i: number) => (seed >> i % 30) & 1;
				const previousRounds = pairs.map(([p, c], i) => (wrong(i) ? [problem.rounds, -1, 0.5, 0][i % 4]! : (previous.get(`${p}/${c}`) ?? null)));
				const reduced = { ...problem, clubs, pairs };
				const plan = layRounds({ ...reduced, previousRounds });
				expect(violations(reduced, plan)).toEqual([]);
				expect(plan.unscheduled).toEqual([]);
			}),
			{ numRuns: 300 }
		);
	});
});
