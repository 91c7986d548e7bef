/**
 * Updating a published Gesprächsrunde (see seatTables with `previous`): which published seats stay,
 * and who changes, and why. Pure, no I/O.
 *
 * A published seat stays where it still can: the person and the table are still there, the round
 * still exists, the host still fits (or is pinned) and is not banned, the table has a seat left for
 * it (earlier seats in `previous` first) and the person has no earlier seat in that round. Then
 * every admitted pin the kept seats do not already honour gets a seat in a round the person's other
 * pins leave: on a free seat where possible, else in place of an unpinned kept seat (the person's
 * own, and at a full table someone else's). seatTables fills everything else around these seats.
 */
import { REASON_ORDER, type ChangeReason, type PlanChange } from './plan-changes';
import type { IndexedEvent, TablesProblem } from './tables';

/** [person, table, round], as seatTables returns its seats. */
export type PublishedSeat = [string, string, number];

export type KeptSeats = {
	/**
	 * Per round, tableOf[p] for the seats that stay (−1: to be filled); null when the pins cannot all
	 * be placed around them (rare: only pinned seats fill the host in every round the person has
	 * left), and then the plan is made afresh.
	 */
	fixed: Int32Array[] | null;
	/** Per entry of `previous`: why it goes, or null when it stays (or repeats an earlier seat of the person in that round). */
	dropped: (ChangeReason | null)[];
};

export function keepSeats(event: IndexedEvent, previous: PublishedSeat[], rounds: number): KeptSeats {
	const { personCount, tableCount, hostCount } = event;
	const fixed = Array.from({ length: rounds }, () => new Int32Array(personCount).fill(-1));
	const taken = new Int32Array(rounds * tableCount);
	// entryAt[p · R + r]: the entry of `previous` behind p's kept seat in round r.
	const entryAt = new Int32Array(personCount * rounds).fill(-1);
	const dropped: (ChangeReason | null)[] = previous.map(() => null);

	previous.forEach(([person, table, round], i) => {
		const p = event.personIndex.get(person);
		const t = event.tableIndex.get(table);
		if (p === undefined) {
			dropped[i] = 'left';
			return;
		}
		if (t === undefined || (event.seatsAt[t] ?? 0) === 0 || !Number.isInteger(round) || round < 0 || round >= rounds) {
			dropped[i] = 'club_unavailable';
			return;
		}
		const h = event.hostOf[t] ?? -1;
		if (event.banned.has(p * hostCount + h)) dropped[i] = 'rule';
		else if ((event.fit[p * hostCount + h] ?? -1) < 0) dropped[i] = 'no_longer_fits';
		else if ((fixed[round]?.[p] ?? -1) >= 0) return;
		else if ((taken[round * tableCount + t] ?? 0) >= (event.seatsAt[t] ?? 0)) dropped[i] = 'seats_reduced';
		else {
			fixed[round]![p] = t;
			taken[round * tableCount + t]!++;
			entryAt[p * rounds + round] = i;
		}
	});

	const isPinnedSeat = new Uint8Array(personCount * rounds);
	const hostAt = (p: number, r: number) => event.hostOf[fixed[r]?.[p] ?? -1] ?? -1;
	const freeTable = (h: number, r: number) => (event.tablesOfHost[h] ?? []).find((t) => (taken[r * tableCount + t] ?? 0) < (event.seatsAt[t] ?? 0)) ?? -1;
	/** Someone at one of h's tables in round r whose seat is not pinned, the latest listed first; −1 if none. */
	const evictable = (h: number, r: number) => {
		for (let q = personCount - 1; q >= 0; q--) if (hostAt(q, r) === h && isPinnedSeat[q * rounds + r] === 0) return q;
		return -1;
	};
	const unseat = (p: number, r: number) => {
		const t = fixed[r]?.[p] ?? -1;
		if (t < 0) return;
		taken[r * tableCount + t]!--;
		fixed[r]![p] = -1;
		const entry = entryAt[p * rounds + r] ?? -1;
		if (entry >= 0) dropped[entry] = 'rule';
		entryAt[p * rounds + r] = -1;
	};

	// First the pins that kept seats honour already, so that placing the others never takes those seats.
	const toPlace = event.pins.filter(([p, h]) => {
		const met = Array.from({ length: rounds }, (_, r) => r).find((r) => hostAt(p, r) === h);
		if (met !== undefined) isPinnedSeat[p * rounds + met] = 1;
		return met === undefined;
	});
	for (const [p, h] of toPlace) {
		// The cheapest round: the person free there and a seat free, then one of the two taken, then both.
		let best = { round: -1, cost: Infinity };
		for (let r = 0; r < rounds; r++) {
			if (isPinnedSeat[p * rounds + r] === 1) continue;
			const hasSeat = freeTable(h, r) >= 0;
			if (!hasSeat && evictable(h, r) < 0) continue;
			const cost = ((fixed[r]?.[p] ?? -1) >= 0 ? 1 : 0) + (hasSeat ? 0 : 1);
			if (cost < best.cost) best = { round: r, cost };
		}
		const r = best.round;
		if (r < 0) {
			// The pins win: every seat that would have stayed goes for them.
			entryAt.forEach((entry) => {
				if (entry >= 0) dropped[entry] = 'rule';
			});
			return { fixed: null, dropped };
		}
		unseat(p, r);
		if (freeTable(h, r) < 0) unseat(evictable(h, r), r);
		const t = freeTable(h, r);
		fixed[r]![p] = t;
		taken[r * tableCount + t]!++;
		isPinnedSeat[p * rounds + r] = 1;
	}
	return { fixed, dropped };
}

/**
 * Everyone whose (club, round) slots differ from the published ones, in the order of `people`,
 * then those who left. A seat's club is its table's host; a table no longer there counts as its
 * own club. Reasons as at a market: a dropped seat's reason, 'new' for someone not published,
 * 'rule' for a newly pinned club, else 'room_freed' (they only gained seats).
 */
export function describeTableChanges(
	problem: TablesProblem,
	event: IndexedEvent,
	kept: KeptSeats,
	seats: PublishedSeat[]
): PlanChange[] {
	const previous = problem.previous ?? [];
	const hostOfTable = new Map(problem.tables.map((t) => [t.id, t.hostClub]));
	const clubOf = (table: string) => hostOfTable.get(table) ?? table;
	const before = new Map<string, { club: string; round: number; entry: number }[]>();
	const seen = new Set<string>();
	previous.forEach(([person, table, round], entry) => {
		const key = JSON.stringify([person, round]);
		if (seen.has(key)) return;
		seen.add(key);
		before.set(person, [...(before.get(person) ?? []), { club: clubOf(table), round, entry }]);
	});
	const after = new Map<string, { club: string; round: number }[]>();
	for (const [person, table, round] of seats) after.set(person, [...(after.get(person) ?? []), { club: clubOf(table), round }]);
	const pinned = new Set(event.pins.map(([p, h]) => JSON.stringify([problem.people[p]?.id, event.hostIds[h]])));
	const slotKey = (slot: { club: string; round: number }) => JSON.stringify([slot.club, slot.round]);

	const changes: PlanChange[] = [];
	for (const { id: person } of problem.people) {
		const was = before.get(person) ?? [];
		const now = after.get(person) ?? [];
		const nowKeys = new Set(now.map(slotKey));
		const wasKeys = new Set(was.map(slotKey));
		if (was.length === now.length && was.every((slot) => nowKeys.has(slotKey(slot)))) continue;
		const reasons = new Set<ChangeReason>();
		if (!before.has(person)) reasons.add('new');
		for (const slot of was) {
			if (nowKeys.has(slotKey(slot))) continue;
			reasons.add(kept.dropped[slot.entry] ?? 'makes_room');
		}
		for (const slot of now) {
			const isNewClub = !was.some((s) => s.club === slot.club);
			if (!wasKeys.has(slotKey(slot)) && isNewClub && pinned.has(JSON.stringify([person, slot.club]))) reasons.add('rule');
		}
		if (reasons.size === 0) reasons.add('room_freed');
		changes.push({ person, before: was.map(({ club, round }) => ({ club, round })), after: now, reasons: REASON_ORDER.filter((r) => reasons.has(r)) });
	}
	for (const [person, was] of before) {
		if (!event.personIndex.has(person)) changes.push({ person, before: was.map(({ club, round }) => ({ club, round })), after: [], reasons: ['left'] });
	}
	return changes;
}
