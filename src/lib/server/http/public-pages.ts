// A short per-instance cache of anonymous public page renders. Residents arrive in bursts (a poster's
// QR code, a link shared in a chat, the hour registration opens): within a second they all see the
// same page, so it is rendered once and served from memory, compressed once per encoding.
//
// Freshness: any form post or other change handled by this instance starts a new generation, so
// the next request renders again (a registration shows at once where it was taken); other
// instances render again at the latest after PUBLIC_PAGE_CACHE_MS (default one second).
import { createHash } from 'node:crypto';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { env } from '$lib/server/env';
import { appendVary, chooseEncoding, compress, compressResponse, MIN_BYTES, type Bytes, type Encoding } from './compress';
import { localeOfHref } from '$lib/i18n';

/** The pages anyone sees the same, as long as they are not signed in. */
const CACHED_ROUTES: ReadonlySet<string> = new Set([
	'/',
	'/events/[id]',
	'/clubs',
	'/clubs/[municipality]/[club]',
	'/einsaetze',
	'/einsaetze/[id]',
	'/for-clubs',
	'/imprint',
	'/privacy'
]);
/** Bounds memory when someone walks through many query strings. */
const MAX_ENTRIES = 500;

interface Render {
	status: number;
	headers: Headers;
	body: Bytes;
	etag: string;
	renderedAt: number;
	generation: number;
	compressed: Partial<Record<Encoding, Promise<Bytes>>>;
}

let generation = 0;
const renders = new Map<string, Render>();
/** A render under way, which requests arriving meanwhile wait for instead of rendering it again. */
const rendering = new Map<string, Promise<Render | Response>>();

/** Forget every render: the next request for each page renders it again. */
export function invalidatePublicPages() {
	generation++;
}

function cacheKey(event: RequestEvent): string | undefined {
	const { request, url, route } = event;
	if (request.method !== 'GET' || event.isDataRequest || !route.id || !CACHED_ROUTES.has(route.id)) return undefined;
	// An unprefixed address is redirected by its visitor's language; a signed-in person sees their own header.
	if (!localeOfHref(url.pathname) || request.headers.get('cookie')?.includes(`${SESSION_COOKIE}=`)) return undefined;
	return url.pathname + url.search;
}

async function render(event: RequestEvent, resolve: Parameters<Handle>[0]['resolve']): Promise<Render | Response> {
	const startedIn = generation;
	const response = await resolve(event);
	const cacheable =
		response.status === 200 && !response.headers.has('set-cookie') && response.headers.get('content-type')?.startsWith('text/html');
	if (!cacheable) return response;
	const body = new Uint8Array(await response.arrayBuffer());
	const headers = new Headers(response.headers);
	headers.delete('content-length');
	const etag = `W/"${createHash('sha1').update(body).digest('base64url')}"`;
	return { status: response.status, headers, body, etag, renderedAt: Date.now(), generation: startedIn, compressed: {} };
}

async function respond(request: Request, cached: Render, compressing: boolean): Promise<Response> {
	const headers = new Headers(cached.headers);
	headers.set('etag', cached.etag);
	if (compressing) appendVary(headers, 'Accept-Encoding');
	if (request.headers.get('if-none-match') === cached.etag) return new Response(null, { status: 304, headers });
	const encoding = compressing && cached.body.byteLength >= MIN_BYTES ? chooseEncoding(request.headers.get('accept-encoding')) : undefined;
	if (!encoding) return new Response(cached.body, { status: cached.status, headers });
	headers.set('content-encoding', encoding);
	const body = await (cached.compressed[encoding] ??= compress(cached.body, encoding));
	return new Response(body, { status: cached.status, headers });
}

export const handlePublicPages: Handle = async ({ event, resolve }) => {
	const { publicPageCacheMs, compressResponses } = env();
	const key = publicPageCacheMs > 0 ? cacheKey(event) : undefined;
	if (!key) {
		try {
			const response = await resolve(event);
			return compressResponses ? await compressResponse(event.request, response) : response;
		} finally {
			if (event.request.method !== 'GET' && event.request.method !== 'HEAD') invalidatePublicPages();
		}
	}

	const hit = renders.get(key);
	if (hit && hit.generation === generation && Date.now() - hit.renderedAt < publicPageCacheMs) {
		return respond(event.request, hit, compressResponses);
	}
	const flight = `${generation} ${key}`;
	let pending = rendering.get(flight);
	const leading = !pending;
	if (!pending) {
		pending = render(event, resolve).finally(() => rendering.delete(flight));
		rendering.set(flight, pending);
	}
	const result = await pending;
	if (result instanceof Response) {
		// Not kept (an error, a redirect): every waiting request renders its own.
		const response = leading ? result : await resolve(event);
		return compressResponses ? compressResponse(event.request, response) : response;
	}
	if (leading) {
		renders.delete(key);
		renders.set(key, result);
		if (renders.size > MAX_ENTRIES) renders.delete(renders.keys().next().value!);
	}
	return respond(event.request, result, compressResponses);
};
