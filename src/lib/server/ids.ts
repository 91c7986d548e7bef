import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** 120 random bits, base32: used for row ids and the secret half of tokens. */
export function generateId(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(15)));
}

export function sha256Hex(value: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(value)));
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
