import type { Kysely } from 'kysely';
import { toDate, toDateOrNull, type Database, type Db, type MatchPlanStatus, type MatchRuleKind } from '../db/schema';
import type { Viewer } from '../auth/users';
import * as audit from '../audit';
import { matchingRunDuration, matchingRunsTotal } from '../http/metrics';
import { authorize, canEdit, type Denied } from '../clubs/access';
import * as events from '../events';
import { generateId } from '../ids';
import * as reminders from '../reminders';
import type { LinkContext } from '../registrations/links';
import type { Reason } from '../../matching/scoring';
import { DEFAULT_SETTINGS, planMarket, planTables, type ComputedSlot, type MatchSettings, type PlanFigures, type Rule } from './plan';
import { loadHosts, loadParticipants } from './problem';
import { notifyChanges, notifyClubs } from './notify';
import { publishedPlan, slotsOf, type StoredSlot } from './published';

export { DEFAULT_SETTINGS, type MatchSettings, type PlanFigures };
export { personPlan, matchesForEvent } from './published';
export { personCalendar } from './notify';

export const LIMITS = { k: { min: 1, max: 10 }, rounds: { min: 1, max: 24 }, roundMinutes: { min: 5, max: 120 }, tableSeats: { min: 2, max: 20 } } as const;

type Managed = { ok: true; event: events.EventDetails } | Denied;

/** Only coordinators of a host municipality (or platform admins) match people for an event. */
export async function managedEvent(db: Db, viewer: Viewer | null, eventId: string): Promise<Managed> {
	const event = await events.get(db, eventId);
	if (!event) return { ok: false, problem: 'not_found' };
	if (!viewer || !events.canManage(viewer, event)) return { ok: false, problem: 'forbidden' };
	return { ok: true, event };
}

/** The event row's write lock for the rest of the transaction: runs and publications go one at a time. */
export async function lockEvent(db: Db, eventId: string): Promise<void> {
	await db.updateTable('event').set((eb) => ({ ical_sequence: eb.ref('ical_sequence') })).where('id', '=', eventId).execute();
}

async function recordForHosts(db: Db, event: events.EventDetails, actorUserId: string, action: string, details: Record<string, unknown>, now: Date) {
	for (const host of event.hosts) {
		await audit.record(db, { actorUserId, action, entityType: 'event', entityId: event.id, municipalityId: host.id, details }, now);
	}
}

export async function getSettings(db: Db, eventId: string): Promise<MatchSettings> {
	const row = await db.selectFrom('match_setting').selectAll().where('event_id', '=', eventId).executeTakeFirst();
	if (!row) return { ...DEFAULT_SETTINGS };
	return { k: row.k, rounds: row.rounds, roundMinutes: row.round_minutes, firstRoundAt: toDateOrNull(row.first_round_at), tableSeats: row.table_seats };
}

export type SettingsProblem = 'out_of_range' | 'outside_event';

/** Saves the settings; rounds must lie within the event's time. */
export async function saveSettings(
	db: Db,
	viewer: Viewer | null,
	eventId: string,
	settings: MatchSettings,
	now: Date
): Promise<{ ok: true } | Denied | { ok: false; problem: SettingsProblem }> {
	const found = await managedEvent(db, viewer, eventId);
	if (!found.ok) return found;
	for (const [key, { min, max }] of Object.entries(LIMITS)) {
		const value = settings[key as keyof typeof LIMITS];
		if (!Number.isInteger(value) || value < min || value > max) return { ok: false, problem: 'out_of_range' };
	}
	const start = settings.firstRoundAt ?? found.event.startsAt;
	const end = new Date(start.getTime() + settings.rounds * settings.roundMinutes * 60_000);
	if (start < found.event.startsAt || end > found.event.endsAt) return { ok: false, problem: 'outside_event' };
	const values = {
		k: settings.k,
		rounds: settings.rounds,
		round_minutes: settings.roundMinutes,
		first_round_at: settings.firstRoundAt?.toISOString() ?? null,
		table_seats: settings.tableSeats,
		updated_at: now.toISOString()
	};
	await db
		.insertInto('match_setting')
		.values({ event_id: eventId, ...values })
		.onConflict((oc) => oc.column('event_id').doUpdateSet(values))
		.execute();
	await recordForHosts(db, found.event, viewer!.id, 'matching.settings', { ...values }, now);
	return { ok: true };
}

export type RuleProblem = 'unknown_person' | 'unknown_club';

/** Pins (must meet) or bans (must not meet) a person and a club; `kind` null removes the rule. */
export async function setRule(
	db: Db,
	viewer: Viewer | null,
	eventId: string,
	personId: string,
	clubId: string,
	kind: MatchRuleKind | null,
	now: Date
): Promise<{ ok: true; person: string; club: string } | Denied | { ok: false; problem: RuleProblem }> {
	const found = await managedEvent(db, viewer, eventId);
	if (!found.ok) return found;
	const names = { person: '', club: '' };
	if (kind) {
		const registered = await db
			.selectFrom('registration')
			.innerJoin('person', 'person.id', 'registration.person_id')
			.select('person.name')
			.where('registration.event_id', '=', eventId)
			.where('registration.person_id', '=', personId)
			.where('registration.status', 'in', ['confirmed', 'attended'])
			.executeTakeFirst();
		if (!registered) return { ok: false, problem: 'unknown_person' };
		const settings = await getSettings(db, eventId);
		const hosts = await loadHosts(db, { id: eventId, kind: found.event.kind, hostIds: found.event.hosts.map((h) => h.id) }, settings.tableSeats);
		const host = hosts.find((h) => h.id === clubId);
		if (!host) return { ok: false, problem: 'unknown_club' };
		names.person = registered.name;
		names.club = host.name;
	}
	if (kind) {
		// An upsert, not delete-then-insert: two coordinators setting the same pair at once both succeed.
		await db
			.insertInto('match_rule')
			.values({ id: generateId(), event_id: eventId, person_id: personId, club_id: clubId, kind, created_by: viewer!.id, created_at: now.toISOString() })
			.onConflict((oc) => oc.columns(['event_id', 'person_id', 'club_id']).doUpdateSet({ kind, created_by: viewer!.id, created_at: now.toISOString() }))
			.execute();
	} else {
		await db.deleteFrom('match_rule').where('event_id', '=', eventId).where('person_id', '=', personId).where('club_id', '=', clubId).execute();
	}
	await recordForHosts(db, found.event, viewer!.id, kind ? `matching.${kind}` : 'matching.rule_removed', { personId, clubId }, now);
	return { ok: true, ...names };
}

async function rulesOf(db: Db, eventId: string): Promise<Rule[]> {
	const rows = await db.selectFrom('match_rule').select(['person_id', 'club_id', 'kind']).where('event_id', '=', eventId).orderBy('created_at').orderBy('id').execute();
	return rows.map((r) => ({ personId: r.person_id, clubId: r.club_id, kind: r.kind }));
}

async function deletePlans(db: Db, planIds: string[]) {
	if (planIds.length === 0) return;
	await db.deleteFrom('match_slot').where('plan_id', 'in', planIds).execute();
	await db.deleteFrom('match_plan').where('id', 'in', planIds).execute();
}

async function insertSlots(db: Db, planId: string, slots: ComputedSlot[]) {
	const rows = slots.map((s) => ({
		id: generateId(),
		plan_id: planId,
		person_id: s.personId,
		club_id: s.clubId,
		round: s.round,
		stall_id: s.stallId,
		place_label: s.place,
		starts_at: s.startsAt?.toISOString() ?? null,
		ends_at: s.endsAt?.toISOString() ?? null,
		score: s.score,
		reasons: JSON.stringify(s.reasons)
	}));
	// Well below SQLite's and PostgreSQL's limits on bound parameters per statement.
	for (let i = 0; i < rows.length; i += 400) await db.insertInto('match_slot').values(rows.slice(i, i + 400)).execute();
}

export type ComputedPlan = { slots: ComputedSlot[]; figures: PlanFigures };

/** Reports how far a computation is: the stage and the share of it done (0..1). */
export type PlanProgress = (stage: 'loading' | 'scoring' | 'assigning' | 'rounds' | 'saving', fraction: number) => void;

/**
 * Loads everyone confirmed, the event's clubs, rules and settings, and computes a plan. Reads only.
 * `update`: re-plans the published plan with as few changes as possible (a market), or keeping
 * every published seat that is still possible (round tables).
 */
export async function computePlan(db: Db, event: events.EventDetails, onProgress?: PlanProgress, mode: 'fresh' | 'update' = 'fresh'): Promise<ComputedPlan> {
	onProgress?.('loading', 0);
	const settings = await getSettings(db, event.id);
	const people = await loadParticipants(db, event.id);
	const hosts = await loadHosts(db, { id: event.id, kind: event.kind, hostIds: event.hosts.map((h) => h.id) }, settings.tableSeats);
	const rules = await rulesOf(db, event.id);
	const published = mode === 'update' ? await publishedPlan(db, event.id) : null;
	const previous = published ? (await slotsOf(db, published.id)).map((s) => ({ person: s.personId, club: s.clubId, round: s.round })) : undefined;
	if (event.kind !== 'market') return planTables(people, hosts, rules, settings, event.startsAt, onProgress, previous);
	return planMarket(people, hosts, rules, settings, event.startsAt, onProgress, previous);
}

/**
 * Stores a computed plan as the event's draft, replacing an earlier draft. Call inside a
 * transaction that holds the event's lock (`lockEvent`).
 */
export async function storeDraft(trx: Db, event: events.EventDetails, actorUserId: string | null, { slots, figures }: ComputedPlan, now: Date): Promise<string> {
	const drafts = await trx.selectFrom('match_plan').select('id').where('event_id', '=', event.id).where('status', '=', 'draft').execute();
	await deletePlans(trx, drafts.map((d) => d.id));
	const planId = generateId();
	await trx
		.insertInto('match_plan')
		.values({ id: planId, event_id: event.id, status: 'draft', created_by: actorUserId, created_at: now.toISOString(), figures: JSON.stringify(figures) })
		.execute();
	await insertSlots(trx, planId, slots);
	if (actorUserId) await recordForHosts(trx, event, actorUserId, 'matching.run', { planId, people: figures.people, slots: figures.slots, unplaced: figures.unplaced.length }, now);
	return planId;
}

/** Counts a finished run in /metrics. */
export function countRun(kind: string, seconds: number): void {
	matchingRunsTotal.inc({ kind });
	matchingRunDuration.observe({ kind }, seconds);
}

/**
 * Matches everyone confirmed with the event's clubs and stores the result as the draft (replacing
 * an earlier draft), all on the calling thread. Always produces a plan: who could not be placed is
 * in the figures, with why. The app plans through jobs (jobs.ts) instead, off the request thread.
 */
export async function run(
	db: Kysely<Database>,
	viewer: Viewer | null,
	eventId: string,
	now: Date
): Promise<{ ok: true; planId: string; figures: PlanFigures } | Denied> {
	const startedAt = performance.now();
	const result = await db.transaction().execute(async (trx) => {
		const found = await managedEvent(trx, viewer, eventId);
		if (!found.ok) return found;
		await lockEvent(trx, eventId);
		const computed = await computePlan(trx, found.event);
		const planId = await storeDraft(trx, found.event, viewer!.id, computed, now);
		return { ok: true as const, planId, figures: computed.figures, kind: found.event.kind };
	});
	if (!result.ok) return result;
	const { kind, ...stored } = result;
	countRun(kind, (performance.now() - startedAt) / 1000);
	return stored;
}

export interface PlanSummary {
	id: string;
	status: MatchPlanStatus;
	createdAt: Date;
	publishedAt: Date | null;
	figures: PlanFigures;
}

async function planRow(db: Db, eventId: string, status: MatchPlanStatus): Promise<PlanSummary | null> {
	const row = await db
		.selectFrom('match_plan')
		.select(['id', 'status', 'created_at', 'published_at', 'figures'])
		.where('event_id', '=', eventId)
		.where('status', '=', status)
		.orderBy('created_at', 'desc')
		.executeTakeFirst();
	if (!row) return null;
	return { id: row.id, status: row.status, createdAt: toDate(row.created_at), publishedAt: toDateOrNull(row.published_at), figures: JSON.parse(row.figures) as PlanFigures };
}

export async function planFigures(db: Db, planId: string): Promise<PlanFigures | null> {
	const row = await db.selectFrom('match_plan').select('figures').where('id', '=', planId).executeTakeFirst();
	return row ? (JSON.parse(row.figures) as PlanFigures) : null;
}

export interface Preview {
	event: events.EventDetails;
	settings: MatchSettings;
	draft: PlanSummary | null;
	published: PlanSummary | null;
	people: { id: string; name: string }[];
	clubs: { id: string; name: string; place: string; seatsPerRound: number }[];
	rules: { personId: string; person: string; clubId: string; club: string; kind: MatchRuleKind }[];
	/** The draft's conversations per person, in the order people registered. */
	assignments: { personId: string; name: string; slots: StoredSlot[] }[];
	names: { people: Record<string, string>; clubs: Record<string, string> };
}

/** Everything the coordinator's matching page shows. */
export async function preview(db: Db, viewer: Viewer | null, eventId: string): Promise<({ ok: true } & Preview) | Denied> {
	const found = await managedEvent(db, viewer, eventId);
	if (!found.ok) return found;
	const event = found.event;
	const settings = await getSettings(db, eventId);
	const [people, hosts, draft, published, rules] = await Promise.all([
		loadParticipants(db, eventId),
		loadHosts(db, { id: eventId, kind: event.kind, hostIds: event.hosts.map((h) => h.id) }, settings.tableSeats),
		planRow(db, eventId, 'draft'),
		planRow(db, eventId, 'published'),
		db
			.selectFrom('match_rule')
			.innerJoin('person', 'person.id', 'match_rule.person_id')
			.innerJoin('club', 'club.id', 'match_rule.club_id')
			.select(['match_rule.person_id', 'person.name as person', 'match_rule.club_id', 'club.name as club', 'match_rule.kind'])
			.where('match_rule.event_id', '=', eventId)
			.orderBy('person.name')
			.orderBy('club.name')
			.execute()
	]);
	const shown = draft ?? published;
	const slots = shown ? await slotsOf(db, shown.id) : [];
	// Names of everyone a plan mentions, also people who have cancelled since.
	const mentioned = [
		...new Set([...(shown?.figures.unplaced.map((u) => u.personId) ?? []), ...(shown?.figures.rejectedPins.map((r) => r.personId) ?? []), ...(shown?.figures.fewTables?.map((f) => f.personId) ?? []), ...(shown?.figures.changes?.map((c) => c.personId) ?? [])])
	];
	const extra = mentioned.length ? await db.selectFrom('person').select(['id', 'name']).where('id', 'in', mentioned).execute() : [];
	const changedClubs = shown?.figures.changes?.flatMap((c) => [...c.before, ...c.after].map((slot) => slot.clubId)) ?? [];
	const clubIds = [...new Set([...(shown?.figures.load.map((l) => l.clubId) ?? []), ...(shown?.figures.rejectedPins.map((r) => r.clubId) ?? []), ...changedClubs])];
	const clubNames = clubIds.length ? await db.selectFrom('club').select(['id', 'name']).where('id', 'in', clubIds).execute() : [];
	const names = {
		people: Object.fromEntries([...extra, ...people].map((p) => [p.id, p.name])),
		clubs: Object.fromEntries([...clubNames, ...hosts].map((c) => [c.id, c.name]))
	};
	const byPerson = new Map<string, StoredSlot[]>();
	for (const slot of slots) byPerson.set(slot.personId, [...(byPerson.get(slot.personId) ?? []), slot]);
	return {
		ok: true,
		event,
		settings,
		draft,
		published,
		people: people.map((p) => ({ id: p.id, name: p.name })),
		clubs: hosts.map((h) => ({ id: h.id, name: h.name, place: h.place, seatsPerRound: h.seatsPerRound })),
		rules: rules.map((r) => ({ personId: r.person_id, person: r.person, clubId: r.club_id, club: r.club, kind: r.kind })),
		assignments: people.filter((p) => byPerson.has(p.id)).map((p) => ({ personId: p.id, name: p.name, slots: byPerson.get(p.id)! })),
		names
	};
}

/**
 * Publishes the draft: it becomes the plan (the one before is superseded), and everyone whose
 * conversations changed — also who lost them all — gets their plan by mail with calendar entries.
 * People whose plan stayed the same hear nothing. Likewise each club whose schedule changed gets
 * who comes when (notifyClubs).
 */
export async function publish(
	db: Kysely<Database>,
	viewer: Viewer | null,
	eventId: string,
	ctx: LinkContext,
	now: Date
): Promise<{ ok: true; planId: string; notified: number; clubsNotified: number } | Denied | { ok: false; problem: 'no_draft' }> {
	return db.transaction().execute(async (trx) => {
		const found = await managedEvent(trx, viewer, eventId);
		if (!found.ok) return found;
		await lockEvent(trx, eventId);
		const draft = await planRow(trx, eventId, 'draft');
		if (!draft) return { ok: false as const, problem: 'no_draft' as const };
		const previous = await publishedPlan(trx, eventId);
		if (previous) await trx.updateTable('match_plan').set({ status: 'superseded' }).where('id', '=', previous.id).execute();
		await trx.updateTable('match_plan').set({ status: 'published', published_at: now.toISOString() }).where('id', '=', draft.id).execute();
		const published = await trx
			.selectFrom('match_plan')
			.select((eb) => eb.fn.countAll<number | string>().as('count'))
			.where('event_id', '=', eventId)
			.where('published_at', 'is not', null)
			.executeTakeFirstOrThrow();
		const plans = { planId: draft.id, previousPlanId: previous?.id ?? null };
		const notified = await notifyChanges(trx, found.event, { ...plans, sequence: Number(published.count) }, ctx, now);
		const clubsNotified = await notifyClubs(trx, found.event, plans, ctx, now);
		// Reminders list the person's conversations: rewrite the pending ones.
		await reminders.scheduleForEvent(trx, eventId, ctx, now);
		await recordForHosts(trx, found.event, viewer!.id, 'matching.published', { planId: draft.id, notified, clubsNotified }, now);
		return { ok: true as const, planId: draft.id, notified, clubsNotified };
	});
}

export interface Timetable {
	event: events.EventDetails;
	status: MatchPlanStatus | null;
	places: { clubId: string; club: string; place: string }[];
	rounds: { round: number; startsAt: Date | null; endsAt: Date | null; cells: Record<string, string[]> }[];
}

/** The master timetable: rounds × stalls (or tables), with who sits where. Published plan, else the draft. */
export async function timetable(db: Db, viewer: Viewer | null, eventId: string): Promise<({ ok: true } & Timetable) | Denied> {
	const found = await managedEvent(db, viewer, eventId);
	if (!found.ok) return found;
	const plan = (await planRow(db, eventId, 'published')) ?? (await planRow(db, eventId, 'draft'));
	if (!plan) return { ok: true, event: found.event, status: null, places: [], rounds: [] };
	const slots = await slotsOf(db, plan.id);
	const names = await personNames(db, [...new Set(slots.map((s) => s.personId))]);
	const clubIds = plan.figures.load.map((l) => l.clubId);
	const clubNames = clubIds.length ? await db.selectFrom('club').select(['id', 'name']).where('id', 'in', clubIds).execute() : [];
	const clubName = new Map(clubNames.map((c) => [c.id, c.name]));
	return { ok: true, event: found.event, status: plan.status, ...grid(plan.figures, slots, clubName, (s) => names.get(s.personId) ?? '–') };
}

async function personNames(db: Db, ids: string[]): Promise<Map<string, string>> {
	if (ids.length === 0) return new Map();
	const rows = await db.selectFrom('person').select(['id', 'name']).where('id', 'in', ids).execute();
	return new Map(rows.map((r) => [r.id, r.name]));
}

function grid(figures: PlanFigures, slots: StoredSlot[], clubName: Map<string, string>, label: (slot: StoredSlot) => string): Pick<Timetable, 'places' | 'rounds'> {
	const places = figures.load.map((l) => ({ clubId: l.clubId, club: clubName.get(l.clubId) ?? '–', place: l.place }));
	const rounds: Timetable['rounds'] = Array.from({ length: figures.rounds }, (_, round) => {
		const inRound = slots.filter((s) => s.round === round);
		const cells: Record<string, string[]> = {};
		for (const slot of inRound) (cells[slot.clubId] ??= []).push(label(slot));
		for (const list of Object.values(cells)) list.sort((a, b) => a.localeCompare(b, 'de'));
		return { round, startsAt: inRound[0]?.startsAt ?? null, endsAt: inRound[0]?.endsAt ?? null, cells };
	});
	return { places, rounds };
}

export interface ClubEventPlan {
	event: events.EventDetails;
	place: string;
	rounds: { round: number; startsAt: Date | null; endsAt: Date | null; people: { name: string; email: string | null; reasons: Reason[] }[] }[];
}

/** Events whose published plan sends people to the club: for the club's own area. */
export async function eventsForClub(db: Db, viewer: Viewer | null, clubId: string): Promise<{ ok: true; items: { eventId: string; title: string; startsAt: Date; people: number }[] } | Denied> {
	// Members only: a coordinator reviewing the club may belong to another municipality than the event.
	const allowed = await authorize(db, viewer, clubId, canEdit);
	if (!allowed.ok) return allowed;
	const rows = await db
		.selectFrom('match_slot')
		.innerJoin('match_plan', 'match_plan.id', 'match_slot.plan_id')
		.innerJoin('event', 'event.id', 'match_plan.event_id')
		.select(['event.id', 'event.title', 'event.starts_at', (eb) => eb.fn.count<number | string>('match_slot.id').as('people')])
		.where('match_slot.club_id', '=', clubId)
		.where('match_plan.status', '=', 'published')
		.groupBy(['event.id', 'event.title', 'event.starts_at'])
		.orderBy('event.starts_at', 'desc')
		.limit(50)
		.execute();
	return { ok: true, items: rows.map((r) => ({ eventId: r.id, title: r.title, startsAt: toDate(r.starts_at), people: Number(r.people) })) };
}

/**
 * Who comes to the club, round by round. Names always; the email address and why they fit only of
 * those who agreed to be introduced to clubs.
 */
export async function planForClub(db: Db, viewer: Viewer | null, clubId: string, eventId: string): Promise<({ ok: true } & ClubEventPlan) | Denied> {
	// Members only: a coordinator reviewing the club may belong to another municipality than the event.
	const allowed = await authorize(db, viewer, clubId, canEdit);
	if (!allowed.ok) return allowed;
	const event = await events.get(db, eventId);
	const plan = event ? await publishedPlan(db, eventId) : null;
	if (!event || !plan) return { ok: false, problem: 'not_found' };
	const slots = (await slotsOf(db, plan.id)).filter((s) => s.clubId === clubId);
	if (slots.length === 0) return { ok: false, problem: 'not_found' };
	const people = await db.selectFrom('person').select(['id', 'name', 'email', 'consent_introductions']).where('id', 'in', slots.map((s) => s.personId)).execute();
	const byId = new Map(people.map((p) => [p.id, p]));
	const rounds = [...new Set(slots.map((s) => s.round ?? 0))].sort((a, b) => a - b);
	return {
		ok: true,
		event,
		place: slots[0]!.place,
		rounds: rounds.map((round) => {
			const inRound = slots.filter((s) => (s.round ?? 0) === round);
			return {
				round,
				startsAt: inRound[0]?.startsAt ?? null,
				endsAt: inRound[0]?.endsAt ?? null,
				people: inRound
					.map((s) => {
						const person = byId.get(s.personId);
						// What fits (interests, languages, times) is profile data: only with consent, like the address.
						const consented = person?.consent_introductions === 1;
						return { name: person?.name || '–', email: consented ? person.email : null, reasons: consented ? s.reasons : [] };
					})
					.sort((a, b) => a.name.localeCompare(b.name, 'de'))
			};
		})
	};
}

