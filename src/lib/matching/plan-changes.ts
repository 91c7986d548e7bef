/**
 * Who moves, and why, when a published plan is planned again: the preview a coordinator sees
 * before sending new schedules. Pure, no I/O.
 */
import type { Candidates } from './assignment';

/** One published slot: a person's club and its round (null without rounds). */
export type PublishedSlot = { person: string; club: string; round: number | null };

export type ChangeReason =
	/** Registered after the plan was published. */
	| 'new'
	/** Cancelled: no longer among the people. */
	| 'left'
	/** A published club withdrew or has no seats left. */
	| 'club_unavailable'
	/** A published club now has fewer seats than people it was published with. */
	| 'seats_reduced'
	/** A pin or ban now forbids a published club, forces another, or takes one of their places. */
	| 'rule'
	/** A published club no longer fits them (language, time, place, … exclude it now). */
	| 'no_longer_fits'
	/** A published club that still fits was given to someone else so more people get clubs. */
	| 'makes_room'
	/** Nothing was taken from them; a seat became free, so they get a club they did not have. */
	| 'room_freed'
	/** Same clubs, but at least one in another round, to fit others in. */
	| 'round_moved';

type Slot = { club: string; round: number | null };

/** Only people whose set of (club, round) differs from the published one. */
export type PlanChange = { person: string; before: Slot[]; after: Slot[]; reasons: ChangeReason[] };

/** The order reasons are listed in. */
export const REASON_ORDER: ChangeReason[] = [
	'new',
	'left',
	'club_unavailable',
	'seats_reduced',
	'rule',
	'no_longer_fits',
	'makes_room',
	'room_freed',
	'round_moved'
];

/** Published pairs whose person and club are still in the problem, as indices, each once. */
export function publishedIndexPairs(previous: PublishedSlot[], personIds: string[], clubIds: string[]): [number, number][] {
	const personIndex = new Map(personIds.map((id, p) => [id, p]));
	const clubIndex = new Map(clubIds.map((id, c) => [id, c]));
	const seen = new Set<number>();
	const pairs: [number, number][] = [];
	for (const { person, club } of previous) {
		const p = personIndex.get(person);
		const c = clubIndex.get(club);
		if (p === undefined || c === undefined || seen.has(p * clubIds.length + c)) continue;
		seen.add(p * clubIds.length + c);
		pairs.push([p, c]);
	}
	return pairs;
}

export type ChangeFacts = {
	previous: PublishedSlot[];
	personIds: string[];
	clubIds: string[];
	/** Seats per club over all rounds, in the order of clubIds. */
	capacities: number[];
	candidates: Candidates;
	bans: [string, string][];
	/** The pins the plan honoured. */
	pins: [string, string][];
	/** The new plan. */
	pairs: { person: string; club: string; round: number | null }[];
};

export function describeChanges(facts: ChangeFacts): PlanChange[] {
	const { previous, personIds, clubIds, capacities } = facts;
	const before = slotsByPerson(previous);
	const after = slotsByPerson(facts.pairs);
	const present = new Set(personIds);
	const capacityOf = new Map(clubIds.map((id, c) => [id, capacities[c] ?? 0]));
	const banned = new Set(facts.bans.map(([p, c]) => pairKey(p, c)));
	const pinned = new Set(facts.pins.map(([p, c]) => pairKey(p, c)));
	const fits = stillCandidates(previous, personIds, clubIds, facts.candidates);
	const publishedLoad = new Map<string, number>();
	for (const { person, club } of dedupe(previous)) {
		if (present.has(person)) publishedLoad.set(club, (publishedLoad.get(club) ?? 0) + 1);
	}
	const hasNewPin = new Set(
		facts.pins.filter(([p, c]) => !(before.get(p) ?? []).some((slot) => slot.club === c)).map(([p]) => p)
	);

	const dropReason = (person: string, club: string): ChangeReason => {
		const capacity = capacityOf.get(club) ?? 0;
		if (capacity === 0) return 'club_unavailable';
		if (banned.has(pairKey(person, club))) return 'rule';
		if (!fits.has(pairKey(person, club))) return 'no_longer_fits';
		if (capacity < (publishedLoad.get(club) ?? 0)) return 'seats_reduced';
		if (hasNewPin.has(person)) return 'rule';
		return 'makes_room';
	};

	const changes: PlanChange[] = [];
	for (const person of personIds) {
		const was = before.get(person) ?? [];
		const now = after.get(person) ?? [];
		if (sameSlots(was, now)) continue;
		const reasons = new Set<ChangeReason>();
		if (!before.has(person)) reasons.add('new');
		for (const slot of was) {
			const kept = now.find((s) => s.club === slot.club);
			if (!kept) reasons.add(dropReason(person, slot.club));
			else if (kept.round !== slot.round) reasons.add('round_moved');
		}
		for (const slot of now) {
			if (!was.some((s) => s.club === slot.club) && pinned.has(pairKey(person, slot.club))) reasons.add('rule');
		}
		if (reasons.size === 0) reasons.add('room_freed');
		changes.push({ person, before: was, after: now, reasons: REASON_ORDER.filter((r) => reasons.has(r)) });
	}
	for (const [person, was] of before) {
		if (!present.has(person)) changes.push({ person, before: was, after: [], reasons: ['left'] });
	}
	return changes;
}

/** Published pairs that are still candidates (not excluded by the scores). */
function stillCandidates(previous: PublishedSlot[], personIds: string[], clubIds: string[], candidates: Candidates): Set<string> {
	const wanted = new Set(publishedIndexPairs(previous, personIds, clubIds).map(([p, c]) => p * clubIds.length + c));
	const fits = new Set<string>();
	candidates.person.forEach((p, i) => {
		const c = candidates.club[i] ?? -1;
		if (wanted.has(p * clubIds.length + c)) fits.add(pairKey(personIds[p] ?? '', clubIds[c] ?? ''));
	});
	return fits;
}

function slotsByPerson(slots: { person: string; club: string; round: number | null }[]): Map<string, Slot[]> {
	const byPerson = new Map<string, Slot[]>();
	for (const { person, club, round } of dedupe(slots)) byPerson.set(person, [...(byPerson.get(person) ?? []), { club, round }]);
	return byPerson;
}

/** The first slot per person and club. */
function dedupe<T extends { person: string; club: string }>(slots: T[]): T[] {
	const seen = new Set<string>();
	return slots.filter(({ person, club }) => !seen.has(pairKey(person, club)) && seen.add(pairKey(person, club)));
}

function sameSlots(a: Slot[], b: Slot[]): boolean {
	const key = (slots: Slot[]) => slots.map((s) => `${s.club}\u0000${s.round}`).sort().join('\u0001');
	return a.length === b.length && key(a) === key(b);
}

const pairKey = (person: string, club: string) => `${person}\u0000${club}`;
