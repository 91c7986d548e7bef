import { redirect } from '@sveltejs/kit';
import { localizeHref } from '$lib/i18n';
import { cookieMaxAge, cookieName, getLocale } from '$lib/paraglide/runtime';
import { isSecureSite } from '$lib/server/auth/cookies';
import type { RequestHandler } from './$types';

/**
 * The language switch: /en/language?to=/events/5 remembers English for later unprefixed visits
 * and opens the page in English. Pages themselves set no cookie, so that shared caches may keep them.
 */
export const GET: RequestHandler = ({ url, cookies }) => {
	const locale = getLocale();
	cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax', secure: isSecureSite(url) });
	const to = url.searchParams.get('to') ?? '/';
	// Only an address on this site: "//host" or "/\host" would leave it.
	const target = to.startsWith('/') && !to.startsWith('//') && !to.startsWith('/\\') ? to : '/';
	redirect(303, localizeHref(target, { locale }));
};
