/**
 * Which pins a Gesprächsrunde honours (see seatTables). Pure, no I/O.
 */

export type RejectedPin = { person: string; club: string; reason: 'banned' | 'person_full' | 'club_full' };

/**
 * Pins in input order, as at a market: a banned pair is refused, and so is a pin once the person's
 * earlier pins fill all rounds or the host's fill all its seats in all rounds. Within these limits
 * the admitted pins can always be laid into rounds (a bipartite edge colouring, see rounds.ts).
 * A repeated pin counts once; returns the admitted pairs and the refused ones (index into `pins`).
 */
export function admitPins(
	pins: [number, number][],
	bans: [number, number][],
	rounds: number,
	hostSeats: Int32Array
): { pins: [number, number][]; rejected: { pin: number; reason: RejectedPin['reason'] }[] } {
	const key = ([p, h]: [number, number]) => `${p}/${h}`;
	const banned = new Set(bans.map(key));
	const admitted = new Set<string>();
	const pinsOfPerson = new Map<number, number>();
	const pinsOfHost = new Map<number, number>();
	const accepted: [number, number][] = [];
	const rejected: { pin: number; reason: RejectedPin['reason'] }[] = [];
	pins.forEach((pin, i) => {
		const [p, h] = pin;
		if (admitted.has(key(pin))) return;
		const reason = banned.has(key(pin))
			? 'banned'
			: (pinsOfPerson.get(p) ?? 0) >= rounds
				? 'person_full'
				: (pinsOfHost.get(h) ?? 0) >= (hostSeats[h] ?? 0) * rounds
					? 'club_full'
					: null;
		if (reason) {
			rejected.push({ pin: i, reason });
			return;
		}
		admitted.add(key(pin));
		pinsOfPerson.set(p, (pinsOfPerson.get(p) ?? 0) + 1);
		pinsOfHost.set(h, (pinsOfHost.get(h) ?? 0) + 1);
		accepted.push(pin);
	});
	return { pins: accepted, rejected };
}
