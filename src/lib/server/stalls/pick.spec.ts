import { describe, expect, it } from 'vitest';
import { pickStall, type StallSpec } from './index';

const stall = (number: string, size: number, hasPower = false, accessible = true, zone = 'A'): StallSpec => ({ id: number, number, zone, size, hasPower, indoor: true, accessible });

describe('pickStall', () => {
	const hall = [stall('A10', 3, true), stall('A2', 1), stall('A1', 2, true), stall('B1', 2, false, false, 'B')];

	it('gives the smallest fitting stall, without power when none is needed, in zone and number order', () => {
		expect(pickStall(hall, { size: 1, needsPower: false, needsAccessible: false })).toEqual({ stall: hall[1] });
		expect(pickStall(hall, { size: 2, needsPower: false, needsAccessible: false })).toEqual({ stall: hall[3] });
		expect(pickStall(hall, { size: 2, needsPower: true, needsAccessible: false })).toEqual({ stall: hall[2] });
		expect(pickStall([stall('A10', 1), stall('A9', 1)], { size: 1, needsPower: false, needsAccessible: false })).toEqual({ stall: stall('A9', 1) });
	});

	it('names the need no free stall meets', () => {
		expect(pickStall([], { size: 1, needsPower: false, needsAccessible: false })).toEqual({ reason: 'no_free_stall' });
		expect(pickStall([stall('A1', 1)], { size: 2, needsPower: false, needsAccessible: false })).toEqual({ reason: 'no_stall_large_enough' });
		expect(pickStall([stall('A1', 3)], { size: 2, needsPower: true, needsAccessible: false })).toEqual({ reason: 'no_stall_with_power' });
		expect(pickStall([stall('B1', 3, true, false)], { size: 2, needsPower: true, needsAccessible: true })).toEqual({ reason: 'no_accessible_stall' });
	});
});
