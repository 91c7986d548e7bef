import type { Cookies } from '@sveltejs/kit';
import { env } from '../env';
import { SESSION_COOKIE } from './session';

/**
 * Cookies are `Secure` whenever the site is public over https: when the request came over https
 * (adapter-node takes the protocol from ORIGIN or PROTOCOL_HEADER) or ORIGIN says https, so that a
 * proxy that forgets the protocol header cannot make the browser send a session in the clear.
 * Plain http (a developer's localhost) keeps cookies without the flag, or the browser would drop them.
 */
export function isSecureSite(url: URL): boolean {
	return url.protocol === 'https:' || env().origin.startsWith('https:');
}

export function setSessionCookie(cookies: Cookies, token: string, expiresAt: Date, url: URL): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: isSecureSite(url),
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: isSecureSite(url) });
}
