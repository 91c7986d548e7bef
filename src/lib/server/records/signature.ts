import { createHmac } from 'node:crypto';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { constantTimeEqual } from '../ids';
import type { RecordEntry } from './entries';

/** The signed content of a record; nothing else about the person goes in. */
export interface SignedRecord {
	id: string;
	personName: string;
	periodFrom: string;
	periodTo: string;
	entries: RecordEntry[];
	totalMinutes: number;
	issuedAt: string;
}

/**
 * A fixed field order, arrays instead of objects, so the bytes signed never depend on how an object
 * was built or on JSON key order. The version prefix lets the format change without old records
 * turning "not genuine".
 */
export function canonical(record: SignedRecord): string {
	return JSON.stringify([
		'miteinander-nachweis-v1',
		record.id,
		record.personName,
		record.periodFrom,
		record.periodTo,
		record.entries.map((e) => [e.kind, e.date, e.title, e.organiser, e.minutes]),
		record.totalMinutes,
		record.issuedAt
	]);
}

/** HMAC-SHA-256 with a key derived from the app secret for this purpose only. */
export function sign(secret: string, record: SignedRecord): string {
	const key = createHmac('sha256', secret).update('volunteer-record').digest();
	return encodeBase64urlNoPadding(createHmac('sha256', key).update(canonical(record)).digest());
}

export function isValid(secret: string, record: SignedRecord, signature: string): boolean {
	return constantTimeEqual(sign(secret, record), signature);
}
