import type { Kysely } from 'kysely';
import { toDate, type AlertFrequency, type Database, type Db } from '../db/schema';
import { generateId, sha256Hex, splitToken } from '../ids';
import * as outbox from '../mail/outbox';
import { localePrefix, manageSecret, verifyToken, type LinkContext } from '../registrations/links';
import { parseProfile } from '../../participant-profile';
import type { Locale } from '../../paraglide/runtime';

// Opt-in to a digest of new offers that fit a person's kept profile. Double opt-in: only hashes of
// the confirm secret and of the derived unsubscribe secret are stored. The unsubscribe link is
// derived (HMAC of the subscription id), so every digest carries the same link.

export const FREQUENCIES = ['weekly', 'daily'] as const satisfies readonly AlertFrequency[];

export function isFrequency(value: unknown): value is AlertFrequency {
	return typeof value === 'string' && (FREQUENCIES as readonly string[]).includes(value);
}

export function unsubscribeToken(ctx: LinkContext, subscriptionId: string): string {
	return `${subscriptionId}.${manageSecret(ctx.secret, `alert:${subscriptionId}`)}`;
}

export function unsubscribeUrl(ctx: LinkContext, subscriptionId: string, locale?: string): string {
	return `${ctx.origin}${localePrefix(locale)}/alerts/unsubscribe/${unsubscribeToken(ctx, subscriptionId)}`;
}

export function confirmUrl(ctx: LinkContext, token: string, locale?: string): string {
	return `${ctx.origin}${localePrefix(locale)}/alerts/confirm/${token}`;
}

export interface SubscriptionState {
	frequency: AlertFrequency;
	municipalityId: string;
	confirmed: boolean;
}

/** The person's subscription, if any (for the manage page). */
export async function findForPerson(db: Db, personId: string): Promise<SubscriptionState | null> {
	const row = await db.selectFrom('alert_subscription').select(['frequency', 'municipality_id', 'confirmed_at']).where('person_id', '=', personId).executeTakeFirst();
	return row ? { frequency: row.frequency, municipalityId: row.municipality_id, confirmed: row.confirmed_at !== null } : null;
}

/** The person's own copy of their alert data (the manage page's data download). */
export async function exportFor(db: Db, personId: string) {
	const row = await db.selectFrom('alert_subscription').select(['frequency', 'created_at', 'confirmed_at', 'last_sent_at']).where('person_id', '=', personId).executeTakeFirst();
	// One row per item sent; the item is an offer or an Einsatz (whichever join matches).
	const sent = await db
		.selectFrom('alert_sent')
		.leftJoin('offer', (join) => join.onRef('offer.id', '=', 'alert_sent.item_id').on('alert_sent.item_kind', '=', 'offer'))
		.leftJoin('task', (join) => join.onRef('task.id', '=', 'alert_sent.item_id').on('alert_sent.item_kind', '=', 'task'))
		.select(['alert_sent.item_kind', 'offer.title as offerTitle', 'task.title as taskTitle', 'alert_sent.sent_at'])
		.where('alert_sent.person_id', '=', personId)
		.orderBy('alert_sent.sent_at')
		.execute();
	return {
		subscription: row
			? {
					frequency: row.frequency,
					requestedAt: toDate(row.created_at).toISOString(),
					confirmedAt: row.confirmed_at ? toDate(row.confirmed_at).toISOString() : null,
					lastDigestAt: row.last_sent_at ? toDate(row.last_sent_at).toISOString() : null
				}
			: null,
		offersSent: sent.flatMap((s) => (s.item_kind === 'offer' && s.offerTitle !== null ? [{ offer: s.offerTitle, sentAt: toDate(s.sent_at).toISOString() }] : [])),
		tasksSent: sent.flatMap((s) => (s.item_kind === 'task' && s.taskTitle !== null ? [{ task: s.taskTitle, sentAt: toDate(s.sent_at).toISOString() }] : []))
	};
}

/** Alerts need something to compare offers with: interests or competences in the kept profile. */
export function hasProfile(profileJson: string): boolean {
	const profile = parseProfile(profileJson);
	return profile.interests.length > 0 || (profile.competences?.length ?? 0) > 0;
}

export interface SubscribeInput {
	personId: string;
	municipalityId: string;
	frequency: AlertFrequency;
	locale: Locale;
}

export type SubscribeResult = { ok: true; state: 'confirm_sent' | 'updated' } | { ok: false; problem: 'no_profile' | 'not_found' };

/**
 * Asks for alerts. A new (or still unconfirmed) subscription gets a confirmation mail; a confirmed
 * one only takes the new choices.
 */
export async function subscribe(db: Kysely<Database>, input: SubscribeInput, ctx: LinkContext & { confirmHours: number }, now: Date): Promise<SubscribeResult> {
	return db.transaction().execute(async (trx): Promise<SubscribeResult> => {
		const person = await trx.selectFrom('person').select(['id', 'name', 'email', 'profile']).where('id', '=', input.personId).where('anonymised_at', 'is', null).executeTakeFirst();
		if (!person) return { ok: false, problem: 'not_found' };
		if (!hasProfile(person.profile)) return { ok: false, problem: 'no_profile' };
		const existing = await trx.selectFrom('alert_subscription').select(['id', 'confirmed_at']).where('person_id', '=', person.id).executeTakeFirst();
		if (existing?.confirmed_at) {
			await trx.updateTable('alert_subscription').set({ frequency: input.frequency, municipality_id: input.municipalityId, locale: input.locale }).where('id', '=', existing.id).execute();
			return { ok: true, state: 'updated' };
		}
		const id = existing?.id ?? generateId();
		const secret = generateId();
		const confirm = {
			confirm_secret_hash: sha256Hex(secret),
			confirm_expires_at: new Date(now.getTime() + ctx.confirmHours * 3600_000).toISOString(),
			frequency: input.frequency,
			municipality_id: input.municipalityId,
			locale: input.locale
		};
		if (existing) {
			await trx.updateTable('alert_subscription').set(confirm).where('id', '=', id).execute();
		} else {
			await trx
				.insertInto('alert_subscription')
				.values({ id, person_id: person.id, unsubscribe_secret_hash: sha256Hex(manageSecret(ctx.secret, `alert:${id}`)), created_at: now.toISOString(), ...confirm })
				.execute();
		}
		await outbox.enqueue(
			trx,
			{
				idempotencyKey: `alert-confirm-request:${id}:${secret}`,
				recipient: person.email,
				locale: input.locale,
				template: 'alert-confirm-request',
				payload: { name: person.name, confirmUrl: confirmUrl(ctx, `${id}.${secret}`, input.locale), hours: ctx.confirmHours },
				municipalityId: input.municipalityId
			},
			now
		);
		return { ok: true, state: 'confirm_sent' };
	});
}

export type ConfirmResult = { ok: true; frequency: AlertFrequency } | { ok: false; problem: 'invalid' | 'expired' };

/** The link from the confirmation mail; a replay after success is fine. */
export async function confirm(db: Db, token: string, now: Date): Promise<ConfirmResult> {
	const parts = splitToken(token);
	if (!parts) return { ok: false, problem: 'invalid' };
	const row = await db.selectFrom('alert_subscription').select(['id', 'frequency', 'confirm_secret_hash', 'confirm_expires_at', 'confirmed_at']).where('id', '=', parts.id).executeTakeFirst();
	if (!row || !verifyToken(token, row.confirm_secret_hash)) return { ok: false, problem: 'invalid' };
	if (row.confirm_expires_at && now >= toDate(row.confirm_expires_at)) return { ok: false, problem: 'expired' };
	// The secret stays until it expires, so opening the link again shows success, not an error.
	await db.updateTable('alert_subscription').set({ confirmed_at: now.toISOString(), confirm_expires_at: null }).where('id', '=', row.id).where('confirmed_at', 'is', null).execute();
	return { ok: true, frequency: row.frequency };
}

/** Who an unsubscribe link belongs to, or null for a forged or spent one. */
export async function findByUnsubscribeToken(db: Db, token: string): Promise<{ id: string; email: string } | null> {
	const parts = splitToken(token);
	if (!parts) return null;
	const row = await db
		.selectFrom('alert_subscription')
		.innerJoin('person', 'person.id', 'alert_subscription.person_id')
		.select(['alert_subscription.id', 'alert_subscription.unsubscribe_secret_hash', 'person.email'])
		.where('alert_subscription.id', '=', parts.id)
		.executeTakeFirst();
	if (!row || !verifyToken(token, row.unsubscribe_secret_hash)) return null;
	return { id: row.id, email: row.email };
}

/** Ends the subscription (the one-click link); digests not yet sent are dropped. */
export async function unsubscribe(db: Kysely<Database>, token: string): Promise<boolean> {
	const subscription = await findByUnsubscribeToken(db, token);
	if (!subscription) return false;
	await db.transaction().execute(async (trx) => {
		await removeSubscriptions(trx, [subscription.id]);
	});
	return true;
}

async function removeSubscriptions(db: Db, ids: string[]): Promise<void> {
	if (ids.length === 0) return;
	for (const id of ids) {
		await db.deleteFrom('outbox').where('status', '=', 'pending').where('idempotency_key', 'like', `alert-%:${id}:%`).execute();
	}
	await db.deleteFrom('alert_subscription').where('id', 'in', ids).execute();
}

/** A person's data is erased (anonymised or deleted): their alerts end and what they were sent goes. */
export async function endForPerson(db: Db, personId: string): Promise<void> {
	const rows = await db.selectFrom('alert_subscription').select('id').where('person_id', '=', personId).execute();
	await removeSubscriptions(db, rows.map((r) => r.id));
	await db.deleteFrom('alert_sent').where('person_id', '=', personId).execute();
}

/** Subscriptions never confirmed in time go. */
export async function deleteExpired(db: Db, now: Date): Promise<number> {
	const result = await db.deleteFrom('alert_subscription').where('confirmed_at', 'is', null).where('confirm_expires_at', '<=', now.toISOString()).executeTakeFirst();
	return Number(result.numDeletedRows);
}
