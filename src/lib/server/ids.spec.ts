import { describe, expect, it } from 'vitest';
import { constantTimeEqual, createToken, generateId, sha256Hex, splitToken } from './ids';

describe('ids and tokens', () => {
	it('generates 24-character base32 ids that differ', () => {
		const a = generateId();
		const b = generateId();
		expect(a).toMatch(/^[a-z2-7]{24}$/);
		expect(a).not.toBe(b);
	});

	it('never repeats an id across refills of its random pool', () => {
		const ids = Array.from({ length: 1000 }, generateId);
		expect(new Set(ids).size).toBe(1000);
		expect(ids.every((id) => /^[a-z2-7]{24}$/.test(id))).toBe(true);
	});

	it('hashes with SHA-256 in hex', () => {
		expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});

	it('round-trips a token and stores only the hash of its secret', () => {
		const created = createToken();
		const parts = splitToken(created.token);
		expect(parts).toEqual({ id: created.id, secret: created.secret });
		expect(created.secretHash).toBe(sha256Hex(created.secret));
		expect(created.token).not.toContain(created.secretHash);
	});

	it('rejects malformed tokens', () => {
		expect(splitToken('')).toBeNull();
		expect(splitToken('abc.def')).toBeNull();
		expect(splitToken(`${generateId()}.${generateId()}x`)).toBeNull();
		expect(splitToken(`${generateId()}<script>.${generateId()}`)).toBeNull();
	});

	it('compares in constant time and correctly', () => {
		expect(constantTimeEqual('abc', 'abc')).toBe(true);
		expect(constantTimeEqual('abc', 'abd')).toBe(false);
		expect(constantTimeEqual('abc', 'abcd')).toBe(false);
	});
});
