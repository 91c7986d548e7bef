/**
 * Laying pairs into rounds while keeping each pair's previous round where possible: the re-planning
 * counterpart of `layRounds` (same seat graph, same guarantees; see rounds.ts).
 *
 * Kept pairs are coloured first with their previous round. Within a club, the pairs kept in the
 * same round go to different seat nodes, so with unchanged seats every kept pair keeps its round
 * unless new pairs need it moved. New pairs (and kept pairs that no longer fit their round) go to
 * a seat node with room, preferring one that shares a free round with the person; when no round
 * is free at both ends, an alternating path is flipped as in `layRounds`, choosing, among the
 * possible paths, the one that moves the fewest pairs out of their previous round. That choice is
 * a greedy heuristic: it is optimal for each new pair on its own, not for all of them together.
 */
import { admitPairs, indexClubs, requireCount } from './round-pairs';
import type { RoundsPlan, RoundsProblem } from './rounds';

export function layRoundsKeeping(problem: RoundsProblem, previousRounds: (number | null)[]): RoundsPlan {
	const { rounds, clubs, pairs } = problem;
	requireCount(rounds, 'rounds');
	const { clubIndex, firstSeat, seatCount } = indexClubs(clubs);
	// The same precondition filter as layRounds: pairs in input order while person and club have room.
	const { admitted: edges, personCount, unscheduled } = admitPairs(problem, clubIndex, rounds);
	const colouring = new EdgeColouring(personCount + seatCount, rounds);
	const seatOf = new Int32Array(edges.length).fill(-1);
	const wanted = Int32Array.from(edges, ({ pair }) => {
		const round = previousRounds[pair];
		return round !== null && round !== undefined && Number.isInteger(round) && round >= 0 && round < rounds ? round : -1;
	});

	// Kept pairs first: the j-th pair a club keeps in a round sits at its j-th seat node.
	const keptInRound = new Map<number, number>();
	edges.forEach(({ person, club }, e) => {
		const round = wanted[e]!;
		if (round < 0 || !colouring.isFree(person, round)) return;
		const seat = keptInRound.get(club * rounds + round) ?? 0;
		if (seat >= clubs[club]!.seatsPerRound) return;
		keptInRound.set(club * rounds + round, seat + 1);
		seatOf[e] = personCount + firstSeat[club]! + seat;
		colouring.add(e, person, seatOf[e]!, wanted[e]!, round);
	});
	edges.forEach(({ person, club }, e) => {
		if (seatOf[e]! < 0) seatOf[e] = colouring.insert(e, person, personCount + firstSeat[club]!, clubs[club]!.seatsPerRound, wanted[e]!);
	});

	const slots = edges.map(({ pair }, e): [string, string, number] => {
		const [person, club] = pairs[pair] ?? ['', ''];
		return [person, club, colouring.colourOf(e)];
	});
	return { slots, unscheduled };
}

/** Where a new edge goes: its seat, its colour, and the path to flip first (cost: kept pairs moved). */
type Placement = { seat: number; colour: number; flip: { start: number; a: number; b: number } | null; cost: number; length: number };

/** A proper edge colouring of persons × seat nodes, built edge by edge. */
class EdgeColouring {
	private readonly colours: number;
	/** edgeAt[v · colours + c] = the edge of colour c at v, or −1. */
	private readonly edgeAt: Int32Array;
	private readonly degree: Int32Array;
	private readonly load: Int32Array;
	private readonly colour = new Map<number, number>();
	private readonly ends = new Map<number, [number, number]>();
	private readonly wanted = new Map<number, number>();

	constructor(vertexCount: number, colours: number) {
		this.colours = colours;
		this.edgeAt = new Int32Array(vertexCount * colours).fill(-1);
		this.degree = new Int32Array(vertexCount);
		this.load = new Int32Array(colours);
	}

	colourOf(e: number): number {
		return this.colour.get(e) ?? -1;
	}

	isFree(v: number, c: number): boolean {
		return this.edgeAt[v * this.colours + c]! < 0;
	}

	/** Adds edge e between u and v with colour c (free at both); `wanted` is its previous round or −1. */
	add(e: number, u: number, v: number, wanted: number, c: number): void {
		this.ends.set(e, [u, v]);
		this.wanted.set(e, wanted);
		this.degree[u]!++;
		this.degree[v]!++;
		this.setColour(e, c);
	}

	/**
	 * Adds a new edge from person u to one of the `count` seat nodes from `first` and colours it,
	 * at the cheapest seat with room: its wanted round when free at both ends, else any round
	 * free at both ends (the least used), else a flip of the alternating path that moves the fewest
	 * kept pairs out of their wanted rounds (König: with all degrees ≤ colours, such a flip always
	 * frees a colour at both ends). Returns the seat node. A club with at most seats × rounds
	 * pairs always has a seat with room.
	 */
	insert(e: number, u: number, first: number, count: number, wanted: number): number {
		let best: Placement | null = null;
		const consider = (option: Placement) => {
			if (best === null || option.cost < best.cost || (option.cost === best.cost && option.length < best.length)) best = option;
		};
		for (let v = first; v < first + count; v++) {
			if (this.degree[v]! >= this.colours) continue;
			if (wanted >= 0 && this.isFree(u, wanted) && this.isFree(v, wanted)) {
				consider({ seat: v, cost: -1, length: 0, flip: null, colour: wanted });
				continue;
			}
			const common = this.commonFree(u, v);
			if (common >= 0) {
				consider({ seat: v, cost: 0, length: this.degree[v]!, flip: null, colour: common });
				continue;
			}
			for (let a = 0; a < this.colours; a++) {
				for (let b = 0; b < this.colours; b++) {
					if (!this.isFree(u, a) || !this.isFree(v, b)) continue;
					// Flip a/b from v (then a is free at both), or b/a from u (then b is).
					for (const [start, x, y] of [
						[v, a, b],
						[u, b, a]
					] as const) {
						const path = this.alternatingPath(start, x, y);
						// The new edge takes x; that is a move back when x is its wanted round.
						const cost = this.movesOf(path, x, y) - (wanted === x ? 1 : 0);
						consider({ seat: v, cost, length: this.colours + path.length, flip: { start, a: x, b: y }, colour: x });
					}
				}
			}
		}
		const chosen = best as Placement | null;
		if (chosen === null) throw new Error('layRounds: club has more pairs than seats × rounds');
		if (chosen.flip) this.flip(this.alternatingPath(chosen.flip.start, chosen.flip.a, chosen.flip.b), chosen.flip.a, chosen.flip.b);
		this.add(e, u, chosen.seat, wanted, chosen.colour);
		return chosen.seat;
	}

	private commonFree(u: number, v: number): number {
		let best = -1;
		for (let c = 0; c < this.colours; c++) {
			if (this.isFree(u, c) && this.isFree(v, c) && (best < 0 || this.load[c]! < this.load[best]!)) best = c;
		}
		return best;
	}

	/** The path from `start` whose edges alternate colours a, b, a, … */
	private alternatingPath(start: number, a: number, b: number): number[] {
		const path: number[] = [];
		let v = start;
		let c = a;
		for (let e = this.edgeAt[v * this.colours + c]!; e >= 0; e = this.edgeAt[v * this.colours + c]!) {
			path.push(e);
			const [x, y] = this.ends.get(e)!;
			v = v === x ? y : x;
			c = c === a ? b : a;
		}
		return path;
	}

	/** Kept pairs a flip takes out of their wanted round, minus those it puts back. */
	private movesOf(path: number[], a: number, b: number): number {
		let moves = 0;
		for (const e of path) {
			const now = this.colour.get(e)!;
			const wanted = this.wanted.get(e)!;
			if (wanted === now) moves++;
			else if (wanted === (now === a ? b : a)) moves--;
		}
		return moves;
	}

	private flip(path: number[], a: number, b: number): void {
		const flipped = path.map((e) => (this.colour.get(e) === a ? b : a));
		for (const e of path) this.clearColour(e);
		path.forEach((e, i) => this.setColour(e, flipped[i]!));
	}

	private setColour(e: number, c: number): void {
		const [u, v] = this.ends.get(e)!;
		this.colour.set(e, c);
		this.load[c]!++;
		this.edgeAt[u * this.colours + c] = e;
		this.edgeAt[v * this.colours + c] = e;
	}

	private clearColour(e: number): void {
		const [u, v] = this.ends.get(e)!;
		const c = this.colour.get(e)!;
		this.load[c]!--;
		this.edgeAt[u * this.colours + c] = -1;
		this.edgeAt[v * this.colours + c] = -1;
		this.colour.delete(e);
	}
}
