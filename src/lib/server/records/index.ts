import * as audit from '../audit';
import { generateId } from '../ids';
import { toDate, toDateOrNull, type Db } from '../db/schema';
import { attendedEntries, totalMinutes, type RecordEntry } from './entries';
import { isValid, sign, type SignedRecord } from './signature';

export { attendedEntries, organiserOf, totalMinutes, type RecordEntry } from './entries';
export * as hours from './hours';

export interface IssuedRecord extends SignedRecord {
	revokedAt: Date | null;
	signature: string;
}

type Row = {
	id: string;
	person_name: string;
	period_from: string;
	period_to: string;
	entries: string;
	total_minutes: number;
	issued_at: Date | string;
	revoked_at: Date | string | null;
	signature: string;
};

const COLUMNS = ['id', 'person_name', 'period_from', 'period_to', 'entries', 'total_minutes', 'issued_at', 'revoked_at', 'signature'] as const;

function toRecord(row: Row): IssuedRecord {
	return {
		id: row.id,
		personName: row.person_name,
		periodFrom: row.period_from,
		periodTo: row.period_to,
		entries: JSON.parse(row.entries) as RecordEntry[],
		totalMinutes: row.total_minutes,
		issuedAt: toDate(row.issued_at).toISOString(),
		revokedAt: toDateOrNull(row.revoked_at),
		signature: row.signature
	};
}

/** The public address that proves a record: its id and signature, nothing about the person. */
export function verificationPath(record: { id: string; signature: string }): string {
	return `/nachweis/${record.id}.${record.signature}`;
}

export type IssueResult = { ok: true; record: IssuedRecord } | { ok: false; problem: 'empty' };

/** Signs a snapshot of the person's attended engagements up to `now`. */
export async function issue(db: Db, secret: string, person: { id: string; name: string }, now: Date): Promise<IssueResult> {
	const entries = await attendedEntries(db, person.id, now);
	if (entries.length === 0) return { ok: false, problem: 'empty' };
	const signed: SignedRecord = {
		id: generateId(),
		personName: person.name,
		periodFrom: entries[0]!.date,
		periodTo: entries[entries.length - 1]!.date,
		entries,
		totalMinutes: totalMinutes(entries),
		issuedAt: now.toISOString()
	};
	const signature = sign(secret, signed);
	await db
		.insertInto('volunteer_record')
		.values({
			id: signed.id,
			person_id: person.id,
			person_name: signed.personName,
			period_from: signed.periodFrom,
			period_to: signed.periodTo,
			entries: JSON.stringify(entries),
			total_minutes: signed.totalMinutes,
			issued_at: signed.issuedAt,
			signature
		})
		.execute();
	await audit.record(db, { actorUserId: null, action: 'record.issued', entityType: 'volunteer_record', entityId: signed.id }, now);
	return { ok: true, record: { ...signed, revokedAt: null, signature } };
}

/** The person's records, newest first. */
export async function listFor(db: Db, personId: string): Promise<IssuedRecord[]> {
	const rows = await db.selectFrom('volunteer_record').select(COLUMNS).where('person_id', '=', personId).orderBy('issued_at', 'desc').execute();
	return rows.map(toRecord);
}

/** One of the person's own records; another person's id gives null. */
export async function findFor(db: Db, personId: string, recordId: string): Promise<IssuedRecord | null> {
	const row = await db.selectFrom('volunteer_record').select(COLUMNS).where('person_id', '=', personId).where('id', '=', recordId).executeTakeFirst();
	return row ? toRecord(row) : null;
}

/** Withdraws one of the person's own records; its link answers "not genuine" from then on. */
export async function revoke(db: Db, personId: string, recordId: string, now: Date): Promise<boolean> {
	const result = await db
		.updateTable('volunteer_record')
		.set({ revoked_at: now.toISOString() })
		.where('person_id', '=', personId)
		.where('id', '=', recordId)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) === 0) return false;
	await audit.record(db, { actorUserId: null, action: 'record.revoked', entityType: 'volunteer_record', entityId: recordId }, now);
	return true;
}

export type Verification =
	| { genuine: true; record: Pick<SignedRecord, 'personName' | 'periodFrom' | 'periodTo' | 'entries' | 'totalMinutes' | 'issuedAt'> }
	| { genuine: false };

/**
 * Checks `<id>.<signature>` from a verification link. Genuine only if the record exists, is not
 * revoked, the link's signature is the stored one, and the stored content still matches it (so an
 * edited database row is caught too). Every failure looks the same to the reader.
 */
export async function verify(db: Db, secret: string, token: string): Promise<Verification> {
	const match = /^([a-z2-7]{24})\.([A-Za-z0-9_-]{43})$/.exec(token);
	if (!match) return { genuine: false };
	const row = await db.selectFrom('volunteer_record').select(COLUMNS).where('id', '=', match[1]!).executeTakeFirst();
	if (!row || row.revoked_at !== null) return { genuine: false };
	let record: IssuedRecord;
	try {
		record = toRecord(row);
	} catch {
		return { genuine: false };
	}
	if (!isValid(secret, record, match[2]!) || !isValid(secret, record, row.signature)) return { genuine: false };
	const { personName, periodFrom, periodTo, entries, totalMinutes, issuedAt } = record;
	return { genuine: true, record: { personName, periodFrom, periodTo, entries, totalMinutes, issuedAt } };
}
