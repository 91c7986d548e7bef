/**
 * Re-planning a published assignment with as few changes as possible.
 *
 * Objective, lexicographically: (a) coverage tiers exactly as `assignIndexed`, (b) the most kept
 * published pairs, (c) the total score. Only feasible published pairs can be kept (a free candidate
 * or a pin); dropping any other is forced and costs nothing here.
 *
 * One weighted cost for (a)(b)(c) does not fit exact integer arithmetic at 10,000 × 500 (each tier
 * step would have to outweigh ~min(people, clubs) kept pairs, each worth more than all score), so
 * the objective is solved in two phases that each stay small:
 *
 *  1. `assignIndexed` as for a fresh plan. Its flow is also optimal for the tier costs alone,
 *     B_t = k − t + 1 with candidate and club arcs free (assignment.ts's argument with D = 0, so
 *     these costs order tiers lexicographically): its own costs are (D + 1)·B − score, and a
 *     residual cycle improving B by ≥ 1 would improve those by more than D ≥ |Δscore|.
 *  2. The same network restricted to the optimal face of (a): given exact integer potentials π for
 *     the tier costs, a flow is optimal for (a) exactly when every arc with positive reduced cost
 *     is empty and every arc with negative reduced cost is full (complementary slackness holds for
 *     any optimal dual with every optimal primal). So arcs with nonzero reduced cost are fixed at
 *     their phase-1 flow and the rest stay free. On that face (a) is constant; (b) and (c) fold
 *     into one cost −(score + K·published) with K = min(people, clubs)·maxScore + 1, which
 *     outweighs the score change of any simple cycle (the bound of assignment.ts's tier bonuses).
 *     These costs are about one tier step of phase 1, so they stay exact wherever phase 1 does
 *     (CirculationNetwork.solve throws rather than lose exactness).
 *
 * The potentials need no general shortest-path run. In phase 1's residual graph only arcs at the
 * sink cost anything, and every arc into the sink costs ≥ 0, so the sink's distance from a virtual
 * root is 0, and a node's distance is the most negative arc sink → entry from which it can be
 * reached over free arcs (unchosen candidates forward, chosen ones backward). Sink → person p
 * costs −B_{m+d+1} (p's first empty slot, m pins and d clubs), so one breadth-first search per
 * level, deepest first, labels every node: linear in the candidates.
 *
 * Phase 2 prunes candidates as `solveTiered` does (each person's and club's best ones, every
 * published and phase-1 pair), then checks the left-out ones against the final prices and adds
 * any that could improve the solution, so the result is exact over all candidates.
 */
import { assignIndexed, coverageOf, pairsFromKeys, type AssignOptions, type Candidates, type IndexedAssignment, type IndexedProblem } from './assignment';
import { CirculationNetwork } from './circulation';

export type ReplanAssignment = IndexedAssignment & {
	/** Published pairs that could be kept (free candidates or accepted pins), and how many were. */
	keepable: number;
	kept: number;
	/** The second phase's solver runs and the candidates its dual checks added (also in `solver`). */
	keepingSolver: { solves: number; addedByDualCheck: number };
};

/** Pairs within this many score points of paying off join the network with the violators. */
const NEAR_MISS = 5;

/**
 * The exact lexicographic optimum (coverage, kept published pairs, score) on indices. `published`
 * holds [person, club] pairs of the published plan whose person and club are still in the problem.
 */
export function assignKeeping(problem: IndexedProblem, published: [number, number][], options: AssignOptions = {}): ReplanAssignment {
	const { personCount, capacities, k, candidates } = problem;
	const clubCount = capacities.length;
	const fresh = assignIndexed(problem, options);
	const keyOf = (p: number, c: number) => p * clubCount + c;

	// The pins assignIndexed accepted: every pin that was neither rejected nor a repeat.
	const rejected = new Set(fresh.rejectedPins);
	const pinned = new Set<number>();
	const pinsOf = new Int32Array(personCount);
	const pinsAt = new Int32Array(clubCount);
	(problem.pins ?? []).forEach(([p, c], i) => {
		if (rejected.has(i) || pinned.has(keyOf(p, c))) return;
		pinned.add(keyOf(p, c));
		pinsOf[p]!++;
		pinsAt[c]!++;
	});
	const banned = new Set((problem.bans ?? []).map(([p, c]) => keyOf(p, c)));
	const free = banned.size + pinned.size === 0 ? candidates : withoutRuledPairs(candidates, keyOf, banned, pinned);
	const graph = { free, byPerson: groupBy(free.person, personCount), byClub: groupBy(free.club, clubCount) };
	const inFresh = flagPairs(graph, fresh.pairs.person, fresh.pairs.club);
	const publishedKeys = new Set(published.map(([p, c]) => keyOf(p, c)));
	const bonusOf = flagPairs(
		graph,
		published.map(([p]) => p),
		published.map(([, c]) => c)
	);

	const potential = tierPotentials({ personCount, k, pinsOf, graph, inFresh });
	const phase2 = solveOnFace({
		personCount,
		freeCapacity: Int32Array.from(capacities, (capacity, c) => capacity - pinsAt[c]!),
		k,
		pinsOf,
		graph,
		inFresh,
		bonusOf,
		potential,
		perPerson: options.initialPerPerson ?? 6 * k + 2
	});

	const chosenKeys: number[] = [];
	const valueOf = new Map<number, number>();
	for (const key of pinned) {
		chosenKeys.push(key);
		valueOf.set(key, 0);
	}
	if (pinned.size > 0) {
		for (let i = 0; i < candidates.value.length; i++) {
			const key = keyOf(candidates.person[i]!, candidates.club[i]!);
			if (pinned.has(key)) valueOf.set(key, candidates.value[i]!);
		}
	}
	let kept = [...pinned].filter((key) => publishedKeys.has(key)).length;
	let keepable = kept;
	for (let i = 0; i < free.value.length; i++) {
		keepable += bonusOf[i]!;
		if (phase2.chosen[i] === 0) continue;
		kept += bonusOf[i]!;
		const key = keyOf(free.person[i]!, free.club[i]!);
		chosenKeys.push(key);
		valueOf.set(key, free.value[i]!);
	}
	const pairs = pairsFromKeys(chosenKeys, valueOf, clubCount);
	const coverage = coverageOf(pairs, personCount, k);
	if (coverage.join() !== fresh.coverage.join()) {
		throw new Error(`assignKeeping: coverage ${coverage.join()} differs from the fresh plan's ${fresh.coverage.join()}`);
	}
	return {
		pairs,
		coverage,
		totalScore: pairs.value.reduce((sum, value) => sum + value, 0),
		rejectedPins: fresh.rejectedPins,
		solver: { solves: fresh.solver.solves + phase2.solves, addedByDualCheck: fresh.solver.addedByDualCheck + phase2.added },
		keepable,
		kept,
		keepingSolver: { solves: phase2.solves, addedByDualCheck: phase2.added }
	};
}

/** Candidates the solver decides on: not banned, not pinned (as in assignIndexed). */
function withoutRuledPairs(candidates: Candidates, keyOf: (p: number, c: number) => number, banned: Set<number>, pinned: Set<number>): Candidates {
	const total = candidates.value.length;
	const keep = new Uint8Array(total);
	let size = 0;
	for (let i = 0; i < total; i++) {
		const key = keyOf(candidates.person[i]!, candidates.club[i]!);
		if (!banned.has(key) && !pinned.has(key)) {
			keep[i] = 1;
			size++;
		}
	}
	const free: Candidates = { person: new Int32Array(size), club: new Int32Array(size), value: new Int32Array(size) };
	for (let i = 0, j = 0; i < total; i++) {
		if (keep[i] === 0) continue;
		free.person[j] = candidates.person[i]!;
		free.club[j] = candidates.club[i]!;
		free.value[j] = candidates.value[i]!;
		j++;
	}
	return free;
}

/** The free candidates, indexed by person and by club. */
type CandidateGraph = { free: Candidates; byPerson: Grouping; byClub: Grouping };

/** Indices grouped by key: group g holds order[start[g] .. start[g + 1] − 1], in input order. */
type Grouping = { start: Int32Array; order: Int32Array };

function groupBy(keys: Int32Array, groupCount: number): Grouping {
	const start = new Int32Array(groupCount + 1);
	for (let i = 0; i < keys.length; i++) start[keys[i]! + 1]!++;
	for (let g = 0; g < groupCount; g++) start[g + 1]! += start[g]!;
	const fill = start.slice(0, groupCount);
	const order = new Int32Array(keys.length);
	for (let i = 0; i < keys.length; i++) order[fill[keys[i]!]!++] = i;
	return { start, order };
}

/** flag[i] = 1 when free candidate i is one of the given pairs (found through its person). */
function flagPairs({ free, byPerson }: CandidateGraph, persons: ArrayLike<number>, clubs: ArrayLike<number>): Uint8Array {
	const flag = new Uint8Array(free.value.length);
	for (let j = 0; j < persons.length; j++) {
		const p = persons[j]!;
		for (let n = byPerson.start[p]!; n < byPerson.start[p + 1]!; n++) {
			const i = byPerson.order[n]!;
			if (free.club[i] === clubs[j]) flag[i] = 1;
		}
	}
	return flag;
}

/**
 * Exact potentials of the tier costs in phase 1's residual graph (see the header): persons, then
 * clubs; the sink has 0.
 */
function tierPotentials(input: { personCount: number; k: number; pinsOf: Int32Array; graph: CandidateGraph; inFresh: Uint8Array }): Int32Array {
	const { personCount, k, pinsOf, inFresh } = input;
	const { free, byPerson, byClub } = input.graph;
	const clubCount = byClub.start.length - 1;
	const clubsOf = new Int32Array(personCount);
	for (let i = 0; i < inFresh.length; i++) clubsOf[free.person[i]!]! += inFresh[i]!;

	const potential = new Int32Array(personCount + clubCount);
	const labelled = new Uint8Array(personCount + clubCount);
	const queue = new Int32Array(personCount + clubCount);
	// Sink → p costs −(k − m − d): the bonus of p's first empty slot.
	const entriesAt = Array.from({ length: k + 1 }, () => [] as number[]);
	for (let p = 0; p < personCount; p++) {
		const empty = k - pinsOf[p]! - clubsOf[p]!;
		if (empty > 0) entriesAt[empty]!.push(p);
	}
	let tail = 0;
	const reach = (v: number, level: number) => {
		if (labelled[v] === 1) return;
		labelled[v] = 1;
		potential[v] = -level;
		queue[tail++] = v;
	};
	for (let level = k; level >= 1; level--) {
		let head = tail;
		for (const p of entriesAt[level]!) reach(p, level);
		// Zero-cost residual arcs: person → club for unchosen candidates, club → person for chosen ones.
		while (head < tail) {
			const v = queue[head++]!;
			if (v < personCount) {
				for (let n = byPerson.start[v]!; n < byPerson.start[v + 1]!; n++) {
					const i = byPerson.order[n]!;
					if (inFresh[i] === 0) reach(personCount + free.club[i]!, level);
				}
			} else {
				const c = v - personCount;
				for (let n = byClub.start[c]!; n < byClub.start[c + 1]!; n++) {
					const i = byClub.order[n]!;
					if (inFresh[i] === 1) reach(free.person[i]!, level);
				}
			}
		}
	}
	return potential;
}

type FaceProblem = {
	personCount: number;
	/** Capacity left after pins, per club. */
	freeCapacity: Int32Array;
	k: number;
	pinsOf: Int32Array;
	graph: CandidateGraph;
	inFresh: Uint8Array;
	/** 1 for published pairs: they earn K on top of their score. */
	bonusOf: Uint8Array;
	potential: Int32Array;
	/** Candidates per person the solver starts with (as in solveTiered). */
	perPerson: number;
};

/**
 * Phase 2: arcs off the face keep their phase-1 flow (as node supplies), the rest form a network
 * that maximises score + K·kept. Returns the chosen free candidates.
 */
function solveOnFace(input: FaceProblem): { chosen: Uint8Array; solves: number; added: number } {
	const { personCount, freeCapacity, k, pinsOf, inFresh, bonusOf, potential } = input;
	const { free } = input.graph;
	const clubCount = freeCapacity.length;
	const total = free.value.length;
	const clubNode = (c: number) => personCount + c;
	const sink = personCount + clubCount;
	const supply = new Float64Array(sink + 1);
	const fix = (from: number, to: number, flow: number) => {
		supply[from]! -= flow;
		supply[to]! += flow;
	};

	let maxScore = 0;
	for (let i = 0; i < total; i++) maxScore = Math.max(maxScore, free.value[i]!);
	const keepBonus = Math.min(personCount, clubCount) * maxScore + 1;
	const cost = new Float64Array(total);
	for (let i = 0; i < total; i++) cost[i] = -(free.value[i]! + keepBonus * bonusOf[i]!);

	const clubsOf = new Int32Array(personCount);
	const loadOf = new Int32Array(clubCount);
	for (let i = 0; i < total; i++) {
		clubsOf[free.person[i]!]! += inFresh[i]!;
		loadOf[free.club[i]!]! += inFresh[i]!;
	}

	const network = new CirculationNetwork(sink + 1);
	const freeSlots: number[] = [];
	for (let p = 0; p < personCount; p++) {
		const m = pinsOf[p]!;
		fix(sink, p, Math.max(0, k - m));
		// Slot t's "no club" arc costs B_t = k − t + 1; its reduced cost is B_t + π(p).
		for (let t = m + 1; t <= k; t++) {
			const reduced = k - t + 1 + potential[p]!;
			const isUsed = t <= m + clubsOf[p]!;
			if (isUsed ? reduced < 0 : reduced > 0) throw new Error(`assignKeeping: potential of person ${p} is not optimal`);
			if (reduced === 0) freeSlots.push(p);
			else if (!isUsed) fix(p, sink, 1);
		}
	}
	for (let c = 0; c < clubCount; c++) {
		const reduced = potential[clubNode(c)]!;
		if (reduced === 0) continue;
		if (reduced > 0 || loadOf[c] !== freeCapacity[c]) throw new Error(`assignKeeping: potential of club ${c} is not optimal`);
		fix(clubNode(c), sink, loadOf[c]!);
	}
	// Candidates: on the face when both ends have the same potential, else fixed at their flow.
	const onFace = new Uint8Array(total);
	for (let i = 0; i < total; i++) {
		const p = free.person[i]!;
		const c = free.club[i]!;
		const reduced = potential[p]! - potential[clubNode(c)]!;
		if (inFresh[i] === 1 ? reduced > 0 : reduced < 0) throw new Error(`assignKeeping: potential of pair ${p}/${c} is not optimal`);
		if (reduced === 0) onFace[i] = 1;
		else if (inFresh[i] === 1) fix(p, clubNode(c), 1);
	}
	supply.forEach((amount, v) => amount !== 0 && network.setSupply(v, amount));
	// The solver routes supplies while refining from ε = largest cost; when every cost on the face
	// is 0 there would be no refinement at all, so an empty arc of cost 1 starts one.
	network.addArc(sink, sink, 0, 1);
	for (const p of freeSlots) network.addArc(p, sink, 1, 0);
	for (let c = 0; c < clubCount; c++) {
		if (potential[clubNode(c)] === 0) network.addArc(clubNode(c), sink, Math.max(0, freeCapacity[c]!), 0);
	}

	const arcOf = new Int32Array(total).fill(-1);
	const addCandidate = (i: number) => {
		arcOf[i] = network.addArc(free.person[i]!, clubNode(free.club[i]!), 1, cost[i]!);
	};
	const start = startingArcs(input, onFace, cost);
	for (let i = 0; i < total; i++) if (start[i] === 1) addCandidate(i);

	let solves = 0;
	let added = 0;
	for (;;) {
		network.solve();
		solves++;
		// The dual check of solveTiered: a left-out pair below −1 could improve the solution.
		const reducedCost = (i: number) => network.scaledReducedCost(free.person[i]!, clubNode(free.club[i]!), cost[i]!);
		let violations = 0;
		for (let i = 0; i < total; i++) if (onFace[i] === 1 && arcOf[i]! < 0 && reducedCost(i) < -1) violations++;
		if (violations === 0) break;
		const margin = NEAR_MISS * network.scale;
		for (let i = 0; i < total; i++) {
			if (onFace[i] === 1 && arcOf[i]! < 0 && reducedCost(i) < margin) {
				addCandidate(i);
				added++;
			}
		}
	}

	const chosen = new Uint8Array(total);
	for (let i = 0; i < total; i++) {
		if (onFace[i] === 1) chosen[i] = arcOf[i]! >= 0 && network.flowOn(arcOf[i]!) > 0 ? 1 : 0;
		else chosen[i] = inFresh[i]!;
	}
	return { chosen, solves, added };
}

/**
 * The candidates phase 2 starts with: every published and phase-1 pair on the face (phase 1's
 * flow stays feasible), and each person's and club's best ones by phase-2 value.
 */
function startingArcs(input: FaceProblem, onFace: Uint8Array, cost: Float64Array): Uint8Array {
	const { freeCapacity, perPerson, inFresh, bonusOf } = input;
	const { byPerson, byClub } = input.graph;
	const total = cost.length;
	const marked = new Uint8Array(total);
	for (let i = 0; i < total; i++) if (onFace[i] === 1 && (inFresh[i] === 1 || bonusOf[i] === 1)) marked[i] = 1;
	let largest = 0;
	for (const { start } of [byPerson, byClub]) for (let g = 0; g + 1 < start.length; g++) largest = Math.max(largest, start[g + 1]! - start[g]!);
	const scratch = new Float64Array(largest);
	markCheapest(byPerson, () => perPerson);
	markCheapest(byClub, (c) => 2 * Math.max(0, freeCapacity[c]!) + perPerson);
	return marked;

	/** Marks the `limit(g)` cheapest candidates on the face in each group g (ties: input order). */
	function markCheapest({ start, order }: Grouping, limit: (group: number) => number) {
		for (let g = 0; g + 1 < start.length; g++) {
			let size = 0;
			for (let n = start[g]!; n < start[g + 1]!; n++) if (onFace[order[n]!] === 1) scratch[size++] = cost[order[n]!]!;
			const wanted = limit(g);
			const threshold = size <= wanted ? Infinity : scratch.subarray(0, size).sort()[wanted - 1]!;
			let taken = 0;
			for (const isBelow of [true, false]) {
				for (let n = start[g]!; n < start[g + 1]! && taken < wanted; n++) {
					const i = order[n]!;
					if (onFace[i] === 1 && (isBelow ? cost[i]! < threshold : cost[i] === threshold)) {
						marked[i] = 1;
						taken++;
					}
				}
			}
		}
	}
}
