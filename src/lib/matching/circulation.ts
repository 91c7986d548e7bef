/**
 * Minimum-cost flow (a circulation, or with node supplies) by cost scaling (Goldberg's push–relabel method, as in cs2 and
 * OR-tools). Exact for integer costs: costs are multiplied by L + 1, where L bounds the arcs of any
 * simple cycle (n unless the caller knows better), and a circulation that is 1-optimal for those
 * scaled costs is optimal for the original ones: a negative cycle would cost at least −L > −(L + 1).
 *
 * Arcs live in flat typed arrays in compressed-row order so the hot loops touch no objects;
 * that is what makes 10⁶ arcs fast enough in JavaScript.
 *
 * Reduced cost of arc a = (v → w): cost[a] + price[v] − price[w]. A residual arc is admissible
 * when its reduced cost is negative; ε-optimality means no residual arc is below −ε.
 */

/** How much ε shrinks per refinement; 8–16 is the usual range (8 measured best at 10,000 × 500). */
const SCALE_FACTOR = 8;

/** A global price update after this many relabels per node (cs2 uses about 0.4–1). */
const UPDATE_AFTER_RELABELS_PER_NODE = 0.5;

/** Arc arrays get this much room to grow, for arcs added between solves or refinements. */
const ARC_SLACK = 1.15;

/** Price refinement gives up after scanning the arcs this many times over. */
const PRICE_REFINEMENT_PASSES = 10;

export type SolveOptions = {
	/**
	 * Called after each refinement with its ε and the ε the solve started from (both in scaled
	 * units); the last call has ε = 1. Arcs added here join before the next refinement; added
	 * after the one at ε = 1, they make the solve scale again from the ε they violate.
	 */
	onRefined?: (epsilon: number, startEpsilon: number) => void;
};

export class CirculationNetwork {
	readonly nodeCount: number;
	private fromList: number[] = [];
	private toList: number[] = [];
	private capacityList: number[] = [];
	private costList: number[] = [];

	// Filled by solve(): arcs in compressed-row order, each followed by nothing in particular;
	// arcOf[id] maps an input arc to its forward position, mate[a] is the reverse arc.
	private first = new Int32Array(0);
	private head = new Int32Array(0);
	private mate = new Int32Array(0);
	private residual = new Float64Array(0);
	/** Capacity of the arc pair a belongs to: residual[a] + residual[mate[a]], read in arc order. */
	private pairCapacity = new Float64Array(0);
	private scaledCost = new Float64Array(0);
	private arcOf = new Int32Array(0);
	private price = new Float64Array(0);
	/** Costs are multiplied by this (L + 1) inside; reduced costs come out in these units. */
	readonly scale: number;
	/** Supply (+) or demand (−) per node; what is not yet routed stays here as excess. */
	private excess: Float64Array;

	/**
	 * `longestCycle` bounds the number of arcs in any simple cycle of the residual network, now
	 * and after arcs are added (default: nodeCount). A tighter bound means smaller scaled costs
	 * and fewer refinements; a wrong one breaks exactness.
	 */
	constructor(nodeCount: number, { longestCycle = nodeCount }: { longestCycle?: number } = {}) {
		this.nodeCount = nodeCount;
		this.scale = Math.max(1, Math.min(longestCycle, nodeCount)) + 1;
		this.excess = new Float64Array(nodeCount);
	}

	/**
	 * Gives a node a supply (positive) or a demand (negative). Supplies must add up to zero and be
	 * routable; with none, the problem is a min-cost circulation.
	 */
	setSupply(node: number, amount: number): void {
		if (this.arcOf.length > 0) throw new Error('supplies must be set before the first solve');
		this.excess[node] = amount;
	}

	/** Adds an arc with flow 0 ≤ f ≤ capacity and returns its id. */
	addArc(from: number, to: number, capacity: number, cost: number): number {
		if (!Number.isSafeInteger(capacity) || capacity < 0) {
			throw new RangeError(`capacity must be a non-negative safe integer, got ${capacity}`);
		}
		if (!Number.isSafeInteger(cost)) throw new RangeError(`cost must be a safe integer, got ${cost}`);
		if (from < 0 || from >= this.nodeCount || to < 0 || to >= this.nodeCount) {
			throw new RangeError(`arc ${from} → ${to} outside 0..${this.nodeCount - 1}`);
		}
		this.fromList.push(from);
		this.toList.push(to);
		this.capacityList.push(capacity);
		this.costList.push(cost);
		return this.fromList.length - 1;
	}

	/**
	 * Solves; afterwards flowOn() and scaledReducedCost() describe an optimal circulation.
	 *
	 * Scaling starts at the ε the current flow and prices violate (the zero flow at zero prices
	 * on a first solve, so only negative arcs count, not the largest cost), and solving again
	 * after adding arcs starts from the previous flow and prices. Any start is exact: each
	 * refinement ends ε-optimal whatever it starts from; a good start only saves work.
	 */
	solve(options: SolveOptions = {}): void {
		const maxCost = this.costList.reduce((m, c) => Math.max(m, Math.abs(c)), 0);
		this.build();
		// Prices move by at most about 3·n·ε per refinement, starting at ε ≤ maxCost·scale.
		if (!Number.isSafeInteger(maxCost * this.scale * 3 * (this.nodeCount + 1))) {
			throw new RangeError(`costs up to ${maxCost} are too large for exact cost scaling over ${this.nodeCount} nodes`);
		}
		const startEpsilon = Math.max(1, this.largestViolation());
		if (startEpsilon <= 1 && !this.excess.some((amount) => amount !== 0)) return;
		let epsilon = startEpsilon;
		do {
			epsilon = Math.max(1, Math.ceil(epsilon / SCALE_FACTOR));
			this.refine(epsilon);
			// Once ε is a small fraction of a cost unit the flow is usually optimal already, and
			// prices proving it (1-optimal) are cheaper to find than the remaining refinements.
			if (epsilon > 1 && 10 * epsilon <= this.scale && this.refinePrices(1)) epsilon = 1;
			options.onRefined?.(epsilon, startEpsilon);
			if (this.fromList.length > this.arcOf.length) {
				this.build();
				// Arcs added after the last refinement: scale again from what they violate.
				if (epsilon === 1) epsilon = Math.max(1, this.largestViolation());
			}
		} while (epsilon > 1);
	}

	/** The smallest ε for which the current circulation is ε-optimal. */
	private largestViolation(): number {
		const { first, head, residual, scaledCost: cost, price } = this;
		let worst = 0;
		for (let v = 0; v < this.nodeCount; v++) {
			for (let a = first[v]!; a < first[v + 1]!; a++) {
				if (residual[a]! > 0) worst = Math.max(worst, -(cost[a]! + price[v]! - price[head[a]!]!));
			}
		}
		return worst;
	}

	flowOn(arcId: number): number {
		const a = this.arcPosition(arcId);
		return (this.capacityList[arcId] ?? 0) - (this.residual[a] ?? 0);
	}

	/**
	 * The reduced cost an arc (from → to, cost) that is not in the network would have under the
	 * current prices, in units of 1/scale. The solution stays optimal with such an arc added
	 * (at flow 0) exactly when this is ≥ −1: the dual check for pruned candidates.
	 */
	scaledReducedCost(from: number, to: number, cost: number): number {
		return cost * this.scale + (this.price[from] ?? 0) - (this.price[to] ?? 0);
	}

	/** Node prices in scaled units, for reduced costs of many arcs at once (read only). */
	prices(): Float64Array {
		return this.price;
	}

	private arcPosition(arcId: number): number {
		const a = this.arcOf[arcId];
		if (a === undefined) throw new RangeError(`no arc ${arcId}`);
		return a;
	}

	/**
	 * Compressed-row layout with each arc's reverse (positions first[0] to first[n]; the arrays
	 * may be longer); costs scaled by `scale`.
	 */
	private build(): void {
		const n = this.nodeCount;
		const m = this.fromList.length;
		const previousFlow = Float64Array.from({ length: this.arcOf.length }, (_, id) => this.flowOn(id));
		const degree = new Int32Array(n + 1);
		for (let i = 0; i < m; i++) {
			degree[this.fromList[i] as number]!++;
			degree[this.toList[i] as number]!++;
		}
		const first = new Int32Array(n + 1);
		for (let v = 0; v < n; v++) first[v + 1] = first[v]! + degree[v]!;
		const fill = first.slice(0, n);
		// Rebuilds after arcs were added reuse the arc arrays while they fit: with 10⁶ arcs a
		// fresh set per rebuild is tens of megabytes of garbage at once.
		const fits = this.head.length >= 2 * m;
		const slack = Math.ceil(2 * m * ARC_SLACK);
		const head = fits ? this.head : new Int32Array(slack);
		const mate = fits ? this.mate : new Int32Array(slack);
		const residual = fits ? this.residual : new Float64Array(slack);
		const pairCapacity = fits ? this.pairCapacity : new Float64Array(slack);
		const scaledCost = fits ? this.scaledCost : new Float64Array(slack);
		const arcOf = new Int32Array(m);
		for (let i = 0; i < m; i++) {
			const from = this.fromList[i] as number;
			const to = this.toList[i] as number;
			const forward = fill[from]!++;
			const backward = fill[to]!++;
			head[forward] = to;
			head[backward] = from;
			mate[forward] = backward;
			mate[backward] = forward;
			const flow = previousFlow[i] ?? 0;
			residual[forward] = (this.capacityList[i] as number) - flow;
			residual[backward] = flow;
			pairCapacity[forward] = this.capacityList[i] as number;
			pairCapacity[backward] = this.capacityList[i] as number;
			scaledCost[forward] = (this.costList[i] as number) * this.scale;
			scaledCost[backward] = -scaledCost[forward]!;
			arcOf[i] = forward;
		}
		const price = this.price.length === n ? this.price : new Float64Array(n);
		Object.assign(this, { first, head, mate, residual, pairCapacity, scaledCost, arcOf, price });
	}

	/**
	 * Price refinement (cs2): looks for prices under which the current flow is already
	 * ε-optimal, as shortest distances with arc lengths reduced cost + ε (label correcting from
	 * the current prices). Succeeds when the flow needs no change, which is common once ε is
	 * small; gives up, changing nothing, after a few passes' worth of work (a negative cycle, or
	 * just too far). Returns whether the prices were refined.
	 */
	private refinePrices(epsilon: number): boolean {
		const { first, head, residual, scaledCost: cost, price } = this;
		const n = this.nodeCount;
		const shift = new Float64Array(n);
		const queue = new Int32Array(n + 1);
		const queued = new Uint8Array(n).fill(1);
		for (let v = 0; v < n; v++) queue[v] = v;
		let queueHead = 0;
		let queueTail = n;
		let queueSize = n;
		let budget = PRICE_REFINEMENT_PASSES * first[n]!;
		while (queueSize > 0) {
			const v = queue[queueHead]!;
			queueHead = queueHead === n ? 0 : queueHead + 1;
			queueSize--;
			queued[v] = 0;
			const end = first[v + 1]!;
			budget -= end - first[v]!;
			if (budget < 0) return false;
			const base = shift[v]! + price[v]! + epsilon;
			for (let a = first[v]!; a < end; a++) {
				if (residual[a]! <= 0) continue;
				const w = head[a]!;
				const reached = base + cost[a]! - price[w]!;
				if (reached < shift[w]!) {
					shift[w] = reached;
					if (queued[w] === 0) {
						queued[w] = 1;
						queue[queueTail] = w;
						queueTail = queueTail === n ? 0 : queueTail + 1;
						queueSize++;
					}
				}
			}
		}
		for (let v = 0; v < n; v++) price[v]! += shift[v]!;
		return true;
	}

	/** Turns a circulation that is about SCALE_FACTOR·ε-optimal into an ε-optimal one (push–relabel, FIFO order). */
	private refine(epsilon: number): void {
		const { first, head, mate, residual, scaledCost: cost, price, excess } = this;
		const n = this.nodeCount;
		// Saturating every admissible arc gives a 0-optimal pseudoflow.
		for (let v = 0; v < n; v++) {
			for (let a = first[v]!; a < first[v + 1]!; a++) {
				const r = residual[a]!;
				if (r > 0 && cost[a]! + price[v]! - price[head[a]!]! < 0) {
					residual[a] = 0;
					residual[mate[a]!]! += r;
					excess[v]! -= r;
					excess[head[a]!]! += r;
				}
			}
		}
		const queue = new Int32Array(n + 1);
		const queued = new Uint8Array(n);
		let queueHead = 0;
		let queueTail = 0;
		let queueSize = 0;
		const enqueue = (v: number) => {
			queued[v] = 1;
			queue[queueTail] = v;
			queueTail = queueTail === n ? 0 : queueTail + 1;
			queueSize++;
		};
		for (let v = 0; v < n; v++) if (excess[v]! > 0) enqueue(v);
		const current = first.slice(0, n);
		let largestDegree = 0;
		for (let v = 0; v < n; v++) largestDegree = Math.max(largestDegree, first[v + 1]! - first[v]!);
		const admissible = new Int32Array(largestDegree);
		this.updatePrices(epsilon, excess);
		let relabelsSinceUpdate = 0;

		while (queueSize > 0) {
			const v = queue[queueHead]!;
			queueHead = queueHead === n ? 0 : queueHead + 1;
			queueSize--;
			queued[v] = 0;
			// Discharge v: push along admissible arcs, relabel when none is left.
			const end = first[v + 1]!;
			let a = current[v]!;
			while (excess[v]! > 0) {
				if (a === end) {
					// Until v is relabelled again its admissible arcs can only become fewer, so
					// pushing along the ones relabel() lists skips the many spent arcs of a club.
					const count = this.relabel(v, epsilon, admissible);
					relabelsSinceUpdate++;
					let j = 0;
					while (j < count && excess[v]! > 0) {
						const b = admissible[j]!;
						const w = head[b]!;
						const amount = Math.min(excess[v]!, residual[b]!);
						residual[b]! -= amount;
						residual[mate[b]!]! += amount;
						excess[v]! -= amount;
						excess[w]! += amount;
						if (excess[w]! > 0 && queued[w] === 0) enqueue(w);
						if (residual[b] === 0) j++;
					}
					a = j < count ? admissible[j]! : end;
					continue;
				}
				const w = head[a]!;
				const r = residual[a]!;
				if (r > 0 && cost[a]! + price[v]! - price[w]! < 0) {
					const amount = Math.min(excess[v]!, r);
					residual[a] = r - amount;
					residual[mate[a]!]! += amount;
					excess[v]! -= amount;
					excess[w]! += amount;
					if (excess[w]! > 0 && queued[w] === 0) enqueue(w);
					if (residual[a] === 0) a++;
				} else {
					a++;
				}
			}
			current[v] = a;
			if (relabelsSinceUpdate > n * UPDATE_AFTER_RELABELS_PER_NODE) {
				this.updatePrices(epsilon, excess);
				current.set(first.subarray(0, n));
				relabelsSinceUpdate = 0;
			}
		}
	}

	/**
	 * Global price update (cs2's "price update" heuristic): lowers each node's price by ε times
	 * its distance to the nearest node with a deficit, where a residual arc is
	 * ⌊reduced cost / ε⌋ + 1 long. Keeps ε-optimality and turns every excess into a short
	 * admissible path, which saves most relabels. Distances are integers, so a bucket queue
	 * (Dial) does: n + 1 buckets from an offset, moved on when they run dry, because a first
	 * refinement can need distances far beyond n (a "no club" arc costs a whole tier bonus).
	 * It stops once every excess node is settled; unsettled nodes all move by the last
	 * distance reached, which is also safe.
	 */
	private updatePrices(epsilon: number, excess: Float64Array): void {
		const { first, head, residual, pairCapacity, scaledCost: cost, price } = this;
		const n = this.nodeCount;
		const buckets = n + 1;
		const { distance, settled, bucketHead, next, previous } = this.scratch();
		distance.fill(Infinity);
		settled.fill(0);
		bucketHead.fill(-1);
		let offset = 0;
		const link = (v: number) => {
			const d = distance[v]! - offset;
			const top = bucketHead[d]!;
			next[v] = top;
			previous[v] = -1;
			if (top >= 0) previous[top] = v;
			bucketHead[d] = v;
		};
		const unlink = (v: number) => {
			const before = previous[v]!;
			const after = next[v]!;
			if (before >= 0) next[before] = after;
			else bucketHead[distance[v]! - offset] = after;
			if (after >= 0) previous[after] = before;
		};
		let excessLeft = 0;
		for (let v = 0; v < n; v++) {
			if (excess[v]! < 0) {
				distance[v] = 0;
				link(v);
			} else if (excess[v]! > 0) excessLeft++;
		}
		if (excessLeft === 0) return;
		let reached = 0;
		while (excessLeft > 0) {
			for (let d = 0; d < buckets && excessLeft > 0; d++) {
				while (bucketHead[d]! >= 0 && excessLeft > 0) {
					const w = bucketHead[d]!;
					unlink(w);
					settled[w] = 1;
					reached = offset + d;
					if (excess[w]! > 0) excessLeft--;
					// Arcs u → w with spare capacity are the reverses of w's arcs b, with residual
					// pairCapacity[b] − residual[b] and cost −cost[b] (no lookups out of order).
					for (let b = first[w]!; b < first[w + 1]!; b++) {
						if (pairCapacity[b]! - residual[b]! <= 0) continue;
						const u = head[b]!;
						if (settled[u] === 1) continue;
						const candidate = reached + Math.floor((price[u]! - cost[b]! - price[w]!) / epsilon) + 1;
						if (candidate < distance[u]!) {
							if (distance[u]! - offset < buckets) unlink(u);
							distance[u] = candidate;
							if (candidate - offset < buckets) link(u);
						}
					}
				}
			}
			if (excessLeft === 0) break;
			// The buckets ran dry: move them on to the nearest node still waiting beyond them.
			let nearest = Infinity;
			for (let v = 0; v < n; v++) if (settled[v] === 0 && distance[v]! < nearest) nearest = distance[v]!;
			if (nearest === Infinity) break;
			offset = nearest;
			for (let v = 0; v < n; v++) if (settled[v] === 0 && distance[v]! - offset < buckets) link(v);
		}
		for (let v = 0; v < n; v++) price[v]! -= epsilon * (settled[v] === 1 ? distance[v]! : reached);
	}

	private scratchArrays?: { distance: Float64Array; settled: Uint8Array; bucketHead: Int32Array; next: Int32Array; previous: Int32Array };

	/** Work arrays for price updates, allocated once per network. */
	private scratch() {
		const n = this.nodeCount;
		this.scratchArrays ??= {
			distance: new Float64Array(n),
			settled: new Uint8Array(n),
			bucketHead: new Int32Array(n + 1),
			next: new Int32Array(n),
			previous: new Int32Array(n)
		};
		return this.scratchArrays;
	}

	/**
	 * Lowers v's price as far as ε-optimality allows: the cheapest residual arc then has reduced
	 * cost −ε. Writes v's arcs that are then admissible into `admissible`, in arc order, and
	 * returns how many there are (at least one).
	 */
	private relabel(v: number, epsilon: number, admissible: Int32Array): number {
		const { first, head, residual, scaledCost: cost, price } = this;
		let best = -Infinity;
		let count = 0;
		for (let a = first[v]!; a < first[v + 1]!; a++) {
			if (residual[a]! > 0) {
				const candidate = price[head[a]!]! - cost[a]!;
				if (candidate > best) best = candidate;
				admissible[count++] = a;
			}
		}
		// A node with excess always has the reverse of the arc its flow came in on.
		if (count === 0) throw new Error('min-cost circulation: node with excess has no residual arc');
		price[v] = best - epsilon;
		// Admissible now: reduced cost below 0, that is within ε of the best.
		let kept = 0;
		for (let j = 0; j < count; j++) {
			const a = admissible[j]!;
			if (price[head[a]!]! - cost[a]! > best - epsilon) admissible[kept++] = a;
		}
		return kept;
	}
}
