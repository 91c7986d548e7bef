/**
 * What `layRounds` and its re-planning counterpart (rounds-keeping.ts) share: checking the input and
 * admitting pairs under König's precondition. Pure, no I/O.
 */
import type { RoundsProblem } from './rounds';

export function requireCount(value: number, what: string): void {
	if (!Number.isSafeInteger(value) || value < 0) {
		throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
	}
}

/** Club id → index, and each club's first seat node (its seats are numbered on from there). */
export function indexClubs(clubs: RoundsProblem['clubs']): { clubIndex: Map<string, number>; firstSeat: Int32Array; seatCount: number } {
	const clubIndex = new Map<string, number>();
	const firstSeat = new Int32Array(clubs.length);
	let seatCount = 0;
	clubs.forEach((club, c) => {
		if (clubIndex.has(club.id)) throw new Error(`duplicate club ${club.id}`);
		requireCount(club.seatsPerRound, `club ${club.id}: seatsPerRound`);
		clubIndex.set(club.id, c);
		firstSeat[c] = seatCount;
		seatCount += club.seatsPerRound;
	});
	return { clubIndex, firstSeat, seatCount };
}

/** An admitted pair: its input index, person and club indices, and how many of the club's pairs came before it. */
export type AdmittedPair = { pair: number; person: number; club: number; ofClub: number };

/**
 * Keeps pairs in input order while the person has fewer than `rounds` and the club fewer than
 * seats × rounds, so the kept graph meets König's precondition; the rest is unscheduled.
 */
export function admitPairs(
	problem: Pick<RoundsProblem, 'pairs' | 'clubs' | 'repeats'>,
	clubIndex: Map<string, number>,
	rounds: number
): { admitted: AdmittedPair[]; personCount: number; unscheduled: [string, string][] } {
	const { pairs, clubs } = problem;
	const personIndex = new Map<string, number>();
	const seenPairs = new Set<number>();
	// A person index is at most the number of pairs, so these never overflow.
	const pairsOfPerson = new Int32Array(pairs.length);
	const pairsOfClub = new Int32Array(clubs.length);
	const admitted: AdmittedPair[] = [];
	const unscheduled: [string, string][] = [];
	pairs.forEach(([person, club], i) => {
		const c = clubIndex.get(club);
		if (c === undefined) throw new Error(`unknown club ${club} in pair ${person}/${club}`);
		let p = personIndex.get(person);
		if (p === undefined) {
			p = personIndex.size;
			personIndex.set(person, p);
		}
		const key = p * clubs.length + c;
		if (seenPairs.has(key) && !problem.repeats) throw new Error(`duplicate pair ${person}/${club}`);
		seenPairs.add(key);

		const seats = clubs[c]?.seatsPerRound ?? 0;
		const clubTaken = pairsOfClub[c] ?? 0;
		if ((pairsOfPerson[p] ?? 0) >= rounds || clubTaken >= seats * rounds) {
			unscheduled.push([person, club]);
			return;
		}
		pairsOfPerson[p] = (pairsOfPerson[p] ?? 0) + 1;
		pairsOfClub[c] = clubTaken + 1;
		admitted.push({ pair: i, person: p, club: c, ofClub: clubTaken });
	});
	return { admitted, personCount: personIndex.size, unscheduled };
}
