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
 * Speed: the solver first sees only each person's and each club's best candidates. Between its
 * refinements and at the end, its prices are checked against every other candidate (a dual
 * check); pairs that break the current ε-optimality join the network. If the check at the end
 * (ε = 1) adds any, the solver runs again, so pruning never changes the optimum.
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
	/** Told how far the solver is, as a fraction that never falls and ends at 1 (an estimate). */
	onProgress?: (fraction: number) => void;
};

export function assign(problem: AssignmentProblem, options: AssignOptions = {}): Assignment {
	const { people, clubs, k } = problem;
	const lookup = pairLookup(
		people,
		clubs.map((c) => c.id)
	);
	const candidates = candidatesFromScores(problem.scores, lookup, clubs.length);
	const pins = problem.pins ?? [];
	const result = assignIndexed(
		{
			personCount: people.length,
			capacities: clubs.map((club) => club.capacity),
			k,
			candidates,
			pins: pins.map(lookup),
			bans: (problem.bans ?? []).map(lookup)
		},
		options
	);
	const pairs = Array.from(result.pairs.value, (value, i): [string, string, number] => [
		at(people, at32(result.pairs.person, i)),
		at(clubs, at32(result.pairs.club, i)).id,
		value
	]);
	const placed = new Set(result.pairs.person);
	return {
		pairs,
		coverage: result.coverage,
		totalScore: result.totalScore,
		unplaced: people.filter((_, p) => !placed.has(p)),
		rejectedPins: result.rejectedPins.map((i) => at(pins, i)),
		solver: result.solver
	};
}

/** Checks explicit [person, club, value] scores and turns them into typed candidates. */
export function candidatesFromScores(
	scores: [string, string, number][],
	lookup: (pair: [string, string]) => [number, number],
	clubCount: number
): Candidates {
	const seen = new Set<number>();
	const candidates: Candidates = {
		person: new Int32Array(scores.length),
		club: new Int32Array(scores.length),
		value: new Int32Array(scores.length)
	};
	scores.forEach(([person, club, value], i) => {
		const [p, c] = lookup([person, club]);
		if (!Number.isSafeInteger(value) || value < 0 || value > MAX_SCORE) {
			throw new RangeError(`score for ${person}/${club} must be an integer in 0..${MAX_SCORE}, got ${value}`);
		}
		if (seen.has(p * clubCount + c)) throw new Error(`duplicate score for ${person}/${club}`);
		seen.add(p * clubCount + c);
		candidates.person[i] = p;
		candidates.club[i] = c;
		candidates.value[i] = value;
	});
	return candidates;
}

/**
 * When the dual check finds pairs that could improve the solution, pairs within this many score
 * points of paying off join as well, so later checks find less (5 did best of 2, 5 and 10 on
 * 10,000 × 500).
 */
const NEAR_MISS = 5;

/** Scores above this would let costs outgrow exact integer arithmetic on large instances. */
export const MAX_SCORE = 1_000_000;

/** The assignment problem with people and clubs as indices and candidates in typed arrays. */
export type IndexedProblem = {
	personCount: number;
	capacities: number[];
	k: number;
	/** No pair twice. */
	candidates: Candidates;
	pins?: [number, number][];
	bans?: [number, number][];
};

export type IndexedAssignment = {
	/** Chosen pairs ordered by person, then club. */
	pairs: Candidates;
	coverage: number[];
	totalScore: number;
	/** Indices into `pins`. */
	rejectedPins: number[];
	solver: { solves: number; addedByDualCheck: number };
};

/** The exact tiered optimum on indices; what `assign` runs after checking and mapping ids. */
export function assignIndexed(problem: IndexedProblem, options: AssignOptions = {}): IndexedAssignment {
	const { personCount, capacities, k, candidates } = problem;
	const clubCount = capacities.length;
	if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
	for (const [c, capacity] of capacities.entries()) {
		if (!Number.isSafeInteger(capacity) || capacity < 0) {
			throw new RangeError(`club ${c}: capacity must be a non-negative integer`);
		}
	}
	const keyOf = (p: number, c: number) => p * clubCount + c;
	const banned = new Set((problem.bans ?? []).map(([p, c]) => keyOf(p, c)));

	const clubsTaken = new Array<number>(clubCount).fill(0);
	const pinsOf = new Array<number>(personCount).fill(0);
	const pinned = new Set<number>();
	const rejectedPins: number[] = [];
	(problem.pins ?? []).forEach(([p, c], i) => {
		const key = keyOf(p, c);
		if (pinned.has(key)) return;
		if (banned.has(key) || at(pinsOf, p) >= k || at(clubsTaken, c) >= at(capacities, c)) {
			rejectedPins.push(i);
			return;
		}
		pinned.add(key);
		pinsOf[p] = at(pinsOf, p) + 1;
		clubsTaken[c] = at(clubsTaken, c) + 1;
	});

	// Candidates left for the solver: not banned, not already pinned. A pin's value is its score, else 0.
	const pinValue = new Map<number, number>([...pinned].map((key) => [key, 0]));
	const free = banned.size + pinned.size === 0 ? candidates : withoutRuledPairs(candidates, keyOf, banned, pinValue);
	const solution = solveTiered({
		personCount,
		capacities: capacities.map((capacity, c) => capacity - at(clubsTaken, c)),
		pinned: pinsOf,
		k,
		candidates: free,
		initialPerPerson: options.initialPerPerson,
		onProgress: options.onProgress
	});

	const chosenKeys: number[] = [...pinned];
	const valueOf = new Map(pinValue);
	solution.chosen.forEach((isChosen, i) => {
		if (!isChosen) return;
		const key = keyOf(at32(free.person, i), at32(free.club, i));
		chosenKeys.push(key);
		valueOf.set(key, at32(free.value, i));
	});
	const pairs = pairsFromKeys(chosenKeys, valueOf, clubCount);
	return {
		pairs,
		coverage: coverageOf(pairs, personCount, k),
		totalScore: pairs.value.reduce((sum, value) => sum + value, 0),
		rejectedPins,
		solver: { solves: solution.solves, addedByDualCheck: solution.addedByDualCheck }
	};
}

/** Chosen pairs (keys person · clubCount + club) ordered by person, then club, with their values. */
export function pairsFromKeys(keys: number[], valueOf: Map<number, number>, clubCount: number): Candidates {
	keys.sort((a, b) => a - b);
	return {
		person: Int32Array.from(keys, (key) => Math.floor(key / clubCount)),
		club: Int32Array.from(keys, (key) => key % clubCount),
		value: Int32Array.from(keys, (key) => valueOf.get(key) ?? 0)
	};
}

/** coverage[t − 1] = people with at least t of the pairs, for t = 1..k. */
export function coverageOf(pairs: Candidates, personCount: number, k: number): number[] {
	const clubsOf = new Int32Array(personCount);
	for (const p of pairs.person) clubsOf[p]!++;
	return Array.from({ length: k }, (_, t) => clubsOf.filter((n) => n > t).length);
}

/** Drops banned and pinned pairs from the candidates, noting the pinned pairs' values. */
function withoutRuledPairs(
	candidates: Candidates,
	keyOf: (p: number, c: number) => number,
	banned: Set<number>,
	pinValue: Map<number, number>
): Candidates {
	const keep: number[] = [];
	candidates.value.forEach((value, i) => {
		const key = keyOf(at32(candidates.person, i), at32(candidates.club, i));
		if (pinValue.has(key)) pinValue.set(key, value);
		else if (!banned.has(key)) keep.push(i);
	});
	return {
		person: Int32Array.from(keep, (i) => at32(candidates.person, i)),
		club: Int32Array.from(keep, (i) => at32(candidates.club, i)),
		value: Int32Array.from(keep, (i) => at32(candidates.value, i))
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
	onProgress?: (fraction: number) => void;
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

	// Each person supplies their free slots; a slot that finds no club goes to the sink over a
	// "no club" arc priced at its tier bonus. Dumping the cheapest tiers first makes d clubs cost
	// −(B_{m+1} + … + B_{m+d}) plus a constant, as the tier arcs in the header describe, without
	// a source node that every person hangs on (a hub that push–relabel keeps relabelling).
	// Every arc touches a club or the sink, and clubs meet only people and the sink, so a simple
	// cycle alternates people and clubs, with the sink at most once: at most 2·min(P, C) + 2 arcs.
	const personNode = (p: number) => p;
	const clubNode = (c: number) => personCount + c;
	const sink = personCount + clubCount;
	const network = new CirculationNetwork(sink + 1, { longestCycle: 2 * Math.min(personCount, clubCount) + 2 });
	let totalSupply = 0;
	for (let p = 0; p < personCount; p++) {
		const first = (pinned[p] ?? 0) + 1;
		for (let t = first; t <= k; t++) network.addArc(personNode(p), sink, 1, at(tierBonus, t - 1));
		network.setSupply(personNode(p), Math.max(0, k - first + 1));
		totalSupply += Math.max(0, k - first + 1);
	}
	network.setSupply(sink, -totalSupply);
	for (let c = 0; c < clubCount; c++) network.addArc(clubNode(c), sink, Math.max(0, capacities[c] ?? 0), 0);

	const arcOf = new Int32Array(total).fill(-1);
	const addCandidate = (i: number) => {
		arcOf[i] = network.addArc(personNode(at32(candidates.person, i)), clubNode(at32(candidates.club, i)), 1, -at32(candidates.value, i));
	};
	const initial = startingCandidates(input, input.initialPerPerson ?? 6 * k + 2, maxScore);
	for (let i = 0; i < total; i++) if (initial[i] === 1) addCandidate(i);

	/**
	 * Dual check: a left-out pair whose reduced cost under the current prices is below −tolerance
	 * (in scaled units) violates ε-optimality for ε = tolerance. When there are some, they join,
	 * and so do pairs within NEAR_MISS score points of paying off. Returns how many joined. With
	 * tolerance 1 at the end of a solve, none means the solution is optimal over all candidates.
	 */
	const addViolatedPairs = (tolerance: number): number => {
		const { person, club, value } = candidates;
		const { scale } = network;
		const price = network.prices();
		const margin = Math.max(-tolerance, NEAR_MISS * scale);
		const joining: number[] = [];
		let isViolated = false;
		for (let i = 0; i < total; i++) {
			if (arcOf[i]! >= 0) continue;
			const reducedCost = price[personNode(person[i]!)]! - price[clubNode(club[i]!)]! - value[i]! * scale;
			if (reducedCost < margin) {
				joining.push(i);
				if (reducedCost < -tolerance) isViolated = true;
			}
		}
		if (!isViolated) return 0;
		for (const i of joining) addCandidate(i);
		return joining.length;
	};

	// Progress: the first solve by how far ε has fallen on a log scale, up to FIRST_SOLVE_SHARE;
	// each re-solve after a dual check then closes half of what is left.
	let progress = 0;
	const report = (fraction: number) => {
		if (fraction <= progress) return;
		progress = fraction;
		input.onProgress?.(fraction);
	};
	input.onProgress?.(0);

	let solves = 0;
	let refinements = 0;
	let addedByDualCheck = 0;
	for (;;) {
		const from = solves === 0 ? 0 : 1 - (1 - FIRST_SOLVE_SHARE) / 2 ** (solves - 1);
		const to = 1 - (1 - FIRST_SOLVE_SHARE) / 2 ** solves;
		network.solve({
			onRefined: (epsilon, startEpsilon) => {
				// Checking between refinements brings missing pairs in while ε is still coarse,
				// where they cost little, instead of in a re-solve after the end. The first
				// refinement only routes every supply somewhere; its prices say little yet.
				if (++refinements > 1 && epsilon > 1) addedByDualCheck += addViolatedPairs(epsilon);
				const done = startEpsilon > 1 ? 1 - Math.log(epsilon) / Math.log(startEpsilon) : 1;
				report(from + (to - from) * done);
			}
		});
		solves++;
		const added = addViolatedPairs(1);
		if (added === 0) break;
		addedByDualCheck += added;
	}
	report(1);

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

/** The share of the progress fraction given to the first solve; re-solves share the rest. */
const FIRST_SOLVE_SHARE = 0.9;

/**
 * Marks each person's best candidates and each club's best candidates (about twice its free
 * seats): people see their favourites, and clubs nobody favours still get people to offer seats
 * to. "Best" is by value bucket (see markBestPerGroup); which pairs start makes no difference to
 * the result, only to the work.
 */
function startingCandidates(input: TieredInput, perPerson: number, maxValue: number): Uint8Array {
	const { candidates, capacities } = input;
	const total = candidates.value.length;
	const width = Math.floor(maxValue / VALUE_BUCKETS) + 1;
	const bucketOf = new Uint8Array(total);
	for (let i = 0; i < total; i++) bucketOf[i] = Math.floor(candidates.value[i]! / width);
	const marked = new Uint8Array(total);
	markBestPerGroup(bucketOf, candidates.person, input.personCount, () => perPerson, marked);
	markBestPerGroup(bucketOf, candidates.club, capacities.length, (c) => 2 * Math.max(0, capacities[c] ?? 0) + perPerson, marked);
	return marked;
}

/** Value buckets for choosing starting candidates (at most 256: bucket numbers are bytes). */
const VALUE_BUCKETS = 64;

/**
 * For each group g, marks `limit(g)` candidates of group g, the highest by value bucket (the
 * value range cut into VALUE_BUCKETS): every candidate in a higher bucket than the last one
 * needed, and from that bucket the earlier candidates. Two passes and a small histogram per
 * group instead of a sort per group, which was the slowest part of setting up 10,000 × 500.
 */
function markBestPerGroup(
	bucketOf: Uint8Array,
	groupOf: Int32Array,
	groupCount: number,
	limit: (group: number) => number,
	marked: Uint8Array
): void {
	const total = bucketOf.length;
	const histogram = new Int32Array(groupCount * VALUE_BUCKETS);
	for (let i = 0; i < total; i++) histogram[groupOf[i]! * VALUE_BUCKETS + bucketOf[i]!]!++;
	// Per group: the lowest bucket still taken, and how many of that bucket may join.
	const lowestBucket = new Int32Array(groupCount);
	const room = new Int32Array(groupCount);
	for (let g = 0; g < groupCount; g++) {
		let wanted = Math.max(0, limit(g));
		let bucket = VALUE_BUCKETS - 1;
		for (; bucket >= 0; bucket--) {
			const count = histogram[g * VALUE_BUCKETS + bucket]!;
			if (count >= wanted) break;
			wanted -= count;
		}
		lowestBucket[g] = bucket;
		room[g] = wanted;
	}
	for (let i = 0; i < total; i++) {
		const g = groupOf[i]!;
		const bucket = bucketOf[i]!;
		if (bucket > lowestBucket[g]!) marked[i] = 1;
		else if (bucket === lowestBucket[g]! && room[g]! > 0) {
			marked[i] = 1;
			room[g]!--;
		}
	}
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

/** Maps [person, club] ids to indices; throws on duplicate ids and names unknown ones. */
export function pairLookup(people: string[], clubs: string[]): (pair: [string, string]) => [number, number] {
	const personIndex = indexIds(people, 'person');
	const clubIndex = indexIds(clubs, 'club');
	return ([person, club]) => {
		const p = personIndex.get(person);
		const c = clubIndex.get(club);
		if (p === undefined) throw new Error(`unknown person ${person}`);
		if (c === undefined) throw new Error(`unknown club ${club}`);
		return [p, c];
	};
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
