import { createHmac } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { isLocale } from '../../paraglide/runtime';
import { constantTimeEqual, sha256Hex, splitToken } from '../ids';

/** Where emailed links point and the key that makes manage links reproducible. */
export interface LinkContext {
	origin: string;
	secret: string;
}

/**
 * The manage link is derived (HMAC of the registration id), so every later email can carry the same
 * link although only its hash is stored — and a database leak alone reveals no usable link.
 */
export function manageSecret(secret: string, registrationId: string): string {
	const mac = createHmac('sha256', secret).update(`manage:${registrationId}`).digest();
	return encodeBase32LowerCaseNoPadding(mac).slice(0, 24);
}

export function manageToken(ctx: LinkContext, registrationId: string): string {
	return `${registrationId}.${manageSecret(ctx.secret, registrationId)}`;
}

/** With the person's `locale` the link opens the page in their language on any device (see confirmUrl). */
export function manageUrl(ctx: LinkContext, registrationId: string, locale?: string): string {
	return `${ctx.origin}${localePrefix(locale)}/manage/${manageToken(ctx, registrationId)}`;
}

/** "/tr" for a known language, else "" (the visitor's cookie or browser then decides). */
export function localePrefix(locale: string | null | undefined): string {
	return locale && isLocale(locale) ? `/${locale}` : '';
}

/** One-click opt-out of reminders and circulars (List-Unsubscribe). */
export function unsubscribeUrl(ctx: LinkContext, registrationId: string, locale?: string | null): string {
	return `${ctx.origin}${localePrefix(locale)}/manage/${manageToken(ctx, registrationId)}/unsubscribe`;
}

/**
 * With the registrant's `locale` the link carries it (/en/confirm/…): opened on another device, with
 * no language cookie yet, the page would otherwise come up in the base language.
 */
export function confirmUrl(ctx: LinkContext, token: string, locale?: string): string {
	return `${ctx.origin}${localePrefix(locale)}/confirm/${token}`;
}

/** Returns the registration id when the token's secret matches the stored hash. */
export function verifyToken(token: string, storedHash: string | null | undefined): boolean {
	const parts = splitToken(token);
	return !!parts && !!storedHash && constantTimeEqual(sha256Hex(parts.secret), storedHash);
}
