/**
 * Exact tiered assignment of people to clubs.
 *
 * Objective, lexicographically: the number of people with at least 1 club, then with at least 2,
 * … up to k, then the total score. Solved as one min-cost flow:
 *
 *   source → person   k parallel arcs of capacity 1, costs −B_1 < −B_2 < … < −B_k (the tiers)
 *   person → club     capacity 1, cost −score
 *   club   → sink     capacity = club capacity
 *
 * A person with d clubs earns B_1 + … + B_d, so the flow maximises Σ_t B_t·n_t + totalScore where
 * n_t is the number of people with ≥ t clubs. Because the per-person costs are convex (the bonuses
 * fall), the cheapest arcs fill first and successive shortest paths is exact.
 *
 * Tier bonuses: let W = S + 1 where S bounds every achievable total score. With N people, any two
 * solutions differ in each n_s by at most N, so one more person at tier t outweighs all lower tiers
 * and the score once B_t > N·(B_{t+1} + … + B_k) + S. B_k = W and B_t = W·(N+1)^(k−t) satisfy this
 * (by induction, N·W·((N+1)^(k−t) − 1)/N + S < W·(N+1)^(k−t)).
 *
 * Pins are pre-assigned: a person with m pins keeps k − m free slots priced B_{m+1} … B_k, and each
 * club's capacity drops by its pins. Every solution containing the pins corresponds one-to-one to a
 * solution of the reduced problem, with the objective shifted by a constant, so the result is the
 * exact optimum among all solutions that contain the accepted pins.
 */
import { FlowNetwork } from './flow';

export type AssignmentProblem = {
	people: string[];
	clubs: { id: string; capacity: number }[];
	/** Candidate pairs [person, club, score]; score is an integer ≥ 0 (normally 0..1000). */
	scores: [string, string, number][];
	/** At most this many clubs per person. */
	k: number;
	/** Pairs that must be chosen. A pin need not be a candidate; its value is its score, else 0. */
	pins?: [string, string][];
	/** Pairs that must not be chosen. */
	bans?: [string, string][];
};

export type Assignment = {
	/** Chosen pairs [person, club, score], in the order of `people`, then `clubs`. */
	pairs: [string, string, number][];
	/** coverage[t − 1] = number of people with at least t clubs, for t = 1..k. */
	coverage: number[];
	totalScore: number;
	/** People without any club, in the order of `people`. */
	unplaced: string[];
	/**
	 * Pins that could not be honoured because earlier pins (in input order) already filled the
	 * club's capacity or the person's k. They are reported, never silently dropped; the rest of
	 * the assignment is optimal given the accepted pins.
	 */
	rejectedPins: [string, string][];
};

export function assign(problem: AssignmentProblem): Assignment {
	const { people, clubs, k } = problem;
	if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);

	const personIndex = indexIds(people, 'person');
	const clubIndex = indexIds(
		clubs.map((c) => c.id),
		'club'
	);
	for (const club of clubs) {
		if (!Number.isSafeInteger(club.capacity) || club.capacity < 0) {
			throw new RangeError(`club ${club.id}: capacity must be a non-negative integer`);
		}
	}

	const pairKey = (p: number, c: number) => p * clubs.length + c;
	const lookup = ([person, club]: [string, string]) => {
		const p = personIndex.get(person);
		const c = clubIndex.get(club);
		if (p === undefined) throw new Error(`unknown person ${person}`);
		if (c === undefined) throw new Error(`unknown club ${club}`);
		return { p, c, key: pairKey(p, c) };
	};

	const banned = new Set((problem.bans ?? []).map((pair) => lookup(pair).key));

	const scoreOf = new Map<number, number>();
	for (const [person, club, value] of problem.scores) {
		const { key } = lookup([person, club]);
		if (!Number.isSafeInteger(value) || value < 0) {
			throw new RangeError(`score for ${person}/${club} must be a non-negative integer, got ${value}`);
		}
		if (scoreOf.has(key)) throw new Error(`duplicate score for ${person}/${club}`);
		scoreOf.set(key, value);
	}

	const clubsTaken = new Array<number>(clubs.length).fill(0);
	const pinsOf = new Array<number>(people.length).fill(0);
	const chosen = new Set<number>();
	const rejectedPins: [string, string][] = [];
	for (const pin of problem.pins ?? []) {
		const { p, c, key } = lookup(pin);
		if (banned.has(key)) throw new Error(`${pin[0]}/${pin[1]} is both pinned and banned`);
		if (chosen.has(key)) continue;
		if (at(pinsOf, p) >= k || at(clubsTaken, c) >= at(clubs, c).capacity) {
			rejectedPins.push([pin[0], pin[1]]);
			continue;
		}
		chosen.add(key);
		pinsOf[p] = at(pinsOf, p) + 1;
		clubsTaken[c] = at(clubsTaken, c) + 1;
	}

	// Candidates left for the flow: scored, not banned, not already pinned.
	const freeCandidates: { p: number; c: number; value: number }[] = [];
	for (const [key, value] of scoreOf) {
		if (banned.has(key) || chosen.has(key)) continue;
		freeCandidates.push({ p: Math.floor(key / clubs.length), c: key % clubs.length, value });
	}

	const tierBonus = tierBonuses(people.length, k, maxFreeScore(freeCandidates, pinsOf, k));

	const source = 0;
	const personNode = (p: number) => 1 + p;
	const clubNode = (c: number) => 1 + people.length + c;
	const sink = 1 + people.length + clubs.length;
	const network = new FlowNetwork(sink + 1);
	for (let p = 0; p < people.length; p++) {
		for (let t = at(pinsOf, p) + 1; t <= k; t++) {
			network.addEdge(source, personNode(p), 1, -at(tierBonus, t - 1));
		}
	}
	const pairEdges = freeCandidates.map(({ p, c, value }) =>
		network.addEdge(personNode(p), clubNode(c), 1, -value)
	);
	clubs.forEach((club, c) => {
		network.addEdge(clubNode(c), sink, club.capacity - at(clubsTaken, c), 0);
	});
	// Every augmenting path here costs less than −B_k + S < 0, so this is also a maximum flow.
	network.minCostFlow(source, sink, { onlyWhileProfitable: true });

	freeCandidates.forEach(({ p, c }, i) => {
		if (network.flowOn(at(pairEdges, i)) > 0) chosen.add(pairKey(p, c));
	});

	return summarise(problem, [...chosen].sort((a, b) => a - b), scoreOf, rejectedPins);
}

function summarise(
	problem: AssignmentProblem,
	chosenKeys: number[],
	scoreOf: Map<number, number>,
	rejectedPins: [string, string][]
): Assignment {
	const { people, clubs, k } = problem;
	const clubCount = new Array<number>(people.length).fill(0);
	const pairs: [string, string, number][] = [];
	let totalScore = 0;
	for (const key of chosenKeys) {
		const p = Math.floor(key / clubs.length);
		const c = key % clubs.length;
		const value = scoreOf.get(key) ?? 0;
		pairs.push([at(people, p), at(clubs, c).id, value]);
		clubCount[p] = at(clubCount, p) + 1;
		totalScore += value;
	}
	const coverage = Array.from({ length: k }, (_, t) => clubCount.filter((n) => n > t).length);
	const unplaced = people.filter((_, p) => at(clubCount, p) === 0);
	return { pairs, coverage, totalScore, unplaced, rejectedPins };
}

/** An upper bound on the score the flow can add: each person's best free candidates. */
function maxFreeScore(candidates: { p: number; value: number }[], pinsOf: number[], k: number): number {
	const valuesOf = new Map<number, number[]>();
	for (const { p, value } of candidates) {
		const list = valuesOf.get(p) ?? [];
		list.push(value);
		valuesOf.set(p, list);
	}
	let bound = 0;
	for (const [p, values] of valuesOf) {
		values.sort((a, b) => b - a);
		for (const v of values.slice(0, k - at(pinsOf, p))) bound += v;
	}
	return bound;
}

/** B_t = W·(N+1)^(k−t), returned as [B_1, …, B_k]; throws if the flow could leave safe integers. */
export function tierBonuses(personCount: number, k: number, maxScore: number): number[] {
	const base = maxScore + 1;
	const bonuses: number[] = [];
	let bonus = base;
	for (let t = k; t >= 1; t--) {
		bonuses.unshift(bonus);
		bonus *= personCount + 1;
	}
	// The total cost is at most N·(B_1 + … + B_k) + S; every path cost and potential is smaller.
	const totalBound = personCount * bonuses.reduce((sum, b) => sum + b, 0) + maxScore;
	if (!Number.isSafeInteger(totalBound)) {
		throw new RangeError(
			`assignment too large for exact integer tier bonuses: ${personCount} people, k = ${k}, ` +
				`score bound ${maxScore} need about ${totalBound.toExponential(2)} > 2^53`
		);
	}
	return bonuses;
}

function indexIds(ids: string[], kind: string): Map<string, number> {
	const index = new Map<string, number>();
	ids.forEach((id, i) => {
		if (index.has(id)) throw new Error(`duplicate ${kind} ${id}`);
		index.set(id, i);
	});
	return index;
}

/** Array access for indices known to be in range (noUncheckedIndexedAccess). */
function at<T>(list: T[], i: number): T {
	const value = list[i];
	if (value === undefined) throw new RangeError(`index ${i} out of range`);
	return value;
}
