import { describe, expect, it } from 'vitest';
import { CirculationNetwork } from './circulation';

const totalCost = (net: CirculationNetwork, arcs: { id: number; cost: number }[]) =>
	arcs.reduce((sum, { id, cost }) => sum + net.flowOn(id) * cost, 0);

describe('CirculationNetwork (cost scaling)', () => {
	it('sends flow around a negative cycle up to the bottleneck and leaves positive cycles empty', () => {
		const net = new CirculationNetwork(3);
		const arcs = [
			{ id: net.addArc(0, 1, 3, -4), cost: -4 },
			{ id: net.addArc(1, 2, 2, 1), cost: 1 },
			{ id: net.addArc(2, 0, 5, 1), cost: 1 },
			{ id: net.addArc(1, 0, 4, 5), cost: 5 }
		];
		net.solve();
		expect(arcs.map(({ id }) => net.flowOn(id))).toEqual([2, 2, 2, 0]);
		expect(totalCost(net, arcs)).toBe(-4);
	});

	it('routes supplies to demands at minimum cost, rerouting over a shared arc', () => {
		// Two units from 0 to 3: the cheap path 0 → 1 → 2 → 3 takes one, the other needs 0 → 2 and 1 → 3.
		const net = new CirculationNetwork(4);
		net.setSupply(0, 2);
		net.setSupply(3, -2);
		const arcs = [
			{ id: net.addArc(0, 1, 1, 1), cost: 1 },
			{ id: net.addArc(0, 2, 1, 2), cost: 2 },
			{ id: net.addArc(1, 2, 1, 1), cost: 1 },
			{ id: net.addArc(1, 3, 1, 4), cost: 4 },
			{ id: net.addArc(2, 3, 1, 1), cost: 1 }
		];
		net.solve();
		expect(totalCost(net, arcs)).toBe(8);
		expect(net.flowOn(arcs[2]!.id)).toBe(0);
	});

	it('restarts warm after arcs are added, and reports reduced costs for the dual check', () => {
		const net = new CirculationNetwork(3);
		net.setSupply(0, 1);
		net.setSupply(2, -1);
		const expensive = net.addArc(0, 2, 1, 10);
		net.solve();
		expect(net.flowOn(expensive)).toBe(1);
		// An arc 0 → 1 → 2 costing 3 in all would improve the solution: its reduced cost shows it.
		expect(net.scaledReducedCost(0, 1, 1) + net.scaledReducedCost(1, 2, 2)).toBeLessThan(-1);
		const first = net.addArc(0, 1, 1, 1);
		const second = net.addArc(1, 2, 1, 2);
		net.solve();
		expect([net.flowOn(expensive), net.flowOn(first), net.flowOn(second)]).toEqual([0, 1, 1]);
	});

	it('prices a dear fallback arc that lies far more than n price steps away', () => {
		// Only the cheap arc is negative, so scaling starts near its cost; the second unit must
		// take an arc 10⁶ dearer, many more ε away than there are nodes to count distances with.
		const net = new CirculationNetwork(2);
		net.setSupply(0, 2);
		net.setSupply(1, -2);
		const cheap = net.addArc(0, 1, 1, -10);
		const dear = net.addArc(0, 1, 1, 1_000_000);
		const unused = net.addArc(0, 1, 1, 2_000_000);
		net.solve();
		expect([net.flowOn(cheap), net.flowOn(dear), net.flowOn(unused)]).toEqual([1, 1, 0]);
	});

	it('takes arcs added between refinements into the same solve, and reports each refinement', () => {
		const net = new CirculationNetwork(3, { longestCycle: 3 });
		net.setSupply(0, 1);
		net.setSupply(2, -1);
		const expensive = net.addArc(0, 2, 1, 1000);
		const epsilons: number[] = [];
		let shortcut: number[] = [];
		net.solve({
			onRefined: (epsilon) => {
				epsilons.push(epsilon);
				if (shortcut.length === 0) shortcut = [net.addArc(0, 1, 1, 1), net.addArc(1, 2, 1, 2)];
			}
		});
		// The costs are positive, so it starts at ε = 1; the shortcut violates more, so it scales again.
		expect(epsilons[0]).toBe(1);
		expect(epsilons.length).toBeGreaterThan(1);
		expect(epsilons.at(-1)).toBe(1);
		expect([net.flowOn(expensive), ...shortcut.map((id) => net.flowOn(id))]).toEqual([0, 1, 1]);
	});

	it('finds the same optimum with a tighter cycle bound (fewer refinements)', () => {
		// People 0–2, clubs 3–4, sink 5: every cycle alternates people and clubs, so at most
		// 2·min(3, 2) + 2 = 6 arcs, the bound the tiered assignment gives.
		const build = (options?: { longestCycle: number }) => {
			const net = new CirculationNetwork(6, options);
			for (let p = 0; p < 3; p++) {
				net.setSupply(p, 1);
				net.addArc(p, 5, 1, 100);
			}
			net.setSupply(5, -3);
			net.addArc(3, 5, 1, 0);
			net.addArc(4, 5, 1, 0);
			const arcs = [
				[0, 3, -7],
				[0, 4, -6],
				[1, 3, -9],
				[1, 4, -1],
				[2, 3, -8],
				[2, 4, -5]
			].map(([from, to, cost]) => ({ id: net.addArc(from!, to!, 1, cost!), cost: cost! }));
			net.solve();
			return totalCost(net, arcs);
		};
		expect(build({ longestCycle: 6 })).toBe(build());
		expect(build({ longestCycle: 6 })).toBe(-9 - 6);
	});

	it('rejects costs too large for exact integer arithmetic', () => {
		const net = new CirculationNetwork(2);
		net.addArc(0, 1, 1, 2 ** 50);
		expect(() => net.solve()).toThrow(/too large/);
	});
});
