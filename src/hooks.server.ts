import { error, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import * as m from '$lib/paraglide/messages';
import { locales } from '$lib/paraglide/runtime';
import { localeOfHref, localizeHref } from '$lib/i18n';
import { textDirection } from '$lib/locale';
import { preferredLocale, runWithLocale } from '$lib/server/http/locale';
import { handlePublicPages } from '$lib/server/http/public-pages';
import { withMessageData } from '$lib/server/http/message-data';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/auth/cookies';
import { ConfigError } from '$lib/server/env';
import { guardFormBody } from '$lib/server/form-body';
import * as runtime from '$lib/server/runtime';
import { isDatabaseUnavailable, logUnavailable, unavailableResponse } from '$lib/server/unavailable';

export const init: ServerInit = async () => {
	try {
		await runtime.start();
	} catch (cause) {
		if (!(cause instanceof ConfigError)) throw cause;
		console.error(`[config] ${cause.message}`);
		process.exit(1);
	}
};

/**
 * The request's language (see http/locale.ts). A page opened without a language prefix moves to
 * its address in the visitor's language; the response itself sets no cookie, so that shared caches
 * may keep public pages (the language switch remembers a choice: routes/language).
 */
const handleLocale: Handle = ({ event, resolve }) => {
	const { request, url } = event;
	const prefixed = localeOfHref(url.pathname);
	const locale = prefixed ?? preferredLocale(request);
	if (!prefixed && request.headers.get('sec-fetch-dest') === 'document') {
		return new Response(null, {
			status: 307,
			headers: { location: localizeHref(url.pathname + url.search, { locale }), vary: 'Accept-Language, Cookie' }
		});
	}
	return runWithLocale(locale, url.origin, () =>
		resolve(event, {
			transformPageChunk: ({ html }) =>
				withMessageData(html.replace('%paraglide.lang%', locale).replace('%paraglide.dir%', textDirection(locale)), locale)
		})
	);
};

const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.sessionId = null;
	// Calendar feeds are public and cached by shared caches: no session, no renewed cookie on them.
	if (event.url.pathname.startsWith('/calendar/')) return resolve(event);
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const result = await validateSessionToken(runtime.db(), token, new Date());
		if (result) {
			event.locals.user = result.user;
			event.locals.sessionId = result.session.id;
			setSessionCookie(event.cookies, token, result.session.expiresAt, event.url);
		} else {
			console.warn(`[auth] rejected session cookie from ${event.getClientAddress()}`);
			deleteSessionCookie(event.cookies, event.url);
		}
	}
	return resolve(event);
};

const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
/** The opt-out link's token is its own authorisation; mail providers POST it without an Origin. */
const ONE_CLICK_UNSUBSCRIBE = new RegExp(`^/(?:(?:${locales.join('|')})/)?(?:manage/[^/]+/unsubscribe|alerts/unsubscribe/[^/]+)$`);

/** SvelteKit's cross-site form check, with the one exception above. */
const handleCsrf: Handle = ({ event, resolve }) => {
	const { request, url } = event;
	const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
	const forbidden =
		['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method) &&
		FORM_CONTENT_TYPES.includes(type) &&
		request.headers.get('origin') !== url.origin &&
		!ONE_CLICK_UNSUBSCRIBE.test(url.pathname);
	if (forbidden) return new Response(`Cross-site ${request.method} form submissions are forbidden`, { status: 403 });
	return resolve(event);
};

const handleResponse: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (response.status === 403) {
		console.warn(`[auth] 403 for ${event.locals.user?.email ?? 'anonymous'} on ${event.url.pathname}`);
	}
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'SAMEORIGIN');
	return response;
};

/**
 * Input that is the client's error, refused before it reaches a route: a body that is not a form
 * (read through a guard), and a NUL in the address, which route parameters and query values would
 * carry decoded into queries (PostgreSQL refuses it in text).
 */
const handleInput: Handle = ({ event, resolve }) => {
	if (/%00/.test(event.url.pathname + event.url.search)) error(400, m.error_bad_address());
	if (event.request.method === 'POST') guardFormBody(event.request, `POST ${event.url.pathname}`);
	return resolve(event);
};

/**
 * The one place that turns a database outage into 503 with Retry-After: a failure in the hooks
 * below (the session lookup) is caught here, one inside a load, action or endpoint is flagged by
 * handleError. Inside handleLocale, so the page speaks the visitor's language.
 */
const handleUnavailable: Handle = async ({ event, resolve }) => {
	event.locals.databaseUnavailable = false;
	try {
		const response = await resolve(event);
		return event.locals.databaseUnavailable ? await unavailableResponse(event) : response;
	} catch (cause) {
		if (!isDatabaseUnavailable(cause)) throw cause;
		logUnavailable(`${event.request.method} ${event.url.pathname}`, cause);
		return unavailableResponse(event);
	}
};

export const handle = sequence(handleCsrf, handleResponse, handlePublicPages, handleLocale, handleUnavailable, handleInput, handleSession);

export const handleError: HandleServerError = ({ error: cause, event, status, message }) => {
	if (isDatabaseUnavailable(cause)) {
		event.locals.databaseUnavailable = true;
		logUnavailable(`${event.request.method} ${event.url.pathname}`, cause);
		return { message: m.error_503() };
	}
	if (status === 404) return { message: m.error_404() };
	if (status === 415) return { message: m.error_not_a_form() };
	// Other client errors that SvelteKit raises itself (405 for a POST to a page without actions …).
	if (status < 500) {
		console.warn(`[request] ${event.request.method} ${event.url.pathname}: ${status} ${message}`);
		return { message };
	}
	console.error(`[error] ${event.request.method} ${event.url.pathname}:`, cause);
	return { message: m.error_500() };
};
