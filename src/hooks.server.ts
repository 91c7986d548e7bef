import { error, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
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
import { ConfigError, env } from '$lib/server/env';
import { observeRequest } from '$lib/server/http/metrics';
import { logRequest, requestId } from '$lib/server/http/request-log';
import { anonymiseAddress } from '$lib/server/log-privacy';
import { guardFormBody } from '$lib/server/form-body';
import * as runtime from '$lib/server/runtime';
import { isDatabaseUnavailable, logUnavailable, unavailableResponse } from '$lib/server/unavailable';

/**
 * A request in a log line: its route id (paths carry manage and sign-in tokens) and its id, which
 * finds the matching JSON request line.
 */
function describeRequest(event: RequestEvent): string {
	return `${event.route.id ?? '(no route)'} (request ${event.locals.requestId})`;
}

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
			console.warn(`[auth] rejected session cookie from ${anonymiseAddress(event.getClientAddress())} (request ${event.locals.requestId})`);
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

/** Features no page of ours uses: a page (or something injected into one) cannot ask for them. */
const PERMISSIONS_POLICY = [
	'accelerometer=()',
	'autoplay=()',
	'camera=()',
	'display-capture=()',
	'geolocation=()',
	'gyroscope=()',
	'magnetometer=()',
	'microphone=()',
	'midi=()',
	'payment=()',
	'usb=()'
].join(', ');

const FALLBACK_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * Headers for every response. The Content-Security-Policy of pages comes from kit.csp
 * (svelte.config.js); `frame-ancestors 'none'` there, X-Frame-Options DENY for browsers that only
 * know that (a response that set its own X-Frame-Options keeps it).
 */
const handleResponse: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (response.status === 403) {
		console.warn(`[auth] 403 for ${event.locals.user ? `user ${event.locals.user.id}` : 'anonymous'} on ${event.route.id ?? '(no route)'} (request ${event.locals.requestId})`);
	}
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	if (!response.headers.has('X-Frame-Options')) response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', PERMISSIONS_POLICY);
	// HTML that Kit did not render (the 503 page written by hand) gets a policy too: no script at all.
	if (response.headers.get('content-type')?.startsWith('text/html') && !response.headers.has('Content-Security-Policy')) {
		response.headers.set('Content-Security-Policy', FALLBACK_CSP);
	}
	return response;
};

/**
 * Outermost: names the request (an id a proxy passed on, or a new one), and once the response is
 * ready logs one JSON line and observes the duration for /metrics — by route id, never the path.
 */
const handleObserve: Handle = async ({ event, resolve }) => {
	const startedAt = performance.now();
	const id = requestId(event.request.headers.get('x-request-id'));
	event.locals.requestId = id;
	let status = 500;
	try {
		const response = await resolve(event);
		status = response.status;
		response.headers.set('x-request-id', id);
		return response;
	} finally {
		const ms = performance.now() - startedAt;
		observeRequest(event.route.id, event.request.method, status, ms / 1000);
		if (env().logRequests) logRequest({ requestId: id, method: event.request.method, route: event.route.id, status, durationMs: ms });
	}
};

/**
 * Input that is the client's error, refused before it reaches a route: a body that is not a form
 * (read through a guard), and a NUL in the address, which route parameters and query values would
 * carry decoded into queries (PostgreSQL refuses it in text).
 */
const handleInput: Handle = ({ event, resolve }) => {
	if (/%00/.test(event.url.pathname + event.url.search)) error(400, m.error_bad_address());
	if (event.request.method === 'POST') guardFormBody(event.request, `POST ${describeRequest(event)}`);
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
		logUnavailable(`${event.request.method} ${describeRequest(event)}`, cause);
		return unavailableResponse(event);
	}
};

export const handle = sequence(handleObserve, handleCsrf, handleResponse, handlePublicPages, handleLocale, handleUnavailable, handleInput, handleSession);

export const handleError: HandleServerError = ({ error: cause, event, status, message }) => {
	if (isDatabaseUnavailable(cause)) {
		event.locals.databaseUnavailable = true;
		logUnavailable(`${event.request.method} ${describeRequest(event)}`, cause);
		return { message: m.error_503() };
	}
	if (status === 404) return { message: m.error_404() };
	if (status === 415) return { message: m.error_not_a_form() };
	// Other client errors that SvelteKit raises itself (405 for a POST to a page without actions …).
	if (status < 500) {
		console.warn(`[request] ${event.request.method} ${describeRequest(event)}: ${status} ${message}`);
		return { message };
	}
	console.error(`[error] ${event.request.method} ${describeRequest(event)}:`, cause);
	return { message: m.error_500() };
};
