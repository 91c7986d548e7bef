import { toDate, type Db } from '../db/schema';
import { venueLine } from '../events';
import { sha256Hex } from '../ids';
import { calendar, type CalendarEvent } from './index';

/** Which feed a URL asks for: the whole region, one municipality (with co-hosted events) or one series. */
export type FeedRef = { kind: 'region' } | { kind: 'municipality'; slug: string } | { kind: 'series'; id: string };

export interface Feed {
	ref: FeedRef;
	name: string;
	municipalityId: string | null;
	seriesId: string | null;
}

/** Past dates stay in a feed this long, so a calendar does not drop what just happened. */
const WINDOW_DAYS = 90;
/** The hint to calendar clients (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
const REFRESH_SECONDS = 60 * 60;
/** How long browsers and proxies may reuse a feed without asking; clients revalidate with the ETag. */
export const MAX_AGE_SECONDS = 5 * 60;
/** Part of every ETag: raise it when the document's shape changes, so subscribers fetch it again. */
const FORMAT_VERSION = 1;

export function path(ref: FeedRef): string {
	switch (ref.kind) {
		case 'region':
			return '/calendar/region.ics';
		case 'municipality':
			return `/calendar/municipalities/${encodeURIComponent(ref.slug)}.ics`;
		case 'series':
			return `/calendar/series/${encodeURIComponent(ref.id)}.ics`;
	}
}

/** The feed's address for copying (http/https) and for one-click subscription (same URL, `webcal:`). */
export function links(origin: string, ref: FeedRef): { https: string; webcal: string } {
	const https = `${origin}${path(ref)}`;
	return { https, webcal: https.replace(/^https?:/, 'webcal:') };
}

/** Start of the UTC day 90 days ago: fixed for a whole day, so it can be part of the ETag. */
export function windowStart(now: Date): Date {
	const start = new Date(now.getTime() - WINDOW_DAYS * 24 * 3600_000);
	start.setUTCHours(0, 0, 0, 0);
	return start;
}

/** The feed behind a reference, or null if there is none (unknown slug, unknown or unpublished series). */
export async function find(db: Db, ref: FeedRef, regionName: string): Promise<Feed | null> {
	if (ref.kind === 'region') return { ref, name: `Miteinander – ${regionName}`, municipalityId: null, seriesId: null };
	if (ref.kind === 'municipality') {
		const row = await db.selectFrom('municipality').select(['id', 'name']).where('slug', '=', ref.slug).executeTakeFirst();
		return row ? { ref, name: `Miteinander – ${row.name}`, municipalityId: row.id, seriesId: null } : null;
	}
	// A series whose dates are all drafts does not exist for the public (its title would leak).
	const row = await db
		.selectFrom('series')
		.select(['series.id', 'series.title'])
		.where('series.id', '=', ref.id)
		.where((eb) =>
			eb.exists(
				eb
					.selectFrom('event')
					.select('event.id')
					.whereRef('event.series_id', '=', 'series.id')
					.where('event.status', 'in', ['published', 'cancelled'])
			)
		)
		.executeTakeFirst();
	return row ? { ref, name: row.title, municipalityId: null, seriesId: row.id } : null;
}

function feedEvents(db: Db, feed: Feed, now: Date) {
	let query = db
		.selectFrom('event')
		.where('event.status', 'in', ['published', 'cancelled'])
		.where('event.ends_at', '>=', windowStart(now).toISOString());
	if (feed.seriesId) query = query.where('event.series_id', '=', feed.seriesId);
	if (feed.municipalityId) {
		const municipalityId = feed.municipalityId;
		query = query.where((eb) =>
			eb.exists(
				eb
					.selectFrom('event_host')
					.select('event_host.event_id')
					.whereRef('event_host.event_id', '=', 'event.id')
					.where('event_host.municipality_id', '=', municipalityId)
			)
		);
	}
	return query;
}

/**
 * A weak ETag from two small queries, without building the document. Every change a coordinator
 * makes to a date sets its updated_at, a move or cancellation also raises its SEQUENCE, and the
 * count catches dates that enter or leave (published, unpublished, out of the window). A venue's
 * name and address are in every LOCATION but not in the event row: they are part of the tag
 * themselves, so editing a venue changes the feed for subscribers.
 */
export async function version(db: Db, feed: Feed, origin: string, now: Date): Promise<string> {
	const row = await feedEvents(db, feed, now)
		.select((eb) => [
			eb.fn.countAll<number | string>().as('count'),
			eb.fn.max<Date | string | null>('event.updated_at').as('changed'),
			eb.fn.sum<number | string | null>('event.ical_sequence').as('sequences')
		])
		.executeTakeFirstOrThrow();
	const fingerprint = [
		FORMAT_VERSION,
		origin,
		path(feed.ref),
		feed.name,
		windowStart(now).toISOString(),
		Number(row.count),
		row.changed === null ? '' : toDate(row.changed).toISOString(),
		Number(row.sequences ?? 0),
		await venueFingerprint(db, feed, now)
	];
	return `W/"${sha256Hex(JSON.stringify(fingerprint)).slice(0, 32)}"`;
}

/** What the feed shows of its venues (LOCATION), one entry per venue in use. */
async function venueFingerprint(db: Db, feed: Feed, now: Date): Promise<string[][]> {
	const rows = await db
		.selectFrom('venue')
		.select(['venue.id', 'venue.name', 'venue.street', 'venue.postal_code', 'venue.city'])
		.where('venue.id', 'in', feedEvents(db, feed, now).select('event.venue_id').where('event.venue_id', 'is not', null))
		.orderBy('venue.id')
		.execute();
	return rows.map((v) => [v.id, v.name, v.street, v.postal_code, v.city]);
}

/** The feed as METHOD:PUBLISH: published and cancelled dates, UIDs and SEQUENCEs as in the invites. */
export async function render(db: Db, feed: Feed, origin: string, now: Date): Promise<string> {
	const rows = await feedEvents(db, feed, now)
		.leftJoin('venue', 'venue.id', 'event.venue_id')
		.leftJoin('task', 'task.id', 'event.task_id')
		.select([
			'task.place as task_place',
			'event.id',
			'event.title',
			'event.description',
			'event.starts_at',
			'event.ends_at',
			'event.time_zone',
			'event.status',
			'event.ical_uid',
			'event.ical_sequence',
			'event.updated_at',
			'event.task_id',
			'venue.id as venue_id',
			'venue.name as venue_name',
			'venue.street as venue_street',
			'venue.postal_code as venue_postal_code',
			'venue.city as venue_city'
		])
		.orderBy('event.starts_at')
		.orderBy('event.id')
		.execute();
	const entries: CalendarEvent[] = rows.map((r) => ({
		uid: r.ical_uid,
		sequence: r.ical_sequence,
		title: r.title,
		description: r.description,
		startsAt: toDate(r.starts_at),
		endsAt: toDate(r.ends_at),
		timeZone: r.time_zone,
		location: venueLine(
			r.venue_id
				? {
						id: r.venue_id,
						name: r.venue_name ?? '',
						street: r.venue_street ?? '',
						postalCode: r.venue_postal_code ?? '',
						city: r.venue_city ?? '',
						accessibilityNotes: ''
					}
				: null,
			r.task_place ?? ''
		),
		url: r.task_id ? `${origin}/einsaetze/${r.task_id}` : `${origin}/events/${r.id}`,
		cancelled: r.status === 'cancelled',
		stamp: toDate(r.updated_at)
	}));
	return calendar(entries, { method: 'PUBLISH', name: feed.name, refreshSeconds: REFRESH_SECONDS });
}

/** If-None-Match uses the weak comparison (RFC 9110 13.1.2): `W/"x"` and `"x"` match; `*` matches any. */
export function matchesIfNoneMatch(header: string | null, etag: string): boolean {
	if (!header) return false;
	if (header.trim() === '*') return true;
	const opaque = (tag: string) => tag.replace(/^W\//, '');
	const wanted = opaque(etag);
	return (header.match(/(?:W\/)?"[^"]*"/g) ?? []).some((tag) => opaque(tag) === wanted);
}

/**
 * The HTTP answer for a feed, or null if it does not exist. The ETag comes first, from one cheap
 * query: a client that has the current version gets 304 and nothing is built. It is computed before
 * the body on purpose: a change in between makes the body newer than its ETag (fetched again next
 * time), never older.
 */
export async function serve(
	db: Db,
	ref: FeedRef,
	options: { origin: string; regionName: string; ifNoneMatch: string | null; now: Date }
): Promise<Response | null> {
	const feed = await find(db, ref, options.regionName);
	if (!feed) return null;
	const etag = await version(db, feed, options.origin, options.now);
	const headers = { etag, 'cache-control': `public, max-age=${MAX_AGE_SECONDS}` };
	if (matchesIfNoneMatch(options.ifNoneMatch, etag)) return new Response(null, { status: 304, headers });
	const body = await render(db, feed, options.origin, options.now);
	return new Response(body, { headers: { ...headers, 'content-type': 'text/calendar; charset=utf-8' } });
}
