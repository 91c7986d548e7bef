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
 *  1. `assignIndexed` as for a fresh plan: optimal for (a) (and for (c) within it, unused here).
 *  2. The same network restricted to the optimal face of (a): with exact integer potentials π for
 *     the tier costs alone (B_t = k − t + 1, candidate and club arcs free), a flow is optimal for
 *     (a) exactly when every arc with positive reduced cost is empty and every arc with negative
 *     reduced cost is full (complementary slackness holds for any optimal dual with every optimal
 *     primal). So arcs with nonzero reduced cost are fixed at their phase-1 flow and the rest stay
 *     free. On that face (a) is constant; (b) and (c) fold into one cost −(score + K·published)
 *     with K = min(people, clubs)·maxScore + 1, which outweighs the score change of any simple
 *     cycle (the same bound as the tier bonuses in assignment.ts).
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
import { assignIndexed, type AssignOptions, type Candidates, type IndexedAssignment, type IndexedProblem } from './assignment';
import { CirculationNetwork } from './circulation';

export type ReplanAssignment = IndexedAssignment & {
	/** Published pairs that could be kept (free candidates or accepted pins), and how many were. */
	keepable: number;
	kept: number;
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
	const isPublished = new Set(published.map(([p, c]) => keyOf(p, c)));
	const chosenKeys = new Set<number>();
	for (let i = 0; i < fresh.pairs.value.length; i++) chosenKeys.add(keyOf(fresh.pairs.person[i]!, fresh.pairs.club[i]!));

	const free = freeCandidates(candidates, keyOf, banned, pinned);
	const inFresh = Uint8Array.from(free.person, (p, i) => (chosenKeys.has(keyOf(p, free.club[i]!)) ? 1 : 0));
	const keepable = new Set([...isPublished].filter((key) => pinned.has(key)));
	const bonusOf = Uint8Array.from(free.person, (p, i) => (isPublished.has(keyOf(p, free.club[i]!)) ? 1 : 0));
	bonusOf.forEach((isBonus, i) => isBonus === 1 && keepable.add(keyOf(free.person[i]!, free.club[i]!)));

	const face = optimalFace({ personCount, clubCount, k, pinsOf, free, inFresh });
	const phase2 = solveOnFace({
		personCount,
		freeCapacity: Int32Array.from(capacities, (capacity, c) => capacity - pinsAt[c]!),
		k,
		pinsOf,
		free,
		inFresh,
		bonusOf,
		face
	});

	const finalKeys = [...pinned];
	const valueOf = new Map<number, number>(finalKeys.map((key) => [key, 0]));
	candidates.value.forEach((value, i) => {
		const key = keyOf(candidates.person[i]!, candidates.club[i]!);
		if (pinned.has(key)) valueOf.set(key, value);
	});
	phase2.chosen.forEach((isChosen, i) => {
		if (isChosen === 0) return;
		const key = keyOf(free.person[i]!, free.club[i]!);
		finalKeys.push(key);
		valueOf.set(key, free.value[i]!);
	});
	finalKeys.sort((a, b) => a - b);
	const pairs: Candidates = {
		person: Int32Array.from(finalKeys, (key) => Math.floor(key / clubCount)),
		club: Int32Array.from(finalKeys, (key) => key % clubCount),
		value: Int32Array.from(finalKeys, (key) => valueOf.get(key) ?? 0)
	};
	const clubsOf = new Int32Array(personCount);
	for (const p of pairs.person) clubsOf[p]!++;
	const coverage = Array.from({ length: k }, (_, t) => clubsOf.filter((n) => n > t).length);
	if (coverage.join() !== fresh.coverage.join()) {
		throw new Error(`assignKeeping: coverage ${coverage.join()} differs from the fresh plan's ${fresh.coverage.join()}`);
	}
	return {
		pairs,
		coverage,
		totalScore: pairs.value.reduce((sum, value) => sum + value, 0),
		rejectedPins: fresh.rejectedPins,
		solver: { solves: fresh.solver.solves + phase2.solves, addedByDualCheck: fresh.solver.addedByDualCheck + phase2.added },
		keepable: keepable.size,
		kept: finalKeys.filter((key) => keepable.has(key)).length
	};
}

/** Candidates the solver decides on: not banned, not pinned (as in assignIndexed). */
function freeCandidates(candidates: Candidates, keyOf: (p: number, c: number) => number, banned: Set<number>, pinned: Set<number>): Candidates {
	const keep: number[] = [];
	candidates.value.forEach((_, i) => {
		const key = keyOf(candidates.person[i]!, candidates.club[i]!);
		if (!banned.has(key) && !pinned.has(key)) keep.push(i);
	});
	return {
		person: Int32Array.from(keep, (i) => candidates.person[i]!),
		club: Int32Array.from(keep, (i) => candidates.club[i]!),
		value: Int32Array.from(keep, (i) => candidates.value[i]!)
	};
}

type FaceInput = {
	personCount: number;
	clubCount: number;
	k: number;
	pinsOf: Int32Array;
	free: Candidates;
	/** inFresh[i] = 1 when free candidate i is in the phase-1 solution. */
	inFresh: Uint8Array;
};

/** Exact potentials of the tier costs (see the header): persons, then clubs; the sink has 0. */
type Face = { potential: Int32Array };

function optimalFace(input: FaceInput): Face {
	const { personCount, clubCount, k, pinsOf, free, inFresh } = input;
	const clubNode = (c: number) => personCount + c;
	const clubsOf = new Int32Array(personCount);
	inFresh.forEach((isChosen, i) => isChosen === 1 && clubsOf[free.person[i]!]!++);

	// Zero-cost residual arcs: person → club for unchosen candidates, club → person for chosen ones.
	const byPerson = groupBy(free.person, personCount);
	const chosenAt = groupBy(
		Int32Array.from(free.club, (c, i) => (inFresh[i] === 1 ? c : -1)),
		clubCount
	);
	const potential = new Int32Array(personCount + clubCount);
	const labelled = new Uint8Array(personCount + clubCount);
	const queue = new Int32Array(personCount + clubCount);
	// Sink → p costs −(k − m − d): the bonus of p's first empty slot.
	const entriesAt = Array.from({ length: k + 1 }, () => [] as number[]);
	for (let p = 0; p < personCount; p++) {
		const empty = k - pinsOf[p]! - clubsOf[p]!;
		if (empty > 0) entriesAt[empty]!.push(p);
	}
	for (let level = k; level >= 1; level--) {
		let head = 0;
		let tail = 0;
		for (const p of entriesAt[level]!) {
			if (labelled[p] === 1) continue;
			labelled[p] = 1;
			potential[p] = -level;
			queue[tail++] = p;
		}
		while (head < tail) {
			const v = queue[head++]!;
			const reach = (w: number) => {
				if (labelled[w] === 1) return;
				labelled[w] = 1;
				potential[w] = -level;
				queue[tail++] = w;
			};
			if (v < personCount) {
				for (let j = byPerson.start[v]!; j < byPerson.start[v + 1]!; j++) {
					const i = byPerson.order[j]!;
					if (inFresh[i] === 0) reach(clubNode(free.club[i]!));
				}
			} else {
				const c = v - personCount;
				for (let j = chosenAt.start[c]!; j < chosenAt.start[c + 1]!; j++) reach(free.person[chosenAt.order[j]!]!);
			}
		}
	}
	return { potential };
}

/** Indices 0..n−1 grouped by key (counting sort, input order kept); negative keys are left out. */
function groupBy(keys: Int32Array, groupCount: number): { start: Int32Array; order: Int32Array } {
	const start = new Int32Array(groupCount + 1);
	for (const key of keys) if (key >= 0) start[key + 1]!++;
	for (let g = 0; g < groupCount; g++) start[g + 1]! += start[g]!;
	const fill = start.slice(0, groupCount);
	const order = new Int32Array(start[groupCount]!);
	keys.forEach((key, i) => {
		if (key >= 0) order[fill[key]!++] = i;
	});
	return { start, order };
}

type FaceProblem = {
	personCount: number;
	/** Capacity left after pins, per club. */
	freeCapacity: Int32Array;
	k: number;
	pinsOf: Int32Array;
	free: Candidates;
	inFresh: Uint8Array;
	/** 1 for published pairs: they earn K on top of their score. */
	bonusOf: Uint8Array;
	face: Face;
};

/**
 * Phase 2: arcs off the face keep their phase-1 flow (as node supplies), the rest form a network
 * that maximises score + K·kept. Returns the chosen free candidates.
 */
function solveOnFace(input: FaceProblem): { chosen: Uint8Array; solves: number; added: number } {
	const { personCount, freeCapacity, k, pinsOf, free, inFresh, bonusOf } = input;
	const { potential } = input.face;
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
	for (const value of free.value) maxScore = Math.max(maxScore, value);
	const keepBonus = Math.min(personCount, clubCount) * maxScore + 1;
	const costOf = (i: number) => -(free.value[i]! + keepBonus * bonusOf[i]!);

	const clubsOf = new Int32Array(personCount);
	const loadOf = new Int32Array(clubCount);
	inFresh.forEach((isChosen, i) => {
		if (isChosen === 0) return;
		clubsOf[free.person[i]!]!++;
		loadOf[free.club[i]!]!++;
	});

	const network = new CirculationNetwork(sink + 1);
	const freeSlotArcs: [number, number][] = [];
	for (let p = 0; p < personCount; p++) {
		const m = pinsOf[p]!;
		supply[p]! += Math.max(0, k - m);
		supply[sink]! -= Math.max(0, k - m);
		// Slot t's "no club" arc costs B_t = k − t + 1; its reduced cost is B_t + π(p).
		for (let t = m + 1; t <= k; t++) {
			const reduced = k - t + 1 + potential[p]!;
			const isUsed = t <= m + clubsOf[p]!;
			if (isUsed ? reduced < 0 : reduced > 0) throw new Error(`assignKeeping: potential of person ${p} is not optimal`);
			if (reduced === 0) freeSlotArcs.push([p, sink]);
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
	for (const [p, to] of freeSlotArcs) network.addArc(p, to, 1, 0);
	for (let c = 0; c < clubCount; c++) {
		if (potential[clubNode(c)] === 0) network.addArc(clubNode(c), sink, Math.max(0, freeCapacity[c]!), 0);
	}

	const arcOf = new Int32Array(total).fill(-1);
	const addCandidate = (i: number) => {
		arcOf[i] = network.addArc(free.person[i]!, clubNode(free.club[i]!), 1, costOf(i));
	};
	const start = startingArcs(input, onFace, costOf);
	for (let i = 0; i < total; i++) if (start[i] === 1) addCandidate(i);

	let solves = 0;
	let added = 0;
	for (;;) {
		network.solve();
		solves++;
		const reducedCost = (i: number) => network.scaledReducedCost(free.person[i]!, clubNode(free.club[i]!), costOf(i));
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
function startingArcs(input: FaceProblem, onFace: Uint8Array, costOf: (i: number) => number): Uint8Array {
	const { personCount, freeCapacity, k, free, inFresh, bonusOf } = input;
	const total = free.value.length;
	const marked = new Uint8Array(total);
	const gain = Float64Array.from({ length: total }, (_, i) => (onFace[i] === 1 ? -costOf(i) : -Infinity));
	const markBest = (groupOf: Int32Array, groupCount: number, limit: (group: number) => number) => {
		const { start, order } = groupBy(groupOf, groupCount);
		for (let g = 0; g < groupCount; g++) {
			const members = Array.from(order.subarray(start[g]!, start[g + 1]!)).filter((i) => onFace[i] === 1);
			if (members.length > limit(g)) members.sort((a, b) => gain[b]! - gain[a]!);
			for (const i of members.slice(0, limit(g))) marked[i] = 1;
		}
	};
	markBest(free.person, personCount, () => 2 * k + 2);
	markBest(free.club, freeCapacity.length, (c) => 2 * Math.max(0, freeCapacity[c]!) + 2);
	for (let i = 0; i < total; i++) if (onFace[i] === 1 && (inFresh[i] === 1 || bonusOf[i] === 1)) marked[i] = 1;
	return marked;
}
