// While the database is away every page and action answers 503 with Retry-After, and a form post
// gets its entries back as a form to send again, so nothing typed is lost. hooks.server.ts decides
// this in one place: a failure that `isDatabaseUnavailable` recognises, wherever it was thrown.
import type { RequestEvent } from '@sveltejs/kit';
import * as m from '../paraglide/messages';
import { textDirection } from '../locale';
import { getLocale } from '../paraglide/runtime';

/** Seconds a client is asked to wait; a restarting database is usually back within this. */
export const RETRY_AFTER_SECONDS = 15;

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '3D000']);

/**
 * Connection refused or lost, the server shutting down or not yet accepting connections, a missing
 * database, or SQLite busy, locked or failing to read or write its file: the database is away, the
 * request itself was fine.
 */
export function isDatabaseUnavailable(cause: unknown): boolean {
	const code = String((cause as { code?: unknown } | null)?.code ?? '');
	const message = cause instanceof Error ? cause.message : '';
	return (
		UNAVAILABLE_CODES.has(code) ||
		code.startsWith('08') || // PostgreSQL connection exceptions
		code.startsWith('57P') || // PostgreSQL shutting down, cannot connect now
		/^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY)/.test(code) ||
		/Connection terminated|timeout exceeded when trying to connect|database is locked|Client was closed|not queryable/.test(message)
	);
}

/** One line for the log or /healthz: the driver's code and message, no stack. */
export function describeFailure(cause: unknown): string {
	const code = (cause as { code?: unknown } | null)?.code;
	return `${code ? `${String(code)}: ` : ''}${cause instanceof Error ? cause.message : String(cause)}`;
}

const LOG_EVERY_MS = 5000;
let lastLoggedAt = -Infinity;
let unloggedSince = 0;

/**
 * Logs a 503 at most every few seconds, with how many went unlogged since: an outage under load
 * answers hundreds of requests a second, and each line would say the same.
 */
export function logUnavailable(request: string, cause: unknown, now = performance.now()): void {
	if (now - lastLoggedAt < LOG_EVERY_MS) {
		unloggedSince++;
		return;
	}
	const more = unloggedSince > 0 ? ` (and ${unloggedSince} more since the last report)` : '';
	console.warn(`[db] unavailable: ${request} answered 503: ${describeFailure(cause)}${more}`);
	lastLoggedAt = now;
	unloggedSince = 0;
}

const escapeHtml = (value: string) =>
	value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface Resubmit {
	action: string;
	enctype: string;
	fields: [string, string][];
	hadFiles: boolean;
}

/** The entries of a form post, to offer them back; null for anything else or an unreadable body. */
async function readResubmit(event: RequestEvent): Promise<Resubmit | null> {
	const type = event.request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
	if (event.request.method !== 'POST' || !['application/x-www-form-urlencoded', 'multipart/form-data'].includes(type)) return null;
	// hooks.server.ts keeps the parsed form, so this also works after the action has read it.
	const form = await event.request.formData().catch(() => null);
	if (!form) return null;
	const fields: [string, string][] = [];
	let hadFiles = false;
	for (const [name, value] of form) {
		if (typeof value === 'string') fields.push([name, value]);
		else if (value.size > 0) hadFiles = true;
	}
	return { action: event.url.pathname + event.url.search, enctype: type, fields, hadFiles };
}

function page(resubmit: Resubmit | null): string {
	const locale = getLocale();
	const form = resubmit
		? `<p>${escapeHtml(m.unavailable_resubmit_intro())}</p>
			${resubmit.hadFiles ? `<p>${escapeHtml(m.unavailable_files_lost())}</p>` : ''}
			<form method="post" action="${escapeHtml(resubmit.action)}" enctype="${escapeHtml(resubmit.enctype)}">
				${resubmit.fields.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('\n\t\t\t\t')}
				<button type="submit">${escapeHtml(m.unavailable_resubmit())}</button>
			</form>`
		: `<p><a href="">${escapeHtml(m.unavailable_reload())}</a></p>`;
	return `<!doctype html>
<html lang="${locale}" dir="${textDirection(locale)}">
	<head>
		<meta charset="utf-8">
		<meta name="viewport" content="width=device-width, initial-scale=1">
		<meta name="robots" content="noindex">
		<title>${escapeHtml(m.unavailable_title())} – ${escapeHtml(m.app_name())}</title>
		<style>
			body { font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
			a { color: #1d4e89; }
			button { font: inherit; padding: 0.5rem 1rem; background: #1d4e89; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
			button:focus-visible, a:focus-visible { outline: 3px solid #e0a100; outline-offset: 2px; }
		</style>
	</head>
	<body>
		<main>
			<h1>${escapeHtml(m.unavailable_title())}</h1>
			<p>${escapeHtml(m.error_503())}</p>
			${form}
			<p><a href="/${locale}">${escapeHtml(m.error_home())}</a></p>
		</main>
	</body>
</html>
`;
}

/** The 503 answer in the form the client asked for: an enhanced form's action result, page data, or a page. */
export async function unavailableResponse(event: RequestEvent): Promise<Response> {
	const headers = { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' };
	const error = { message: m.error_503() };
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		return Response.json({ type: 'error', error }, { status: 503, headers });
	}
	if (event.isDataRequest || !(event.request.headers.get('accept') ?? '').includes('text/html')) {
		return Response.json(error, { status: 503, headers });
	}
	return new Response(page(await readResubmit(event)), {
		status: 503,
		headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }
	});
}
