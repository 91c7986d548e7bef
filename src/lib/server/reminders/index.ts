import type { Kysely } from 'kysely';
import { toDate, type Database, type Db } from '../db/schema';
import * as audit from '../audit';
import * as events from '../events';
import * as outbox from '../mail/outbox';
import { toLocale } from '../mail/templates';
import { participantHeaders, participantMail } from '../registrations/mail';
import type { LinkContext } from '../registrations/links';
import { normalise, reminderTime, type ReminderRule } from './rules';
import { matchesForEvent } from '../matching/published';

/**
 * Reminders are outbox rows written ahead with their send time. Each key names the registration
 * and the moment, so however often they are rescheduled (and by however many instances), a person
 * gets a given reminder at most once; a move to another time makes a new moment and a new key.
 */
function reminderKey(registrationId: string, due: Date): string {
	return `reminder:${registrationId}:${due.toISOString()}`;
}

/** Takes back reminders not yet sent (a cancellation, an opt-out, before rescheduling). */
export async function withdraw(db: Db, of: { eventId: string } | { registrationIds: string[] }): Promise<number> {
	if ('registrationIds' in of && of.registrationIds.length === 0) return 0;
	const result = await db
		.deleteFrom('outbox')
		.where((eb) => ('eventId' in of ? eb('event_id', '=', of.eventId) : eb('registration_id', 'in', of.registrationIds)))
		.where('template', '=', 'event-reminder')
		.where('status', '=', 'pending')
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Hook for the matching issue: a person's published conversations for the reminder. */
export type MatchesFor = (registrationId: string) => Promise<import('../mail/templates').ReminderMatch[]>;

/**
 * (Re)writes the reminders of confirmed people of one event: pending ones are replaced, sent
 * ones stay sent. Moments already past are skipped, so nobody gets a reminder late.
 */
export async function scheduleForEvent(
	db: Db,
	eventId: string,
	ctx: LinkContext,
	now: Date,
	options: { registrationIds?: string[]; matchesFor?: MatchesFor } = {}
): Promise<number> {
	const event = await events.get(db, eventId);
	if (!event) return 0;
	await withdraw(db, options.registrationIds ? { registrationIds: options.registrationIds } : { eventId });
	if (event.status !== 'published' || options.registrationIds?.length === 0) return 0;
	const moments = event.reminders.rules
		.map((rule) => reminderTime(event.startsAt, event.timeZone, rule))
		.filter((due): due is Date => due !== null && due > now);
	if (moments.length === 0) return 0;

	let query = db
		.selectFrom('registration')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.select(['registration.id', 'person.email', 'person.name', 'person.locale'])
		.where('registration.event_id', '=', eventId)
		.where('registration.status', '=', 'confirmed')
		.where('person.anonymised_at', 'is', null)
		.where('person.mail_opt_out_at', 'is', null);
	if (options.registrationIds) query = query.where('registration.id', 'in', options.registrationIds);
	const people = await query.execute();
	// The published matching plan, if any, so every rewrite keeps the person's conversations.
	const matchesFor = options.matchesFor ?? (await matchesForEvent(db, eventId));

	let scheduled = 0;
	for (const person of people) {
		const mail = participantMail(ctx, event, person.id, person.name, person.locale);
		const headers = participantHeaders(ctx, event, person.id, person.locale);
		const matches = matchesFor ? await matchesFor(person.id) : undefined;
		for (const due of moments) {
			const written = await outbox.enqueue(
				db,
				{
					idempotencyKey: reminderKey(person.id, due),
					recipient: person.email,
					locale: toLocale(person.locale),
					template: 'event-reminder',
					payload: { ...mail, unsubscribeUrl: headers.listUnsubscribe!, matches },
					headers,
					municipalityId: event.hosts[0]?.id,
					eventId,
					registrationId: person.id,
					sendAt: due,
					expiresAt: event.startsAt
				},
				now
			);
			if (written) scheduled++;
		}
	}
	return scheduled;
}

/** Reminders for one person's registration (after confirming, promotion or a change of details). */
export function scheduleForRegistration(db: Db, eventId: string, registrationId: string, ctx: LinkContext, now: Date) {
	return scheduleForEvent(db, eventId, ctx, now, { registrationIds: [registrationId] });
}

/** Rewrites the reminders of all the person's upcoming confirmed registrations. */
export async function scheduleForPerson(db: Db, personId: string, ctx: LinkContext, now: Date): Promise<number> {
	const rows = await db
		.selectFrom('registration')
		.innerJoin('event', 'event.id', 'registration.event_id')
		.select(['registration.id', 'registration.event_id'])
		.where('registration.person_id', '=', personId)
		.where('event.starts_at', '>', now.toISOString())
		.execute();
	let scheduled = 0;
	for (const row of rows) scheduled += await scheduleForRegistration(db, row.event_id, row.id, ctx, now);
	return scheduled;
}

/**
 * The one-click opt-out (List-Unsubscribe) and its undo on the manage page. It covers reminders
 * and coordinators' circulars; mail about the person's own registration still comes.
 */
export async function setOptOut(db: Db, personId: string, optOut: boolean, ctx: LinkContext, now: Date): Promise<void> {
	await db
		.updateTable('person')
		.set({ mail_opt_out_at: optOut ? now.toISOString() : null, updated_at: now.toISOString() })
		.where('id', '=', personId)
		.execute();
	await scheduleForPerson(db, personId, ctx, now);
}

/**
 * A coordinator sets the reminder rules of one date, or of its whole series (then every date of
 * the series follows the series' rules again). Upcoming reminders are rewritten at once.
 */
export async function setRules(
	db: Kysely<Database>,
	eventId: string,
	rules: ReminderRule[],
	scope: 'event' | 'series',
	actorUserId: string,
	ctx: LinkContext,
	now: Date
): Promise<{ scheduled: number } | null> {
	return db.transaction().execute(async (trx) => {
		const event = await events.get(trx, eventId);
		if (!event) return null;
		const json = JSON.stringify(normalise(rules));
		let affected = [eventId];
		if (scope === 'series' && event.seriesId) {
			await trx.updateTable('series').set({ reminder_rules: json, updated_at: now.toISOString() }).where('id', '=', event.seriesId).execute();
			await trx.updateTable('event').set({ reminder_rules: null }).where('series_id', '=', event.seriesId).execute();
			const upcoming = await trx
				.selectFrom('event')
				.select('id')
				.where('series_id', '=', event.seriesId)
				.where('starts_at', '>', now.toISOString())
				.execute();
			affected = upcoming.map((e) => e.id);
		} else {
			await trx.updateTable('event').set({ reminder_rules: json, updated_at: now.toISOString() }).where('id', '=', eventId).execute();
		}
		let scheduled = 0;
		for (const id of affected) scheduled += await scheduleForEvent(trx, id, ctx, now);
		for (const host of event.hosts) {
			await audit.record(
				trx,
				{ actorUserId, action: 'event.reminders_set', entityType: scope === 'series' && event.seriesId ? 'series' : 'event', entityId: scope === 'series' && event.seriesId ? event.seriesId : eventId, municipalityId: host.id, details: { rules, scheduled } },
				now
			);
		}
		return { scheduled };
	});
}

/** Reminders of one event waiting to go out, and those already sent. */
export async function counts(db: Db, eventId: string): Promise<{ pending: number; sent: number; next: Date | null }> {
	const rows = await db
		.selectFrom('outbox')
		.select(['status', (eb) => eb.fn.countAll<number | string>().as('count'), (eb) => eb.fn.min('next_attempt_at').as('next')])
		.where('event_id', '=', eventId)
		.where('template', '=', 'event-reminder')
		.groupBy('status')
		.execute();
	const pending = rows.find((r) => r.status === 'pending');
	return {
		pending: Number(pending?.count ?? 0),
		sent: Number(rows.find((r) => r.status === 'sent')?.count ?? 0),
		next: pending?.next ? toDate(pending.next as string | Date) : null
	};
}
