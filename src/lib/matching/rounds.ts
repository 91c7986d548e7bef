/**
 * Lays chosen person–club pairs into timed rounds (a market's conversation slots).
 * Pure, no I/O.
 */

export type RoundsProblem = {
	rounds: number;
	clubs: { id: string; seatsPerRound: number }[];
	/** Chosen pairs [person, club], each at most once. */
	pairs: [string, string][];
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

export function layRounds(problem: RoundsProblem): RoundsPlan {
	void problem;
	throw new Error('not implemented');
}
