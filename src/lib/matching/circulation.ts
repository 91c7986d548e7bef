/**
 * Minimum-cost flow (a circulation, or with node supplies) by cost scaling (Goldberg's push–relabel method, as in cs2 and
 * OR-tools). Exact for integer costs: costs are multiplied by n + 1, and a circulation that is
 * 1-optimal for those scaled costs is optimal for the original ones.
 *
 * Arcs live in flat typed arrays in compressed-row order so the hot loops touch no objects;
 * that is what makes 10⁶ arcs fast enough in JavaScript.
 *
 * Reduced cost of arc a = (v → w): cost[a] + price[v] − price[w]. A residual arc is admissible
 * when its reduced cost is negative; ε-optimality means no residual arc is below −ε.
 */

/** How much ε shrinks per refinement; 8–16 is the usual range. */
const SCALE_FACTOR = 12;

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
	private scaledCost = new Float64Array(0);
	private arcOf = new Int32Array(0);
	private price = new Float64Array(0);
	/** Costs are multiplied by this (n + 1) inside; reduced costs come out in these units. */
	scale = 1;
	/** Supply (+) or demand (−) per node; what is not yet routed stays here as excess. */
	private excess: Float64Array;

	constructor(nodeCount: number) {
		this.nodeCount = nodeCount;
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
	 * Solving again after adding arcs starts from the previous flow and prices, at the ε the new
	 * arcs violate, instead of from scratch.
	 */
	solve(): void {
		const maxCost = this.costList.reduce((m, c) => Math.max(m, Math.abs(c)), 0);
		const warm = this.arcOf.length > 0;
		this.build();
		// Prices move by at most about 3·n·ε per refinement, starting at ε = maxCost·scale.
		if (!Number.isSafeInteger(maxCost * this.scale * 3 * (this.nodeCount + 1))) {
			throw new RangeError(`costs up to ${maxCost} are too large for exact cost scaling over ${this.nodeCount} nodes`);
		}
		let epsilon = warm ? this.largestViolation() : maxCost * this.scale;
		while (epsilon > 1) {
			epsilon = Math.max(1, Math.ceil(epsilon / SCALE_FACTOR));
			this.refine(epsilon);
		}
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
	 * final prices, in units of 1/(n + 1). The solution stays optimal with such an arc added
	 * (at flow 0) exactly when this is ≥ −1: the dual check for pruned candidates.
	 */
	scaledReducedCost(from: number, to: number, cost: number): number {
		return cost * this.scale + (this.price[from] ?? 0) - (this.price[to] ?? 0);
	}

	private arcPosition(arcId: number): number {
		const a = this.arcOf[arcId];
		if (a === undefined) throw new RangeError(`no arc ${arcId}`);
		return a;
	}

	/** Compressed-row layout with each arc's reverse; costs scaled by n + 1. */
	private build(): void {
		const n = this.nodeCount;
		const m = this.fromList.length;
		const previousFlow = Float64Array.from({ length: this.arcOf.length }, (_, id) => this.flowOn(id));
		this.scale = n + 1;
		const degree = new Int32Array(n + 1);
		for (let i = 0; i < m; i++) {
			degree[this.fromList[i] as number]!++;
			degree[this.toList[i] as number]!++;
		}
		const first = new Int32Array(n + 1);
		for (let v = 0; v < n; v++) first[v + 1] = first[v]! + degree[v]!;
		const fill = first.slice(0, n);
		const head = new Int32Array(2 * m);
		const mate = new Int32Array(2 * m);
		const residual = new Float64Array(2 * m);
		const scaledCost = new Float64Array(2 * m);
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
			scaledCost[forward] = (this.costList[i] as number) * this.scale;
			scaledCost[backward] = -scaledCost[forward]!;
			arcOf[i] = forward;
		}
		const price = this.price.length === n ? this.price : new Float64Array(n);
		Object.assign(this, { first, head, mate, residual, scaledCost, arcOf, price });
	}

	/** Turns a 2ε-optimal circulation into an ε-optimal one (push–relabel, FIFO order). */
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
					a = this.relabel(v, epsilon);
					relabelsSinceUpdate++;
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
			if (relabelsSinceUpdate > n) {
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
	 * admissible path, which saves most relabels. Distances are small integers, so a bucket
	 * queue (Dial) does; it stops once every excess node is settled, and unsettled nodes all
	 * move by the last distance reached, which is also safe.
	 */
	private updatePrices(epsilon: number, excess: Float64Array): void {
		const { first, head, mate, residual, scaledCost: cost, price } = this;
		const n = this.nodeCount;
		const buckets = n + 1;
		const { distance, settled, bucketHead, next, previous } = this.scratch();
		distance.fill(buckets);
		settled.fill(0);
		bucketHead.fill(-1);
		const insert = (v: number, d: number) => {
			distance[v] = d;
			const top = bucketHead[d]!;
			next[v] = top;
			previous[v] = -1;
			if (top >= 0) previous[top] = v;
			bucketHead[d] = v;
		};
		const remove = (v: number) => {
			const before = previous[v]!;
			const after = next[v]!;
			if (before >= 0) next[before] = after;
			else bucketHead[distance[v]!] = after;
			if (after >= 0) previous[after] = before;
		};
		let excessLeft = 0;
		for (let v = 0; v < n; v++) {
			if (excess[v]! < 0) insert(v, 0);
			else if (excess[v]! > 0) excessLeft++;
		}
		if (excessLeft === 0) return;
		let reached = 0;
		for (let d = 0; d < buckets && excessLeft > 0; d++) {
			while (bucketHead[d]! >= 0 && excessLeft > 0) {
				const w = bucketHead[d]!;
				remove(w);
				settled[w] = 1;
				reached = d;
				if (excess[w]! > 0) excessLeft--;
				// Arcs u → w with spare capacity are the reverses of w's arcs.
				for (let b = first[w]!; b < first[w + 1]!; b++) {
					const a = mate[b]!;
					if (residual[a]! <= 0) continue;
					const u = head[b]!;
					if (settled[u] === 1) continue;
					const length = Math.floor((cost[a]! + price[u]! - price[w]!) / epsilon) + 1;
					const candidate = d + length;
					if (candidate < distance[u]!) {
						if (distance[u]! < buckets) remove(u);
						insert(u, candidate);
					}
				}
			}
		}
		for (let v = 0; v < n; v++) price[v]! -= epsilon * (settled[v] === 1 ? distance[v]! : reached);
	}

	private scratchArrays?: { distance: Int32Array; settled: Uint8Array; bucketHead: Int32Array; next: Int32Array; previous: Int32Array };

	/** Work arrays for price updates, allocated once per network. */
	private scratch() {
		const n = this.nodeCount;
		this.scratchArrays ??= {
			distance: new Int32Array(n),
			settled: new Uint8Array(n),
			bucketHead: new Int32Array(n + 1),
			next: new Int32Array(n),
			previous: new Int32Array(n)
		};
		return this.scratchArrays;
	}

	/**
	 * Lowers v's price as far as ε-optimality allows: the cheapest residual arc then has reduced
	 * cost −ε. Returns that arc, which becomes v's current arc.
	 */
	private relabel(v: number, epsilon: number): number {
		const { first, head, residual, scaledCost: cost, price } = this;
		let best = -Infinity;
		let bestArc = -1;
		for (let a = first[v]!; a < first[v + 1]!; a++) {
			if (residual[a]! > 0) {
				const candidate = price[head[a]!]! - cost[a]!;
				if (candidate > best) {
					best = candidate;
					bestArc = a;
				}
			}
		}
		// A node with excess always has the reverse of the arc its flow came in on.
		if (bestArc < 0) throw new Error('min-cost circulation: node with excess has no residual arc');
		price[v] = best - epsilon;
		// Arcs before bestArc may also be admissible now; restarting there keeps the scan simple.
		return first[v]!;
	}
}
