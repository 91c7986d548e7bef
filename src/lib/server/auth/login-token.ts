import { constantTimeEqual, createToken, sha256Hex, splitToken } from '../ids';
import { toDate, type Db } from '../db/schema';
import { localePrefix } from '../registrations/links';

export const LOGIN_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

export async function createLoginToken(db: Db, userId: string, now: Date): Promise<string> {
	const { id, token, secretHash } = createToken();
	await db
		.insertInto('login_token')
		.values({
			id,
			user_id: userId,
			secret_hash: secretHash,
			created_at: now.toISOString(),
			expires_at: new Date(now.getTime() + LOGIN_TOKEN_LIFETIME_MS).toISOString()
		})
		.execute();
	return token;
}

/** The emailed link opens in the language the mail is written in. */
export function signInUrl(origin: string, token: string, redirectTo?: string, locale?: string | null): string {
	const url = new URL(`${localePrefix(locale)}/sign-in/link`, origin);
	url.searchParams.set('token', token);
	if (redirectTo && redirectTo !== '/') url.searchParams.set('redirectTo', redirectTo);
	return url.href;
}

export type LoginTokenProblem = 'invalid' | 'expired' | 'used';

/** Read-only check, for showing the confirmation page without spending the token. */
export async function checkLoginToken(
	db: Db,
	token: string,
	now: Date
): Promise<{ ok: true; userId: string } | { ok: false; problem: LoginTokenProblem }> {
	const parts = splitToken(token);
	if (!parts) return { ok: false, problem: 'invalid' };
	const row = await db
		.selectFrom('login_token')
		.select(['user_id', 'secret_hash', 'expires_at', 'used_at'])
		.where('id', '=', parts.id)
		.executeTakeFirst();
	if (!row || !constantTimeEqual(sha256Hex(parts.secret), row.secret_hash)) {
		return { ok: false, problem: 'invalid' };
	}
	if (row.used_at !== null) return { ok: false, problem: 'used' };
	if (now >= toDate(row.expires_at)) return { ok: false, problem: 'expired' };
	return { ok: true, userId: row.user_id };
}

/** Spends the token exactly once: of two concurrent redemptions only one succeeds. */
export async function redeemLoginToken(
	db: Db,
	token: string,
	now: Date
): Promise<{ ok: true; userId: string } | { ok: false; problem: LoginTokenProblem }> {
	const checked = await checkLoginToken(db, token, now);
	if (!checked.ok) return checked;
	const result = await db
		.updateTable('login_token')
		.set({ used_at: now.toISOString() })
		.where('id', '=', splitToken(token)!.id)
		.where('used_at', 'is', null)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) return { ok: false, problem: 'used' };
	await db
		.updateTable('user')
		.set({ last_sign_in_at: now.toISOString() })
		.where('id', '=', checked.userId)
		.execute();
	return checked;
}

export async function deleteStaleLoginTokens(db: Db, now: Date): Promise<void> {
	// Keep used/expired rows for a day so a replayed link still gets the precise message.
	const cutoff = new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString();
	await db.deleteFrom('login_token').where('expires_at', '<', cutoff).execute();
}
