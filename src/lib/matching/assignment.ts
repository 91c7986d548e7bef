/**
 * Exact tiered assignment of people to clubs.
 *
 * Objective, lexicographically: the number of people with at least 1 club, then with at least 2,
 * … up to k, then the total score. Solved as one min-cost circulation:
 *
 *   source → person   k parallel arcs of capacity 1, costs −B_1 < −B_2 < … < −B_k (the tiers)
 *   person → club     capacity 1, cost −score
 *   club   → sink     capacity = club capacity;   sink → source   free return arc
 *
 * A person with d clubs earns B_1 + … + B_d; because the bonuses fall, the cheapest tier arcs fill
 * first, so the flow maximises Σ_t B_t·n_t + totalScore (n_t = people with ≥ t clubs).
 *
 * Tier bonuses need not be astronomically apart. Two solutions differ by simple residual cycles,
 * each of which raises at most one person's club count (via tier arc a) and lowers at most one
 * (via tier arc b), and changes the score by at most D = min(#people, #clubs)·maxScore (a simple
 * cycle passes each club once). With B_k = D + 1 and B_t − B_{t+1} = D + 1, a cycle improves the
 * weighted objective exactly when it improves the lexicographic one (a < b, or equal tiers and
 * more score), so an optimum of one is an optimum of the other.
 *
 * Pins are pre-assigned: a person with m pins keeps k − m free slots priced B_{m+1} … B_k, and each
 * club's capacity drops by its pins. Every solution containing the pins corresponds one-to-one to a
 * solution of the reduced problem, with the objective shifted by a constant, so the result is the
 * exact optimum among all solutions that contain the accepted pins.
 *
 * Speed: the solver first sees only each person's best candidates. Its final prices are then
 * checked against every other candidate (a dual check); any pair that could improve the solution
 * is added and the solver runs again, so pruning never changes the optimum.
 */
import { CirculationNetwork } from './circulation';

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
	 * Pins that could not be honoured: the pair is also banned (the ban wins), or earlier pins (in
	 * input order) already filled the club's capacity or the person's k. They are reported, never
	 * silently dropped; the rest of the assignment is optimal given the accepted pins.
	 */
	rejectedPins: [string, string][];
	/** How the solver went: runs, and candidate pairs its dual checks had to add back. */
	solver: { solves: number; addedByDualCheck: number };
};

export type AssignOptions = {
	/** Candidates per person the solver starts with (a tuning knob; the result is the same). */
	initialPerPerson?: number;
};

export function assign(problem: AssignmentProblem, options: AssignOptions = {}): Assignment {
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
		if (chosen.has(key)) continue;
		if (banned.has(key) || at(pinsOf, p) >= k || at(clubsTaken, c) >= at(clubs, c).capacity) {
			rejectedPins.push([pin[0], pin[1]]);
			continue;
		}
		chosen.add(key);
		pinsOf[p] = at(pinsOf, p) + 1;
		clubsTaken[c] = at(clubsTaken, c) + 1;
	}

	// Candidates left for the solver: scored, not banned, not already pinned.
	const freeKeys: number[] = [];
	for (const key of scoreOf.keys()) if (!banned.has(key) && !chosen.has(key)) freeKeys.push(key);
	const candidates: Candidates = {
		person: Int32Array.from(freeKeys, (key) => Math.floor(key / clubs.length)),
		club: Int32Array.from(freeKeys, (key) => key % clubs.length),
		value: Int32Array.from(freeKeys, (key) => scoreOf.get(key) ?? 0)
	};
	const { chosen: chosenFree, solves, addedByDualCheck } = solveTiered({
		personCount: people.length,
		capacities: clubs.map((club, c) => club.capacity - at(clubsTaken, c)),
		pinned: pinsOf,
		k,
		candidates,
		initialPerPerson: options.initialPerPerson
	});
	chosenFree.forEach((isChosen, i) => {
		if (isChosen) chosen.add(at(freeKeys, i));
	});

	return {
		...summarise(problem, [...chosen].sort((a, b) => a - b), scoreOf, rejectedPins),
		solver: { solves, addedByDualCheck }
	};
}

/** Candidate pairs as parallel typed arrays (index-based, for large instances). */
export type Candidates = { person: Int32Array; club: Int32Array; value: Int32Array };

export type TieredInput = {
	personCount: number;
	/** Free capacity per club. */
	capacities: ArrayLike<number>;
	/** Clubs already fixed per person (pins); they take the first tiers. */
	pinned: ArrayLike<number>;
	k: number;
	candidates: Candidates;
	/** Candidates per person the solver starts with; the dual check adds what is missing. */
	initialPerPerson?: number;
};

export type TieredSolution = {
	/** chosen[i] = 1 when candidate i is in the optimum. */
	chosen: Uint8Array;
	/** How the pruning went: solver runs, candidate pairs given to the last run, pairs added by dual checks. */
	solves: number;
	arcsUsed: number;
	addedByDualCheck: number;
};

/** The exact tiered optimum over index-based candidates (see the header comment). */
export function solveTiered(input: TieredInput): TieredSolution {
	const { personCount, capacities, pinned, k, candidates } = input;
	const clubCount = capacities.length;
	const total = candidates.value.length;
	let maxScore = 0;
	for (let i = 0; i < total; i++) maxScore = Math.max(maxScore, at32(candidates.value, i));
	const tierBonus = tierBonuses(personCount, clubCount, k, maxScore);

	const source = 0;
	const personNode = (p: number) => 1 + p;
	const clubNode = (c: number) => 1 + personCount + c;
	const sink = 1 + personCount + clubCount;
	const network = new CirculationNetwork(sink + 1);
	for (let p = 0; p < personCount; p++) {
		for (let t = (pinned[p] ?? 0) + 1; t <= k; t++) network.addArc(source, personNode(p), 1, -at(tierBonus, t - 1));
	}
	let totalCapacity = 0;
	for (let c = 0; c < clubCount; c++) {
		const capacity = Math.max(0, capacities[c] ?? 0);
		totalCapacity += capacity;
		network.addArc(clubNode(c), sink, capacity, 0);
	}
	network.addArc(sink, source, totalCapacity, 0);

	const arcOf = new Int32Array(total).fill(-1);
	const addCandidate = (i: number) => {
		arcOf[i] = network.addArc(personNode(at32(candidates.person, i)), clubNode(at32(candidates.club, i)), 1, -at32(candidates.value, i));
	};
	const initial = bestCandidatesPerPerson(input, input.initialPerPerson ?? 6 * k + 2);
	for (let i = 0; i < total; i++) if (initial[i] === 1) addCandidate(i);

	let solves = 0;
	let addedByDualCheck = 0;
	for (;;) {
		network.solve();
		solves++;
		// Dual check: a left-out pair with reduced cost below −1 (in scaled units) could improve
		// the solution. None such means the solution is optimal over all candidates.
		let added = 0;
		for (let i = 0; i < total; i++) {
			if (at32(arcOf, i) >= 0) continue;
			const reduced = network.scaledReducedCost(
				personNode(at32(candidates.person, i)),
				clubNode(at32(candidates.club, i)),
				-at32(candidates.value, i)
			);
			if (reduced < -1) {
				addCandidate(i);
				added++;
			}
		}
		if (added === 0) break;
		addedByDualCheck += added;
	}

	const chosen = new Uint8Array(total);
	let arcsUsed = 0;
	for (let i = 0; i < total; i++) {
		const arc = at32(arcOf, i);
		if (arc < 0) continue;
		arcsUsed++;
		if (network.flowOn(arc) > 0) chosen[i] = 1;
	}
	return { chosen, solves, arcsUsed, addedByDualCheck };
}

/** Marks each person's `limit` best candidates (ties broken by input order). */
function bestCandidatesPerPerson(input: TieredInput, limit: number): Uint8Array {
	const { personCount, candidates } = input;
	const total = candidates.value.length;
	const marked = new Uint8Array(total);
	// Group candidate indices by person (counting sort keeps input order within a person).
	const start = new Int32Array(personCount + 1);
	for (let i = 0; i < total; i++) start[at32(candidates.person, i) + 1]!++;
	for (let p = 0; p < personCount; p++) start[p + 1]! += at32(start, p);
	const fill = start.slice(0, personCount);
	const byPerson = new Int32Array(total);
	for (let i = 0; i < total; i++) byPerson[fill[at32(candidates.person, i)]!++] = i;
	for (let p = 0; p < personCount; p++) {
		const from = at32(start, p);
		const to = at32(start, p + 1);
		if (to - from <= limit) {
			for (let j = from; j < to; j++) marked[at32(byPerson, j)] = 1;
			continue;
		}
		const own = Int32Array.from({ length: to - from }, (_, j) => at32(candidates.value, at32(byPerson, from + j)));
		own.sort();
		const threshold = at32(own, own.length - limit);
		let taken = 0;
		for (let j = from; j < to && taken < limit; j++) {
			const i = at32(byPerson, j);
			if (at32(candidates.value, i) > threshold) {
				marked[i] = 1;
				taken++;
			}
		}
		for (let j = from; j < to && taken < limit; j++) {
			const i = at32(byPerson, j);
			if (at32(candidates.value, i) === threshold) {
				marked[i] = 1;
				taken++;
			}
		}
	}
	return marked;
}

function summarise(
	problem: AssignmentProblem,
	chosenKeys: number[],
	scoreOf: Map<number, number>,
	rejectedPins: [string, string][]
): Omit<Assignment, 'solver'> {
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

/**
 * [B_1, …, B_k] with B_t = (k − t + 1)·(D + 1), D = min(people, clubs)·maxScore: the smallest
 * bonuses that keep the weighted and the lexicographic optimum the same (see the header).
 */
export function tierBonuses(personCount: number, clubCount: number, k: number, maxScore: number): number[] {
	const step = Math.min(personCount, clubCount) * maxScore + 1;
	const bonuses = Array.from({ length: k }, (_, t) => (k - t) * step);
	if (!Number.isSafeInteger(k * step * (personCount + clubCount + 3) ** 2)) {
		throw new RangeError(
			`assignment too large for exact integer costs: ${personCount} people, ${clubCount} clubs, k = ${k}, scores up to ${maxScore}`
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

function at32(list: Int32Array, i: number): number {
	const value = list[i];
	if (value === undefined) throw new RangeError(`index ${i} out of range`);
	return value;
}
