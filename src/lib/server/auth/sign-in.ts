import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { sha256Hex } from '../ids';
import * as audit from '../audit';
import * as outbox from '../mail/outbox';
import * as rateLimit from '../rate-limit';
import type { Locale } from '../../paraglide/runtime';
import { createLoginToken, signInUrl } from './login-token';
import { findUserByEmail, normalizeEmail } from './users';

export interface SignInLimits {
	perEmail: number;
	perIp: number;
	windowMs: number;
}

/**
 * Sends a one-time sign-in link if the address belongs to an account. The caller answers the same
 * either way, so nobody can probe which addresses exist; only the rate limit is reported.
 */
export async function requestSignInLink(
	db: Kysely<Database>,
	input: {
		email: string;
		ip: string;
		locale: Locale;
		origin: string;
		redirectTo?: string;
		limits: SignInLimits;
	},
	now: Date
): Promise<'sent' | 'rate_limited'> {
	const email = normalizeEmail(input.email);
	return db.transaction().execute(async (trx) => {
		const { perEmail, perIp, windowMs } = input.limits;
		if (!(await rateLimit.consume(trx, `sign-in:ip:${input.ip}`, perIp, windowMs, now))) {
			return 'rate_limited';
		}
		if (!(await rateLimit.consume(trx, `sign-in:email:${sha256Hex(email)}`, perEmail, windowMs, now))) {
			return 'rate_limited';
		}
		const user = await findUserByEmail(trx, email);
		if (!user) return 'sent';
		const token = await createLoginToken(trx, user.id, now);
		await outbox.enqueue(
			trx,
			{
				idempotencyKey: `sign-in:${token.split('.')[0]}`,
				recipient: user.email,
				locale: input.locale,
				template: 'sign-in-link',
				payload: { name: user.name, url: signInUrl(input.origin, token, input.redirectTo, input.locale) },
				userId: user.id
			},
			now
		);
		await audit.record(
			trx,
			{ actorUserId: user.id, action: 'sign_in_link.requested', entityType: 'user', entityId: user.id },
			now
		);
		return 'sent';
	});
}
