/**
 * The whole matching for a Markt der Möglichkeiten: score every pair, choose up to k clubs per
 * person exactly, lay the chosen pairs into rounds, and say why anyone got nothing.
 * Pure, no I/O; the app, the command line and the benchmark all run it.
 */
import { assign } from './assignment';
import { layRounds } from './rounds';
import { score, scoreValue, type Exclusion, type MatchClub, type MatchPerson, type Reason } from './scoring';

/** A club's seats: per round (with rounds), or in total. */
export type Seats = { seatsPerRound?: number; capacity?: number };

export type MarketProblem = {
	k: number;
	/** When set, pairs are laid into this many rounds and seatsPerRound × rounds is the capacity. */
	rounds?: number;
	pins?: [string, string][];
	bans?: [string, string][];
} & (
	| { people: MatchPerson[]; clubs: (MatchClub & Seats)[] }
	/** Explicit pair values instead of profiles, to check the optimiser on its own. */
	| { people?: string[]; clubs: ({ id: string } & Seats)[]; scores: [string, string, number][] }
);

export type UnplacedReason =
	| 'no_clubs'
	| Exclusion
	| 'no_candidates'
	| 'banned'
	| 'no_seats'
	| 'capacity'
	| 'no_round';

export type PlannedPair = {
	person: string;
	club: string;
	value: number;
	reasons: Reason[];
	offerId: string | null;
	/** 0-based, when rounds were asked for. */
	round: number | null;
};

export type MarketPlan = {
	pairs: PlannedPair[];
	/** coverage[t − 1] = people with at least t clubs. */
	coverage: number[];
	totalScore: number;
	averageScore: number;
	load: { club: string; assigned: number; capacity: number; seatsPerRound: number | null }[];
	unplaced: { person: string; reason: UnplacedReason }[];
	rejectedPins: { person: string; club: string; reason: 'banned' | 'person_full' | 'club_full' }[];
	/** Chosen pairs that found no round: only when the input breaks the rounds' preconditions. */
	unscheduled: [string, string][];
	/** Milliseconds per stage. */
	timings: { scoring: number; assignment: number; rounds: number };
};

export function planMarket(problem: MarketProblem): MarketPlan {
	const { k, rounds } = problem;
	const started = performance.now();
	const scored = scorePairs(problem);
	const scoredAt = performance.now();

	const seats = problem.clubs.map((club) => seatsOf(club, rounds));
	// Nobody can be at more than `rounds` stalls when the stalls run in rounds.
	const perPerson = rounds === undefined ? k : Math.min(k, rounds);
	const result = assign({
		people: scored.people,
		clubs: problem.clubs.map((club, c) => ({ id: club.id, capacity: seats[c]?.capacity ?? 0 })),
		scores: scored.candidates,
		k: perPerson,
		pins: problem.pins,
		bans: problem.bans
	});
	const assignedAt = performance.now();

	const roundOf = new Map<string, number>();
	let unscheduled: [string, string][] = [];
	if (rounds !== undefined) {
		const laid = layRounds({
			rounds,
			clubs: problem.clubs.map((club, c) => ({ id: club.id, seatsPerRound: seats[c]?.seatsPerRound ?? 0 })),
			pairs: result.pairs.map(([p, c]): [string, string] => [p, c])
		});
		for (const [p, c, round] of laid.slots) roundOf.set(pairKey(p, c), round);
		unscheduled = laid.unscheduled;
	}
	const roundsAt = performance.now();

	const known = profiles(problem);
	const pairs = result.pairs.map(([person, club, value]): PlannedPair => {
		const personProfile = known?.person.get(person);
		const clubProfile = known?.club.get(club);
		const details = personProfile && clubProfile ? score(personProfile, clubProfile) : null;
		return {
			person,
			club,
			value,
			reasons: details?.reasons ?? [],
			offerId: details?.offerId ?? null,
			round: roundOf.get(pairKey(person, club)) ?? null
		};
	});
	const assignedTo = countBy(result.pairs.map(([, club]) => club));
	return {
		pairs,
		coverage: result.coverage,
		totalScore: result.totalScore,
		averageScore: pairs.length === 0 ? 0 : Math.round(result.totalScore / pairs.length),
		load: problem.clubs.map((club, c) => ({
			club: club.id,
			assigned: assignedTo.get(club.id) ?? 0,
			capacity: seats[c]?.capacity ?? 0,
			seatsPerRound: seats[c]?.seatsPerRound ?? null
		})),
		unplaced: explainUnplaced(result.unplaced, problem, scored, seats),
		rejectedPins: rejectionReasons(problem, result.rejectedPins, perPerson),
		unscheduled,
		timings: {
			scoring: milliseconds(scoredAt - started),
			assignment: milliseconds(assignedAt - scoredAt),
			rounds: milliseconds(roundsAt - assignedAt)
		}
	};
}

type ScoredPairs = { people: string[]; candidates: [string, string, number][] };

/** Values only: reasons are built later for the chosen pairs, which keeps bulk scoring cheap. */
function scorePairs(problem: MarketProblem): ScoredPairs {
	if ('scores' in problem) {
		const people = problem.people ?? [...new Set(problem.scores.map(([p]) => p))];
		return { people, candidates: problem.scores };
	}
	const candidates: [string, string, number][] = [];
	for (const person of problem.people) {
		for (const club of problem.clubs) {
			const value = scoreValue(person, club);
			if (value >= 0) candidates.push([person.id, club.id, value]);
		}
	}
	return { people: problem.people.map((p) => p.id), candidates };
}

/** The profile behind an id, when the problem has profiles. */
function profiles(problem: MarketProblem) {
	if ('scores' in problem) return null;
	return {
		person: new Map(problem.people.map((p) => [p.id, p])),
		club: new Map(problem.clubs.map((c) => [c.id, c]))
	};
}

function seatsOf(club: Seats & { id: string }, rounds: number | undefined): { capacity: number; seatsPerRound: number | null } {
	const perRound = club.seatsPerRound;
	if (rounds === undefined) return { capacity: club.capacity ?? (perRound ?? 0), seatsPerRound: perRound ?? null };
	if (perRound !== undefined) return { capacity: Math.min(club.capacity ?? Infinity, perRound * rounds), seatsPerRound: perRound };
	// Only a total: spread it over the rounds.
	const total = club.capacity ?? 0;
	return { capacity: total, seatsPerRound: rounds === 0 ? 0 : Math.ceil(total / rounds) };
}

/** For each person without a club, the first reason that holds, most fundamental first. */
function explainUnplaced(
	unplaced: string[],
	problem: MarketProblem,
	scored: ScoredPairs,
	seats: { capacity: number }[]
): MarketPlan['unplaced'] {
	if (unplaced.length === 0) return [];
	const capacityOf = new Map(problem.clubs.map((club, c) => [club.id, seats[c]?.capacity ?? 0]));
	const wanted = new Set(unplaced);
	const fittingOf = new Map<string, string[]>();
	for (const [person, club] of scored.candidates) {
		if (wanted.has(person)) fittingOf.set(person, [...(fittingOf.get(person) ?? []), club]);
	}
	const bannedOf = new Map<string, Set<string>>();
	for (const [person, club] of problem.bans ?? []) bannedOf.set(person, (bannedOf.get(person) ?? new Set()).add(club));
	const known = profiles(problem);

	const reasonFor = (person: string): UnplacedReason => {
		if (problem.clubs.length === 0) return 'no_clubs';
		const fitting = fittingOf.get(person) ?? [];
		if (fitting.length === 0) {
			const profile = known?.person.get(person);
			if (!profile || !known) return 'no_candidates';
			const excluded = [...known.club.values()].map((club) => score(profile, club).excluded);
			const language = excluded.filter((e) => e === 'no_common_language').length;
			return language * 2 >= excluded.length ? 'no_common_language' : 'no_time_overlap';
		}
		const open = fitting.filter((club) => !bannedOf.get(person)?.has(club));
		if (open.length === 0) return 'banned';
		if (open.every((club) => (capacityOf.get(club) ?? 0) === 0)) return 'no_seats';
		return 'capacity';
	};
	return unplaced.map((person) => ({ person, reason: reasonFor(person) }));
}

/** The core refuses a pin that is also banned, or once the person has k clubs or the club is full (in input order). */
function rejectionReasons(problem: MarketProblem, rejected: [string, string][], k: number): MarketPlan['rejectedPins'] {
	const refused = new Set(rejected.map(([p, c]) => pairKey(p, c)));
	const banned = new Set((problem.bans ?? []).map(([p, c]) => pairKey(p, c)));
	const accepted = countBy((problem.pins ?? []).filter(([p, c]) => !refused.has(pairKey(p, c))).map(([p]) => p));
	return rejected.map(([person, club]) => ({
		person,
		club,
		reason: banned.has(pairKey(person, club)) ? 'banned' : (accepted.get(person) ?? 0) >= k ? 'person_full' : 'club_full'
	}));
}

function countBy(keys: string[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
	return counts;
}

const milliseconds = (duration: number) => Math.round(duration * 10) / 10;

const pairKey = (person: string, club: string) => `${person}\u0000${club}`;
