import type { Kysely } from 'kysely';
import { retryOnConflict } from '../db/conflicts';
import { toDate, toDateOrNull, type Database, type Db, type RegistrationStatus } from '../db/schema';
import { createToken, generateId, sha256Hex, splitToken } from '../ids';
import * as audit from '../audit';
import { registrationsTotal } from '../http/metrics';
import * as events from '../events';
import * as outbox from '../mail/outbox';
import { toLocale } from '../mail/templates';
import * as feedback from '../feedback';
import * as alerts from '../alerts/subscriptions';
import * as reminders from '../reminders';
import { eventFacts, participantHeaders } from './mail';
import type { Locale } from '../../paraglide/runtime';
import { confirmUrl, manageSecret, manageToken, manageUrl, verifyToken, type LinkContext } from './links';
import { parseProfile, type Profile } from '../../participant-profile';
import { inviteAttachment } from '../calendar/invites';
import { CHECK_IN_CID, checkInAttachment, checkInImage } from './check-in-code';
import { nextWaitlistPosition, releaseSeats, takeSeats } from './seats';

export type { LinkContext };

export interface RegistrationInput {
	eventId: string;
	email: string;
	name: string;
	locale: Locale;
	/** null: a shift sign-up asks no profile; the person's stored profile stays as it is. */
	profile: Profile | null;
	consentIntroductions: boolean;
	/** Places for a team sign-up (shifts); 1 when absent. */
	places?: number;
}

interface Submitted {
	name: string;
	locale: Locale;
	profile: Profile | null;
	consentIntroductions: boolean;
}

export type RegisterResult =
	| { ok: true }
	| { ok: false; problem: 'not_found' | Exclude<events.RegistrationWindowState, 'open'> }
	| { ok: false; problem: 'too_many_places'; capacity: number };

/** Seat-holding statuses: these count against capacity or the waiting list. */
const ACTIVE: RegistrationStatus[] = ['confirmed', 'waitlisted', 'attended'];

/**
 * Registers a person for an event without an account. Nothing is reserved yet: an email with a
 * confirmation link goes out (double opt-in). Registering again with the same address resends
 * that link, or tells an already registered person so — never a second seat.
 */
export async function register(
	db: Kysely<Database>,
	input: RegistrationInput,
	ctx: LinkContext & { confirmHours: number },
	now: Date
): Promise<RegisterResult> {
	const email = input.email.trim().toLowerCase();
	// The same address registering twice at once: the run that lost finds the person and registration.
	const result = await retryOnConflict(() => db.transaction().execute(async (trx) => {
		const event = await events.get(trx, input.eventId);
		if (!event) return { ok: false, problem: 'not_found' } as const;
		const state = events.registrationState(event, now);
		if (state !== 'open') return { ok: false, problem: state } as const;
		const places = input.places ?? 1;
		// A team larger than the whole shift could never get in, not even from the waiting list.
		if (!Number.isInteger(places) || places < 1 || places > event.capacity) {
			return { ok: false, problem: 'too_many_places', capacity: event.capacity } as const;
		}

		let person = await trx.selectFrom('person').select(['id', 'name']).where('email', '=', email).executeTakeFirst();
		if (!person) {
			person = { id: generateId(), name: input.name };
			await trx
				.insertInto('person')
				.values({
					id: person.id,
					email,
					name: input.name,
					locale: input.locale,
					created_at: now.toISOString(),
					updated_at: now.toISOString()
				})
				.execute();
		}
		const existing = await trx
			.selectFrom('registration')
			.select(['id', 'status'])
			.where('event_id', '=', event.id)
			.where('person_id', '=', person.id)
			.executeTakeFirst();

		const submitted: Submitted = {
			name: input.name,
			locale: input.locale,
			profile: input.profile,
			consentIntroductions: input.consentIntroductions
		};
		if (existing && ACTIVE.includes(existing.status)) {
			// Tell the address owner, not the form filler: they may be different people.
			await outbox.enqueue(
				trx,
				{
					idempotencyKey: `already:${existing.id}:${now.toISOString()}`,
					recipient: email,
					locale: input.locale,
					template: 'registration-already',
					payload: { name: person.name, event: eventFacts(event), manageUrl: manageUrl(ctx, existing.id, input.locale), status: existing.status },
					headers: participantHeaders(ctx, event, existing.id, input.locale),
					municipalityId: event.hosts[0]?.id
				},
				now
			);
			return { ok: true } as const;
		}

		const id = existing?.id ?? generateId();
		const confirm = createToken();
		const confirmToken = `${id}.${confirm.secret}`;
		const values = {
			status: 'pending' as const,
			waitlist_position: null,
			submitted_profile: JSON.stringify(submitted),
			confirm_secret_hash: confirm.secretHash,
			confirm_expires_at: new Date(now.getTime() + ctx.confirmHours * 3600_000).toISOString(),
			cancelled_at: null,
			places,
			updated_at: now.toISOString()
		};
		if (existing) {
			await trx.updateTable('registration').set(values).where('id', '=', id).execute();
		} else {
			await trx
				.insertInto('registration')
				.values({
					id,
					event_id: event.id,
					person_id: person.id,
					manage_secret_hash: sha256Hex(manageSecret(ctx.secret, id)),
					created_at: now.toISOString(),
					...values
				})
				.execute();
		}
		await outbox.enqueue(
			trx,
			{
				idempotencyKey: `confirm-request:${id}:${confirm.secretHash.slice(0, 16)}`,
				recipient: email,
				locale: input.locale,
				template: 'registration-confirm-request',
				payload: {
					name: input.name,
					event: eventFacts(event),
					manageUrl: manageUrl(ctx, id, input.locale),
					confirmUrl: confirmUrl(ctx, confirmToken, input.locale),
					hours: ctx.confirmHours,
					places
				},
				headers: participantHeaders(ctx, event, null),
				municipalityId: event.hosts[0]?.id
			},
			now
		);
		return { ok: true } as const;
	}));
	// Counted once committed, so that a transaction run again after a conflict counts once.
	if (result.ok) registrationsTotal.inc({ outcome: 'requested' });
	return result;
}

export type ConfirmResult =
	| { ok: true; status: 'confirmed' | 'waitlisted'; position: number | null; manageToken: string; eventId: string }
	| { ok: false; problem: 'invalid' | 'expired' | 'closed'; eventId?: string }
	| { ok: false; problem: 'already'; status: RegistrationStatus; manageToken: string; eventId: string };

/** Opens the confirmation link: applies the profile, then takes a seat or a waiting-list place. */
export async function confirm(db: Kysely<Database>, token: string, ctx: LinkContext, now: Date): Promise<ConfirmResult> {
	const parts = splitToken(token);
	if (!parts) return { ok: false, problem: 'invalid' };
	const result = await db.transaction().execute(async (trx): Promise<ConfirmResult> => {
		const registration = await trx
			.selectFrom('registration')
			.selectAll()
			.where('id', '=', parts.id)
			.executeTakeFirst();
		if (!registration) return { ok: false, problem: 'invalid' };
		const manage = manageToken(ctx, registration.id);
		if (!verifyToken(token, registration.confirm_secret_hash)) return { ok: false, problem: 'invalid' };
		if (registration.status !== 'pending') {
			// A replayed link (the hash is kept after confirming): the owner gets a clear answer, nothing changes.
			return { ok: false, problem: 'already', status: registration.status, manageToken: manage, eventId: registration.event_id };
		}
		if (registration.confirm_expires_at && now >= toDate(registration.confirm_expires_at)) {
			return { ok: false, problem: 'expired', eventId: registration.event_id };
		}
		// Claim the pending row first: a concurrent replay of the same link waits here and then finds it taken.
		const claimed = await trx
			.updateTable('registration')
			.set({ updated_at: now.toISOString() })
			.where('id', '=', registration.id)
			.where('status', '=', 'pending')
			.executeTakeFirst();
		if (Number(claimed.numUpdatedRows) !== 1) {
			return { ok: false, problem: 'already', status: 'confirmed', manageToken: manage, eventId: registration.event_id };
		}
		const event = await events.get(trx, registration.event_id);
		if (!event || events.registrationState(event, now) !== 'open') {
			return { ok: false, problem: 'closed', eventId: registration.event_id };
		}

		const submitted = JSON.parse(registration.submitted_profile ?? '{}') as Submitted;
		await applyProfile(trx, registration.person_id, submitted, now);

		const email = (await trx.selectFrom('person').select('email').where('id', '=', registration.person_id).executeTakeFirstOrThrow()).email;
		const mail = { name: submitted.name, event: eventFacts(event), manageUrl: manageUrl(ctx, registration.id, submitted.locale), places: registration.places };
		const common = { confirm_expires_at: null, submitted_profile: null, updated_at: now.toISOString() };
		if (await takeSeats(trx, event.id, registration.places)) {
			await trx
				.updateTable('registration')
				.set({ ...common, status: 'confirmed', confirmed_at: now.toISOString() })
				.where('id', '=', registration.id)
				.execute();
			await outbox.enqueue(
				trx,
				{
					idempotencyKey: `confirmed:${registration.id}:${now.toISOString()}`,
					recipient: email,
					locale: submitted.locale,
					template: 'registration-confirmed',
					payload: { ...mail, checkInCid: CHECK_IN_CID },
					attachments: [
						await checkInAttachment(ctx, event.id, registration.id),
						inviteAttachment(event, { name: submitted.name, email }, 'REQUEST', { origin: ctx.origin, manageUrl: mail.manageUrl, locale: submitted.locale })
					],
					headers: participantHeaders(ctx, event, registration.id, submitted.locale),
					municipalityId: event.hosts[0]?.id
				},
				now
			);
			await reminders.scheduleForRegistration(trx, event.id, registration.id, ctx, now);
			await audit.record(trx, { actorUserId: null, action: 'registration.confirmed', entityType: 'registration', entityId: registration.id, municipalityId: event.hosts[0]?.id }, now);
			return { ok: true, status: 'confirmed', position: null, manageToken: manage, eventId: event.id };
		}
		const position = await nextWaitlistPosition(trx, event.id);
		await trx
			.updateTable('registration')
			.set({ ...common, status: 'waitlisted', waitlist_position: position })
			.where('id', '=', registration.id)
			.execute();
		await outbox.enqueue(
			trx,
			{ idempotencyKey: `waitlisted:${registration.id}:${now.toISOString()}`, recipient: email, locale: submitted.locale, template: 'registration-waitlisted', payload: { ...mail, position: await waitlistRank(trx, event.id, position) }, headers: participantHeaders(ctx, event, registration.id, submitted.locale), municipalityId: event.hosts[0]?.id },
			now
		);
		await audit.record(trx, { actorUserId: null, action: 'registration.waitlisted', entityType: 'registration', entityId: registration.id, municipalityId: event.hosts[0]?.id }, now);
		return { ok: true, status: 'waitlisted', position, manageToken: manage, eventId: event.id };
	});
	if (result.ok) registrationsTotal.inc({ outcome: result.status });
	return result;
}

async function applyProfile(db: Db, personId: string, submitted: Submitted, now: Date): Promise<void> {
	if (!submitted.profile) {
		await db.updateTable('person').set({ name: submitted.name, locale: submitted.locale, updated_at: now.toISOString() }).where('id', '=', personId).execute();
		return;
	}
	await db
		.updateTable('person')
		.set({
			name: submitted.name,
			locale: submitted.locale,
			profile: JSON.stringify(submitted.profile),
			consent_introductions: submitted.consentIntroductions ? 1 : 0,
			updated_at: now.toISOString()
		})
		.where('id', '=', personId)
		.execute();
	await db.deleteFrom('person_tag').where('person_id', '=', personId).execute();
	if (submitted.profile.interests.length > 0) {
		const tags = await db.selectFrom('tag').select('id').where('slug', 'in', submitted.profile.interests).execute();
		if (tags.length > 0) {
			await db.insertInto('person_tag').values(tags.map((t) => ({ person_id: personId, tag_id: t.id }))).execute();
		}
	}
}

/** 1-based place among those still waiting (positions are never reused, so gaps are skipped). */
export async function waitlistRank(db: Db, eventId: string, position: number): Promise<number> {
	const row = await db
		.selectFrom('registration')
		.select((eb) => eb.fn.countAll<number | string>().as('ahead'))
		.where('event_id', '=', eventId)
		.where('status', '=', 'waitlisted')
		.where('waitlist_position', '<', position)
		.executeTakeFirstOrThrow();
	return Number(row.ahead) + 1;
}

/**
 * Gives free seats to the longest-waiting people, in position order, and tells them.
 * Call inside the transaction that freed the seats (a cancellation or a larger capacity).
 */
export async function fillFreeSeats(db: Db, eventId: string, ctx: LinkContext, now: Date): Promise<number> {
	const event = await events.get(db, eventId);
	if (!event || event.status !== 'published' || event.startsAt <= now) return 0;
	let promoted = 0;
	for (;;) {
		const next = await db
			.selectFrom('registration')
			.innerJoin('person', 'person.id', 'registration.person_id')
			.select(['registration.id', 'registration.places', 'person.email', 'person.name', 'person.locale'])
			.where('registration.event_id', '=', eventId)
			.where('registration.status', '=', 'waitlisted')
			.orderBy('registration.waitlist_position')
			.limit(1)
			.executeTakeFirst();
		// Strict order: a team at the head that does not fit yet waits, and so does everyone behind it.
		if (!next || !(await takeSeats(db, eventId, next.places))) break;
		const moved = await db
			.updateTable('registration')
			.set({ status: 'confirmed', waitlist_position: null, confirmed_at: now.toISOString(), updated_at: now.toISOString() })
			.where('id', '=', next.id)
			.where('status', '=', 'waitlisted')
			.executeTakeFirst();
		if (Number(moved.numUpdatedRows) !== 1) {
			await releaseSeats(db, eventId, next.places); // someone else promoted or cancelled them meanwhile
			continue;
		}
		await outbox.enqueue(
			db,
			{
				idempotencyKey: `promoted:${next.id}:${now.toISOString()}`,
				recipient: next.email,
				locale: toLocale(next.locale),
				template: 'registration-promoted',
				payload: { name: next.name, event: eventFacts(event), manageUrl: manageUrl(ctx, next.id, next.locale ?? undefined), checkInCid: CHECK_IN_CID, places: next.places },
				attachments: [
					await checkInAttachment(ctx, eventId, next.id),
					inviteAttachment(event, { name: next.name, email: next.email }, 'REQUEST', { origin: ctx.origin, manageUrl: manageUrl(ctx, next.id, next.locale ?? undefined), locale: next.locale ?? undefined })
				],
				headers: participantHeaders(ctx, event, next.id, next.locale),
				municipalityId: event.hosts[0]?.id
			},
			now
		);
		await reminders.scheduleForRegistration(db, eventId, next.id, ctx, now);
		await audit.record(db, { actorUserId: null, action: 'registration.promoted', entityType: 'registration', entityId: next.id, municipalityId: event.hosts[0]?.id }, now);
		promoted++;
	}
	return promoted;
}

export interface ManagedRegistration {
	id: string;
	status: RegistrationStatus;
	waitlistRank: number | null;
	/** Places held (a team: more than 1). */
	places: number;
	event: events.EventDetails;
	person: { id: string; name: string; email: string; locale: string; profile: Profile; consentIntroductions: boolean; mailOptOut: boolean };
}

/** The registration behind a manage link, or null for a forged or unknown token. */
export async function findByManageToken(db: Db, token: string): Promise<ManagedRegistration | null> {
	const parts = splitToken(token);
	if (!parts) return null;
	const row = await db
		.selectFrom('registration')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.select([
			'registration.id',
			'registration.status',
			'registration.waitlist_position',
			'registration.event_id',
			'registration.places',
			'registration.manage_secret_hash',
			'person.id as person_id',
			'person.name',
			'person.email',
			'person.locale',
			'person.profile',
			'person.consent_introductions',
			'person.anonymised_at',
			'person.mail_opt_out_at'
		])
		.where('registration.id', '=', parts.id)
		.executeTakeFirst();
	if (!row || row.anonymised_at !== null || !verifyToken(token, row.manage_secret_hash)) return null;
	const event = await events.get(db, row.event_id);
	if (!event) return null;
	return {
		id: row.id,
		status: row.status,
		places: row.places,
		waitlistRank: row.status === 'waitlisted' && row.waitlist_position !== null ? await waitlistRank(db, row.event_id, row.waitlist_position) : null,
		event,
		person: {
			id: row.person_id,
			name: row.name,
			email: row.email,
			locale: row.locale,
			profile: parseProfile(row.profile),
			consentIntroductions: row.consent_introductions === 1,
			mailOptOut: row.mail_opt_out_at !== null
		}
	};
}

/** The QR code to show at the entrance, for people who hold a seat (null while pending, waiting or cancelled). */
export async function checkInCode(ctx: LinkContext, registration: Pick<ManagedRegistration, 'id' | 'status' | 'event'>): Promise<string | null> {
	if (registration.status !== 'confirmed' && registration.status !== 'attended') return null;
	return checkInImage(ctx, registration.event.id, registration.id);
}

/** Changes the person's details through their manage link (the address is proven by the link). */
export async function updateDetails(
	db: Kysely<Database>,
	token: string,
	details: { name: string; locale: Locale; profile: Profile; consentIntroductions: boolean },
	ctx: LinkContext,
	now: Date
): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const registration = await findByManageToken(trx, token);
		if (!registration) return false;
		await applyProfile(trx, registration.person.id, details, now);
		// Scheduled reminders were written in the old name and language.
		await reminders.scheduleForPerson(trx, registration.person.id, ctx, now);
		await audit.record(trx, { actorUserId: null, action: 'person.updated', entityType: 'person', entityId: registration.person.id, municipalityId: registration.event.hosts[0]?.id }, now);
		return true;
	});
}

/**
 * Sets the language of the person's mail: their reminders (rewritten at once), invites and alerts
 * follow it. The manage page then shows itself in that language too.
 */
export async function setLanguage(db: Kysely<Database>, token: string, locale: Locale, ctx: LinkContext, now: Date): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const registration = await findByManageToken(trx, token);
		if (!registration) return false;
		const personId = registration.person.id;
		await trx.updateTable('person').set({ locale, updated_at: now.toISOString() }).where('id', '=', personId).execute();
		await trx.updateTable('alert_subscription').set({ locale }).where('person_id', '=', personId).execute();
		await reminders.scheduleForPerson(trx, personId, ctx, now);
		await audit.record(trx, { actorUserId: null, action: 'person.language_changed', entityType: 'person', entityId: personId, municipalityId: registration.event.hosts[0]?.id, details: { locale } }, now);
		return true;
	});
}

async function cancelInside(
	db: Db,
	registrationId: string,
	ctx: LinkContext,
	now: Date,
	byCoordinator: boolean
): Promise<boolean> {
	const row = await db
		.selectFrom('registration')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.select(['registration.status', 'registration.event_id', 'registration.places', 'person.email', 'person.name', 'person.locale'])
		.where('registration.id', '=', registrationId)
		.executeTakeFirst();
	if (!row || !['pending', 'confirmed', 'waitlisted'].includes(row.status)) return false;
	const changed = await db
		.updateTable('registration')
		.set({ status: 'cancelled', cancelled_at: now.toISOString(), waitlist_position: null, confirm_secret_hash: null, updated_at: now.toISOString() })
		.where('id', '=', registrationId)
		.where('status', '=', row.status)
		.executeTakeFirst();
	if (Number(changed.numUpdatedRows) !== 1) return false;
	await reminders.withdraw(db, { registrationIds: [registrationId] });
	if (row.status === 'confirmed') {
		await releaseSeats(db, row.event_id, row.places);
		await fillFreeSeats(db, row.event_id, ctx, now);
	}
	const event = await events.get(db, row.event_id);
	if (event && row.status !== 'pending') {
		await outbox.enqueue(
			db,
			{
				idempotencyKey: `cancelled:${registrationId}:${now.toISOString()}`,
				recipient: row.email,
				locale: toLocale(row.locale),
				template: 'registration-cancelled',
				payload: { name: row.name, event: eventFacts(event), manageUrl: manageUrl(ctx, registrationId, row.locale ?? undefined), byCoordinator },
				// Only a confirmed person had the invite in their calendar; take it out again.
				attachments:
					row.status === 'confirmed'
						? [inviteAttachment(event, { name: row.name, email: row.email }, 'CANCEL', { origin: ctx.origin, manageUrl: manageUrl(ctx, registrationId, row.locale ?? undefined), locale: row.locale ?? undefined })]
						: [],
				headers: participantHeaders(ctx, event, registrationId, row.locale),
				municipalityId: event.hosts[0]?.id
			},
			now
		);
	}
	return true;
}

/** The person cancels through their manage link; a freed seat goes to the first waiting person. */
export async function cancel(db: Kysely<Database>, token: string, ctx: LinkContext, now: Date): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const registration = await findByManageToken(trx, token);
		if (!registration) return false;
		const done = await cancelInside(trx, registration.id, ctx, now, false);
		if (done) {
			await audit.record(trx, { actorUserId: null, action: 'registration.cancelled_by_person', entityType: 'registration', entityId: registration.id, municipalityId: registration.event.hosts[0]?.id }, now);
		}
		return done;
	});
}

/** A coordinator cancels a registration (authorisation is the caller's job). */
export async function cancelByCoordinator(
	db: Kysely<Database>,
	registrationId: string,
	actorUserId: string,
	ctx: LinkContext,
	now: Date
): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const done = await cancelInside(trx, registrationId, ctx, now, true);
		if (done) {
			await audit.record(trx, { actorUserId, action: 'registration.cancelled', entityType: 'registration', entityId: registrationId }, now);
		}
		return done;
	});
}

/** Everything stored about the person behind a manage link, for download (GDPR art. 15/20). */
export async function exportData(db: Db, token: string) {
	const registration = await findByManageToken(db, token);
	if (!registration) return null;
	const person = await db.selectFrom('person').selectAll().where('id', '=', registration.person.id).executeTakeFirstOrThrow();
	const registrations = await db
		.selectFrom('registration')
		.innerJoin('event', 'event.id', 'registration.event_id')
		.select(['event.title', 'event.starts_at', 'registration.status', 'registration.places', 'registration.created_at', 'registration.confirmed_at', 'registration.cancelled_at', 'registration.checked_in_at'])
		.where('registration.person_id', '=', person.id)
		.orderBy('event.starts_at')
		.execute();
	const conversations = await db
		.selectFrom('match_slot')
		.innerJoin('match_plan', 'match_plan.id', 'match_slot.plan_id')
		.innerJoin('event', 'event.id', 'match_plan.event_id')
		.innerJoin('club', 'club.id', 'match_slot.club_id')
		.select(['event.title', 'club.name', 'match_slot.place_label', 'match_slot.starts_at', 'match_slot.ends_at', 'match_slot.reasons'])
		.where('match_slot.person_id', '=', person.id)
		.where('match_plan.status', '=', 'published')
		.orderBy('match_slot.starts_at')
		.execute();
	return {
		person: {
			name: person.name,
			email: person.email,
			language: person.locale,
			profile: parseProfile(person.profile),
			consentIntroductions: person.consent_introductions === 1,
			createdAt: toDate(person.created_at).toISOString(),
			updatedAt: toDate(person.updated_at).toISOString()
		},
		registrations: registrations.map((r) => ({
			event: r.title,
			startsAt: toDate(r.starts_at).toISOString(),
			status: r.status,
			places: r.places,
			registeredAt: toDate(r.created_at).toISOString(),
			confirmedAt: toDateOrNull(r.confirmed_at)?.toISOString() ?? null,
			cancelledAt: toDateOrNull(r.cancelled_at)?.toISOString() ?? null,
			checkedInAt: toDateOrNull(r.checked_in_at)?.toISOString() ?? null
		})),
		conversations: conversations.map((c) => ({
			event: c.title,
			club: c.name,
			place: c.place_label,
			startsAt: toDateOrNull(c.starts_at)?.toISOString() ?? null,
			endsAt: toDateOrNull(c.ends_at)?.toISOString() ?? null,
			reasons: JSON.parse(c.reasons) as unknown
		})),
		...(await feedback.exportFor(db, person.id)),
		alerts: await alerts.exportFor(db, person.id)
	};
}

/**
 * Erases the person: open registrations are cancelled (seats passed on), the person row keeps no
 * personal data, registration rows stay without it so attendance counts remain right.
 */
export async function anonymisePerson(db: Db, personId: string, ctx: LinkContext, now: Date): Promise<void> {
	// Only upcoming registrations are cancelled; past ones keep their status for the counts.
	const open = await db
		.selectFrom('registration')
		.innerJoin('event', 'event.id', 'registration.event_id')
		.select(['registration.id', 'registration.status', 'registration.event_id', 'registration.places'])
		.where('registration.person_id', '=', personId)
		.where('registration.status', 'in', ['pending', 'confirmed', 'waitlisted'])
		.where('event.starts_at', '>', now.toISOString())
		.execute();
	for (const row of open) {
		await db
			.updateTable('registration')
			.set({ status: 'cancelled', cancelled_at: now.toISOString(), waitlist_position: null, updated_at: now.toISOString() })
			.where('id', '=', row.id)
			.execute();
		if (row.status === 'confirmed') {
			await releaseSeats(db, row.event_id, row.places);
			await fillFreeSeats(db, row.event_id, ctx, now);
		}
	}
	const all = await db.selectFrom('registration').select('id').where('person_id', '=', personId).execute();
	await reminders.withdraw(db, { registrationIds: all.map((r) => r.id) });
	await db
		.updateTable('registration')
		.set({ submitted_profile: null, confirm_secret_hash: null })
		.where('person_id', '=', personId)
		.execute();
	await db.deleteFrom('person_tag').where('person_id', '=', personId).execute();
	// Matching rules and reasons come from the erased profile. Plans of events still to come drop
	// the person (the clubs no longer expect them); past plans keep the slot without reasons, so
	// the "matched" figures in reports stay right.
	const upcomingPlans = db
		.selectFrom('match_plan')
		.innerJoin('event', 'event.id', 'match_plan.event_id')
		.select('match_plan.id')
		.where('event.ends_at', '>', now.toISOString());
	await db.deleteFrom('match_slot').where('person_id', '=', personId).where('plan_id', 'in', upcomingPlans).execute();
	await db.updateTable('match_slot').set({ reasons: '[]' }).where('person_id', '=', personId).execute();
	await db.deleteFrom('match_rule').where('person_id', '=', personId).execute();
	await feedback.detachPerson(db, personId);
	// An Ehrenamtsnachweis names the person: it goes with them, and its link answers "not genuine".
	await db.deleteFrom('volunteer_record').where('person_id', '=', personId).execute();
	await alerts.endForPerson(db, personId);
	await db
		.updateTable('person')
		.set({
			email: `erased-${personId}@invalid`,
			name: '',
			profile: '{}',
			consent_introductions: 0,
			anonymised_at: now.toISOString(),
			updated_at: now.toISOString()
		})
		.where('id', '=', personId)
		.execute();
}

export async function deleteData(db: Kysely<Database>, token: string, ctx: LinkContext, now: Date): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const registration = await findByManageToken(trx, token);
		if (!registration) return false;
		await anonymisePerson(trx, registration.person.id, ctx, now);
		await audit.record(trx, { actorUserId: null, action: 'person.erased', entityType: 'person', entityId: registration.person.id }, now);
		return true;
	});
}

/** Unconfirmed registrations whose link has expired; they never held a seat. */
export async function expirePending(db: Db, now: Date): Promise<number> {
	const result = await db
		.updateTable('registration')
		.set({ status: 'expired', confirm_secret_hash: null, submitted_profile: null, updated_at: now.toISOString() })
		.where('status', '=', 'pending')
		.where('confirm_expires_at', '<=', now.toISOString())
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}
