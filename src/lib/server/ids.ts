import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

const ID_BYTES = 15;
/** Random bytes drawn in batches: one call to the system's generator per 256 ids instead of one each. */
const pool = new Uint8Array(ID_BYTES * 256);
let poolOffset = pool.length;

/** 120 random bits, base32: used for row ids and the secret half of tokens. */
export function generateId(): string {
	if (poolOffset === pool.length) {
		crypto.getRandomValues(pool);
		poolOffset = 0;
	}
	const bytes = pool.subarray(poolOffset, (poolOffset += ID_BYTES));
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sha256Hex(value: string): string {
	// Node's native hash: several times faster than a JavaScript one, and every token check uses it.
	return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	let difference = 0;
	for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
	return difference === 0;
}

/**
 * A token handed to a person is `<id>.<secret>`; only sha256(secret) is stored under the id
 * (the Lucia guide's scheme). Returns null for anything that is not shaped like one.
 */
export function splitToken(token: string): { id: string; secret: string } | null {
	const match = /^([a-z2-7]{24})\.([a-z2-7]{24})$/.exec(token);
	return match ? { id: match[1]!, secret: match[2]! } : null;
}

export function createToken(): { id: string; secret: string; token: string; secretHash: string } {
	const id = generateId();
	const secret = generateId();
	return { id, secret, token: `${id}.${secret}`, secretHash: sha256Hex(secret) };
}
