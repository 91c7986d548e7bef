/**
 * Seats people at host-club tables for a Gesprächsrunde over several rounds. Pure, no I/O.
 */

export type TablesProblem = {
	rounds: number;
	tables: { id: string; hostClub: string; seats: number }[];
	people: { id: string; multilocal: boolean }[];
	/** Fit [person, club, value 0..1000] from score(); a missing pair is a hard mismatch. */
	scores: [string, string, number][];
};

export type TablesPlan = {
	/** [person, table, round], round in 0..rounds−1. */
	seats: [string, string, number][];
	/** People who could not be seated in a round, with why. */
	unseated: { person: string; round: number; reason: 'no_fitting_table' | 'no_seat_left' }[];
	figures: {
		/** Average host fit over all seats (0..1000). */
		averageHostFit: number;
		/** Seats whose host fits the person below 1 (missing score never happens: those stay unseated). */
		lowFitSeats: number;
		/** Table-rounds with at least one resident and one multilocal person, of all table-rounds with ≥ 2 people. */
		mixedTables: number;
		occupiedTables: number;
		/** Pairs of people who share a table in more than one round, counted once per extra meeting. */
		repeatedEncounters: number;
		/** Times a person sits with the same host twice. */
		repeatedHosts: number;
	};
};

export function seatTables(problem: TablesProblem): TablesPlan {
	void problem;
	throw new Error('not implemented');
}
