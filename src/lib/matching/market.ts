/**
 * The whole matching for a Markt der Möglichkeiten: score every pair, choose up to k clubs per
 * person exactly, lay the chosen pairs into rounds, and say why anyone got nothing.
 * Pure, no I/O; the app, the command line and the benchmark all run it.
 */
import { assignIndexed, candidatesFromScores, pairLookup, type Candidates } from './assignment';
import { describeChanges, publishedIndexPairs, type PlanChange, type PublishedSlot } from './plan-changes';
import { assignKeeping } from './replan';
import { layRounds } from './rounds';
import { scoreRows } from './bulk-scoring';
import { commonExclusion, score, type Exclusion, type MatchClub, type MatchPerson, type Reason } from './scoring';

/** A club's seats: per round (with rounds), or in total. */
export type Seats = { seatsPerRound?: number; capacity?: number };

export type MarketProblem = {
	k: number;
	/** When set, pairs are laid into this many rounds and seatsPerRound × rounds is the capacity. */
	rounds?: number;
	pins?: [string, string][];
	bans?: [string, string][];
	/**
	 * The published plan, when re-planning: coverage stays optimal, then as few published pairs as
	 * possible change, then score; kept pairs keep their rounds where possible (see replan.ts).
	 */
	previous?: PublishedSlot[];
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
	/** With `previous`: everyone whose clubs or rounds differ from the published plan, and why. */
	changes?: PlanChange[];
	/** Milliseconds per stage. */
	timings: { scoring: number; assignment: number; rounds: number };
};

export type PlanStage = 'scoring' | 'assigning' | 'rounds';

export type PlanOptions = {
	/** Called as the stages begin (fraction 0) and, where a stage can tell, as it goes (0..1). */
	onProgress?: (stage: PlanStage, fraction: number) => void;
};

export function planMarket(problem: MarketProblem, options: PlanOptions = {}): MarketPlan {
	const { k, rounds } = problem;
	const { onProgress } = options;
	const started = performance.now();
	onProgress?.('scoring', 0);
	const personIds =
		'scores' in problem ? (problem.people ?? [...new Set(problem.scores.map(([p]) => p))]) : problem.people.map((p) => p.id);
	const clubIds = problem.clubs.map((club) => club.id);
	const lookup = pairLookup(personIds, clubIds);
	const candidates =
		'scores' in problem ? candidatesFromScores(problem.scores, lookup, clubIds.length) : scoreAll(problem.people, problem.clubs);
	const scoredAt = performance.now();
	onProgress?.('assigning', 0);

	const seats = problem.clubs.map((club) => seatsOf(club, rounds));
	// Nobody can be at more than `rounds` stalls when the stalls run in rounds.
	const perPerson = rounds === undefined ? k : Math.min(k, rounds);
	const pins = problem.pins ?? [];
	const bans = (problem.bans ?? []).map(lookup);
	const assignment = {
		personCount: personIds.length,
		capacities: seats.map((s) => s.capacity),
		k: perPerson,
		candidates,
		pins: pins.map(lookup),
		bans
	};
	const { previous } = problem;
	const assigning = { onProgress: onProgress && ((fraction: number) => onProgress('assigning', fraction)) };
	const result = previous ? assignKeeping(assignment, publishedIndexPairs(previous, personIds, clubIds), assigning) : assignIndexed(assignment, assigning);
	const chosen = Array.from(result.pairs.value, (value, i): [string, string, number] => [
		personIds[result.pairs.person[i] ?? -1] ?? '',
		clubIds[result.pairs.club[i] ?? -1] ?? '',
		value
	]);
	const assignedAt = performance.now();
	onProgress?.('rounds', 0);

	const roundOf = new Map<string, number>();
	let unscheduled: [string, string][] = [];
	if (rounds !== undefined) {
		const laid = layRounds({
			rounds,
			clubs: problem.clubs.map((club, c) => ({ id: club.id, seatsPerRound: seats[c]?.seatsPerRound ?? 0 })),
			pairs: chosen.map(([p, c]): [string, string] => [p, c]),
			previousRounds: previous && previousRounds(previous, chosen)
		});
		for (const [p, c, round] of laid.slots) roundOf.set(pairKey(p, c), round);
		unscheduled = laid.unscheduled;
	}
	const roundsAt = performance.now();

	const known = profiles(problem);
	const pairs = chosen.map(([person, club, value]): PlannedPair => {
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
	const assignedTo = countBy(chosen.map(([, club]) => club));
	const placed = new Set(result.pairs.person);
	const unplaced = personIds.flatMap((_, p) => (placed.has(p) ? [] : [p]));
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
		unplaced: explainUnplaced(unplaced, { problem, personIds, candidates, seats, bans }),
		rejectedPins: rejectionReasons(problem, result.rejectedPins.map((i) => pins[i] ?? ['', '']), perPerson),
		unscheduled,
		...(previous && {
			changes: describeChanges({
				previous,
				personIds,
				clubIds,
				capacities: seats.map((s) => s.capacity),
				candidates,
				bans: problem.bans ?? [],
				pins: acceptedPins(pins, new Set(result.rejectedPins)),
				pairs
			})
		}),
		timings: {
			scoring: milliseconds(scoredAt - started),
			assignment: milliseconds(assignedAt - scoredAt),
			rounds: milliseconds(roundsAt - assignedAt)
		}
	};
}

/** Each chosen pair's published round, or null (re-planning). */
function previousRounds(previous: PublishedSlot[], chosen: [string, string, number][]): (number | null)[] {
	const roundOf = new Map<string, number | null>();
	for (const { person, club, round } of previous) if (!roundOf.has(pairKey(person, club))) roundOf.set(pairKey(person, club), round);
	return chosen.map(([person, club]) => roundOf.get(pairKey(person, club)) ?? null);
}

function acceptedPins(pins: [string, string][], rejected: Set<number>): [string, string][] {
	return pins.filter((_, i) => !rejected.has(i));
}

/**
 * Every kept pair's value (`scoreValue`), person-major with the clubs in input order, in typed
 * arrays: 10,000 × 500 profiles take a quarter to half a second (by machine) and about 50 MB.
 */
export function scoreAll(people: MatchPerson[], clubs: MatchClub[]): Candidates {
	const clubCount = clubs.length;
	// Room for every pair; the pages past the kept ones are never written, so they take no memory.
	const person = new Int32Array(people.length * clubCount);
	const club = new Int32Array(people.length * clubCount);
	const value = new Int32Array(people.length * clubCount);
	let next = 0;
	scoreRows(people, clubs, (p, row) => {
		// Every pair is written and only the kept ones (value ≥ 0: `~v >>> 31` is 1) advance `next`:
		// no branch to mispredict on 5 million pairs.
		for (let c = 0; c < clubCount; c++) {
			const v = row[c]!;
			person[next] = p;
			club[next] = c;
			value[next] = v;
			next += ~v >>> 31;
		}
	});
	return { person: person.subarray(0, next), club: club.subarray(0, next), value: value.subarray(0, next) };
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
	unplaced: number[],
	facts: { problem: MarketProblem; personIds: string[]; candidates: Candidates; seats: { capacity: number }[]; bans: [number, number][] }
): MarketPlan['unplaced'] {
	const { problem, personIds, candidates, seats } = facts;
	if (unplaced.length === 0) return [];
	// A plain loop over millions of candidates: a callback and a Set lookup per candidate cost tens of ms at 10,000 × 500.
	const isUnplaced = new Uint8Array(personIds.length);
	for (const p of unplaced) isUnplaced[p] = 1;
	const fittingOf = new Map<number, number[]>();
	for (let i = 0; i < candidates.person.length; i++) {
		const p = candidates.person[i]!;
		if (isUnplaced[p] !== 1) continue;
		const fitting = fittingOf.get(p);
		if (fitting) fitting.push(candidates.club[i]!);
		else fittingOf.set(p, [candidates.club[i]!]);
	}
	const bannedClubsOf = new Map<number, Set<number>>();
	for (const [p, c] of facts.bans) bannedClubsOf.set(p, (bannedClubsOf.get(p) ?? new Set()).add(c));

	const reasonFor = (p: number): UnplacedReason => {
		if (problem.clubs.length === 0) return 'no_clubs';
		const fitting = fittingOf.get(p) ?? [];
		if (fitting.length === 0) {
			const person = 'scores' in problem ? undefined : problem.people[p];
			if (!person || 'scores' in problem) return 'no_candidates';
			return commonExclusion(problem.clubs.map((club) => score(person, club).excluded));
		}
		const banned = bannedClubsOf.get(p);
		const open = banned ? fitting.filter((c) => !banned.has(c)) : fitting;
		if (open.length === 0) return 'banned';
		if (open.every((c) => (seats[c]?.capacity ?? 0) === 0)) return 'no_seats';
		return 'capacity';
	};
	return unplaced.map((p) => ({ person: personIds[p] ?? '', reason: reasonFor(p) }));
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
