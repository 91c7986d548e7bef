import type { EventKind } from '../db/schema';
import type { ChangeReason, PlanChange, PublishedSlot } from '../../matching/plan-changes';
import { planMarket as coreMarket, type MarketPlan, type PlanStage, type UnplacedReason as MarketUnplacedReason } from '../../matching/market';
import { commonExclusion, score, type Reason, type Score } from '../../matching/scoring';
import { seatTables, type TablesPlan } from '../../matching/tables';
import type { Host, Participant } from './problem';

// From loaded people and hosts to slots and figures. No I/O: the service stores what comes out.

export interface MatchSettings {
	/** Clubs per person at a market. */
	k: number;
	rounds: number;
	roundMinutes: number;
	/** null: the first round starts with the event. */
	firstRoundAt: Date | null;
	/** Seats per table at a Gesprächsrunde. */
	tableSeats: number;
}

export const DEFAULT_SETTINGS: MatchSettings = { k: 3, rounds: 6, roundMinutes: 15, firstRoundAt: null, tableSeats: 6 };

export type UnplacedReason = MarketUnplacedReason | 'no_fitting_table';
export type RejectedPinReason = MarketPlan['rejectedPins'][number]['reason'] | 'not_in_event';

export interface PlanFigures {
	kind: EventKind;
	k: number;
	rounds: number;
	people: number;
	clubs: number;
	/** coverage[t − 1]: people with at least t conversations. */
	coverage: number[];
	averageScore: number;
	slots: number;
	load: { clubId: string; place: string; seatsPerRound: number; assigned: number; capacity: number }[];
	unplaced: { personId: string; reason: UnplacedReason }[];
	rejectedPins: { personId: string; clubId: string; reason: RejectedPinReason }[];
	/** Chosen pairs that found no round (only when the core cannot lay them). */
	unscheduled: number;
	tables: TablesPlan['figures'] | null;
	/**
	 * Gesprächsrunde: people whose rules and fit leave fewer tables than rounds, with those clubs,
	 * and the rounds at which none of them would sit at a table twice. Absent in older plans.
	 */
	fewTables?: { personId: string; clubIds: string[] }[];
	suggestedRounds?: number | null;
	/**
	 * An update of the published plan (absent in fresh plans): everyone whose conversations differ
	 * from the published ones, with why. Only they hear about it when this draft is published.
	 */
	changes?: { personId: string; before: { clubId: string; round: number | null }[]; after: { clubId: string; round: number | null }[]; reasons: ChangeReason[] }[];
}

export interface ComputedSlot {
	personId: string;
	clubId: string;
	round: number | null;
	stallId: string | null;
	place: string;
	startsAt: Date | null;
	endsAt: Date | null;
	score: number;
	reasons: Reason[];
}

export interface Rule {
	personId: string;
	clubId: string;
	kind: 'pin' | 'ban';
}

const pairKey = (personId: string, clubId: string) => `${personId}\u0000${clubId}`;

function scoreAll(people: Participant[], hosts: Host[]): Map<string, Score> {
	const scores = new Map<string, Score>();
	for (const person of people) for (const host of hosts) scores.set(pairKey(person.id, host.id), score(person.match, host.match));
	return scores;
}

const valueOf = (s: Score | undefined) => Math.max(0, Math.round(s?.value ?? 0));

function slotTimes(settings: MatchSettings, eventStart: Date, round: number): { startsAt: Date; endsAt: Date } {
	const base = (settings.firstRoundAt ?? eventStart).getTime();
	const startsAt = new Date(base + round * settings.roundMinutes * 60_000);
	return { startsAt, endsAt: new Date(startsAt.getTime() + settings.roundMinutes * 60_000) };
}

/** Why a person got nothing: no club at all, every club a hard mismatch, all fitting ones banned, or full. */
function explain(personId: string, hosts: Host[], scores: Map<string, Score>, banned: Set<string>, fallback: UnplacedReason): UnplacedReason {
	const usable = hosts.filter((h) => h.seatsPerRound > 0);
	if (usable.length === 0) return 'no_clubs';
	const fitting = usable.filter((h) => !scores.get(pairKey(personId, h.id))?.excluded);
	if (fitting.length === 0) {
		return commonExclusion(usable.map((h) => scores.get(pairKey(personId, h.id))?.excluded));
	}
	if (fitting.every((h) => banned.has(pairKey(personId, h.id)))) return 'banned';
	return fallback;
}

function coverageOf(people: Participant[], slots: ComputedSlot[], tiers: number): number[] {
	const clubsOf = new Map<string, Set<string>>();
	for (const slot of slots) {
		const set = clubsOf.get(slot.personId) ?? new Set<string>();
		set.add(slot.clubId);
		clubsOf.set(slot.personId, set);
	}
	const counts = people.map((p) => clubsOf.get(p.id)?.size ?? 0);
	return Array.from({ length: tiers }, (_, t) => counts.filter((n) => n > t).length);
}

function loadOf(hosts: Host[], slots: ComputedSlot[], rounds: number): PlanFigures['load'] {
	return hosts.map((h) => ({
		clubId: h.id,
		place: h.place,
		seatsPerRound: h.seatsPerRound,
		assigned: slots.filter((s) => s.clubId === h.id).length,
		capacity: h.seatsPerRound * rounds
	}));
}

function changeFigure(change: PlanChange): NonNullable<PlanFigures['changes']>[number] {
	return {
		personId: change.person,
		before: change.before.map((s) => ({ clubId: s.club, round: s.round })),
		after: change.after.map((s) => ({ clubId: s.club, round: s.round })),
		reasons: change.reasons
	};
}

const average = (slots: ComputedSlot[]) => (slots.length ? Math.round(slots.reduce((sum, s) => sum + s.score, 0) / slots.length) : 0);

/**
 * A market: the core's planMarket chooses the best k clubs per person within every stall's
 * seats × rounds (exact, with pins and bans) and lays them into rounds, so nobody is at two stalls
 * at once and no stall has more people than chairs. Rules naming someone no longer taking part
 * are reported here, since the core only knows who is in the problem.
 */
/** How far the computation is: the stage and the share of it done (0..1). */
export type ComputeProgress = (stage: PlanStage, fraction: number) => void;

export function planMarket(
	people: Participant[],
	hosts: Host[],
	rules: Rule[],
	settings: MatchSettings,
	eventStart: Date,
	onProgress?: ComputeProgress,
	previous?: PublishedSlot[]
): { slots: ComputedSlot[]; figures: PlanFigures } {
	const personIds = new Set(people.map((p) => p.id));
	const hostById = new Map(hosts.map((h) => [h.id, h]));
	const inEvent = (r: Rule) => personIds.has(r.personId) && hostById.has(r.clubId);
	const plan = coreMarket({
		k: settings.k,
		rounds: settings.rounds,
		people: people.map((p) => p.match),
		clubs: hosts.map((h) => ({ ...h.match, seatsPerRound: h.seatsPerRound })),
		pins: rules.filter((r) => r.kind === 'pin' && inEvent(r)).map((r): [string, string] => [r.personId, r.clubId]),
		bans: rules.filter((r) => r.kind === 'ban' && inEvent(r)).map((r): [string, string] => [r.personId, r.clubId]),
		...(previous ? { previous } : {})
	}, { onProgress });
	const slots: ComputedSlot[] = plan.pairs
		.filter((pair) => pair.round !== null)
		.map((pair) => {
			const host = hostById.get(pair.club)!;
			return {
				personId: pair.person,
				clubId: pair.club,
				round: pair.round,
				stallId: host.stallId,
				place: host.place,
				...slotTimes(settings, eventStart, pair.round!),
				score: pair.value,
				reasons: pair.reasons
			};
		});
	slots.sort((a, b) => (a.round ?? 0) - (b.round ?? 0) || a.place.localeCompare(b.place, 'de', { numeric: true }));
	const placed = new Set(slots.map((s) => s.personId));
	// A person whose chosen pairs all found no round has nothing either (the core never leaves one when its preconditions hold).
	const roundless = people.filter((p) => !placed.has(p.id) && plan.pairs.some((pair) => pair.person === p.id)).map((p) => ({ personId: p.id, reason: 'no_round' as const }));
	const k = Math.min(settings.k, settings.rounds);
	return {
		slots,
		figures: {
			kind: 'market',
			k,
			rounds: settings.rounds,
			people: people.length,
			clubs: hosts.length,
			coverage: plan.unscheduled.length ? coverageOf(people, slots, k) : plan.coverage,
			averageScore: average(slots),
			slots: slots.length,
			load: loadOf(hosts, slots, settings.rounds),
			unplaced: [...plan.unplaced.map((u) => ({ personId: u.person, reason: u.reason })), ...roundless],
			rejectedPins: [
				...rules.filter((r) => r.kind === 'pin' && !inEvent(r)).map((r) => ({ personId: r.personId, clubId: r.clubId, reason: 'not_in_event' as const })),
				...plan.rejectedPins.map((r) => ({ personId: r.person, clubId: r.club, reason: r.reason }))
			],
			unscheduled: plan.unscheduled.length,
			tables: null,
			...(plan.changes ? { changes: plan.changes.map(changeFigure) } : {})
		}
	};
}

/**
 * A Gesprächsrunde: every round, each person sits at one club's table. The core honours pins and
 * bans as a market's does (a pin seats the person at the club in at least one round, even on a hard
 * mismatch; a ban never does); rules naming someone no longer taking part are reported here.
 * With `previous` (the published slots) it updates that plan: seats that are still possible stay.
 */
export function planTables(
	people: Participant[],
	hosts: Host[],
	rules: Rule[],
	settings: MatchSettings,
	eventStart: Date,
	onProgress?: ComputeProgress,
	previous?: PublishedSlot[]
): { slots: ComputedSlot[]; figures: PlanFigures } {
	const rounds = settings.rounds;
	onProgress?.('scoring', 0);
	const scores = scoreAll(people, hosts);
	const hostById = new Map(hosts.map((h) => [h.id, h]));
	const personIds = new Set(people.map((p) => p.id));
	const inEvent = (r: Rule) => personIds.has(r.personId) && hostById.has(r.clubId);
	const banned = new Set(rules.filter((r) => r.kind === 'ban').map((r) => pairKey(r.personId, r.clubId)));
	const fit: [string, string, number][] = [];
	for (const person of people) {
		for (const host of hosts) {
			const s = scores.get(pairKey(person.id, host.id));
			if (s && !s.excluded) fit.push([person.id, host.id, valueOf(s)]);
		}
	}
	onProgress?.('assigning', 0);
	const seated = seatTables({
		rounds,
		tables: hosts.map((h) => ({ id: h.id, hostClub: h.id, seats: h.seatsPerRound })),
		people: people.map((p) => ({ id: p.id, multilocal: p.match.residency === 'incoming' || p.match.residency === 'outgoing' })),
		scores: fit,
		pins: rules.filter((r) => r.kind === 'pin' && inEvent(r)).map((r): [string, string] => [r.personId, r.clubId]),
		bans: rules.filter((r) => r.kind === 'ban' && inEvent(r)).map((r): [string, string] => [r.personId, r.clubId]),
		// Each host has one table, named after it.
		...(previous ? { previous: previous.flatMap((s): [string, string, number][] => (s.round === null ? [] : [[s.person, s.club, s.round]])) } : {})
	});
	const slots: ComputedSlot[] = seated.seats.map(([personId, tableId, round]) => {
		const host = hostById.get(tableId)!;
		const s = scores.get(pairKey(personId, tableId));
		// A pinned hard mismatch sits there with a fit of 0, as the core counts it.
		return {
			personId,
			clubId: host.id,
			round,
			stallId: null,
			place: host.place,
			...slotTimes(settings, eventStart, round),
			score: s && !s.excluded ? valueOf(s) : 0,
			reasons: s?.reasons ?? []
		};
	});
	slots.sort((a, b) => (a.round ?? 0) - (b.round ?? 0) || a.place.localeCompare(b.place, 'de', { numeric: true }));
	const placed = new Set(slots.map((s) => s.personId));
	const unplaced = people
		.filter((p) => !placed.has(p.id))
		.map((p) => {
			const why = seated.unseated.find((u) => u.person === p.id)?.reason;
			return { personId: p.id, reason: explain(p.id, hosts, scores, banned, why === 'no_fitting_table' ? 'no_fitting_table' : 'capacity') };
		});
	const rejectedPins: PlanFigures['rejectedPins'] = [
		...rules.filter((r) => r.kind === 'pin' && !inEvent(r)).map((r) => ({ personId: r.personId, clubId: r.clubId, reason: 'not_in_event' as const })),
		...seated.rejectedPins.map((r) => ({ personId: r.person, clubId: r.club, reason: r.reason }))
	];
	return {
		slots,
		figures: {
			kind: 'round_table',
			k: rounds,
			rounds,
			people: people.length,
			clubs: hosts.length,
			// Nobody can meet more clubs than there are tables.
			coverage: coverageOf(people, slots, Math.min(rounds, 3, hosts.length)),
			averageScore: average(slots),
			slots: slots.length,
			load: loadOf(hosts, slots, rounds),
			unplaced,
			rejectedPins,
			unscheduled: 0,
			tables: seated.figures,
			fewTables: seated.fewHosts.map((f) => ({ personId: f.person, clubIds: f.hosts })),
			suggestedRounds: seated.fewHosts.length ? Math.min(...seated.fewHosts.map((f) => f.hosts.length)) : null,
			...(seated.changes ? { changes: seated.changes.map(changeFigure) } : {})
		}
	};
}
