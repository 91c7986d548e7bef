import type { Kysely } from 'kysely';
import type { Database, Db } from '../db/schema';
import * as audit from '../audit';
import * as outbox from '../mail/outbox';
import { toLocale } from '../mail/templates';
import * as registrations from '../registrations';
import { manageUrl, type LinkContext } from '../registrations/links';
import { inviteAttachment } from '../calendar/invites';
import * as reminders from '../reminders';
import { participantHeaders } from '../registrations/mail';
import { zonedToUtc } from './recurrence';
import { get, venueLine, type EventDetails } from './index';

export interface EventChanges {
	title: string;
	description: string;
	/** Wall time in the event's zone, `YYYY-MM-DDTHH:mm`. */
	startLocal: string;
	durationMinutes: number;
	venueId: string | null;
	capacity: number;
	status: 'draft' | 'published';
	/** Left as it is when not given. */
	feedbackDelayHours?: number;
}

export type UpdateResult = { ok: true; moved: boolean; promoted: number } | { ok: false; problem: 'not_found' | 'cancelled' | 'invalid_start' | 'past' };

async function notifyAll(
	db: Db,
	event: EventDetails,
	template: 'event-moved' | 'event-cancelled',
	ctx: LinkContext,
	now: Date
): Promise<number> {
	const people = await db
		.selectFrom('registration')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.select(['registration.id', 'registration.status', 'person.email', 'person.name', 'person.locale'])
		.where('registration.event_id', '=', event.id)
		.where('registration.status', 'in', ['pending', 'confirmed', 'waitlisted'])
		.where('person.anonymised_at', 'is', null)
		.execute();
	for (const person of people) {
		const url = manageUrl(ctx, person.id, person.locale);
		// Invites went only to confirmed people: they get the update (same UID, higher SEQUENCE) or the cancellation.
		const invite =
			person.status === 'confirmed'
				? [inviteAttachment(event, { name: person.name, email: person.email }, template === 'event-moved' ? 'REQUEST' : 'CANCEL', { origin: ctx.origin, manageUrl: url, locale: person.locale })]
				: [];
		await outbox.enqueue(
			db,
			{
				idempotencyKey: `${template}:${person.id}:${event.icalSequence}`,
				recipient: person.email,
				locale: toLocale(person.locale),
				template,
				payload: {
					name: person.name,
					event: {
						title: event.title,
						startsAt: event.startsAt.toISOString(),
						endsAt: event.endsAt.toISOString(),
						timeZone: event.timeZone,
						where: venueLine(event.venue, event.place)
					},
					manageUrl: url
				},
				attachments: invite,
				headers: participantHeaders(ctx, event, person.id, person.locale),
				municipalityId: event.hosts[0]?.id
			},
			now
		);
	}
	return people.length;
}

/**
 * A coordinator edits one date. Moving it (time, duration or venue) bumps the iCalendar SEQUENCE
 * and tells everyone registered; a larger capacity lets waiting people move up. A lower capacity
 * never removes anyone: confirmed stay, nobody new gets in until seats free up.
 */
export async function update(
	db: Kysely<Database>,
	eventId: string,
	changes: EventChanges,
	actorUserId: string,
	ctx: LinkContext,
	now: Date
): Promise<UpdateResult> {
	return db.transaction().execute((trx) => updateWithin(trx, eventId, changes, actorUserId, ctx, now));
}

/** `update` inside the caller's transaction (a series page changes many dates in one). */
export async function updateWithin(
	trx: Db,
	eventId: string,
	changes: EventChanges,
	actorUserId: string,
	ctx: LinkContext,
	now: Date
): Promise<UpdateResult> {
	const before = await get(trx, eventId);
	if (!before) return { ok: false, problem: 'not_found' };
	if (before.status === 'cancelled') return { ok: false, problem: 'cancelled' };
	const startsAt = zonedToUtc(changes.startLocal, before.timeZone);
	if (!startsAt) return { ok: false, problem: 'invalid_start' };
	// Publishing a date that has begun would announce something nobody can attend any more.
	if (changes.status === 'published' && before.status !== 'published' && startsAt <= now) return { ok: false, problem: 'past' };
	const endsAt = new Date(startsAt.getTime() + changes.durationMinutes * 60_000);
	const moved =
		startsAt.getTime() !== before.startsAt.getTime() ||
		endsAt.getTime() !== before.endsAt.getTime() ||
		changes.venueId !== (before.venue?.id ?? null);
	await trx
		.updateTable('event')
		.set((eb) => ({
			title: changes.title,
			description: changes.description,
			starts_at: startsAt.toISOString(),
			ends_at: endsAt.toISOString(),
			venue_id: changes.venueId,
			capacity: changes.capacity,
			status: changes.status,
			...(changes.feedbackDelayHours === undefined ? {} : { feedback_delay_hours: changes.feedbackDelayHours }),
			ical_sequence: moved ? eb('ical_sequence', '+', 1) : eb.ref('ical_sequence'),
			updated_at: now.toISOString()
		}))
		.where('id', '=', eventId)
		.execute();
	const after = (await get(trx, eventId))!;
	if (moved && after.status === 'published') await notifyAll(trx, after, 'event-moved', ctx, now);
	const promoted = await registrations.fillFreeSeats(trx, eventId, ctx, now);
	// Rewritten for everyone: a move gives new moments, any edit new wording.
	await reminders.scheduleForEvent(trx, eventId, ctx, now);
	for (const host of after.hosts) {
		await audit.record(
			trx,
			{ actorUserId, action: moved ? 'event.moved' : 'event.updated', entityType: 'event', entityId: eventId, municipalityId: host.id, details: { capacity: changes.capacity, promoted } },
			now
		);
	}
	return { ok: true, moved, promoted };
}

/** Cancels one date and tells everyone registered. Registrations stay on record. */
export async function cancel(
	db: Kysely<Database>,
	eventId: string,
	actorUserId: string,
	ctx: LinkContext,
	now: Date
): Promise<{ ok: true; notified: number } | { ok: false }> {
	return db.transaction().execute((trx) => cancelWithin(trx, eventId, actorUserId, ctx, now));
}

/** `cancel` inside the caller's transaction (an Einsatz checks first that another shift remains). */
export async function cancelWithin(
	trx: Db,
	eventId: string,
	actorUserId: string,
	ctx: LinkContext,
	now: Date
): Promise<{ ok: true; notified: number } | { ok: false }> {
	const result = await trx
		.updateTable('event')
		.set((eb) => ({ status: 'cancelled', ical_sequence: eb('ical_sequence', '+', 1), updated_at: now.toISOString() }))
		.where('id', '=', eventId)
		.where('status', '!=', 'cancelled')
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) return { ok: false } as const;
	const event = (await get(trx, eventId))!;
	await reminders.withdraw(trx, { eventId });
	const notified = await notifyAll(trx, event, 'event-cancelled', ctx, now);
	for (const host of event.hosts) {
		await audit.record(trx, { actorUserId, action: 'event.cancelled', entityType: 'event', entityId: eventId, municipalityId: host.id, details: { notified } }, now);
	}
	return { ok: true, notified } as const;
}
