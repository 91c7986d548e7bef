import { createHmac } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { constantTimeEqual, splitToken } from '../ids';
import { localePrefix, type LinkContext } from '../registrations/links';

// Like manage links, feedback links are derived (HMAC of the feedback id) rather than stored: every
// request and reminder carries the same link, and the database holds nothing that opens a form.
// The token names exactly one feedback row, so it can never reach another event's answers.

function feedbackSecret(secret: string, feedbackId: string): string {
	const mac = createHmac('sha256', secret).update(`feedback:${feedbackId}`).digest();
	return encodeBase32LowerCaseNoPadding(mac).slice(0, 24);
}

export function feedbackToken(secret: string, feedbackId: string): string {
	return `${feedbackId}.${feedbackSecret(secret, feedbackId)}`;
}

export function feedbackUrl(ctx: LinkContext, feedbackId: string, locale?: string | null): string {
	return `${ctx.origin}${localePrefix(locale)}/feedback/${feedbackToken(ctx.secret, feedbackId)}`;
}

/** The feedback id a token was made for, or null for anything forged or malformed. */
export function feedbackIdFrom(secret: string, token: string): string | null {
	const parts = splitToken(token);
	if (!parts) return null;
	return constantTimeEqual(parts.secret, feedbackSecret(secret, parts.id)) ? parts.id : null;
}
