import type { Kysely } from 'kysely';
import { toDate, type AlertFrequency, type AlertItemKind, type Database } from '../db/schema';
import * as outbox from '../mail/outbox';
import { toLocale, type AlertDigestItem } from '../mail/templates';
import { loadMatchOffers, matchPersonFromProfile } from '../matching/problem';
import { loadMatchTasks } from '../tasks/match';
import { formatDateTime } from '../../format';
import { localePrefix, type LinkContext } from '../registrations/links';
import * as competences from '../competences';
import * as tags from '../tags';
import { score, type MatchOffer, type Reason } from '../../matching/scoring';
import { reasonText } from '../../match-format';
import { parseProfile } from '../../participant-profile';
import { unsubscribeUrl } from './subscriptions';

/** How long a subscription waits after a digest before the next one. */
export const PERIOD_MS: Record<AlertFrequency, number> = { weekly: 7 * 24 * 3600_000, daily: 24 * 3600_000 };
/** A digest names the best few; the rest follow in the next one. */
export const DIGEST_MAX_ITEMS = 10;

export interface RunResult {
	digests: number;
	items: number;
}

/** An offer fits when nothing rules it out and it shares an interest or a wanted competence. */
export function fits(reasons: Reason[], excluded: boolean): boolean {
	return !excluded && reasons.some((r) => r.code === 'interests' || r.code === 'competences');
}

/**
 * Sends each due subscription one digest of the offers published since it was confirmed that fit
 * the person and they were not told about before. Safe in several workers at once: the
 * subscription's last_sent_at is claimed conditionally and alert_sent's primary key admits each
 * (person, item) once, both in the transaction that enqueues the mail.
 */
export async function runDue(db: Kysely<Database>, ctx: LinkContext, now: Date): Promise<RunResult> {
	const dayAgo = new Date(now.getTime() - PERIOD_MS.daily).toISOString();
	const weekAgo = new Date(now.getTime() - PERIOD_MS.weekly).toISOString();
	const due = await db
		.selectFrom('alert_subscription')
		.innerJoin('person', 'person.id', 'alert_subscription.person_id')
		.innerJoin('municipality', 'municipality.id', 'alert_subscription.municipality_id')
		.select([
			'alert_subscription.id',
			'alert_subscription.person_id',
			'alert_subscription.municipality_id',
			'alert_subscription.frequency',
			'alert_subscription.locale',
			'alert_subscription.confirmed_at',
			'alert_subscription.last_sent_at',
			'person.name',
			'person.email',
			'person.profile',
			'municipality.name as municipality'
		])
		.where('alert_subscription.confirmed_at', 'is not', null)
		.where('person.anonymised_at', 'is', null)
		.where((eb) =>
			eb.or([
				eb('alert_subscription.last_sent_at', 'is', null),
				eb.and([eb('alert_subscription.frequency', '=', 'daily'), eb('alert_subscription.last_sent_at', '<=', dayAgo)]),
				eb('alert_subscription.last_sent_at', '<=', weekAgo)
			])
		)
		.orderBy('alert_subscription.id')
		.execute();
	const result: RunResult = { digests: 0, items: 0 };
	// In batches, so the lists of ids in the queries below stay within both databases' limits.
	for (let start = 0; start < due.length; start += BATCH) {
		const done = await sendBatch(db, ctx, due.slice(start, start + BATCH), now);
		result.digests += done.digests;
		result.items += done.items;
	}
	return result;
}

const BATCH = 500;

type DueSubscription = {
	id: string;
	person_id: string;
	municipality_id: string;
	frequency: AlertFrequency;
	locale: string;
	confirmed_at: Date | string | null;
	last_sent_at: Date | string | null;
	name: string;
	email: string;
	profile: string;
	municipality: string;
};

async function sendBatch(db: Kysely<Database>, ctx: LinkContext, due: DueSubscription[], now: Date): Promise<RunResult> {
	const result: RunResult = { digests: 0, items: 0 };
	const municipalityIds = [...new Set(due.map((s) => s.municipality_id))];
	const earliest = due.map((s) => toDate(s.confirmed_at!).toISOString()).sort()[0]!;
	const offers: NewItem[] = [...(await newOffers(db, municipalityIds, earliest)), ...(await newTasks(db, municipalityIds, earliest, now))];
	if (offers.length === 0) return result;
	const alreadySent = new Set<string>();
	for (const kind of ['offer', 'task'] as const) {
		const ids = offers.filter((o) => o.kind === kind).map((o) => o.match.id);
		if (ids.length === 0) continue;
		const sent = await db
			.selectFrom('alert_sent')
			.select(['person_id', 'item_id'])
			.where('item_kind', '=', kind)
			.where('person_id', 'in', due.map((s) => s.person_id))
			.where('item_id', 'in', ids)
			.execute();
		for (const row of sent) alreadySent.add(`${row.person_id}:${kind}:${row.item_id}`);
	}
	const labels = new Map<string, { tag: (slug: string) => string; competence: (slug: string) => string }>();

	for (const subscription of due) {
		const since = toDate(subscription.confirmed_at!);
		const person = matchPersonFromProfile(subscription.person_id, parseProfile(subscription.profile));
		const ranked = offers
			.filter((o) => o.municipalityId === subscription.municipality_id && o.publishedAt > since && !alreadySent.has(`${subscription.person_id}:${o.kind}:${o.match.id}`))
			.map((o) => ({ offer: o, fit: score(person, { id: o.clubId, municipality: o.municipality, tags: [], offers: [o.match] }) }))
			.filter(({ fit }) => fits(fit.reasons, fit.excluded !== undefined))
			.sort((a, b) => b.fit.value - a.fit.value || a.offer.match.title.localeCompare(b.offer.match.title, 'de'))
			.slice(0, DIGEST_MAX_ITEMS);
		if (ranked.length === 0) continue;

		const locale = toLocale(subscription.locale);
		const key = `${locale}:${subscription.municipality_id}`;
		if (!labels.has(key)) {
			const tagLabels = new Map((await tags.list(db, locale)).map((t) => [t.slug, t.label]));
			const competenceLabels = new Map((await competences.choices(db, [subscription.municipality_id], locale)).map((c) => [c.slug, c.label]));
			labels.set(key, { tag: (slug) => tagLabels.get(slug) ?? slug, competence: (slug) => competenceLabels.get(slug) ?? slug });
		}
		const label = labels.get(key)!;
		const items: (AlertDigestItem & { id: string; kind: AlertItemKind })[] = ranked.map(({ offer, fit }) => ({
			id: offer.match.id,
			kind: offer.kind,
			title: offer.match.title,
			club: offer.club,
			url: `${ctx.origin}${localePrefix(locale)}${offer.path}`,
			reasons: fit.reasons.slice(0, 3).map((r) => reasonText(r, locale, label.tag, 'person', label.competence)),
			...(offer.nextShiftAt ? { nextShift: formatDateTime(offer.nextShiftAt, locale, offer.timeZone) } : {})
		}));

		const count = await db.transaction().execute(async (trx) => {
			const claimed = await trx
				.updateTable('alert_subscription')
				.set({ last_sent_at: now.toISOString() })
				.where('id', '=', subscription.id)
				.where('confirmed_at', 'is not', null)
				.where((eb) => (subscription.last_sent_at === null ? eb('last_sent_at', 'is', null) : eb('last_sent_at', '=', toDate(subscription.last_sent_at).toISOString())))
				.executeTakeFirst();
			// Another worker built this digest meanwhile, or the person unsubscribed.
			if (Number(claimed.numUpdatedRows) !== 1) return 0;
			const inserted = await trx
				.insertInto('alert_sent')
				.values(items.map((item) => ({ person_id: subscription.person_id, item_kind: item.kind, item_id: item.id, sent_at: now.toISOString() })))
				.onConflict((oc) => oc.columns(['person_id', 'item_kind', 'item_id']).doNothing())
				.returning(['item_kind', 'item_id'])
				.execute();
			const fresh = new Set(inserted.map((r) => `${r.item_kind}:${r.item_id}`));
			const toSend = items.filter((item) => fresh.has(`${item.kind}:${item.id}`));
			if (toSend.length === 0) {
				// Nothing new after all: the next offer need not wait a whole period.
				await trx.updateTable('alert_subscription').set({ last_sent_at: subscription.last_sent_at === null ? null : toDate(subscription.last_sent_at).toISOString() }).where('id', '=', subscription.id).execute();
				return 0;
			}
			const unsubscribe = unsubscribeUrl(ctx, subscription.id, locale);
			await outbox.enqueue(
				trx,
				{
					idempotencyKey: `alert-digest:${subscription.id}:${now.toISOString()}`,
					recipient: subscription.email,
					locale,
					template: 'alert-digest',
					payload: { name: subscription.name, municipality: subscription.municipality, frequency: subscription.frequency, items: toSend.map(({ id: _id, kind: _kind, ...item }) => item), unsubscribeUrl: unsubscribe },
					headers: { fromName: 'Miteinander', listUnsubscribe: unsubscribe },
					municipalityId: subscription.municipality_id
				},
				now
			);
			return toSend.length;
		});
		if (count > 0) {
			result.digests++;
			result.items += count;
		}
	}
	return result;
}

interface NewItem {
	kind: AlertItemKind;
	clubId: string;
	club: string;
	municipalityId: string;
	municipality: string;
	path: string;
	/** When it first became public: its first publication, or its club's approval if that came later. */
	publishedAt: Date;
	match: MatchOffer;
	/** An Einsatz's soonest open shift still to come, and the zone to write it out in. */
	nextShiftAt?: Date;
	timeZone?: string;
}

/** Published offers of approved clubs in these municipalities, public for the first time after `since`. */
async function newOffers(db: Kysely<Database>, municipalityIds: string[], since: string): Promise<NewItem[]> {
	const rows = await db
		.selectFrom('offer')
		.innerJoin('club', 'club.id', 'offer.club_id')
		.innerJoin('municipality', 'municipality.id', 'club.municipality_id')
		.select(['offer.id', 'offer.published_at', 'club.approved_at', 'club.name as club', 'club.slug as club_slug', 'municipality.id as municipality_id', 'municipality.name as municipality', 'municipality.slug as municipality_slug'])
		.where('offer.status', '=', 'published')
		.where('club.status', '=', 'approved')
		.where('club.municipality_id', 'in', municipalityIds)
		// A club approved after publishing: its offers become public, and news, with the approval.
		.where((eb) => eb.or([eb('offer.published_at', '>', since), eb.and([eb('offer.published_at', 'is not', null), eb('club.approved_at', '>', since)])]))
		.execute();
	if (rows.length === 0) return [];
	const byId = new Map(rows.map((r) => [r.id, r]));
	const matches = await loadMatchOffers(db, (qb) => qb.where('offer.id', 'in', [...byId.keys()]));
	return matches.map(({ clubId, match }) => {
		const row = byId.get(match.id)!;
		return {
			kind: 'offer' as const,
			clubId,
			club: row.club,
			municipalityId: row.municipality_id,
			municipality: row.municipality,
			path: `/clubs/${row.municipality_slug}/${row.club_slug}`,
			publishedAt: new Date(Math.max(toDate(row.published_at!).getTime(), row.approved_at ? toDate(row.approved_at).getTime() : 0)),
			match
		};
	});
}

/**
 * Published Einsätze in these municipalities, public for the first time after `since`, that still
 * have an open shift to come; an Einsatz of a municipality itself names the municipality as its club.
 */
async function newTasks(db: Kysely<Database>, municipalityIds: string[], since: string, now: Date): Promise<NewItem[]> {
	const tasks = await loadMatchTasks(db, { now, municipalityIds, publishedAfter: since });
	return tasks.flatMap((t) =>
		t.publishedAt
			? [
					{
						kind: 'task' as const,
						clubId: t.clubId ?? `municipality:${t.municipalityId}`,
						club: t.club ?? t.municipality,
						municipalityId: t.municipalityId,
						municipality: t.municipality,
						path: `/einsaetze/${t.id}`,
						publishedAt: t.publishedAt,
						match: t.match,
						nextShiftAt: t.nextShiftAt,
						timeZone: t.nextShiftTimeZone
					}
				]
			: []
	);
}
