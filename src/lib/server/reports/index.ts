import { DateTime } from 'luxon';
import { toDate, type Db } from '../db/schema';
import type { Viewer } from '../auth/users';
import type { Denied } from '../clubs/access';
import * as events from '../events';
import { parseProfile } from '../../participant-profile';
import { FUNNEL_STEPS, RESIDENCY_KEYS, type FunnelStep, type ResidencyKey } from '../../report-format';
import { hiddenParts, hide, rate, suppress, type Figure } from './suppress';

export { HIDDEN, SUPPRESSED, THRESHOLD, type Figure } from './suppress';

// Outcomes for coordinators and councils: the funnel of an event or series, the report per
// municipality and period, and the engagement landscape. Everything is read-only and counted from
// rows that outlive erasure (registrations, plan figures, feedback and leads without person_id), so
// deleting a person keeps the aggregates; only their residency becomes "unknown".
//
// Counts of people from 1 to 4 leave this module as SUPPRESSED (and counts that would reveal one as
// HIDDEN), so no page, CSV or chart can show them. Counts are per event: someone at two events of a series counts twice (participations).

export { FUNNEL_STEPS, RESIDENCY_KEYS, type FunnelStep, type ResidencyKey };

/** Offers edited within this many days after an event count as "changed afterwards". */
export const CHANGE_WINDOW_DAYS = 90;

interface Raw {
	registered: number;
	residency: Record<ResidencyKey, number>;
	attended: number;
	matched: number;
	talked: number;
	lead: number;
	joined: number;
	clubs: Set<string>;
	offersChanged: Set<string>;
}

const emptyRaw = (): Raw => ({
	registered: 0,
	residency: Object.fromEntries(RESIDENCY_KEYS.map((k) => [k, 0])) as Record<ResidencyKey, number>,
	attended: 0,
	matched: 0,
	talked: 0,
	lead: 0,
	joined: 0,
	clubs: new Set(),
	offersChanged: new Set()
});

function parseIds(json: string): string[] {
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
	} catch {
		return [];
	}
}

function coverageOf(figures: string): number {
	try {
		const value = JSON.parse(figures) as { coverage?: unknown };
		return Array.isArray(value.coverage) && typeof value.coverage[0] === 'number' ? value.coverage[0] : 0;
	} catch {
		return 0;
	}
}

/** The raw counts of each event. */
async function countEvents(db: Db, list: { id: string; endsAt: Date }[]): Promise<Map<string, Raw>> {
	const result = new Map(list.map((e) => [e.id, emptyRaw()]));
	if (list.length === 0) return result;
	const ids = list.map((e) => e.id);
	const at = (id: string) => result.get(id)!;

	// Registered: everyone who held a seat at some point — confirmed, attended, absent, and those who
	// cancelled after confirming (confirmed_at stays). This keeps the figure stable when erasure
	// cancels a registration, and "registered → attended" then shows the real drop-out.
	const registrations = await db
		.selectFrom('registration')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.select(['registration.event_id', 'registration.status', 'registration.confirmed_at', 'registration.checked_in_at', 'person.profile', 'person.anonymised_at'])
		.where('registration.event_id', 'in', ids)
		.where((eb) => eb.or([eb('registration.confirmed_at', 'is not', null), eb('registration.status', 'in', ['confirmed', 'attended', 'no_show'])]))
		.execute();
	for (const r of registrations) {
		const raw = at(r.event_id);
		raw.registered++;
		const residency = r.anonymised_at !== null ? 'unknown' : parseProfile(r.profile).residency;
		raw.residency[(RESIDENCY_KEYS as readonly string[]).includes(residency) ? (residency as ResidencyKey) : 'unknown']++;
		if (r.status === 'attended' || r.checked_in_at !== null) raw.attended++;
	}

	// Matched: erasure deletes a person's slots, so the plan's figures (people with at least one
	// conversation when it was made) are the lasting count; the slots are the fallback.
	const plans = await db.selectFrom('match_plan').select(['id', 'event_id', 'figures']).where('event_id', 'in', ids).where('status', '=', 'published').execute();
	if (plans.length > 0) {
		const slots = await db.selectFrom('match_slot').select(['plan_id', 'person_id', 'club_id']).where('plan_id', 'in', plans.map((p) => p.id)).execute();
		for (const plan of plans) {
			const own = slots.filter((s) => s.plan_id === plan.id);
			const raw = at(plan.event_id);
			raw.matched = Math.max(coverageOf(plan.figures), new Set(own.map((s) => s.person_id)).size);
			for (const s of own) raw.clubs.add(s.club_id);
		}
	}

	// Feedback rows stay after erasure (person_id NULL), one per person and event.
	const feedback = await db
		.selectFrom('feedback')
		.select(['event_id', 'talked_to'])
		.where('event_id', 'in', ids)
		.where('respondent', '=', 'person')
		.where('answered_at', 'is not', null)
		.execute();
	for (const f of feedback) if (parseIds(f.talked_to).length > 0) at(f.event_id).talked++;

	// People with a lead. An erased person's leads have no person_id any more; the leads of one
	// person come from one feedback answer and share its created_at, so each (event, created_at)
	// among them counts as one person — an approximation only for erased people.
	const leads = await db.selectFrom('lead').select(['event_id', 'person_id', 'status', 'created_at']).where('event_id', 'in', ids).execute();
	const byEvent = new Map<string, { all: Set<string>; joined: Set<string> }>();
	for (const l of leads) {
		// Leads from an offer's contact form have no event and belong to no event's funnel.
		if (l.event_id === null) continue;
		const key = l.person_id ?? `erased:${toDate(l.created_at).toISOString()}`;
		const sets = byEvent.get(l.event_id) ?? { all: new Set(), joined: new Set() };
		sets.all.add(key);
		if (l.status === 'joined') sets.joined.add(key);
		byEvent.set(l.event_id, sets);
	}
	for (const [eventId, sets] of byEvent) {
		at(eventId).lead = sets.all.size;
		at(eventId).joined = sets.joined.size;
	}

	// Clubs involved: an approved stall or a place in the published plan.
	const stalls = await db.selectFrom('stall_request').select(['event_id', 'club_id']).where('event_id', 'in', ids).where('status', '=', 'approved').execute();
	for (const s of stalls) at(s.event_id).clubs.add(s.club_id);

	// Offers changed afterwards: offers of the event's clubs edited within CHANGE_WINDOW_DAYS after it
	// (drafts are not offers yet).
	const clubIds = [...new Set([...result.values()].flatMap((r) => [...r.clubs]))];
	if (clubIds.length > 0) {
		const offers = await db.selectFrom('offer').select(['id', 'club_id', 'updated_at']).where('club_id', 'in', clubIds).where('status', '!=', 'draft').execute();
		for (const event of list) {
			const raw = at(event.id);
			const end = event.endsAt.getTime() + CHANGE_WINDOW_DAYS * 86_400_000;
			for (const o of offers) {
				const updated = toDate(o.updated_at).getTime();
				if (raw.clubs.has(o.club_id) && updated > event.endsAt.getTime() && updated <= end) raw.offersChanged.add(o.id);
			}
		}
	}
	return result;
}

export type Funnel = Record<FunnelStep, Figure>;

function funnelOf(raw: Raw): Funnel {
	return {
		registered: suppress(raw.registered),
		attended: suppress(raw.attended),
		matched: suppress(raw.matched),
		talked: suppress(raw.talked),
		lead: suppress(raw.lead),
		joined: suppress(raw.joined)
	};
}

function sum(raws: Raw[]): Raw {
	const total = emptyRaw();
	for (const r of raws) {
		total.registered += r.registered;
		for (const k of RESIDENCY_KEYS) total.residency[k] += r.residency[k];
		total.attended += r.attended;
		total.matched += r.matched;
		total.talked += r.talked;
		total.lead += r.lead;
		total.joined += r.joined;
		for (const c of r.clubs) total.clubs.add(c);
		for (const o of r.offersChanged) total.offersChanged.add(o);
	}
	return total;
}

export type FunnelResult = { ok: true; title: string; events: number; steps: Funnel } | Denied;

/**
 * The funnel registered → attended → matched → talked → lead → joined of one event, or of a series
 * over its events that have ended by `now` (an upcoming date would only add registrations).
 */
export async function funnel(db: Db, viewer: Viewer, ref: { eventId: string } | { seriesId: string }, now: Date): Promise<FunnelResult> {
	if ('eventId' in ref) {
		const event = await events.get(db, ref.eventId);
		if (!event) return { ok: false, problem: 'not_found' };
		if (!events.canManage(viewer, event)) return { ok: false, problem: 'forbidden' };
		const raw = (await countEvents(db, [event])).get(event.id)!;
		return { ok: true, title: event.title, events: 1, steps: funnelOf(raw) };
	}
	const series = await db.selectFrom('series').select(['id', 'title']).where('id', '=', ref.seriesId).executeTakeFirst();
	if (!series) return { ok: false, problem: 'not_found' };
	const hosts = await db.selectFrom('series_host').select('municipality_id').where('series_id', '=', series.id).execute();
	if (!viewer.isPlatformAdmin && !hosts.some((h) => viewer.municipalityIds.includes(h.municipality_id))) return { ok: false, problem: 'forbidden' };
	const rows = await db
		.selectFrom('event')
		.select(['id', 'ends_at'])
		.where('series_id', '=', series.id)
		.where('status', '=', 'published')
		.where('ends_at', '<=', now.toISOString())
		.execute();
	const list = rows.map((r) => ({ id: r.id, endsAt: toDate(r.ends_at) }));
	const raws = await countEvents(db, list);
	return { ok: true, title: series.title, events: list.length, steps: funnelOf(sum([...raws.values()])) };
}

export interface Figures {
	registered: Figure;
	residency: Record<ResidencyKey, Figure>;
	attended: Figure;
	/** Per cent of registered who attended; null when either count is suppressed or nobody registered. */
	attendanceRate: number | null;
	matched: Figure;
	talked: Figure;
	leads: Figure;
	joined: Figure;
	/** Clubs and offers are not people: never suppressed. */
	clubs: number;
	offersChanged: number;
}

export interface EventReport extends Figures {
	id: string;
	title: string;
	startsAt: Date;
	endsAt: Date;
	timeZone: string;
	series: string | null;
}

export interface Report {
	municipality: { id: string; name: string; timeZone: string };
	series: { id: string; title: string } | null;
	from: string;
	to: string;
	events: EventReport[];
	totals: Figures;
	/** The funnel of each series with events in the period. */
	funnels: { id: string; title: string; steps: Funnel }[];
	/**
	 * Leads from offers' contact forms ("Ich möchte mitmachen", no event) to the municipality's clubs
	 * in the period, and how many of them joined; null when the report is about one series.
	 */
	offerLeads: { leads: Figure; joined: Figure } | null;
}

export interface ReportFilter {
	municipalityId: string;
	seriesId?: string | null;
	/** Calendar days (YYYY-MM-DD) in the municipality's time zone, both included. */
	from: string;
	to: string;
}

/** Which municipalities the viewer reports on: platform admins all, coordinators their own. */
export async function scope(db: Db, viewer: Viewer) {
	let query = db.selectFrom('municipality').select(['id', 'name', 'time_zone']);
	if (!viewer.isPlatformAdmin) {
		if (viewer.municipalityIds.length === 0) return [];
		query = query.where('id', 'in', viewer.municipalityIds);
	}
	return (await query.orderBy('name').execute()).map((r) => ({ id: r.id, name: r.name, timeZone: r.time_zone }));
}

/** The series one of these municipalities hosts, for the filter. */
export async function seriesOf(db: Db, municipalityIds: string[]) {
	if (municipalityIds.length === 0) return [];
	return db
		.selectFrom('series')
		.innerJoin('series_host', 'series_host.series_id', 'series.id')
		.select(['series.id', 'series.title'])
		.where('series_host.municipality_id', 'in', municipalityIds)
		.distinct()
		.orderBy('series.title')
		.execute();
}

function canSee(viewer: Viewer, municipalityId: string) {
	return viewer.isPlatformAdmin || viewer.municipalityIds.includes(municipalityId);
}

/** Start and end (exclusive) of a period of calendar days in a time zone. */
function bounds(from: string, to: string, timeZone: string): { start: Date; end: Date } {
	const start = DateTime.fromISO(from, { zone: timeZone }).startOf('day');
	const end = DateTime.fromISO(to, { zone: timeZone }).plus({ days: 1 }).startOf('day');
	return { start: start.toJSDate(), end: end.toJSDate() };
}

function figuresOf(raw: Raw, hidden: Partial<Record<'registered' | 'attended' | 'matched' | 'talked' | 'lead' | 'joined', boolean>> = {}): Figures {
	const show = (key: keyof typeof hidden, n: number) => (hidden[key] ? hide(n) : suppress(n));
	const parts = RESIDENCY_KEYS.map((k) => raw.residency[k]);
	const residencyHidden = hiddenParts(parts, raw.registered);
	return {
		registered: show('registered', raw.registered),
		residency: Object.fromEntries(RESIDENCY_KEYS.map((k, i) => [k, residencyHidden[i] ? hide(raw.residency[k]) : raw.residency[k]])) as Record<ResidencyKey, Figure>,
		attended: show('attended', raw.attended),
		attendanceRate: hidden.attended || hidden.registered ? null : rate(raw.attended, raw.registered),
		matched: show('matched', raw.matched),
		talked: show('talked', raw.talked),
		leads: show('lead', raw.lead),
		joined: show('joined', raw.joined),
		clubs: raw.clubs.size,
		offersChanged: raw.offersChanged.size
	};
}

export type ReportResult = ({ ok: true } & Report) | Denied;

/**
 * Figures per event of a municipality (optionally one series) in a period, with totals. Only events
 * that have ended by `now` count: attendance and outcomes of an upcoming date are not known yet.
 */
export async function report(db: Db, viewer: Viewer, filter: ReportFilter, now: Date): Promise<ReportResult> {
	const municipality = await db.selectFrom('municipality').select(['id', 'name', 'time_zone']).where('id', '=', filter.municipalityId).executeTakeFirst();
	if (!municipality) return { ok: false, problem: 'not_found' };
	if (!canSee(viewer, municipality.id)) return { ok: false, problem: 'forbidden' };
	let series: Report['series'] = null;
	if (filter.seriesId) {
		const row = await db.selectFrom('series').select(['id', 'title']).where('id', '=', filter.seriesId).executeTakeFirst();
		if (!row) return { ok: false, problem: 'not_found' };
		series = row;
	}
	const { start, end } = bounds(filter.from, filter.to, municipality.time_zone);
	let query = db
		.selectFrom('event')
		.innerJoin('event_host', 'event_host.event_id', 'event.id')
		.leftJoin('series', 'series.id', 'event.series_id')
		.select(['event.id', 'event.title', 'event.starts_at', 'event.ends_at', 'event.time_zone', 'event.series_id', 'series.title as series_title'])
		.where('event_host.municipality_id', '=', municipality.id)
		.where('event.status', '=', 'published')
		.where('event.starts_at', '>=', start.toISOString())
		.where('event.starts_at', '<', end.toISOString())
		.where('event.ends_at', '<=', now.toISOString());
	if (series) query = query.where('event.series_id', '=', series.id);
	const rows = await query.orderBy('event.starts_at').orderBy('event.id').execute();
	const list = rows.map((r) => ({ id: r.id, title: r.title, startsAt: toDate(r.starts_at), endsAt: toDate(r.ends_at), timeZone: r.time_zone, series: r.series_title }));
	const seriesOfEvent = new Map(rows.map((r) => [r.id, r.series_id]));
	const raws = await countEvents(db, list);
	const perEvent = list.map((e) => raws.get(e.id)!);

	// A column's suppressed cell could be recomputed from the total and the other events.
	const columns = ['registered', 'attended', 'matched', 'talked', 'lead', 'joined'] as const;
	const totalRaw = sum(perEvent);
	const masks = Object.fromEntries(columns.map((c) => [c, hiddenParts(perEvent.map((r) => r[c]), totalRaw[c])])) as Record<(typeof columns)[number], boolean[]>;
	const eventReports = list.map((e, i) => ({
		...e,
		...figuresOf(perEvent[i]!, Object.fromEntries(columns.map((c) => [c, masks[c][i]])))
	}));

	// The funnel of each series over its events in the period.
	const funnels: Report['funnels'] = [];
	for (const s of series ? [series] : await seriesOf(db, [municipality.id])) {
		const own = list.filter((e) => seriesOfEvent.get(e.id) === s.id).map((e) => raws.get(e.id)!);
		if (own.length > 0) funnels.push({ id: s.id, title: s.title, steps: funnelOf(sum(own)) });
	}
	let offerLeads: Report['offerLeads'] = null;
	if (!series) {
		const contacts = await db
			.selectFrom('lead')
			.innerJoin('club', 'club.id', 'lead.club_id')
			.select('lead.status')
			.where('lead.source', '=', 'offer')
			.where('club.municipality_id', '=', municipality.id)
			.where('lead.created_at', '>=', start.toISOString())
			.where('lead.created_at', '<', end.toISOString())
			.execute();
		offerLeads = { leads: suppress(contacts.length), joined: suppress(contacts.filter((c) => c.status === 'joined').length) };
	}
	return {
		ok: true,
		municipality: { id: municipality.id, name: municipality.name, timeZone: municipality.time_zone },
		series,
		from: filter.from,
		to: filter.to,
		events: eventReports,
		totals: figuresOf(totalRaw),
		funnels,
		offerLeads
	};
}

export interface LandscapeCell {
	municipalityId: string;
	/** Approved clubs with this area (in their profile or a published offer). */
	clubs: string[];
	offers: number;
	/** People registered in the period with this interest. */
	demand: Figure;
	/** Demand here and no club here. */
	isBlindSpot: boolean;
}

export interface LandscapeRow {
	tag: { slug: string; labelDe: string; labelEn: string };
	cells: LandscapeCell[];
	/** Clubs in two or more of the compared municipalities offer this area. */
	isDuplicate: boolean;
	/** People want it and no club in any compared municipality offers it. */
	isBlindSpotEverywhere: boolean;
}

export interface Landscape {
	municipalities: { id: string; name: string }[];
	from: string;
	to: string;
	rows: LandscapeRow[];
}

/**
 * Engagement areas × municipalities: supply (approved clubs, published offers) beside demand
 * (interests of people registered in the period for events the municipality hosts).
 *
 * "Neighbouring" municipalities are the ones compared: by default all the coordinator manages, which
 * is also how co-hosting works here (a coordinator of a joint Gesprächsrunde coordinates each host).
 * A coordinator never sees demand outside their municipalities, so no wider circle is drawn.
 * Demand counts only people whose data still exists: erasure removes their interests.
 */
export async function landscape(
	db: Db,
	viewer: Viewer,
	options: { municipalityIds: string[]; from: string; to: string }
): Promise<({ ok: true } & Landscape) | Denied> {
	const visible = await scope(db, viewer);
	const wanted = options.municipalityIds.length ? options.municipalityIds : visible.map((m) => m.id);
	if (wanted.some((id) => !canSee(viewer, id))) return { ok: false, problem: 'forbidden' };
	const chosen = visible.filter((m) => wanted.includes(m.id));
	if (chosen.length !== new Set(wanted).size) return { ok: false, problem: 'not_found' };
	const ids = chosen.map((m) => m.id);
	const tags = await db.selectFrom('tag').select(['id', 'slug', 'label_de', 'label_en']).orderBy('label_de').execute();
	if (ids.length === 0) return { ok: true, municipalities: [], from: options.from, to: options.to, rows: [] };

	const clubTags = await db
		.selectFrom('club_tag')
		.innerJoin('club', 'club.id', 'club_tag.club_id')
		.select(['club_tag.tag_id', 'club.id', 'club.name', 'club.municipality_id'])
		.where('club.status', '=', 'approved')
		.where('club.municipality_id', 'in', ids)
		.execute();
	const offerTags = await db
		.selectFrom('offer_tag')
		.innerJoin('offer', 'offer.id', 'offer_tag.offer_id')
		.innerJoin('club', 'club.id', 'offer.club_id')
		.select(['offer_tag.tag_id', 'offer.id as offer_id', 'club.id', 'club.name', 'club.municipality_id'])
		.where('club.status', '=', 'approved')
		.where('offer.status', '=', 'published')
		.where('club.municipality_id', 'in', ids)
		.execute();

	// Demand: distinct people per municipality, each event's period bounds in its host's time zone.
	const demand = new Map<string, Set<string>>();
	for (const m of chosen) {
		const { start, end } = bounds(options.from, options.to, m.timeZone);
		const rows = await db
			.selectFrom('person_tag')
			.innerJoin('registration', 'registration.person_id', 'person_tag.person_id')
			.innerJoin('event', 'event.id', 'registration.event_id')
			.innerJoin('event_host', 'event_host.event_id', 'event.id')
			.select(['person_tag.tag_id', 'person_tag.person_id'])
			.where('event_host.municipality_id', '=', m.id)
			.where('event.status', '=', 'published')
			.where('event.starts_at', '>=', start.toISOString())
			.where('event.starts_at', '<', end.toISOString())
			.where((eb) => eb.or([eb('registration.confirmed_at', 'is not', null), eb('registration.status', 'in', ['confirmed', 'attended', 'no_show'])]))
			.execute();
		for (const r of rows) {
			const key = `${r.tag_id}|${m.id}`;
			const set = demand.get(key) ?? new Set();
			set.add(r.person_id);
			demand.set(key, set);
		}
	}

	const rows: LandscapeRow[] = [];
	for (const tag of tags) {
		const cells = chosen.map((m): LandscapeCell => {
			const clubs = new Map<string, string>();
			for (const c of clubTags) if (c.tag_id === tag.id && c.municipality_id === m.id) clubs.set(c.id, c.name);
			const offers = new Set<string>();
			for (const o of offerTags) {
				if (o.tag_id !== tag.id || o.municipality_id !== m.id) continue;
				clubs.set(o.id, o.name);
				offers.add(o.offer_id);
			}
			const people = demand.get(`${tag.id}|${m.id}`)?.size ?? 0;
			return {
				municipalityId: m.id,
				clubs: [...clubs.values()].sort((a, b) => a.localeCompare(b, 'de')),
				offers: offers.size,
				demand: suppress(people),
				isBlindSpot: people > 0 && clubs.size === 0
			};
		});
		const supplied = cells.filter((c) => c.clubs.length > 0).length;
		if (supplied === 0 && cells.every((c) => c.demand === 0)) continue;
		rows.push({
			tag: { slug: tag.slug, labelDe: tag.label_de, labelEn: tag.label_en },
			cells,
			isDuplicate: supplied >= 2,
			isBlindSpotEverywhere: supplied === 0 && cells.some((c) => c.isBlindSpot)
		});
	}
	return { ok: true, municipalities: chosen.map((m) => ({ id: m.id, name: m.name })), from: options.from, to: options.to, rows };
}
