/**
 * Lays chosen person–club pairs into timed rounds (a market's conversation slots).
 * Pure, no I/O.
 *
 * Each club is split into seatsPerRound "seat nodes" and its pairs are dealt round-robin over
 * them, so a seat node carries at most ⌈pairs / seats⌉ ≤ rounds pairs. A round is then a colour of
 * a proper edge colouring of the bipartite graph persons × seat nodes: nobody is at two clubs in a
 * round, and a club never has more than one pair per seat node, i.e. never more than its seats.
 * By König's theorem such a graph with maximum degree ≤ rounds can be coloured with `rounds`
 * colours; the alternating-path (Kempe chain) method below builds one edge by edge, so no pair is
 * ever left over when the preconditions hold.
 */
import { admitPairs, indexClubs, requireCount } from './round-pairs';
import { layRoundsKeeping } from './rounds-keeping';

export type RoundsProblem = {
	rounds: number;
	clubs: { id: string; seatsPerRound: number }[];
	/** Chosen pairs [person, club], each at most once unless `repeats`. */
	pairs: [string, string][];
	/** A person may meet a club in several rounds (a Gesprächsrunde with more rounds than tables). */
	repeats?: boolean;
	/**
	 * Re-planning: each pair's published round (aligned with `pairs`; null for new pairs). Pairs
	 * keep it where possible and new ones are fitted around them (see rounds-keeping.ts).
	 */
	previousRounds?: (number | null)[];
};

export type RoundsPlan = {
	/** [person, club, round], round in 0..rounds−1. */
	slots: [string, string, number][];
	/**
	 * Pairs that could not get a round. Empty whenever every person has at most `rounds` pairs
	 * and every club at most seatsPerRound × rounds; otherwise the excess is reported here.
	 */
	unscheduled: [string, string][];
};

/**
 * Slots come in the order of `pairs`. When a person or club has more pairs than fit, the earlier
 * pairs win (callers can sort by preference); everything else is placed. Deterministic.
 */
export function layRounds(problem: RoundsProblem): RoundsPlan {
	if (problem.previousRounds) return layRoundsKeeping(problem, problem.previousRounds);
	const { rounds, pairs } = problem;
	requireCount(rounds, 'rounds');
	const graph = buildSeatGraph(problem, rounds);
	const roundOf = colourEdges(graph, rounds);

	const slots: [string, string, number][] = [];
	for (let e = 0; e < graph.edgeCount; e++) {
		const [person, club] = pairs[graph.pairOf[e] ?? -1] ?? ['', ''];
		slots.push([person, club, roundOf[e] ?? -1]);
	}
	return { slots, unscheduled: graph.unscheduled };
}

/** Persons × seat nodes, as parallel typed arrays indexed by edge. */
type SeatGraph = {
	edgeCount: number;
	personCount: number;
	seatCount: number;
	/** Index into the input pairs, for the output. */
	pairOf: Int32Array;
	personOf: Int32Array;
	seatOf: Int32Array;
	unscheduled: [string, string][];
};

/** Admitted pairs with their seat node: a club's pairs are dealt round-robin over its seats. */
function buildSeatGraph(problem: RoundsProblem, rounds: number): SeatGraph {
	const { clubIndex, firstSeat, seatCount } = indexClubs(problem.clubs);
	const { admitted, personCount, unscheduled } = admitPairs(problem, clubIndex, rounds);
	return {
		edgeCount: admitted.length,
		personCount,
		seatCount,
		pairOf: Int32Array.from(admitted, (e) => e.pair),
		personOf: Int32Array.from(admitted, (e) => e.person),
		seatOf: Int32Array.from(admitted, (e) => (firstSeat[e.club] ?? 0) + (e.ofClub % (problem.clubs[e.club]?.seatsPerRound ?? 1))),
		unscheduled
	};
}

/**
 * Proper edge colouring with `colours` colours of a bipartite graph whose degrees are all
 * ≤ colours. Vertices are persons 0..P−1 followed by seat nodes P..P+S−1.
 */
function colourEdges(graph: SeatGraph, colours: number): Int32Array {
	const { edgeCount, personCount, seatCount, personOf, seatOf } = graph;
	const colourOf = new Int32Array(edgeCount).fill(-1);
	// edgeAt[v · colours + c] = the edge of colour c at vertex v, or −1 when c is free at v.
	const edgeAt = new Int32Array((personCount + seatCount) * colours).fill(-1);
	const load = new Int32Array(colours);
	const path: number[] = [];

	const slot = (v: number, c: number) => v * colours + c;
	const isFree = (v: number, c: number) => (edgeAt[slot(v, c)] ?? -1) < 0;
	const firstFree = (v: number) => {
		for (let c = 0; c < colours; c++) if (isFree(v, c)) return c;
		throw new Error(`layRounds: vertex ${v} has more edges than rounds`);
	};
	const otherEnd = (e: number, v: number) => {
		const person = personOf[e] ?? -1;
		return v === person ? personCount + (seatOf[e] ?? -1) : person;
	};
	const setColour = (e: number, c: number) => {
		colourOf[e] = c;
		load[c] = (load[c] ?? 0) + 1;
		edgeAt[slot(personOf[e] ?? -1, c)] = e;
		edgeAt[slot(personCount + (seatOf[e] ?? -1), c)] = e;
	};
	const clearColour = (e: number) => {
		const c = colourOf[e] ?? -1;
		load[c] = (load[c] ?? 0) - 1;
		edgeAt[slot(personOf[e] ?? -1, c)] = -1;
		edgeAt[slot(personCount + (seatOf[e] ?? -1), c)] = -1;
		colourOf[e] = -1;
	};

	/** The least loaded round free at both ends, which keeps rounds balanced; −1 if none. */
	const commonFree = (u: number, v: number) => {
		let best = -1;
		for (let c = 0; c < colours; c++) {
			if (isFree(u, c) && isFree(v, c) && (best < 0 || (load[c] ?? 0) < (load[best] ?? 0))) best = c;
		}
		return best;
	};

	/**
	 * Swaps colours a and b along the a/b alternating path that starts at `start` with an a-edge.
	 * Afterwards a is free at `start`. The path cannot end at the other endpoint u of the edge being
	 * coloured: it would arrive there over an a-edge (u is on the other side, so at odd distance),
	 * but a is free at u.
	 */
	const flipAlternatingPath = (start: number, a: number, b: number) => {
		path.length = 0;
		let v = start;
		let c = a;
		for (let e = edgeAt[slot(v, c)] ?? -1; e >= 0; e = edgeAt[slot(v, c)] ?? -1) {
			path.push(e);
			v = otherEnd(e, v);
			c = c === a ? b : a;
		}
		// Clear first, then recolour, so the two passes never overwrite each other's slots.
		const flipped = path.map((e) => (colourOf[e] === a ? b : a));
		for (const e of path) clearColour(e);
		path.forEach((e, i) => setColour(e, flipped[i] ?? -1));
	};

	for (let e = 0; e < edgeCount; e++) {
		const u = personOf[e] ?? -1;
		const v = personCount + (seatOf[e] ?? -1);
		let c = commonFree(u, v);
		if (c < 0) {
			const a = firstFree(u);
			flipAlternatingPath(v, a, firstFree(v));
			c = a;
		}
		setColour(e, c);
	}
	return colourOf;
}
