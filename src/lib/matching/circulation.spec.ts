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

	it('rejects costs too large for exact integer arithmetic', () => {
		const net = new CirculationNetwork(2);
		net.addArc(0, 1, 1, 2 ** 50);
		expect(() => net.solve()).toThrow(/too large/);
	});
});
