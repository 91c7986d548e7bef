/**
 * Seats people at host-club tables for a Gesprächsrunde over several rounds. Pure, no I/O.
 *
 * 1. rotation.ts chooses, for all rounds at once, as many different fitting hosts per person as
 *    there are rounds and lays them into rounds: with enough fitting tables nobody meets a host
 *    twice, and the hosts stay balanced. Each host's people are then shared out over its tables.
 * 2. Rounds a person still has free (fewer fitting hosts than rounds, or no seat left) are filled
 *    round by round: a min-cost maximum flow (source → person → table → sink, capacity = free
 *    seats) seats as many more people as possible, preferring a host the person has met least,
 *    then fit, plus a bonus for people left out in earlier rounds (so being left out rotates).
 *    A local search of moves and swaps among these added seats then trades a little fit for fewer
 *    repeated encounters and more tables that mix residents and multilocal people. It never
 *    seats anyone at a host that does not fit.
 * 3. A round that ends up with fewer people seated than one round can hold is planned again on its
 *    own, so that seating everyone who fits always comes first.
 *
 * Pins and bans work as at a market: a ban keeps the person from the host's tables in every round;
 * pins are admitted in input order (tables-pins.ts) and every admitted pin is seated in at least one
 * round. Step 1 plans around them, and the round that seats a pin keeps that seat in step 3, where
 * "as many as one round can hold" then means: with that round's pinned seats taken.
 *
 * Updating a published plan (`previous`): the published seats that are still possible stay, pins
 * are placed around them (tables-keeping.ts), and each round is filled around those seats as in
 * step 2. `changes` says who changed, and why.
 */
import { CirculationNetwork } from './circulation';
import type { PlanChange } from './plan-changes';
import { fittingHosts, planRotation } from './rotation';
import { admitPins, type RejectedPin } from './tables-pins';
import { describeTableChanges, keepSeats, type PublishedSeat } from './tables-keeping';

export type { RejectedPin };

export type TablesProblem = {
	rounds: number;
	tables: { id: string; hostClub: string; seats: number }[];
	people: { id: string; multilocal: boolean }[];
	/** Fit [person, club, value 0..1000] from score(); a missing pair is a hard mismatch. */
	scores: [string, string, number][];
	/**
	 * [person, host club]: the person sits at one of the club's tables in at least one round. A pin
	 * need not fit: without a score its fit is 0. Repeats count once.
	 */
	pins?: [string, string][];
	/** [person, host club]: never at the club's tables. A ban beats a pin and a score. */
	bans?: [string, string][];
	/** The published seats [person, table, round], when updating a published plan. */
	previous?: PublishedSeat[];
};

export type TablesPlan = {
	/** [person, table, round], round in 0..rounds−1. */
	seats: [string, string, number][];
	/** People who could not be seated in a round, with why. */
	unseated: { person: string; round: number; reason: 'no_fitting_table' | 'no_seat_left' }[];
	/**
	 * People who fit fewer hosts than there are rounds (but at least one), with those hosts: they
	 * meet a host again or sit out, whatever the seating does. In the order of `people`.
	 */
	fewHosts: { person: string; hosts: string[] }[];
	/**
	 * Pins not honoured, in input order: the pair is banned, or earlier pins already hold all of the
	 * person's rounds ('person_full') or all of the club's seats in all rounds ('club_full').
	 */
	rejectedPins: RejectedPin[];
	/** With `previous`: everyone whose (host club, round) seats differ from the published ones, and why. */
	changes?: PlanChange[];
	figures: {
		/** Average host fit over all seats (0..1000). */
		averageHostFit: number;
		/** Seats whose host fits the person below 1 (a missing score counts 0: only pins seat those). */
		lowFitSeats: number;
		/** Table-rounds with at least one resident and one multilocal person, of all table-rounds with ≥ 2 people. */
		mixedTables: number;
		/** Table-rounds with ≥ 2 people: the base that mixedTables is counted out of. */
		occupiedTables: number;
		/** Pairs of people who share a table in more than one round, counted once per extra meeting. */
		repeatedEncounters: number;
		/** Times a person sits with the same host twice. */
		repeatedHosts: number;
	};
};

/*
 * Weights, in points of host fit (0..1000), for the rounds filled in step 2. A host met fewer
 * times always wins over fit; someone left out before is seated ahead of anyone's fit; a mixed
 * table is worth 200 points of fit, each earlier meeting of two table-mates costs 100, and crowding
 * one table while another has room costs a little.
 */
const HOST_REPEAT_PENALTY = 1500;
const LEFT_OUT_BONUS = 1000;
const MIXED_TABLE_BONUS = 200;
const REPEAT_ENCOUNTER_PENALTY = 100;
/** Σ people² per table-round costs this much: the n-th person at a table costs (2n − 1) times it. */
const LOAD_SQUARE_WEIGHT = 100;
/** The flow's share of the mixed-table bonus for the first person of each kind; an integer. */
const FIRST_OF_KIND_BONUS = Math.round(MIXED_TABLE_BONUS / 2);
const MAX_IMPROVEMENT_PASSES = 25;
const MIN_GAIN = 1e-9;

/**
 * Output order: seats and unseated by round, then in the order of `people`. Unseated reasons:
 * 'no_fitting_table' when no table's host fits the person at all, 'no_seat_left' when fitting
 * tables exist (possibly with 0 seats) but were full. Deterministic.
 */
export function seatTables(problem: TablesProblem): TablesPlan {
	const event = indexEvent(problem);
	const { rounds, previous } = problem;
	const kept = previous ? keepSeats(event, previous, rounds) : null;
	const plan = kept?.fixed ? fillAround(event, kept.fixed) : planAfresh(event, rounds);

	const seats: TablesPlan['seats'] = [];
	const unseated: TablesPlan['unseated'] = [];
	plan.forEach((tableOf, round) => {
		problem.people.forEach((person, p) => {
			const t = tableOf[p] ?? -1;
			if (t >= 0) seats.push([person.id, event.tableIds[t] ?? '', round]);
			else unseated.push({ person: person.id, round, reason: unseatedReason(event, p) });
		});
	});
	const fewHosts = problem.people.flatMap((person, p) => {
		const hosts = fittingHosts(event, p);
		return hosts.length > 0 && hosts.length < rounds ? [{ person: person.id, hosts: hosts.map((h) => event.hostIds[h] ?? '') }] : [];
	});
	return {
		seats,
		unseated,
		fewHosts,
		rejectedPins: event.rejectedPins,
		...(kept && { changes: describeTableChanges(problem, event, kept, seats) }),
		figures: measureSeating(problem, seats)
	};
}

/** Steps 1 to 3: tableOf per round. */
function planAfresh(event: IndexedEvent, rounds: number): Int32Array[] {
	const rotation = planRotation({
		rounds,
		personCount: event.personCount,
		hostCount: event.hostCount,
		hostSeats: event.hostSeats,
		fit: event.fit,
		isMultilocal: event.isMultilocal,
		pins: event.pins
	});
	const plan = Array.from({ length: rounds }, (_, r) => tablesForHosts(event, rotation, rounds, r));
	const pinnedSeats = pinnedSeatsOf(event, rotation, plan);
	const mostSeatable = rounds > 0 ? seatedCount(seatRound(event, emptyHistory(event), null)) : 0;
	for (let round = 0; round < rounds; round++) {
		const fixed = plan[round]!;
		const waiting = fixed.some((t, p) => t < 0 && (event.fittingTables[p] ?? []).length > 0);
		if (!waiting) continue;
		const history = historyAround(event, plan, round);
		let tableOf = seatRound(event, history, fixed);
		improveRound(event, history, tableOf, fixed);
		const pinned = pinnedSeats[round] ?? null;
		const most = pinned ? seatedCount(seatRound(event, emptyHistory(event), pinned)) : mostSeatable;
		if (seatedCount(tableOf) < most) {
			tableOf = seatRound(event, history, pinned);
			improveRound(event, history, tableOf, pinned);
		}
		plan[round] = tableOf;
	}
	return plan;
}

/**
 * Updating: each round in turn seats as many more people as possible around the seats that stay
 * (as in step 2, against the other rounds' seats), so newcomers get the free seats.
 */
function fillAround(event: IndexedEvent, fixed: Int32Array[]): Int32Array[] {
	const plan: Int32Array[] = fixed.map((tableOf) => Int32Array.from(tableOf));
	fixed.forEach((kept, round) => {
		const history = historyAround(event, plan, round);
		const tableOf = seatRound(event, history, kept);
		improveRound(event, history, tableOf, kept);
		plan[round] = tableOf;
	});
	return plan;
}

/**
 * Per round, the seats that honour a pin (tableOf with −1 for everyone else), or null for a round
 * without: each pin's first round with its host in the rotation. Those seats stay when a round
 * is planned again, so every pin keeps a round.
 */
function pinnedSeatsOf(event: IndexedEvent, rotation: Int32Array, plan: Int32Array[]): (Int32Array | null)[] {
	const rounds = plan.length;
	const pinnedSeats: (Int32Array | null)[] = plan.map(() => null);
	for (const [p, h] of event.pins) {
		let round = 0;
		while (round < rounds && rotation[p * rounds + round] !== h) round++;
		const t = plan[round]?.[p] ?? -1;
		if (t < 0) throw new Error(`seatTables: the pin of person ${p} with host ${h} found no round`);
		const seats = (pinnedSeats[round] ??= new Int32Array(event.personCount).fill(-1));
		seats[p] = t;
	}
	return pinnedSeats;
}

function seatedCount(tableOf: Int32Array): number {
	return tableOf.reduce((n, t) => n + (t >= 0 ? 1 : 0), 0);
}

/** Round r of the rotation as tables: a host's people go to its tables, emptiest first. */
function tablesForHosts(event: IndexedEvent, rotation: Int32Array, rounds: number, r: number): Int32Array {
	const tableOf = new Int32Array(event.personCount).fill(-1);
	const taken = new Int32Array(event.tableCount);
	for (let p = 0; p < event.personCount; p++) {
		const h = rotation[p * rounds + r] ?? -1;
		if (h < 0) continue;
		let best = -1;
		for (const t of event.tablesOfHost[h] ?? []) {
			const seats = event.seatsAt[t] ?? 0;
			if ((taken[t] ?? 0) >= seats) continue;
			if (best < 0 || (taken[t] ?? 0) / seats < (taken[best] ?? 0) / (event.seatsAt[best] ?? 1)) best = t;
		}
		if (best < 0) continue;
		tableOf[p] = best;
		addAt(taken, best, 1);
	}
	return tableOf;
}

/** The history that round r is filled against: every other round's seats; left out only before r. */
function historyAround(event: IndexedEvent, plan: Int32Array[], round: number): History {
	const history = emptyHistory(event);
	plan.forEach((tableOf, r) => {
		if (r !== round) recordRound(event, history, tableOf, r < round);
	});
	return history;
}

/** The problem as dense indices: people 0..P−1, tables 0..T−1, host clubs 0..H−1. */
export type IndexedEvent = {
	personCount: number;
	tableCount: number;
	hostCount: number;
	tableIds: string[];
	hostIds: string[];
	seatsAt: Int32Array;
	/** Seats per round at all of a host's tables together. */
	hostSeats: Int32Array;
	tablesOfHost: number[][];
	hostOf: Int32Array;
	isMultilocal: Uint8Array;
	/** fit[p · H + h], −1 for a hard mismatch. Dense because the flow is people × tables anyway. */
	fit: Float64Array;
	/** Per person, the tables with seats whose host fits. */
	fittingTables: number[][];
	hasFittingHost: Uint8Array;
	personIndex: Map<string, number>;
	tableIndex: Map<string, number>;
	/** p · H + h for each ban. */
	banned: Set<number>;
	/** Admitted pins [person, host], each pair once. */
	pins: [number, number][];
	rejectedPins: RejectedPin[];
};

/** What the other rounds hold, as seen from the round being filled. */
type History = {
	/** hostVisits[p · H + h] = rounds p sat at a table of host h. */
	hostVisits: Int32Array;
	/** metBefore[p].get(q) = rounds p and q shared a table. Sparse: most pairs never meet. */
	metBefore: Map<number, number>[];
	roundsLeftOut: Int32Array;
};

function indexEvent(problem: TablesProblem): IndexedEvent {
	const { rounds, tables, people, scores } = problem;
	requireCount(rounds, 'rounds');
	const personIndex = indexIds(
		people.map((p) => p.id),
		'person'
	);
	const tableIndex = indexIds(
		tables.map((t) => t.id),
		'table'
	);
	const hostIndex = new Map<string, number>();
	for (const table of tables) {
		requireCount(table.seats, `table ${table.id}: seats`);
		if (!hostIndex.has(table.hostClub)) hostIndex.set(table.hostClub, hostIndex.size);
	}

	const personCount = people.length;
	const hostCount = hostIndex.size;
	const fit = new Float64Array(personCount * hostCount).fill(-1);
	const scored = new Set<string>();
	for (const [person, club, value] of scores) {
		const p = personIndex.get(person);
		if (p === undefined) throw new Error(`unknown person ${person} in scores`);
		if (!Number.isFinite(value) || value < 0) {
			throw new RangeError(`score for ${person}/${club} must be a non-negative number, got ${value}`);
		}
		const key = JSON.stringify([person, club]);
		if (scored.has(key)) throw new Error(`duplicate score for ${person}/${club}`);
		scored.add(key);
		// Scores for clubs that host no table are allowed and simply unused.
		const h = hostIndex.get(club);
		if (h !== undefined) fit[p * hostCount + h] = value;
	}

	const hostOf = Int32Array.from(tables, (t) => hostIndex.get(t.hostClub) ?? -1);
	const seatsAt = Int32Array.from(tables, (t) => t.seats);
	const hostSeats = new Int32Array(hostCount);
	const tablesOfHost: number[][] = Array.from({ length: hostCount }, () => []);
	tables.forEach((table, t) => {
		const h = hostOf[t] ?? 0;
		addAt(hostSeats, h, table.seats);
		tablesOfHost[h]?.push(t);
	});

	const lookup = (kind: string) => ([person, club]: [string, string]): [number, number] => {
		const p = personIndex.get(person);
		const h = hostIndex.get(club);
		if (p === undefined) throw new Error(`unknown person ${person} in ${kind}`);
		if (h === undefined) throw new Error(`unknown host club ${club} in ${kind}`);
		return [p, h];
	};
	const bans = (problem.bans ?? []).map(lookup('bans'));
	const { pins, rejected } = admitPins((problem.pins ?? []).map(lookup('pins')), bans, rounds, hostSeats);
	for (const [p, h] of pins) fit[p * hostCount + h] = Math.max(0, fit[p * hostCount + h] ?? -1);
	for (const [p, h] of bans) fit[p * hostCount + h] = -1;
	const fits = (p: number, t: number) => (fit[p * hostCount + (hostOf[t] ?? -1)] ?? -1) >= 0;
	const fittingTables = people.map((_, p) =>
		tables.flatMap((table, t) => (table.seats > 0 && fits(p, t) ? [t] : []))
	);
	const hasFittingHost = Uint8Array.from(people, (_, p) => (tables.some((_, t) => fits(p, t)) ? 1 : 0));

	return {
		personCount,
		tableCount: tables.length,
		hostCount,
		tableIds: tables.map((t) => t.id),
		hostIds: [...hostIndex.keys()],
		seatsAt,
		hostSeats,
		tablesOfHost,
		hostOf,
		isMultilocal: Uint8Array.from(people, (p) => (p.multilocal ? 1 : 0)),
		fit,
		fittingTables,
		hasFittingHost,
		personIndex,
		tableIndex,
		banned: new Set(bans.map(([p, h]) => p * hostCount + h)),
		pins,
		rejectedPins: rejected.map(({ pin, reason }) => {
			const [person = '', club = ''] = problem.pins?.[pin] ?? [];
			return { person, club, reason };
		})
	};
}

function emptyHistory(event: IndexedEvent): History {
	return {
		hostVisits: new Int32Array(event.personCount * event.hostCount),
		metBefore: Array.from({ length: event.personCount }, () => new Map<number, number>()),
		roundsLeftOut: new Int32Array(event.personCount)
	};
}

function fitAt(event: IndexedEvent, p: number, t: number): number {
	return event.fit[p * event.hostCount + (event.hostOf[t] ?? -1)] ?? -1;
}

/** Fit at table t, less the penalty for each earlier round with the same host. */
function seatValue(event: IndexedEvent, history: History, p: number, t: number): number {
	const visits = history.hostVisits[p * event.hostCount + (event.hostOf[t] ?? -1)] ?? 0;
	return fitAt(event, p, t) - HOST_REPEAT_PENALTY * visits;
}

/**
 * Filling a round: tableOf[p] (−1 = unseated) from a min-cost flow in which seating one
 * more person always pays (cost scaling, see circulation.ts); people in `fixed` keep their seats:
 *
 *   person (supply 1) → (table, resident | multilocal) → table → sink, or person → sink unseated.
 *
 * Each (table, kind) node reaches its table over one arc with a bonus and one without, so the
 * first resident and the first multilocal person at a table earn half the mixed-table bonus each.
 * That separable stand-in for "mixed" keeps the costs convex (so the flow stays exact) and lets
 * the flow mix tables the local search could only reach through chains of swaps.
 */
function seatRound(event: IndexedEvent, history: History, fixed: Int32Array | null): Int32Array {
	const { personCount, tableCount } = event;
	const fixedAt = new Int32Array(tableCount);
	const fixedKindsAt = new Int32Array(2 * tableCount);
	fixed?.forEach((t, p) => {
		if (t < 0) return;
		addAt(fixedAt, t, 1);
		addAt(fixedKindsAt, 2 * t + (event.isMultilocal[p] ?? 0), 1);
	});
	const isFixed = (p: number) => (fixed?.[p] ?? -1) >= 0;
	const personNode = (p: number) => p;
	const kindNode = (t: number, multilocal: number) => personCount + 2 * t + multilocal;
	const tableNode = (t: number) => personCount + 2 * tableCount + t;
	const sink = personCount + 3 * tableCount;
	const network = new CirculationNetwork(sink + 1);

	const seatArcs: { p: number; t: number; arc: number; cost: number }[] = [];
	let largestCost = FIRST_OF_KIND_BONUS + LOAD_SQUARE_WEIGHT * (2 * Math.max(0, ...event.seatsAt) + 1);
	for (let p = 0; p < personCount; p++) {
		const tables = event.fittingTables[p] ?? [];
		if (tables.length === 0 || isFixed(p)) continue;
		const leftOutBonus = LEFT_OUT_BONUS * (history.roundsLeftOut[p] ?? 0);
		const kind = event.isMultilocal[p] ?? 0;
		for (const t of tables) {
			// Integer costs for the flow; the local search works with the exact values.
			const cost = -Math.round(seatValue(event, history, p, t) + leftOutBonus);
			largestCost = Math.max(largestCost, Math.abs(cost));
			seatArcs.push({ p, t, arc: -1, cost });
		}
	}
	for (const seat of seatArcs) seat.arc = network.addArc(personNode(seat.p), kindNode(seat.t, event.isMultilocal[seat.p] ?? 0), 1, seat.cost);
	// Everyone with a fitting table supplies one seat request; one left unseated costs more than
	// any rearrangement can gain, so the flow seats as many people as possible first.
	const unseatedCost = (sink + 1) * 2 * largestCost + 1;
	let requests = 0;
	for (let p = 0; p < personCount; p++) {
		if ((event.fittingTables[p] ?? []).length === 0 || isFixed(p)) continue;
		network.setSupply(personNode(p), 1);
		network.addArc(personNode(p), sink, 1, unseatedCost);
		requests++;
	}
	network.setSupply(sink, -requests);
	for (let t = 0; t < tableCount; t++) {
		const seats = Math.max(0, (event.seatsAt[t] ?? 0) - (fixedAt[t] ?? 0));
		for (const kind of [0, 1]) {
			// A kind already seated here for good has had its first-of-kind bonus.
			if ((fixedKindsAt[2 * t + kind] ?? 0) === 0) network.addArc(kindNode(t, kind), tableNode(t), 1, -FIRST_OF_KIND_BONUS);
			network.addArc(kindNode(t, kind), tableNode(t), seats, 0);
		}
		const taken = fixedAt[t] ?? 0;
		for (let n = taken + 1; n <= taken + seats; n++) network.addArc(tableNode(t), sink, 1, LOAD_SQUARE_WEIGHT * (2 * n - 1));
	}
	network.solve();

	const tableOf = fixed ? Int32Array.from(fixed) : new Int32Array(personCount).fill(-1);
	for (const { p, t, arc } of seatArcs) if (network.flowOn(arc) > 0) tableOf[p] = t;
	return tableOf;
}

/** The state of the round being improved, kept up to date move by move. */
type RoundState = {
	tableOf: Int32Array;
	members: number[][];
	residentsAt: Int32Array;
	multilocalsAt: Int32Array;
	/** earlierMeetingsAt[p · T + t] = Σ over people q now at table t of rounds p and q met before. */
	earlierMeetingsAt: Int32Array;
};

/**
 * Then a local search. For each person seated by the flow (not the fixed ones) in turn, take the best move to a free seat or swap
 * with someone at another fitting table, if it raises the round's objective
 *   Σ seat values − REPEAT_ENCOUNTER_PENALTY · Σ earlier meetings of table-mates
 *                 + MIXED_TABLE_BONUS · mixed tables − LOAD_SQUARE_WEIGHT · Σ people² per table.
 * Every step strictly improves it, so the search ends; the pass limit only bounds the time.
 */
function improveRound(event: IndexedEvent, history: History, tableOf: Int32Array, fixed: Int32Array | null): void {
	const state = roundState(event, history, tableOf);
	const isFixed = (p: number) => (fixed?.[p] ?? -1) >= 0;
	for (let pass = 0; pass < MAX_IMPROVEMENT_PASSES; pass++) {
		let improved = false;
		for (let x = 0; x < event.personCount; x++) {
			const from = tableOf[x] ?? -1;
			if (from < 0 || isFixed(x)) continue;
			let best = { gain: MIN_GAIN, to: -1, partner: -1 };
			for (const to of event.fittingTables[x] ?? []) {
				if (to === from) continue;
				const here = state.members[to] ?? [];
				if (here.length < (event.seatsAt[to] ?? 0)) {
					const gain = changeGain(event, history, state, x, to, -1);
					if (gain > best.gain) best = { gain, to, partner: -1 };
				}
				for (const y of here) {
					if (fitAt(event, y, from) < 0 || isFixed(y)) continue;
					const gain = changeGain(event, history, state, x, to, y);
					if (gain > best.gain) best = { gain, to, partner: y };
				}
			}
			if (best.to < 0) continue;
			moveTo(event, history, state, x, best.to);
			if (best.partner >= 0) moveTo(event, history, state, best.partner, from);
			improved = true;
		}
		if (!improved) return;
	}
}

function roundState(event: IndexedEvent, history: History, tableOf: Int32Array): RoundState {
	const { tableCount } = event;
	const state: RoundState = {
		tableOf,
		members: Array.from({ length: tableCount }, () => []),
		residentsAt: new Int32Array(tableCount),
		multilocalsAt: new Int32Array(tableCount),
		earlierMeetingsAt: new Int32Array(event.personCount * tableCount)
	};
	// Seat everyone again through moveTo, which builds all the bookkeeping.
	tableOf.forEach((t, p) => {
		if (t < 0) return;
		tableOf[p] = -1;
		moveTo(event, history, state, p, t);
	});
	return state;
}

/** Seats p at table `to`, leaving its current table (if any), and updates the bookkeeping. */
function moveTo(event: IndexedEvent, history: History, state: RoundState, p: number, to: number): void {
	const from = state.tableOf[p] ?? -1;
	const multilocal = event.isMultilocal[p] === 1;
	const { tableCount } = event;
	const counts = multilocal ? state.multilocalsAt : state.residentsAt;
	if (from >= 0) {
		const list = state.members[from] ?? [];
		list.splice(list.indexOf(p), 1);
		addAt(counts, from, -1);
	}
	state.members[to]?.push(p);
	addAt(counts, to, 1);
	state.tableOf[p] = to;
	for (const [q, times] of history.metBefore[p] ?? []) {
		if (from >= 0) addAt(state.earlierMeetingsAt, q * tableCount + from, -times);
		addAt(state.earlierMeetingsAt, q * tableCount + to, times);
	}
}

/**
 * The rise in the round's objective if x moves to table `to`, and, when partner ≥ 0, the partner
 * (now at `to`) moves to x's table in exchange.
 */
function changeGain(
	event: IndexedEvent,
	history: History,
	state: RoundState,
	x: number,
	to: number,
	partner: number
): number {
	const from = state.tableOf[x] ?? -1;
	let seatGain = seatValue(event, history, x, to) - seatValue(event, history, x, from);
	// x leaves its table-mates and joins the people at `to` (without the partner, who leaves).
	let meetingsAdded = meetingsAt(event, state, x, to) - meetingsAt(event, state, x, from);
	if (partner >= 0) {
		const metEachOther = history.metBefore[x]?.get(partner) ?? 0;
		seatGain += seatValue(event, history, partner, from) - seatValue(event, history, partner, to);
		meetingsAdded +=
			meetingsAt(event, state, partner, from) - meetingsAt(event, state, partner, to) - 2 * metEachOther;
	}
	const mixGain = mixChange(event, state, from, x, partner) + mixChange(event, state, to, partner, x);
	// A swap leaves both tables as full as before; a move shifts one person from `from` to `to`.
	const loadRise = partner >= 0 ? 0 : 2 * ((state.members[to]?.length ?? 0) - (state.members[from]?.length ?? 0) + 1);
	return seatGain - REPEAT_ENCOUNTER_PENALTY * meetingsAdded + MIXED_TABLE_BONUS * mixGain - LOAD_SQUARE_WEIGHT * loadRise;
}

/** Earlier meetings of p with the people now at table t. */
function meetingsAt(event: IndexedEvent, state: RoundState, p: number, t: number): number {
	return state.earlierMeetingsAt[p * event.tableCount + t] ?? 0;
}

/** +1, 0 or −1: how table t's "mixed" status changes when `leaving` goes and `joining` comes (−1: nobody). */
function mixChange(
	event: IndexedEvent,
	state: RoundState,
	t: number,
	leaving: number,
	joining: number
): number {
	let residents = state.residentsAt[t] ?? 0;
	let multilocals = state.multilocalsAt[t] ?? 0;
	const wasMixed = residents > 0 && multilocals > 0;
	if (leaving >= 0) {
		if (event.isMultilocal[leaving] === 1) multilocals--;
		else residents--;
	}
	if (joining >= 0) {
		if (event.isMultilocal[joining] === 1) multilocals++;
		else residents++;
	}
	return Number(residents > 0 && multilocals > 0) - Number(wasMixed);
}

function recordRound(event: IndexedEvent, history: History, tableOf: Int32Array, countLeftOut: boolean): void {
	const members: number[][] = Array.from({ length: event.tableCount }, () => []);
	tableOf.forEach((t, p) => {
		if (t < 0) {
			if (countLeftOut) addAt(history.roundsLeftOut, p, 1);
			return;
		}
		addAt(history.hostVisits, p * event.hostCount + (event.hostOf[t] ?? -1), 1);
		members[t]?.push(p);
	});
	for (const group of members) {
		for (const p of group) {
			const met = history.metBefore[p];
			if (!met) continue;
			for (const q of group) if (q !== p) met.set(q, (met.get(q) ?? 0) + 1);
		}
	}
}

function unseatedReason(event: IndexedEvent, p: number): 'no_fitting_table' | 'no_seat_left' {
	return event.hasFittingHost[p] === 1 ? 'no_seat_left' : 'no_fitting_table';
}

/** The figures, computed from the seats alone so they describe the plan as returned. */
function measureSeating(problem: TablesProblem, seats: TablesPlan['seats']): TablesPlan['figures'] {
	const hostOfTable = new Map(problem.tables.map((t) => [t.id, t.hostClub]));
	const isMultilocal = new Map(problem.people.map((p) => [p.id, p.multilocal]));
	const fitOf = new Map(problem.scores.map(([p, c, value]) => [JSON.stringify([p, c]), value]));

	let totalFit = 0;
	let lowFitSeats = 0;
	const hostVisits = new Map<string, number>();
	const groups = new Map<string, string[]>();
	for (const [person, table, round] of seats) {
		const host = hostOfTable.get(table) ?? '';
		const fit = fitOf.get(JSON.stringify([person, host])) ?? 0;
		totalFit += fit;
		if (fit < 1) lowFitSeats++;
		increment(hostVisits, JSON.stringify([person, host]));
		const key = JSON.stringify([table, round]);
		const group = groups.get(key) ?? [];
		group.push(person);
		groups.set(key, group);
	}

	let occupiedTables = 0;
	let mixedTables = 0;
	const meetings = new Map<string, number>();
	for (const group of groups.values()) {
		if (group.length < 2) continue;
		occupiedTables++;
		const multilocals = group.filter((p) => isMultilocal.get(p)).length;
		if (multilocals > 0 && multilocals < group.length) mixedTables++;
		for (let i = 0; i < group.length; i++) {
			for (let j = i + 1; j < group.length; j++) {
				const [a = '', b = ''] = [group[i], group[j]].sort();
				increment(meetings, JSON.stringify([a, b]));
			}
		}
	}

	return {
		averageHostFit: seats.length > 0 ? totalFit / seats.length : 0,
		lowFitSeats,
		mixedTables,
		occupiedTables,
		repeatedEncounters: sumOfRepeats(meetings),
		repeatedHosts: sumOfRepeats(hostVisits)
	};
}

function increment(counts: Map<string, number>, key: string): void {
	counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Σ (n − 1) over everything that happened n ≥ 1 times. */
function sumOfRepeats(counts: Map<string, number>): number {
	let repeats = 0;
	for (const n of counts.values()) repeats += n - 1;
	return repeats;
}

function addAt(values: Int32Array, i: number, delta: number): void {
	values[i] = (values[i] ?? 0) + delta;
}

function requireCount(value: number, what: string): void {
	if (!Number.isSafeInteger(value) || value < 0) {
		throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
	}
}

function indexIds(ids: string[], kind: string): Map<string, number> {
	const index = new Map<string, number>();
	ids.forEach((id, i) => {
		if (index.has(id)) throw new Error(`duplicate ${kind} ${id}`);
		index.set(id, i);
	});
	return index;
}
