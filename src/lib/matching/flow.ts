/**
 * A small min-cost flow solver: successive shortest paths with Johnson potentials.
 *
 * Costs and capacities must be integers; all arithmetic stays in plain numbers, so the caller is
 * responsible for keeping every path cost within Number.MAX_SAFE_INTEGER.
 */

type Edge = { to: number; capacity: number; cost: number; flow: number };

export type FlowResult = { flow: number; cost: number };

export type FlowOptions = {
	/** Send at most this much flow. */
	maxFlow?: number;
	/**
	 * Stop as soon as the cheapest augmenting path no longer has negative cost: the result is then
	 * a minimum-cost flow of any size rather than a minimum-cost maximum flow.
	 */
	onlyWhileProfitable?: boolean;
};

export class FlowNetwork {
	readonly nodeCount: number;
	// Edge i and its reverse i ^ 1 are stored next to each other.
	private readonly edges: Edge[] = [];
	private readonly adjacency: number[][];

	constructor(nodeCount: number) {
		this.nodeCount = nodeCount;
		this.adjacency = Array.from({ length: nodeCount }, () => []);
	}

	/** Adds an arc and returns its id, for reading its flow after solving. */
	addEdge(from: number, to: number, capacity: number, cost: number): number {
		if (!Number.isSafeInteger(capacity) || capacity < 0) {
			throw new RangeError(`capacity must be a non-negative safe integer, got ${capacity}`);
		}
		if (!Number.isSafeInteger(cost)) throw new RangeError(`cost must be a safe integer, got ${cost}`);
		const id = this.edges.length;
		this.edges.push({ to, capacity, cost, flow: 0 });
		this.edges.push({ to: from, capacity: 0, cost: -cost, flow: 0 });
		this.nodeAdjacency(from).push(id);
		this.nodeAdjacency(to).push(id + 1);
		return id;
	}

	flowOn(edgeId: number): number {
		return this.edge(edgeId).flow;
	}

	/**
	 * Minimum-cost maximum flow from source to sink (see FlowOptions for the variants). Successive
	 * shortest paths is exact because every augmentation uses a cheapest path in the residual
	 * network, which therefore never gains a negative cycle. Each call continues from the current
	 * flow.
	 */
	minCostFlow(source: number, sink: number, options: FlowOptions = {}): FlowResult {
		const maxFlow = options.maxFlow ?? Infinity;
		const potential = this.initialPotentials(source);
		let flow = 0;
		let cost = 0;
		while (flow < maxFlow) {
			const { distance, parentEdge } = this.shortestReducedPaths(source, potential);
			const sinkDistance = distance[sink] ?? Infinity;
			if (sinkDistance === Infinity) break;
			// Nodes not reached now stay unreachable: augmenting only adds arcs between reached nodes.
			for (let v = 0; v < this.nodeCount; v++) {
				const d = distance[v] ?? Infinity;
				if (d !== Infinity) potential[v] = (potential[v] ?? 0) + d;
			}
			const pathCost = (potential[sink] ?? 0) - (potential[source] ?? 0);
			if (options.onlyWhileProfitable && pathCost >= 0) break;

			let amount = maxFlow - flow;
			for (let v = sink; v !== source; ) {
				const id = parentEdge[v] ?? -1;
				amount = Math.min(amount, this.residual(id));
				v = this.edge(id ^ 1).to;
			}
			for (let v = sink; v !== source; ) {
				const id = parentEdge[v] ?? -1;
				this.edge(id).flow += amount;
				this.edge(id ^ 1).flow -= amount;
				v = this.edge(id ^ 1).to;
			}
			flow += amount;
			cost += amount * pathCost;
		}
		return { flow, cost };
	}

	/** Bellman-Ford from the source over arcs with spare capacity; costs may be negative. */
	private initialPotentials(source: number): number[] {
		const distance = new Array<number>(this.nodeCount).fill(Infinity);
		distance[source] = 0;
		for (let round = 0; round < this.nodeCount; round++) {
			let changed = false;
			for (let u = 0; u < this.nodeCount; u++) {
				const du = distance[u] ?? Infinity;
				if (du === Infinity) continue;
				for (const id of this.nodeAdjacency(u)) {
					const e = this.edge(id);
					if (this.residual(id) > 0 && du + e.cost < (distance[e.to] ?? Infinity)) {
						distance[e.to] = du + e.cost;
						changed = true;
					}
				}
			}
			if (!changed) return distance.map((d) => (d === Infinity ? 0 : d));
		}
		throw new Error('min-cost flow: the network has a negative-cost cycle');
	}

	/** Dijkstra on reduced costs, which the potentials keep non-negative. */
	private shortestReducedPaths(source: number, potential: number[]) {
		const distance = new Array<number>(this.nodeCount).fill(Infinity);
		const parentEdge = new Array<number>(this.nodeCount).fill(-1);
		const heap = new MinHeap();
		distance[source] = 0;
		heap.push(0, source);
		while (heap.size > 0) {
			const [d, u] = heap.pop();
			if (d > (distance[u] ?? Infinity)) continue;
			for (const id of this.nodeAdjacency(u)) {
				if (this.residual(id) <= 0) continue;
				const e = this.edge(id);
				const reduced = e.cost + (potential[u] ?? 0) - (potential[e.to] ?? 0);
				const next = d + reduced;
				if (next < (distance[e.to] ?? Infinity)) {
					distance[e.to] = next;
					parentEdge[e.to] = id;
					heap.push(next, e.to);
				}
			}
		}
		return { distance, parentEdge };
	}

	private residual(id: number): number {
		const e = this.edge(id);
		return e.capacity - e.flow;
	}

	private edge(id: number): Edge {
		const e = this.edges[id];
		if (!e) throw new Error(`min-cost flow: no edge ${id}`);
		return e;
	}

	private nodeAdjacency(node: number): number[] {
		const list = this.adjacency[node];
		if (!list) throw new RangeError(`min-cost flow: no node ${node}`);
		return list;
	}
}

/** Binary min-heap of (key, value) pairs; stale entries are skipped by the caller. */
class MinHeap {
	private readonly keys: number[] = [];
	private readonly values: number[] = [];

	get size(): number {
		return this.keys.length;
	}

	push(key: number, value: number): void {
		this.keys.push(key);
		this.values.push(value);
		let i = this.keys.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (this.key(parent) <= key) break;
			this.swap(i, parent);
			i = parent;
		}
	}

	pop(): [number, number] {
		const top: [number, number] = [this.key(0), this.value(0)];
		const lastKey = this.keys.pop() as number;
		const lastValue = this.values.pop() as number;
		if (this.keys.length > 0) {
			this.keys[0] = lastKey;
			this.values[0] = lastValue;
			let i = 0;
			for (;;) {
				const left = 2 * i + 1;
				const right = left + 1;
				let smallest = i;
				if (left < this.keys.length && this.key(left) < this.key(smallest)) smallest = left;
				if (right < this.keys.length && this.key(right) < this.key(smallest)) smallest = right;
				if (smallest === i) break;
				this.swap(i, smallest);
				i = smallest;
			}
		}
		return top;
	}

	private key(i: number): number {
		return this.keys[i] ?? Infinity;
	}

	private value(i: number): number {
		return this.values[i] ?? -1;
	}

	private swap(i: number, j: number): void {
		[this.keys[i], this.keys[j]] = [this.key(j), this.key(i)];
		[this.values[i], this.values[j]] = [this.value(j), this.value(i)];
	}
}
