import { constantTimeEqual, createToken, sha256Hex, splitToken } from '../ids';
import { toDate, type Db } from '../db/schema';
import { findSessionUser, type SessionUser } from './users';

export const SESSION_COOKIE = 'session';
const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
/** Extend a session's expiry once less than this remains (sliding expiry without a write per request). */
const SESSION_RENEW_BEFORE_MS = 15 * DAY_MS;

export interface Session {
	id: string;
	userId: string;
	expiresAt: Date;
}

export async function createSession(db: Db, userId: string, now: Date) {
	const { id, token, secretHash } = createToken();
	const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
	await db
		.insertInto('session')
		.values({
			id,
			user_id: userId,
			secret_hash: secretHash,
			created_at: now.toISOString(),
			expires_at: expiresAt.toISOString()
		})
		.execute();
	return { token, session: { id, userId, expiresAt } satisfies Session };
}

/** Returns the session and its user, or null for a forged, unknown or expired token. */
export async function validateSessionToken(
	db: Db,
	token: string,
	now: Date
): Promise<{ session: Session; user: SessionUser } | null> {
	const parts = splitToken(token);
	if (!parts) return null;
	const row = await db
		.selectFrom('session')
		.select(['id', 'user_id', 'secret_hash', 'expires_at'])
		.where('id', '=', parts.id)
		.executeTakeFirst();
	if (!row || !constantTimeEqual(sha256Hex(parts.secret), row.secret_hash)) return null;

	let expiresAt = toDate(row.expires_at);
	if (now >= expiresAt) {
		await db.deleteFrom('session').where('id', '=', row.id).execute();
		return null;
	}
	if (expiresAt.getTime() - now.getTime() < SESSION_RENEW_BEFORE_MS) {
		expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
		await db
			.updateTable('session')
			.set({ expires_at: expiresAt.toISOString() })
			.where('id', '=', row.id)
			.execute();
	}
	const user = await findSessionUser(db, row.user_id);
	if (!user) return null;
	return { session: { id: row.id, userId: row.user_id, expiresAt }, user };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.deleteFrom('session').where('id', '=', sessionId).execute();
}

/** "Sign out everywhere". */
export async function invalidateUserSessions(db: Db, userId: string): Promise<number> {
	const result = await db.deleteFrom('session').where('user_id', '=', userId).executeTakeFirst();
	return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
	await db.deleteFrom('session').where('expires_at', '<=', now.toISOString()).execute();
}
