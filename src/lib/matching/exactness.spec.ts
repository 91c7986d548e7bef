import { describe, expect, it } from 'vitest';
import { solveWithHighs } from '../../../tests/reference/highs-assignment';
import { assign, type AssignmentProblem } from './assignment';
import { randomProblem, seededRandom } from './random-instances';

/** The accepted pins only: HiGHS gets a feasible problem, as the assignment does. */
function withAcceptedPins(problem: AssignmentProblem, rejected: [string, string][]): AssignmentProblem {
	const refused = new Set(rejected.map(([p, c]) => `${p}/${c}`));
	return { ...problem, pins: (problem.pins ?? []).filter(([p, c]) => !refused.has(`${p}/${c}`)) };
}

describe('assign agrees with HiGHS (mixed-integer programs, one tier at a time)', () => {
	it('on 300 random instances of up to 60 people × 15 clubs, also when it starts from one candidate per person', async () => {
		const rng = seededRandom(6_2026);
		let prunedRestarts = 0;
		for (let round = 0; round < 300; round++) {
			const problem = randomProblem(rng, {
				people: rng.int(0, 60),
				clubs: rng.int(1, 15),
				k: rng.int(1, 3),
				maxCapacity: rng.int(0, 12),
				density: rng.next()
			});
			const result = assign(problem);
			const pruned = assign(problem, { initialPerPerson: 1 });
			const reference = await solveWithHighs(withAcceptedPins(problem, result.rejectedPins));
			const context = `instance ${round}: ${problem.people.length} × ${problem.clubs.length}, k = ${problem.k}`;
			expect([...result.coverage, result.totalScore], context).toEqual([...reference.coverage, reference.totalScore]);
			expect([...pruned.coverage, pruned.totalScore], context).toEqual([...reference.coverage, reference.totalScore]);
			if (pruned.solver.addedByDualCheck > 0) prunedRestarts++;
		}
		expect(prunedRestarts).toBeGreaterThan(100);
	}, 120_000);
});
