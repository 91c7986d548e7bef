import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layRounds, type RoundsPlan, type RoundsProblem } from './rounds';

const pairKey = (person: string, club: string) => `${person}/${club}`;

/** Every hard rule of a plan, checked from scratch; returns the broken ones. */
function violations(problem: RoundsProblem, plan: RoundsPlan): string[] {
	const broken: string[] = [];
	const seatsOf = new Map(problem.clubs.map((c) => [c.id, c.seatsPerRound]));
	const personRounds = new Set<string>();
	const clubLoad = new Map<string, number>();
	for (const [person, club, round] of plan.slots) {
		if (!Number.isInteger(round) || round < 0 || round >= problem.rounds) {
			broken.push(`round ${round} out of range for ${pairKey(person, club)}`);
		}
		const personRound = `${person}@${round}`;
		if (personRounds.has(personRound)) broken.push(`${person} twice in round ${round}`);
		personRounds.add(personRound);
		const clubRound = `${club}@${round}`;
		const load = (clubLoad.get(clubRound) ?? 0) + 1;
		clubLoad.set(clubRound, load);
		if (load > (seatsOf.get(club) ?? 0)) broken.push(`${club} over its seats in round ${round}`);
	}

	// Slots and unscheduled together are exactly the input pairs: nothing repeated, invented or lost.
	const given = problem.pairs.map(([p, c]) => pairKey(p, c)).sort();
	const returned = [
		...plan.slots.map(([p, c]) => pairKey(p, c)),
		...plan.unscheduled.map(([p, c]) => pairKey(p, c))
	].sort();
	if (given.join('\n') !== returned.join('\n')) broken.push('slots + unscheduled differ from the pairs');
	return broken;
}

function meetsPreconditions(problem: RoundsProblem): boolean {
	const perPerson = new Map<string, number>();
	const perClub = new Map<string, number>();
	for (const [p, c] of problem.pairs) {
		perPerson.set(p, (perPerson.get(p) ?? 0) + 1);
		perClub.set(c, (perClub.get(c) ?? 0) + 1);
	}
	const seatsOf = new Map(problem.clubs.map((c) => [c.id, c.seatsPerRound]));
	return (
		[...perPerson.values()].every((n) => n <= problem.rounds) &&
		[...perClub].every(([club, n]) => n <= (seatsOf.get(club) ?? 0) * problem.rounds)
	);
}

function roundLoads(plan: RoundsPlan, rounds: number): number[] {
	const loads = new Array<number>(rounds).fill(0);
	for (const [, , round] of plan.slots) loads[round] = (loads[round] ?? 0) + 1;
	return loads;
}

const clubs = (...seats: number[]) => seats.map((s, i) => ({ id: `c${i}`, seatsPerRound: s }));

describe('layRounds', () => {
	it('gives each person their clubs in different rounds and each club one person per seat', () => {
		const problem: RoundsProblem = {
			rounds: 2,
			clubs: clubs(1, 1),
			pairs: [
				['anna', 'c0'],
				['anna', 'c1'],
				['ben', 'c0'],
				['ben', 'c1']
			]
		};
		const plan = layRounds(problem);
		expect(violations(problem, plan)).toEqual([]);
		expect(plan.unscheduled).toEqual([]);
		expect(plan.slots).toHaveLength(4);
	});

	it('recolours an alternating path when no round is free for both ends', () => {
		// After anna–c0 and ben–c1 take different rounds, anna–c1 has no common free round: only a
		// Kempe-chain flip makes room, and the 2 × 2 instance is tight.
		const problem: RoundsProblem = {
			rounds: 2,
			clubs: clubs(1, 1),
			pairs: [
				['anna', 'c0'],
				['ben', 'c1'],
				['anna', 'c1'],
				['ben', 'c0']
			]
		};
		const plan = layRounds(problem);
		expect(violations(problem, plan)).toEqual([]);
		expect(plan.unscheduled).toEqual([]);
	});

	it('keeps slots in the order of the pairs', () => {
		const pairs: [string, string][] = [
			['b', 'c1'],
			['a', 'c0'],
			['a', 'c1']
		];
		const plan = layRounds({ rounds: 2, clubs: clubs(1, 1), pairs });
		expect(plan.slots.map(([p, c]) => [p, c])).toEqual(pairs);
	});

	it('spreads pairs over the rounds instead of filling the first', () => {
		const pairs = Array.from({ length: 6 }, (_, i): [string, string] => [`p${i}`, 'c0']);
		const plan = layRounds({ rounds: 3, clubs: clubs(10), pairs });
		expect(roundLoads(plan, 3)).toEqual([2, 2, 2]);
	});

	it('reports a person’s pairs beyond the number of rounds, keeping the earlier ones', () => {
		const problem: RoundsProblem = {
			rounds: 2,
			clubs: clubs(1, 1, 1),
			pairs: [
				['anna', 'c0'],
				['anna', 'c1'],
				['anna', 'c2'],
				['ben', 'c2']
			]
		};
		const plan = layRounds(problem);
		expect(violations(problem, plan)).toEqual([]);
		expect(plan.unscheduled).toEqual([['anna', 'c2']]);
		expect(plan.slots).toHaveLength(3);
	});

	it('reports a club’s pairs beyond seats × rounds', () => {
		const pairs = ['a', 'b', 'c', 'd', 'e'].map((p): [string, string] => [p, 'c0']);
		const problem: RoundsProblem = { rounds: 2, clubs: clubs(2), pairs };
		const plan = layRounds(problem);
		expect(violations(problem, plan)).toEqual([]);
		expect(plan.unscheduled).toEqual([['e', 'c0']]);
	});

	it('leaves the pairs of a club without seats unscheduled and places the rest', () => {
		const problem: RoundsProblem = {
			rounds: 2,
			clubs: clubs(0, 1),
			pairs: [
				['anna', 'c0'],
				['anna', 'c1'],
				['ben', 'c1']
			]
		};
		const plan = layRounds(problem);
		expect(violations(problem, plan)).toEqual([]);
		expect(plan.unscheduled).toEqual([['anna', 'c0']]);
	});

	it('schedules nothing with zero rounds', () => {
		const problem: RoundsProblem = { rounds: 0, clubs: clubs(3), pairs: [['anna', 'c0']] };
		expect(layRounds(problem)).toEqual({ slots: [], unscheduled: [['anna', 'c0']] });
	});

	it('handles an empty problem', () => {
		expect(layRounds({ rounds: 3, clubs: [], pairs: [] })).toEqual({ slots: [], unscheduled: [] });
	});

	it('rejects duplicate pairs, unknown or duplicate clubs and bad counts', () => {
		const pair: [string, string] = ['anna', 'c0'];
		expect(() => layRounds({ rounds: 2, clubs: clubs(1), pairs: [pair, pair] })).toThrow(
			'duplicate pair anna/c0'
		);
		expect(() => layRounds({ rounds: 2, clubs: clubs(1), pairs: [['anna', 'x']] })).toThrow(
			'unknown club x'
		);
		expect(() => layRounds({ rounds: 2, clubs: [...clubs(1), ...clubs(1)], pairs: [] })).toThrow(
			'duplicate club c0'
		);
		expect(() => layRounds({ rounds: -1, clubs: [], pairs: [] })).toThrow(RangeError);
		expect(() => layRounds({ rounds: 1.5, clubs: [], pairs: [] })).toThrow(RangeError);
		expect(() => layRounds({ rounds: 1, clubs: clubs(-1), pairs: [] })).toThrow(RangeError);
	});

	it('is deterministic', () => {
		const problem = tightProblem(3, 4, 5, 0.37);
		expect(layRounds(problem)).toEqual(layRounds(problem));
	});

	it('fills a large, completely tight market without leftovers', () => {
		// 2,000 people with 5 pairs each over 100 clubs × 20 seats × 5 rounds: every seat in use.
		const problem = tightProblem(5, 100, 20, 0.61);
		const plan = layRounds(problem);
		expect(violations(problem, plan)).toEqual([]);
		expect(problem.pairs.length).toBeGreaterThan(9_500);
		expect(plan.unscheduled).toEqual([]);
		expect(plan.slots).toHaveLength(problem.pairs.length);
	});
});

/**
 * Every club gets exactly seats × rounds "stubs", shuffled and dealt to people `rounds` at a time;
 * stubs that would repeat a pair are dropped. Degrees are therefore at the limit on both sides,
 * which is where a colouring that gives up early would leave pairs over.
 */
function tightProblem(rounds: number, clubCount: number, seats: number, seed: number): RoundsProblem {
	let state = Math.floor(seed * 2 ** 32) >>> 0;
	const random = () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
	const stubs = Array.from({ length: clubCount * seats * rounds }, (_, i) => i % clubCount);
	for (let i = stubs.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[stubs[i], stubs[j]] = [stubs[j] ?? 0, stubs[i] ?? 0];
	}
	return dealStubs(stubs, rounds, clubs(...new Array<number>(clubCount).fill(seats)));
}

function dealStubs(stubs: number[], rounds: number, clubList: RoundsProblem['clubs']): RoundsProblem {
	const seen = new Set<string>();
	const pairs: [string, string][] = [];
	stubs.forEach((club, i) => {
		const pair: [string, string] = [`p${Math.floor(i / rounds)}`, `c${club}`];
		if (seen.has(pairKey(...pair))) return;
		seen.add(pairKey(...pair));
		pairs.push(pair);
	});
	return { rounds, clubs: clubList, pairs };
}

describe('layRounds properties', () => {
	/** Any small problem: preconditions may or may not hold. */
	const anyProblem = fc
		.record({
			rounds: fc.integer({ min: 0, max: 5 }),
			seats: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 5 }),
			personCount: fc.integer({ min: 1, max: 10 })
		})
		.chain(({ rounds, seats, personCount }) => {
			const all: [string, string][] = [];
			for (let p = 0; p < personCount; p++) seats.forEach((_, c) => all.push([`p${p}`, `c${c}`]));
			return fc
				.shuffledSubarray(all)
				.map((pairs): RoundsProblem => ({ rounds, clubs: clubs(...seats), pairs }));
		});

	/** Problems at or near the limits of the preconditions, in random pair order. */
	const feasibleProblem = fc
		.record({
			rounds: fc.integer({ min: 1, max: 6 }),
			seats: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 6 }),
			fill: fc.double({ min: 0.5, max: 1, noNaN: true })
		})
		.chain(({ rounds, seats, fill }) => {
			const stubs = seats.flatMap((s, c) =>
				new Array<number>(Math.round(s * rounds * fill)).fill(c)
			);
			return fc
				.shuffledSubarray(stubs, { minLength: stubs.length })
				.map((shuffled) => dealStubs(shuffled, rounds, clubs(...seats)))
				.chain((problem) =>
					fc.shuffledSubarray(problem.pairs, { minLength: problem.pairs.length }).map((pairs) => ({
						...problem,
						pairs
					}))
				);
		});

	it('never breaks a hard rule and places every pair it can', () => {
		fc.assert(
			fc.property(anyProblem, (problem) => {
				const plan = layRounds(problem);
				expect(violations(problem, plan)).toEqual([]);
				if (meetsPreconditions(problem)) expect(plan.unscheduled).toEqual([]);
				// A pair is only left over when its person or its club is already full.
				const perPerson = new Map<string, number>();
				const perClub = new Map<string, number>();
				for (const [p, c] of plan.slots) {
					perPerson.set(p, (perPerson.get(p) ?? 0) + 1);
					perClub.set(c, (perClub.get(c) ?? 0) + 1);
				}
				const seatsOf = new Map(problem.clubs.map((c) => [c.id, c.seatsPerRound]));
				for (const [p, c] of plan.unscheduled) {
					const personFull = (perPerson.get(p) ?? 0) >= problem.rounds;
					const clubFull = (perClub.get(c) ?? 0) >= (seatsOf.get(c) ?? 0) * problem.rounds;
					expect(personFull || clubFull, `${pairKey(p, c)} left over needlessly`).toBe(true);
				}
			}),
			{ numRuns: 400 }
		);
	});

	it('leaves nothing unscheduled whenever the preconditions hold', () => {
		fc.assert(
			fc.property(feasibleProblem, (problem) => {
				expect(meetsPreconditions(problem)).toBe(true);
				const plan = layRounds(problem);
				expect(violations(problem, plan)).toEqual([]);
				expect(plan.unscheduled).toEqual([]);
			}),
			{ numRuns: 400 }
		);
	});
});
