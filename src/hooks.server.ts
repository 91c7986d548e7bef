import { error, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import * as m from '$lib/paraglide/messages';
import { cookieName, cookieMaxAge, extractLocaleFromUrl, getTextDirection, type Locale } from '$lib/paraglide/runtime';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/auth/cookies';
import * as runtime from '$lib/server/runtime';

export const init: ServerInit = async () => {
	await runtime.start();
};

const handleLocale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		// Remember an explicit choice (a /de or /en URL) for later unprefixed visits.
		if (extractLocaleFromUrl(event.url) && event.cookies.get(cookieName) !== locale) {
			event.cookies.set(cookieName, locale, {
				path: '/',
				maxAge: cookieMaxAge,
				httpOnly: false,
				sameSite: 'lax',
				secure: event.url.protocol === 'https:'
			});
		}
		return resolve(event, {
			transformPageChunk: ({ html }) =>
				html.replace('%paraglide.lang%', locale).replace('%paraglide.dir%', getTextDirection(locale as Locale))
		});
	});

const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.sessionId = null;
	// Calendar feeds are public and cached by shared caches: no session, no renewed cookie on them.
	if (event.url.pathname.startsWith('/calendar/')) return resolve(event);
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const result = await validateSessionToken(runtime.db(), token, new Date()).catch((cause) => {
			if (isDatabaseUnavailable(cause)) error(503, m.error_503());
			throw cause;
		});
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
const ONE_CLICK_UNSUBSCRIBE = /^\/(?:(?:de|en)\/)?manage\/[^/]+\/unsubscribe$/;

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

export const handle = sequence(handleCsrf, handleResponse, handleLocale, handleSession);

/** Connection refused or lost, the server shutting down, or the database gone: a 503, not a bug. */
function isDatabaseUnavailable(cause: unknown): boolean {
	const code = String((cause as { code?: unknown } | null)?.code ?? '');
	const message = cause instanceof Error ? cause.message : '';
	return (
		['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', '3D000', 'SQLITE_BUSY', 'SQLITE_CANTOPEN'].includes(code) ||
		code.startsWith('08') || // PostgreSQL connection exceptions
		code.startsWith('57P') || // PostgreSQL shutting down / cannot connect now
		/Connection terminated|timeout exceeded when trying to connect|database is locked/.test(message)
	);
}

export const handleError: HandleServerError = ({ error: cause, event, status }) => {
	if (status === 404) return { message: m.error_404() };
	console.error(`[error] ${event.request.method} ${event.url.pathname}:`, cause);
	return { message: isDatabaseUnavailable(cause) ? m.error_503() : m.error_500() };
};
