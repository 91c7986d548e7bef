import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { matchesIfNoneMatch } from '$lib/server/calendar/feeds';
import * as clubs from '$lib/server/clubs';
import * as runtime from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** A year: the URL carries the logo's hash (`?v=`), so a new logo has a new URL. */
const MAX_AGE_SECONDS = 365 * 86_400;

export const GET: RequestHandler = async ({ params, locals, request }) => {
	const db = runtime.db();
	// An approved club's logo is public and may sit in shared caches; a pending club's only for its
	// members and reviewers (getLogo checks), so that answer stays private.
	const publicLogo = await clubs.getLogo(db, null, params.id);
	const logo = publicLogo ?? (locals.user ? await clubs.getLogo(db, locals.user, params.id) : null);
	if (!logo) error(404, m.error_404());
	const headers = {
		etag: `"${logo.sha256}"`,
		'cache-control': `${publicLogo ? 'public' : 'private'}, max-age=${MAX_AGE_SECONDS}, immutable`,
		'x-content-type-options': 'nosniff',
		// Uploaded content: should it ever be opened as a document, nothing in it may run.
		'content-security-policy': "default-src 'none'; sandbox"
	};
	if (matchesIfNoneMatch(request.headers.get('if-none-match'), headers.etag)) return new Response(null, { status: 304, headers });
	return new Response(new Uint8Array(logo.bytes), { headers: { ...headers, 'content-type': logo.contentType, 'content-length': String(logo.bytes.byteLength) } });
};
