import type { Kysely } from 'kysely';
import { toDate, toDateOrNull, type Database, type Db, type FeedbackRespondent, type LeadStatus } from '../db/schema';
import * as audit from '../audit';
import * as events from '../events';
import { generateId } from '../ids';
import * as outbox from '../mail/outbox';
import { toLocale, type ThanksFigures } from '../mail/templates';
import { manageUrl, type LinkContext } from '../registrations/links';
import { eventFacts, participantHeaders } from '../registrations/mail';
import { publishedPlan } from '../matching/published';
import { feedbackIdFrom, feedbackUrl } from './links';
import { retryOnConflict } from '../db/conflicts';

export { feedbackToken, feedbackUrl } from './links';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Answers can be given and changed for two weeks after the request. */
export const EDITABLE_DAYS = 14;
/** One reminder, a week after the request, to those who have not answered. */
export const REMIND_AFTER_DAYS = 7;
/** Events that ended longer ago than this get no requests any more (e.g. the worker was down). */
const REQUEST_WINDOW_DAYS = 30;
/** Thank-you mail still goes out this long after the window closed (a worker outage). */
const THANKS_GRACE_DAYS = 7;
/** Figures below this would point at single people in a small town: shown as "fewer than 5". */
export const SUPPRESS_BELOW = 5;

export function suppress(count: number): number | null {
	return count < SUPPRESS_BELOW ? null : count;
}

function parseIds(json: string): string[] {
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
	} catch {
		return [];
	}
}

/**
 * Who took part: confirmed and attended registrations; once anyone was checked in, only those
 * checked in (then the check-in is the better record of who was there).
 */
async function attendeesOf(db: Db, eventId: string) {
	const rows = await db
		.selectFrom('registration')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.select(['registration.id as registration_id', 'registration.status', 'registration.checked_in_at', 'person.id as person_id', 'person.name', 'person.email', 'person.locale', 'person.anonymised_at', 'person.mail_opt_out_at'])
		.where('registration.event_id', '=', eventId)
		.where('registration.status', 'in', ['confirmed', 'attended'])
		.execute();
	const wasThere = (r: (typeof rows)[number]) => r.status === 'attended' || r.checked_in_at !== null;
	return rows.some(wasThere) ? rows.filter(wasThere) : rows;
}

export interface EventClub {
	id: string;
	name: string;
	contactEmail: string;
}

/** Clubs that took part: an approved stall, or a place in the published matching plan. */
export async function clubsOf(db: Db, eventId: string): Promise<EventClub[]> {
	const plan = await publishedPlan(db, eventId);
	const stallClubs = db.selectFrom('stall_request').select('club_id').where('event_id', '=', eventId).where('status', '=', 'approved');
	const rows = await db
		.selectFrom('club')
		.select(['id', 'name', 'contact_email'])
		.where((eb) =>
			eb.or([
				eb('id', 'in', stallClubs),
				...(plan ? [eb('id', 'in', eb.selectFrom('match_slot').select('club_id').where('plan_id', '=', plan.id))] : [])
			])
		)
		.execute();
	return rows.map((r) => ({ id: r.id, name: r.name, contactEmail: r.contact_email })).sort((a, b) => a.name.localeCompare(b.name, 'de'));
}

/** The clubs each person of the event met according to the published plan. */
async function matchedClubs(db: Db, eventId: string): Promise<Map<string, Set<string>>> {
	const plan = await publishedPlan(db, eventId);
	const met = new Map<string, Set<string>>();
	if (!plan) return met;
	const rows = await db.selectFrom('match_slot').select(['person_id', 'club_id']).where('plan_id', '=', plan.id).execute();
	for (const r of rows) {
		if (!met.has(r.person_id)) met.set(r.person_id, new Set());
		met.get(r.person_id)!.add(r.club_id);
	}
	return met;
}

function newFeedbackRow(eventId: string, respondent: FeedbackRespondent, who: { personId?: string; clubId?: string }, now: Date) {
	return {
		id: generateId(),
		event_id: eventId,
		respondent,
		person_id: who.personId ?? null,
		club_id: who.clubId ?? null,
		usefulness: null,
		talks: null,
		new_volunteers: null,
		requested_at: now.toISOString(),
		editable_until: new Date(now.getTime() + EDITABLE_DAYS * DAY_MS).toISOString()
	};
}

/** Writes the feedback rows of one event and their request mail; rows that exist stay untouched. */
async function requestForEvent(db: Db, eventId: string, ctx: LinkContext, now: Date): Promise<number> {
	const event = await events.get(db, eventId);
	if (!event) return 0;
	const facts = eventFacts(event);
	let requested = 0;
	for (const person of await attendeesOf(db, eventId)) {
		if (person.anonymised_at !== null || person.mail_opt_out_at !== null) continue;
		const row = newFeedbackRow(eventId, 'person', { personId: person.person_id }, now);
		const inserted = await db.insertInto('feedback').values(row).onConflict((oc) => oc.columns(['event_id', 'person_id']).doNothing()).executeTakeFirst();
		if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
		await outbox.enqueue(
			db,
			{
				idempotencyKey: `feedback-request:${row.id}`,
				recipient: person.email,
				locale: toLocale(person.locale),
				template: 'feedback-request',
				payload: { name: person.name, club: null, event: facts, url: feedbackUrl(ctx, row.id, person.locale), until: row.editable_until },
				headers: participantHeaders(ctx, event, person.registration_id, person.locale),
				municipalityId: event.hosts[0]?.id,
				eventId,
				registrationId: person.registration_id,
				expiresAt: new Date(row.editable_until)
			},
			now
		);
		requested++;
	}
	for (const club of await clubsOf(db, eventId)) {
		const row = newFeedbackRow(eventId, 'club', { clubId: club.id }, now);
		const inserted = await db.insertInto('feedback').values(row).onConflict((oc) => oc.columns(['event_id', 'club_id']).doNothing()).executeTakeFirst();
		if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
		await outbox.enqueue(
			db,
			{
				idempotencyKey: `feedback-request:${row.id}`,
				recipient: club.contactEmail,
				locale: 'de',
				template: 'feedback-request',
				payload: { name: club.name, club: club.name, event: facts, url: feedbackUrl(ctx, row.id), until: row.editable_until },
				headers: participantHeaders(ctx, event, null),
				municipalityId: event.hosts[0]?.id,
				eventId,
				expiresAt: new Date(row.editable_until)
			},
			now
		);
		requested++;
	}
	if (requested > 0) {
		await audit.record(db, { actorUserId: null, action: 'feedback.requested', entityType: 'event', entityId: eventId, municipalityId: event.hosts[0]?.id, details: { requested } }, now);
	}
	return requested;
}

/** Requests for every event that ended at least its feedback delay ago (and not too long ago). */
export async function requestDue(db: Kysely<Database>, ctx: LinkContext, now: Date): Promise<number> {
	const ended = await db
		.selectFrom('event')
		.select(['id', 'ends_at', 'feedback_delay_hours'])
		.where('status', '=', 'published')
		// The feedback form asks which clubs a person met at a round or market; an Einsatz's shift
		// has one club, which thanks and writes to its helpers itself.
		.where('kind', '!=', 'shift')
		.where('ends_at', '<=', now.toISOString())
		.where('ends_at', '>=', new Date(now.getTime() - REQUEST_WINDOW_DAYS * DAY_MS).toISOString())
		.execute();
	let requested = 0;
	for (const event of ended) {
		if (toDate(event.ends_at).getTime() + event.feedback_delay_hours * HOUR_MS > now.getTime()) continue;
		requested += await db.transaction().execute((trx) => requestForEvent(trx, event.id, ctx, now));
	}
	return requested;
}

/** Feedback rows with who to write to: the person (and their registration) or the club. */
function recipients(db: Db) {
	return db
		.selectFrom('feedback')
		.leftJoin('person', 'person.id', 'feedback.person_id')
		.leftJoin('club', 'club.id', 'feedback.club_id')
		.leftJoin('registration', (join) => join.onRef('registration.person_id', '=', 'feedback.person_id').onRef('registration.event_id', '=', 'feedback.event_id'))
		.select([
			'feedback.id',
			'feedback.event_id',
			'feedback.respondent',
			'person.name as person_name',
			'person.email',
			'person.locale',
			'person.anonymised_at',
			'person.mail_opt_out_at',
			'club.name as club_name',
			'club.contact_email',
			'registration.id as registration_id'
		]);
}

/** A person may be written to unless erased or opted out; a club needs a contact address. */
function canWrite(row: { respondent: string; email: string | null; anonymised_at: unknown; mail_opt_out_at: unknown; contact_email: string | null }): boolean {
	if (row.respondent === 'person') return !!row.email && row.anonymised_at === null && row.mail_opt_out_at === null;
	return !!row.contact_email;
}

/** The one reminder, a week after the request, to those who have not answered yet. */
export async function remindDue(db: Kysely<Database>, ctx: LinkContext, now: Date): Promise<number> {
	const due = await recipients(db)
		.select('feedback.editable_until')
		.where('feedback.answered_at', 'is', null)
		.where('feedback.reminded_at', 'is', null)
		.where('feedback.requested_at', '<=', new Date(now.getTime() - REMIND_AFTER_DAYS * DAY_MS).toISOString())
		.where('feedback.editable_until', '>', now.toISOString())
		.execute();
	let reminded = 0;
	for (const row of due) {
		if (!canWrite(row)) continue;
		const isPerson = row.respondent === 'person';
		await db.transaction().execute(async (trx) => {
			const claimed = await trx.updateTable('feedback').set({ reminded_at: now.toISOString() }).where('id', '=', row.id).where('reminded_at', 'is', null).executeTakeFirst();
			if (Number(claimed.numUpdatedRows) !== 1) return;
			const event = await events.get(trx, row.event_id);
			if (!event) return;
			const until = toDate(row.editable_until);
			await outbox.enqueue(
				trx,
				{
					idempotencyKey: `feedback-reminder:${row.id}`,
					recipient: isPerson ? row.email! : row.contact_email!,
					locale: isPerson ? toLocale(row.locale) : 'de',
					template: 'feedback-reminder',
					payload: { name: (isPerson ? row.person_name : row.club_name) ?? '', club: isPerson ? null : row.club_name, event: eventFacts(event), url: feedbackUrl(ctx, row.id, isPerson ? row.locale : null), until: until.toISOString() },
					headers: participantHeaders(ctx, event, row.registration_id, isPerson ? row.locale : null),
					municipalityId: event.hosts[0]?.id,
					eventId: row.event_id,
					registrationId: row.registration_id ?? undefined,
					expiresAt: until
				},
				now
			);
			reminded++;
		});
	}
	return reminded;
}

/** A club's figures for one event, each suppressed below the threshold. */
export async function clubFigures(db: Db, eventId: string, clubId: string): Promise<ThanksFigures> {
	const plan = await publishedPlan(db, eventId);
	const matched = plan
		? await db.selectFrom('match_slot').select((eb) => eb.fn.count<number | string>('person_id').distinct().as('n')).where('plan_id', '=', plan.id).where('club_id', '=', clubId).executeTakeFirstOrThrow()
		: { n: 0 };
	const answers = await db.selectFrom('feedback').select(['talked_to', 'wants_to_try']).where('event_id', '=', eventId).where('respondent', '=', 'person').execute();
	const leads = await db.selectFrom('lead').select('status').where('event_id', '=', eventId).where('club_id', '=', clubId).execute();
	return {
		matched: suppress(Number(matched.n)),
		talkedTo: suppress(answers.filter((a) => parseIds(a.talked_to).includes(clubId)).length),
		wantsToTry: suppress(answers.filter((a) => parseIds(a.wants_to_try).includes(clubId)).length),
		leads: suppress(leads.length),
		joined: suppress(leads.filter((l) => l.status === 'joined').length)
	};
}

/**
 * Thank-you mail goes out when an event's feedback window closes, not with the request: only then
 * are the figures (answers, leads, first joins) complete enough to be worth sending.
 */
export async function thankDue(db: Kysely<Database>, ctx: LinkContext, now: Date): Promise<number> {
	const closed = await recipients(db)
		.select(['feedback.person_id', 'feedback.club_id', 'feedback.talked_to'])
		.where('feedback.editable_until', '<=', now.toISOString())
		.where('feedback.editable_until', '>', new Date(now.getTime() - THANKS_GRACE_DAYS * DAY_MS).toISOString())
		.execute();
	if (closed.length === 0) return 0;
	const keys = closed.map((r) => `thanks:${r.id}`);
	const sent = new Set<string>();
	for (let i = 0; i < keys.length; i += 500) {
		const rows = await db.selectFrom('outbox').select('idempotency_key').where('idempotency_key', 'in', keys.slice(i, i + 500)).execute();
		for (const r of rows) sent.add(r.idempotency_key);
	}
	const byEvent = new Map<string, typeof closed>();
	for (const row of closed) {
		if (sent.has(`thanks:${row.id}`)) continue;
		if (!byEvent.has(row.event_id)) byEvent.set(row.event_id, []);
		byEvent.get(row.event_id)!.push(row);
	}
	let thanked = 0;
	for (const [eventId, rows] of byEvent) {
		await db.transaction().execute(async (trx) => {
			const event = await events.get(trx, eventId);
			if (!event) return;
			const facts = eventFacts(event);
			const met = await matchedClubs(trx, eventId);
			const names = new Map((await clubsOf(trx, eventId)).map((c) => [c.id, c.name]));
			for (const row of rows) {
				if (!canWrite(row)) continue;
				if (row.respondent === 'club' && row.club_id && row.contact_email) {
					const figures = await clubFigures(trx, eventId, row.club_id);
					await outbox.enqueue(
						trx,
						{ idempotencyKey: `thanks:${row.id}`, recipient: row.contact_email, locale: 'de', template: 'thanks-club', payload: { club: row.club_name ?? '', event: facts, figures, threshold: SUPPRESS_BELOW }, headers: participantHeaders(ctx, event, null), municipalityId: event.hosts[0]?.id, eventId },
						now
					);
					thanked++;
				} else if (row.respondent === 'person' && row.person_id && row.email) {
					const clubIds = new Set([...(met.get(row.person_id) ?? []), ...parseIds(row.talked_to)]);
					const clubs = [...clubIds].map((id) => names.get(id)).filter((n): n is string => !!n).sort((a, b) => a.localeCompare(b, 'de'));
					const recordUrl = row.registration_id ? `${manageUrl(ctx, row.registration_id, row.locale ?? undefined)}/record.csv` : null;
					await outbox.enqueue(
						trx,
						{ idempotencyKey: `thanks:${row.id}`, recipient: row.email, locale: toLocale(row.locale), template: 'thanks-person', payload: { name: row.person_name ?? '', event: facts, clubs, recordUrl }, headers: participantHeaders(ctx, event, row.registration_id, row.locale), municipalityId: event.hosts[0]?.id, eventId, registrationId: row.registration_id ?? undefined },
						now
					);
					thanked++;
				}
			}
		});
	}
	return thanked;
}

/** The worker's feedback step: requests, the reminder, and thanks once the window has closed. */
export async function runDue(db: Kysely<Database>, ctx: LinkContext, now: Date): Promise<{ requested: number; reminded: number; thanked: number }> {
	const requested = await requestDue(db, ctx, now);
	const reminded = await remindDue(db, ctx, now);
	const thanked = await thankDue(db, ctx, now);
	return { requested, reminded, thanked };
}

export interface FeedbackAnswers {
	usefulness: number | null;
	talkedTo: string[];
	wantsToTry: string[];
	comment: string;
	talks: number | null;
	newVolunteers: number | null;
	changes: string;
}

export interface FeedbackForm {
	id: string;
	respondent: FeedbackRespondent;
	event: { id: string; title: string; startsAt: Date; endsAt: Date; timeZone: string };
	club: { id: string; name: string } | null;
	/** Clubs of the event the person may name; `matched` when the published plan had them meet. */
	options: { id: string; name: string; matched: boolean }[];
	/** Prefilled: the person's standing consent, or leads they already passed their contact to. */
	consent: boolean;
	answers: FeedbackAnswers;
	answeredAt: Date | null;
	editableUntil: Date;
	isOpen: boolean;
}

async function findRow(db: Db, secret: string, token: string) {
	const id = feedbackIdFrom(secret, token);
	if (!id) return null;
	const row = await db
		.selectFrom('feedback')
		.leftJoin('person', 'person.id', 'feedback.person_id')
		.selectAll('feedback')
		.select(['person.consent_introductions', 'person.anonymised_at', 'person.name as person_name', 'person.email as person_email'])
		.where('feedback.id', '=', id)
		.executeTakeFirst();
	// An erased person's row stays for the counts, but nobody can open it any more.
	if (!row || (row.respondent === 'person' && (row.person_id === null || row.anonymised_at !== null))) return null;
	return row;
}

/** The form behind a feedback link; null for a forged, unknown or erased one. */
export async function findByToken(db: Db, secret: string, token: string, now: Date): Promise<FeedbackForm | null> {
	const row = await findRow(db, secret, token);
	if (!row) return null;
	const event = await events.get(db, row.event_id);
	if (!event) return null;
	const clubs = await clubsOf(db, row.event_id);
	const met = row.person_id ? ((await matchedClubs(db, row.event_id)).get(row.person_id) ?? new Set<string>()) : new Set<string>();
	const hasLeads = row.person_id ? (await db.selectFrom('lead').select('id').where('event_id', '=', row.event_id).where('person_id', '=', row.person_id).executeTakeFirst()) !== undefined : false;
	const club = row.club_id ? clubs.find((c) => c.id === row.club_id) ?? (await db.selectFrom('club').select(['id', 'name']).where('id', '=', row.club_id).executeTakeFirst()) ?? null : null;
	const editableUntil = toDate(row.editable_until);
	return {
		id: row.id,
		respondent: row.respondent,
		event: { id: event.id, title: event.title, startsAt: event.startsAt, endsAt: event.endsAt, timeZone: event.timeZone },
		club: club ? { id: club.id, name: club.name } : null,
		options: clubs.map((c) => ({ id: c.id, name: c.name, matched: met.has(c.id) })).sort((a, b) => Number(b.matched) - Number(a.matched)),
		consent: hasLeads || row.consent_introductions === 1,
		answers: {
			usefulness: row.usefulness,
			talkedTo: parseIds(row.talked_to),
			wantsToTry: parseIds(row.wants_to_try),
			comment: row.comment,
			talks: row.talks,
			newVolunteers: row.new_volunteers,
			changes: row.changes
		},
		answeredAt: toDateOrNull(row.answered_at),
		editableUntil,
		isOpen: now < editableUntil
	};
}

export type PersonAnswers = { usefulness: number; talkedTo: string[]; wantsToTry: string[]; comment: string; consent: boolean };
export type ClubAnswers = { talks: number; newVolunteers: number; changes: string };

export type SaveResult = { ok: true; leadsCreated: number; leads: number } | { ok: false; problem: 'not_found' | 'closed' | 'wrong_respondent' | 'unknown_club' };

/**
 * Saves the answers behind a feedback link (again and again until the window closes). A person's
 * "want to try" with consent becomes a lead per club, and the club is mailed the contact once.
 */
export async function save(db: Kysely<Database>, ctx: LinkContext, token: string, answers: PersonAnswers | ClubAnswers, now: Date): Promise<SaveResult> {
	// The same link saved twice at once (two tabs): the run that lost finds the other's leads.
	return retryOnConflict(() => db.transaction().execute(async (trx): Promise<SaveResult> => {
		const row = await findRow(trx, ctx.secret, token);
		if (!row) return { ok: false, problem: 'not_found' };
		if (toDate(row.editable_until) <= now) return { ok: false, problem: 'closed' };
		const isPersonAnswer = 'usefulness' in answers;
		if (isPersonAnswer !== (row.respondent === 'person')) return { ok: false, problem: 'wrong_respondent' };
		const allowed = new Set((await clubsOf(trx, row.event_id)).map((c) => c.id));
		const common = { answered_at: row.answered_at === null ? now.toISOString() : toDate(row.answered_at).toISOString(), updated_at: now.toISOString() };
		let leadsCreated = 0;
		let leads = 0;
		if (isPersonAnswer) {
			const talkedTo = [...new Set(answers.talkedTo)];
			const wantsToTry = [...new Set(answers.wantsToTry)];
			if (![...talkedTo, ...wantsToTry].every((id) => allowed.has(id))) return { ok: false, problem: 'unknown_club' };
			const updated = await trx
				.updateTable('feedback')
				.set({ ...common, usefulness: answers.usefulness, talked_to: JSON.stringify(talkedTo), wants_to_try: JSON.stringify(wantsToTry), comment: answers.comment })
				.where('id', '=', row.id)
				.where('editable_until', '>', now.toISOString())
				.executeTakeFirst();
			if (Number(updated.numUpdatedRows) !== 1) return { ok: false, problem: 'closed' };
			const synced = await syncLeads(trx, ctx, { eventId: row.event_id, personId: row.person_id!, name: row.person_name ?? '', email: row.person_email ?? '' }, answers.consent ? wantsToTry : [], now);
			leadsCreated = synced.created;
			leads = synced.total;
		} else {
			const updated = await trx
				.updateTable('feedback')
				.set({ ...common, talks: answers.talks, new_volunteers: answers.newVolunteers, changes: answers.changes })
				.where('id', '=', row.id)
				.where('editable_until', '>', now.toISOString())
				.executeTakeFirst();
			if (Number(updated.numUpdatedRows) !== 1) return { ok: false, problem: 'closed' };
		}
		const hosts = await trx.selectFrom('event_host').select('municipality_id').where('event_id', '=', row.event_id).executeTakeFirst();
		await audit.record(trx, { actorUserId: null, action: row.answered_at === null ? 'feedback.answered' : 'feedback.changed', entityType: 'feedback', entityId: row.id, municipalityId: hosts?.municipality_id, details: { respondent: row.respondent, leadsCreated } }, now);
		return { ok: true, leadsCreated, leads };
	}));
}

/**
 * Makes the person's leads of one event match the clubs they want to try with consent. A lead the
 * club has already worked on (status beyond 'new') stays, even if the person unticks the club.
 */
async function syncLeads(db: Db, ctx: LinkContext, person: { eventId: string; personId: string; name: string; email: string }, clubIds: string[], now: Date): Promise<{ created: number; total: number }> {
	const existing = await db.selectFrom('lead').select(['id', 'club_id', 'status']).where('event_id', '=', person.eventId).where('person_id', '=', person.personId).execute();
	const gone = existing.filter((l) => !clubIds.includes(l.club_id) && l.status === 'new').map((l) => l.id);
	if (gone.length) await db.deleteFrom('lead').where('id', 'in', gone).execute();
	const have = new Set(existing.map((l) => l.club_id));
	const event = await events.get(db, person.eventId);
	let created = 0;
	for (const clubId of clubIds.filter((id) => !have.has(id))) {
		const club = await db.selectFrom('club').select(['name', 'contact_email']).where('id', '=', clubId).executeTakeFirstOrThrow();
		const leadId = generateId();
		await db
			.insertInto('lead')
			.values({ id: leadId, event_id: person.eventId, person_id: person.personId, club_id: clubId, status: 'new', created_at: now.toISOString(), updated_at: now.toISOString(), updated_by: null })
			.execute();
		// Keyed by event, person and club: unticking and ticking again does not mail the club twice.
		await outbox.enqueue(
			db,
			{
				idempotencyKey: `lead:${person.eventId}:${person.personId}:${clubId}`,
				recipient: club.contact_email,
				locale: 'de',
				template: 'lead-contact',
				payload: { club: club.name, title: event?.title ?? '', name: person.name, email: person.email, url: `${ctx.origin}/club/${clubId}/leads` },
				headers: { fromName: event?.hosts[0] ? `${event.hosts[0].name} · Miteinander` : undefined, replyTo: person.email },
				municipalityId: event?.hosts[0]?.id,
				eventId: person.eventId
			},
			now
		);
		await audit.record(db, { actorUserId: null, action: 'lead.created', entityType: 'lead', entityId: leadId, details: { clubId, eventId: person.eventId } }, now);
		created++;
	}
	return { created, total: existing.length - gone.length + created };
}

/**
 * Part of erasing a person: answers and leads stay for the counts, without the person (and
 * without their free text); their feedback mail not yet sent is withdrawn.
 */
export async function detachPerson(db: Db, personId: string): Promise<void> {
	const rows = await db.selectFrom('feedback').select('id').where('person_id', '=', personId).execute();
	if (rows.length) {
		const keys = rows.flatMap((r) => [`feedback-request:${r.id}`, `feedback-reminder:${r.id}`, `thanks:${r.id}`]);
		await db.deleteFrom('outbox').where('status', '=', 'pending').where('idempotency_key', 'in', keys).execute();
	}
	await db.updateTable('feedback').set({ person_id: null, comment: '' }).where('person_id', '=', personId).execute();
	await db.updateTable('lead').set({ person_id: null }).where('person_id', '=', personId).execute();
}

export interface RecordEntry {
	event: string;
	startsAt: Date;
	timeZone: string;
	clubsMet: string[];
	interests: { club: string; status: LeadStatus }[];
}

/**
 * The person's engagement record (the basis for an Ehrenamtspass): every past event they took
 * part in, the clubs they met there and the clubs they went on to try, with the club's status.
 */
export async function engagementRecord(db: Db, personId: string, now: Date): Promise<RecordEntry[]> {
	const regs = await db
		.selectFrom('registration')
		.innerJoin('event', 'event.id', 'registration.event_id')
		.select(['event.id', 'event.title', 'event.starts_at', 'event.time_zone', 'registration.status'])
		.where('registration.person_id', '=', personId)
		.where('registration.status', 'in', ['confirmed', 'attended'])
		.where('event.ends_at', '<=', now.toISOString())
		.orderBy('event.starts_at')
		.execute();
	const entries: RecordEntry[] = [];
	for (const reg of regs) {
		const attendees = await attendeesOf(db, reg.id);
		if (!attendees.some((a) => a.person_id === personId)) continue;
		const names = new Map((await clubsOf(db, reg.id)).map((c) => [c.id, c.name]));
		const met = new Set((await matchedClubs(db, reg.id)).get(personId) ?? []);
		const answer = await db.selectFrom('feedback').select('talked_to').where('event_id', '=', reg.id).where('person_id', '=', personId).executeTakeFirst();
		for (const id of parseIds(answer?.talked_to ?? '[]')) met.add(id);
		const leads = await db.selectFrom('lead').innerJoin('club', 'club.id', 'lead.club_id').select(['club.name', 'lead.status']).where('lead.event_id', '=', reg.id).where('lead.person_id', '=', personId).orderBy('club.name').execute();
		entries.push({
			event: reg.title,
			startsAt: toDate(reg.starts_at),
			timeZone: reg.time_zone,
			clubsMet: [...met].map((id) => names.get(id)).filter((n): n is string => !!n).sort((a, b) => a.localeCompare(b, 'de')),
			interests: leads.map((l) => ({ club: l.name, status: l.status }))
		});
	}
	return entries;
}

/** The person's answers and leads, for the data download (GDPR art. 15/20). */
export async function exportFor(db: Db, personId: string) {
	const answers = await db
		.selectFrom('feedback')
		.innerJoin('event', 'event.id', 'feedback.event_id')
		.select(['event.title', 'feedback.usefulness', 'feedback.talked_to', 'feedback.wants_to_try', 'feedback.comment', 'feedback.requested_at', 'feedback.answered_at', 'feedback.updated_at'])
		.where('feedback.person_id', '=', personId)
		.orderBy('feedback.requested_at')
		.execute();
	const ids = [...new Set(answers.flatMap((a) => [...parseIds(a.talked_to), ...parseIds(a.wants_to_try)]))];
	const names = new Map((ids.length ? await db.selectFrom('club').select(['id', 'name']).where('id', 'in', ids).execute() : []).map((c) => [c.id, c.name]));
	const clubNames = (json: string) => parseIds(json).map((id) => names.get(id) ?? id);
	const leads = await db
		.selectFrom('lead')
		.innerJoin('event', 'event.id', 'lead.event_id')
		.innerJoin('club', 'club.id', 'lead.club_id')
		.select(['event.title', 'club.name', 'lead.status', 'lead.created_at', 'lead.updated_at'])
		.where('lead.person_id', '=', personId)
		.orderBy('lead.created_at')
		.execute();
	return {
		feedback: answers.map((a) => ({
			event: a.title,
			usefulness: a.usefulness,
			talkedTo: clubNames(a.talked_to),
			wantsToTry: clubNames(a.wants_to_try),
			comment: a.comment,
			requestedAt: toDate(a.requested_at).toISOString(),
			answeredAt: toDateOrNull(a.answered_at)?.toISOString() ?? null,
			updatedAt: toDateOrNull(a.updated_at)?.toISOString() ?? null
		})),
		leads: leads.map((l) => ({ event: l.title, club: l.name, status: l.status, createdAt: toDate(l.created_at).toISOString(), updatedAt: toDate(l.updated_at).toISOString() }))
	};
}
