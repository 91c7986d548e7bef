/**
 * The rotation of a Gesprächsrunde: which host clubs each person meets, and in which round.
 * Pure, no I/O.
 *
 * Round by round, a greedy seating cannot promise that everyone meets a new host each round: an
 * early round can leave two people needing the same full table in the last one. So the hosts are
 * chosen for all rounds at once and only then laid into rounds:
 *
 * 1. A min-cost flow (person → host → host's seats → sink) gives each person as many different
 *    fitting hosts as there are rounds (or as fit allows), and with fewer fitting hosts than
 *    rounds, visits those hosts in turn. Leaving one of a person's rounds empty
 *    costs more than any fit, and more again for each further empty round of the same person, so
 *    the flow first seats as many conversations as possible, then shares the shortfall fairly.
 *    Each further seat a host fills costs a little, for all people and per kind (resident or
 *    multilocal), which balances the hosts and their mix.
 * 2. layRounds lays the chosen pairs into rounds (a bipartite edge colouring, see rounds.ts):
 *    nobody is at two hosts in a round and no host has more people than seats.
 * 3. A local search for fit, even tables, mixed residents and multilocal people and fewer repeated
 *    encounters: it swaps the rounds of a person's conversations (alone, or with someone at the
 *    other host), or within a round moves a person to a host they meet in no other round (alone,
 *    or swapping places with someone there). No move ever makes anyone meet a host twice.
 *
 * Pins are chosen before step 1, which then plans only the rounds and seats they leave; step 2
 * lays them like any other pair, and step 3 never takes away a person's only meeting with a
 * pinned host.
 */
import { CirculationNetwork } from './circulation';
import { layRounds } from './rounds';

export type RotationInput = {
	rounds: number;
	personCount: number;
	hostCount: number;
	/** Seats per round at all of a host's tables together. */
	hostSeats: Int32Array;
	/** fit[p · H + h] in 0..1000, −1 for a hard mismatch. */
	fit: Float64Array;
	isMultilocal: Uint8Array;
	/**
	 * [person, host] pairs that must meet in some round, each once, at most `rounds` per person and
	 * hostSeats × rounds per host (tables.ts admits them), so they always fit.
	 */
	pins?: [number, number][];
};

/** hostAt[p · R + r]: the host p meets in round r, −1 for none (yet). */
export type Rotation = Int32Array;

/** Points of fit per seat level a host fills: a modest pull towards even hosts. */
const BALANCE_PER_SEAT = 40;
/** Local search weights, in points of fit (see tables.ts for the same scale). */
const LOAD_SQUARE_WEIGHT = 200;
const MIXED_WEIGHT = 200;
const REPEAT_ENCOUNTER_WEIGHT = 100;
const MAX_SWAP_PASSES = 12;
const MIN_GAIN = 1e-9;

export function planRotation(input: RotationInput): Rotation {
	const pins = input.pins ?? [];
	const pairs = [...pins, ...choosePairs(input, pins)];
	const hostAt = layPairs(input, pairs);
	improveRotation(input, hostAt, new Set(pins.map(([p, h]) => p * input.hostCount + h)));
	return hostAt;
}

/** Hosts that fit p and have seats. */
export function fittingHosts(input: Pick<RotationInput, 'hostCount' | 'hostSeats' | 'fit'>, p: number): number[] {
	const hosts: number[] = [];
	for (let h = 0; h < input.hostCount; h++) {
		if ((input.hostSeats[h] ?? 0) > 0 && (input.fit[p * input.hostCount + h] ?? -1) >= 0) hosts.push(h);
	}
	return hosts;
}

/**
 * Step 1: [person, host] pairs, one per round a person can be seated besides their pins. A host
 * met again costs more than any fit and balance can gain, so a person meets as many different
 * hosts as possible. A pin is the first meeting with its host and takes the host's first seat levels.
 */
function choosePairs(input: RotationInput, pins: [number, number][]): [number, number][] {
	const { rounds, personCount, hostCount, hostSeats, fit } = input;
	if (rounds === 0) return [];
	const pinsOfPerson = new Int32Array(personCount);
	const pinsOfHost = new Int32Array(hostCount);
	const pinsOfKind = [new Int32Array(hostCount), new Int32Array(hostCount)];
	const isPinned = new Set<number>();
	for (const [p, h] of pins) {
		pinsOfPerson[p]!++;
		pinsOfHost[h]!++;
		pinsOfKind[input.isMultilocal[p] ?? 0]![h]!++;
		isPinned.add(p * hostCount + h);
	}
	const personNode = (p: number) => p;
	const kindNode = (h: number, multilocal: number) => personCount + 2 * h + multilocal;
	const hostNode = (h: number) => personCount + 2 * hostCount + h;
	const sink = personCount + 3 * hostCount;
	const network = new CirculationNetwork(sink + 1);

	const largestSeats = Math.max(0, ...hostSeats);
	// Balance costs at most 2 · BALANCE_PER_SEAT per seat level (host, and kind at the host).
	const meetAgain = 1001 + 2 * BALANCE_PER_SEAT * largestSeats;
	const pairArcs: { p: number; h: number; arc: number }[] = [];
	const wanted = new Int32Array(personCount);
	for (let p = 0; p < personCount; p++) {
		const hosts = fittingHosts(input, p);
		if (hosts.length === 0) continue;
		wanted[p] = rounds - (pinsOfPerson[p] ?? 0);
		// With fewer hosts than rounds, spread the visits evenly: visit v costs v times meetAgain.
		const visits = hosts.length >= rounds ? 1 : Math.min(rounds, Math.ceil(rounds / hosts.length) + 1);
		for (const h of hosts) {
			for (let v = isPinned.has(p * hostCount + h) ? 1 : 0; v < visits; v++) {
				const cost = -Math.round(fit[p * hostCount + h] ?? 0) + v * meetAgain;
				pairArcs.push({ p, h, arc: network.addArc(personNode(p), kindNode(h, input.isMultilocal[p] ?? 0), 1, cost) });
			}
		}
	}
	for (let h = 0; h < hostCount; h++) {
		// Each further visit to a host costs a little more, for all people and per kind (resident or
		// multilocal), so hosts fill evenly and meet both kinds alike.
		// The pins hold the first seat levels.
		for (let u = 0; u < (hostSeats[h] ?? 0) * rounds; u++) {
			const cost = Math.floor((BALANCE_PER_SEAT * u) / rounds);
			if (u >= (pinsOfHost[h] ?? 0)) network.addArc(hostNode(h), sink, 1, cost);
			for (const kind of [0, 1]) if (u >= (pinsOfKind[kind]![h] ?? 0)) network.addArc(kindNode(h, kind), hostNode(h), 1, cost);
		}
	}
	// Dearer than any path through a host, so the flow never leaves a round empty to gain fit.
	const emptyRound = 2 * (sink + 1) * (1000 + rounds * meetAgain) + 1;
	let supply = 0;
	for (let p = 0; p < personCount; p++) {
		const n = wanted[p] ?? 0;
		if (n === 0) continue;
		network.setSupply(personNode(p), n);
		supply += n;
		// The i-th empty round of one person costs i times as much: shortfalls are shared out.
		for (let i = 1; i <= n; i++) network.addArc(personNode(p), sink, 1, i * emptyRound);
	}
	network.setSupply(sink, -supply);
	network.solve();
	return pairArcs.filter(({ arc }) => network.flowOn(arc) > 0).map(({ p, h }) => [p, h]);
}

/**
 * Step 2: the pairs as rounds. Every pair gets a round: nobody has more than `rounds` pairs and no
 * host more than its seats × rounds, which is all layRounds needs. Each host is laid out with only ⌈its pairs / rounds⌉ seats, so its
 * people spread evenly over the rounds. When the seats allow, residents and multilocal people are
 * laid out separately, each kind with its own share of seats, so every round mixes both kinds
 * wherever the pairs do. Two separate layouts can crowd the same round at a host, though (both kinds
 * at their full share there, both short in another), and the local search cannot even that out
 * once the crowded tables are full; then all pairs are laid out together and the search mixes them.
 * Better fits first, in case some pair found no round.
 */
function layPairs(input: RotationInput, pairs: [number, number][]): Rotation {
	const { rounds, hostCount, hostSeats, fit, isMultilocal } = input;
	if (rounds === 0) return new Int32Array(0);
	const sorted = [...pairs].sort(([p, h], [q, k]) => (fit[q * hostCount + k] ?? 0) - (fit[p * hostCount + h] ?? 0) || p - q || h - k);
	const perKind = [new Int32Array(hostCount), new Int32Array(hostCount)];
	for (const [p, h] of sorted) perKind[isMultilocal[p] ?? 0]![h]!++;
	const canSplit = Array.from({ length: hostCount }, (_, h) => share(perKind[0]![h]!, rounds) + share(perKind[1]![h]!, rounds)).every((seats, h) => seats <= (hostSeats[h] ?? 0));
	if (!canSplit) return layGroups(input, [sorted]);
	const split = layGroups(input, [0, 1].map((kind) => sorted.filter(([p]) => (isMultilocal[p] ?? 0) === kind)));
	return isEven(input, split, pairs) ? split : layGroups(input, [sorted]);
}

const share = (pairs: number, rounds: number) => Math.ceil(pairs / rounds);

/** Lays each group of pairs into rounds on its own, each host with ⌈the group's pairs there / rounds⌉ seats. */
function layGroups(input: RotationInput, groups: [number, number][][]): Rotation {
	const { rounds, personCount, hostCount } = input;
	const hostAt = new Int32Array(personCount * rounds).fill(-1);
	for (const group of groups) {
		const count = new Int32Array(hostCount);
		for (const [, h] of group) count[h]!++;
		const laid = layRounds({
			rounds,
			clubs: Array.from({ length: hostCount }, (_, h) => ({ id: String(h), seatsPerRound: share(count[h]!, rounds) })),
			pairs: group.map(([p, h]) => [String(p), String(h)]),
			repeats: true
		});
		for (const [person, host, round] of laid.slots) hostAt[Number(person) * rounds + round] = Number(host);
	}
	return hostAt;
}

/** Whether no host has more than ⌈its pairs / rounds⌉ people in any round. */
function isEven(input: RotationInput, hostAt: Rotation, pairs: [number, number][]): boolean {
	const { rounds, hostCount } = input;
	const count = new Int32Array(hostCount);
	for (const [, h] of pairs) count[h]!++;
	const load = new Int32Array(hostCount * rounds);
	hostAt.forEach((h, i) => {
		if (h >= 0) load[h * rounds + (i % rounds)]!++;
	});
	return load.every((n, cell) => n <= share(count[Math.floor(cell / rounds)]!, rounds));
}

/** What a rotation looks like per host and round, kept up to date by join and leave. */
type SwapState = {
	load: Int32Array;
	multilocals: Int32Array;
	members: number[][];
	/** met[p].get(q): rounds p and q share a host. */
	met: Map<number, number>[];
};

/**
 * Step 3: moves that lower the cost: −fit, loads², repeated encounters, unmixed tables. `pinned`
 * holds p · H + h for each pin.
 */
function improveRotation(input: RotationInput, hostAt: Rotation, pinned: Set<number>): void {
	const { rounds, personCount } = input;
	if (rounds === 0) return;
	const state = swapState(input, hostAt);
	const hostsOf = Array.from({ length: personCount }, (_, p) => fittingHosts(input, p));
	for (let pass = 0; pass < MAX_SWAP_PASSES; pass++) {
		let improved = false;
		for (let x = 0; x < personCount; x++) {
			for (let r = 0; r < rounds; r++) {
				if (tryNewHost(input, hostAt, state, hostsOf[x] ?? [], pinned, x, r)) improved = true;
				for (let s = r + 1; s < rounds; s++) {
					if (trySwap(input, hostAt, state, x, r, s)) improved = true;
				}
			}
		}
		if (!improved) return;
	}
}

function meetsElsewhere(input: RotationInput, hostAt: Rotation, p: number, h: number, round: number): boolean {
	for (let r = 0; r < input.rounds; r++) if (r !== round && hostAt[p * input.rounds + r] === h) return true;
	return false;
}

/**
 * Tries x in round r at another fitting host c that x meets in no other round: on a free seat, or
 * in exchange with someone at c who can take x's host a (and does not meet a in another round).
 * Nobody leaves a pinned host they meet in no other round.
 */
function tryNewHost(input: RotationInput, hostAt: Rotation, state: SwapState, fitting: number[], pinned: Set<number>, x: number, r: number): boolean {
	const { rounds, hostCount, hostSeats, fit } = input;
	const a = hostAt[x * rounds + r] ?? -1;
	if (a < 0) return false;
	const mustStay = (p: number, h: number) => pinned.has(p * hostCount + h) && !meetsElsewhere(input, hostAt, p, h, r);
	if (mustStay(x, a)) return false;
	for (const c of fitting) {
		if (c === a || meetsElsewhere(input, hostAt, x, c, r)) continue;
		if ((state.load[c * rounds + r] ?? 0) < (hostSeats[c] ?? 0)) {
			if (moveGain(input, hostAt, state, [[x, r, c]]) > MIN_GAIN) return true;
		}
		for (const y of [...(state.members[c * rounds + r] ?? [])]) {
			if ((fit[y * hostCount + a] ?? -1) < 0 || meetsElsewhere(input, hostAt, y, a, r) || mustStay(y, c)) continue;
			if (moveGain(input, hostAt, state, [[x, r, c], [y, r, a]]) > MIN_GAIN) return true;
		}
	}
	return false;
}

function swapState(input: RotationInput, hostAt: Rotation): SwapState {
	const { rounds, personCount, hostCount } = input;
	const state: SwapState = {
		load: new Int32Array(hostCount * rounds),
		multilocals: new Int32Array(hostCount * rounds),
		members: Array.from({ length: hostCount * rounds }, () => []),
		met: Array.from({ length: personCount }, () => new Map<number, number>())
	};
	for (let p = 0; p < personCount; p++) {
		for (let r = 0; r < rounds; r++) {
			const h = hostAt[p * rounds + r] ?? -1;
			if (h >= 0) join(input, state, p, h, r);
		}
	}
	return state;
}

/**
 * Tries x's conversations of rounds r and s the other way round, alone or together with one
 * person y who is at x's round-s host in round r and at x's round-r host in round s (then no
 * host's load changes). Keeps the change if it lowers the cost; returns whether it did.
 */
function trySwap(input: RotationInput, hostAt: Rotation, state: SwapState, x: number, r: number, s: number): boolean {
	const { rounds, hostSeats } = input;
	const a = hostAt[x * rounds + r] ?? -1;
	const b = hostAt[x * rounds + s] ?? -1;
	if (a === b) return false;
	const roomFor = (h: number, round: number) => h < 0 || (state.load[h * rounds + round] ?? 0) < (hostSeats[h] ?? 0);

	if (roomFor(b, r) && roomFor(a, s)) {
		const gain = moveGain(input, hostAt, state, [[x, r, b], [x, s, a]]);
		if (gain > MIN_GAIN) return true;
	}
	if (a < 0 || b < 0) return false;
	for (const y of [...(state.members[b * rounds + r] ?? [])]) {
		if (hostAt[y * rounds + s] !== a) continue;
		const gain = moveGain(input, hostAt, state, [[x, r, b], [x, s, a], [y, r, a], [y, s, b]]);
		if (gain > MIN_GAIN) return true;
	}
	return false;
}

/**
 * Applies moves [person, round, new host] and returns the fall in cost; undoes them again when
 * the cost does not fall.
 */
function moveGain(input: RotationInput, hostAt: Rotation, state: SwapState, moves: [number, number, number][]): number {
	const { rounds } = input;
	const before = moves.map(([p, r]) => hostAt[p * rounds + r] ?? -1);
	let gain = 0;
	for (const [p, r] of moves) {
		const h = hostAt[p * rounds + r] ?? -1;
		if (h >= 0) gain += leave(input, state, p, h, r);
		hostAt[p * rounds + r] = -1;
	}
	for (const [p, r, h] of moves) {
		if (h >= 0) gain -= join(input, state, p, h, r);
		hostAt[p * rounds + r] = h;
	}
	if (gain > MIN_GAIN) return gain;
	for (const [p, r, h] of moves) {
		if (h >= 0) leave(input, state, p, h, r);
		hostAt[p * rounds + r] = -1;
	}
	moves.forEach(([p, r], i) => {
		const h = before[i] ?? -1;
		if (h >= 0) join(input, state, p, h, r);
		hostAt[p * rounds + r] = h;
	});
	return 0;
}

/** Seats p with host h in round r; returns the rise in cost. */
function join(input: RotationInput, state: SwapState, p: number, h: number, r: number): number {
	const cell = h * input.rounds + r;
	const load = state.load[cell] ?? 0;
	const multilocals = state.multilocals[cell] ?? 0;
	const wasMixed = multilocals > 0 && multilocals < load;
	const isMultilocal = input.isMultilocal[p] === 1;
	const newMultilocals = multilocals + (isMultilocal ? 1 : 0);
	const isMixed = newMultilocals > 0 && newMultilocals < load + 1;
	let repeats = 0;
	const metP = state.met[p]!;
	for (const q of state.members[cell] ?? []) {
		const times = metP.get(q) ?? 0;
		if (times > 0) repeats++;
		metP.set(q, times + 1);
		state.met[q]!.set(p, times + 1);
	}
	state.members[cell]!.push(p);
	state.load[cell] = load + 1;
	state.multilocals[cell] = newMultilocals;
	return (
		LOAD_SQUARE_WEIGHT * (2 * load + 1) +
		REPEAT_ENCOUNTER_WEIGHT * repeats -
		MIXED_WEIGHT * (Number(isMixed) - Number(wasMixed)) -
		(input.fit[p * input.hostCount + h] ?? 0)
	);
}

/** Takes p away from host h in round r; returns the fall in cost (what join would add back). */
function leave(input: RotationInput, state: SwapState, p: number, h: number, r: number): number {
	const cell = h * input.rounds + r;
	const list = state.members[cell]!;
	list.splice(list.indexOf(p), 1);
	const load = (state.load[cell] ?? 0) - 1;
	const multilocals = (state.multilocals[cell] ?? 0) - (input.isMultilocal[p] === 1 ? 1 : 0);
	state.load[cell] = load;
	state.multilocals[cell] = multilocals;
	const isMixed = multilocals > 0 && multilocals < load;
	const multilocalsBefore = multilocals + (input.isMultilocal[p] === 1 ? 1 : 0);
	const wasMixed = multilocalsBefore > 0 && multilocalsBefore < load + 1;
	let repeats = 0;
	const metP = state.met[p]!;
	for (const q of list) {
		const times = (metP.get(q) ?? 0) - 1;
		if (times > 0) repeats++;
		if (times > 0) metP.set(q, times);
		else metP.delete(q);
		if (times > 0) state.met[q]!.set(p, times);
		else state.met[q]!.delete(p);
	}
	return (
		LOAD_SQUARE_WEIGHT * (2 * load + 1) +
		REPEAT_ENCOUNTER_WEIGHT * repeats -
		MIXED_WEIGHT * (Number(wasMixed) - Number(isMixed)) -
		(input.fit[p * input.hostCount + h] ?? 0)
	);
}
