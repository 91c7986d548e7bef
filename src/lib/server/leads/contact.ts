import type { Kysely } from 'kysely';
import { toDate, type Database, type Db } from '../db/schema';
import { createToken, generateId, sha256Hex, splitToken } from '../ids';
import * as audit from '../audit';
import * as outbox from '../mail/outbox';
import { toLocale } from '../mail/templates';
import { localePrefix, manageSecret, verifyToken, type LinkContext } from '../registrations/links';
import type { Locale } from '../../paraglide/runtime';

// "Ich möchte mitmachen" on a published offer, any day: double opt-in as for registrations (only
// hashes of the confirm secret and of the derived manage secret are stored). Confirming turns the
// request into a lead of the club without an event; withdrawing ends the lead and erases the
// person's name, address and message.

export const MESSAGE_MAX = 1000;

export interface ContactOffer {
	offerId: string;
	title: string;
	clubId: string;
	club: string;
	clubEmail: string;
	municipalityId: string;
	/** The public club page, for links back. */
	clubPath: string;
}

export interface ContactInput {
	name: string;
	email: string;
	message: string;
	locale: Locale;
}

/** A published offer of an approved club, found by the public page's address. */
export async function findOffer(db: Db, municipalitySlug: string, clubSlug: string, offerId: string): Promise<ContactOffer | null> {
	const row = await offerQuery(db)
		.where('municipality.slug', '=', municipalitySlug)
		.where('club.slug', '=', clubSlug)
		.where('offer.id', '=', offerId)
		.executeTakeFirst();
	return row ? toOffer(row) : null;
}

function offerQuery(db: Db) {
	return db
		.selectFrom('offer')
		.innerJoin('club', 'club.id', 'offer.club_id')
		.innerJoin('municipality', 'municipality.id', 'club.municipality_id')
		.select(['offer.id', 'offer.title', 'club.id as club_id', 'club.name as club_name', 'club.slug as club_slug', 'club.contact_email', 'municipality.id as municipality_id', 'municipality.slug as municipality_slug'])
		.where('offer.status', '=', 'published')
		.where('club.status', '=', 'approved');
}

function toOffer(row: { id: string; title: string; club_id: string; club_name: string; club_slug: string; contact_email: string; municipality_id: string; municipality_slug: string }): ContactOffer {
	return {
		offerId: row.id,
		title: row.title,
		clubId: row.club_id,
		club: row.club_name,
		clubEmail: row.contact_email,
		municipalityId: row.municipality_id,
		clubPath: `/clubs/${row.municipality_slug}/${row.club_slug}`
	};
}

export function contactManageToken(ctx: LinkContext, contactId: string): string {
	// Its own HMAC label: a contact's manage link never opens a registration's page.
	return `${contactId}.${manageSecret(ctx.secret, `contact:${contactId}`)}`;
}

export function contactManageUrl(ctx: LinkContext, contactId: string, locale?: string): string {
	return `${ctx.origin}${localePrefix(locale)}/contact/manage/${contactManageToken(ctx, contactId)}`;
}

export function contactConfirmUrl(ctx: LinkContext, token: string, locale?: string): string {
	return `${ctx.origin}${localePrefix(locale)}/contact/confirm/${token}`;
}

/** Stores the request and emails the confirmation link; nothing reaches the club yet. */
export async function request(db: Kysely<Database>, offer: ContactOffer, input: ContactInput, ctx: LinkContext & { confirmHours: number }, now: Date): Promise<void> {
	const email = input.email.trim().toLowerCase();
	const confirm = createToken();
	const id = confirm.id;
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('offer_contact')
			.values({
				id,
				offer_id: offer.offerId,
				club_id: offer.clubId,
				name: input.name,
				email,
				message: input.message,
				locale: input.locale,
				confirm_secret_hash: confirm.secretHash,
				confirm_expires_at: new Date(now.getTime() + ctx.confirmHours * 3600_000).toISOString(),
				manage_secret_hash: sha256Hex(manageSecret(ctx.secret, `contact:${id}`)),
				created_at: now.toISOString()
			})
			.execute();
		await outbox.enqueue(
			trx,
			{
				idempotencyKey: `contact-confirm-request:${id}`,
				recipient: email,
				locale: input.locale,
				template: 'contact-confirm-request',
				payload: { name: input.name, club: offer.club, offer: offer.title, confirmUrl: contactConfirmUrl(ctx, confirm.token, input.locale), manageUrl: contactManageUrl(ctx, id, input.locale), hours: ctx.confirmHours },
				headers: { fromName: `${offer.club} · Miteinander` },
				municipalityId: offer.municipalityId
			},
			now
		);
	});
}

export type ConfirmResult =
	| { ok: true; manageToken: string; offer: string; club: string }
	| { ok: false; problem: 'already'; manageToken: string; offer: string; club: string }
	| { ok: false; problem: 'invalid' | 'expired' | 'closed' };

/**
 * Opens the confirmation link: creates the club's lead (source 'offer') and tells the club. A replay
 * or a second request for the same offer from the same address creates nothing more.
 */
export async function confirm(db: Kysely<Database>, token: string, ctx: LinkContext, now: Date): Promise<ConfirmResult> {
	const parts = splitToken(token);
	if (!parts) return { ok: false, problem: 'invalid' };
	return db.transaction().execute(async (trx): Promise<ConfirmResult> => {
		const contact = await trx.selectFrom('offer_contact').selectAll().where('id', '=', parts.id).executeTakeFirst();
		if (!contact || contact.withdrawn_at !== null || !verifyToken(token, contact.confirm_secret_hash)) return { ok: false, problem: 'invalid' };
		const offerRow = await offerQuery(trx).where('offer.id', '=', contact.offer_id).executeTakeFirst();
		const manage = contactManageToken(ctx, contact.id);
		const title = offerRow?.title ?? '';
		const club = offerRow?.club_name ?? '';
		if (contact.confirmed_at !== null) return { ok: false, problem: 'already', manageToken: manage, offer: title, club };
		if (contact.confirm_expires_at && now >= toDate(contact.confirm_expires_at)) return { ok: false, problem: 'expired' };
		if (!offerRow) return { ok: false, problem: 'closed' };
		// Claim the row first: a concurrent replay waits here and then finds it confirmed.
		const claimed = await trx
			.updateTable('offer_contact')
			.set({ confirmed_at: now.toISOString(), confirm_expires_at: null })
			.where('id', '=', contact.id)
			.where('confirmed_at', 'is', null)
			.executeTakeFirst();
		if (Number(claimed.numUpdatedRows) !== 1) return { ok: false, problem: 'already', manageToken: manage, offer: title, club };
		const earlier = await trx
			.selectFrom('lead')
			.innerJoin('offer_contact', 'offer_contact.id', 'lead.contact_id')
			.select('lead.id')
			.where('lead.offer_id', '=', contact.offer_id)
			.where('offer_contact.email', '=', contact.email)
			.where('offer_contact.withdrawn_at', 'is', null)
			.executeTakeFirst();
		if (earlier) {
			// The same person asked twice: the club already has them; this request is not kept.
			await trx.updateTable('offer_contact').set({ withdrawn_at: now.toISOString(), name: '', email: '', message: '' }).where('id', '=', contact.id).execute();
			const first = await trx.selectFrom('lead').select('contact_id').where('id', '=', earlier.id).executeTakeFirstOrThrow();
			return { ok: false, problem: 'already', manageToken: contactManageToken(ctx, first.contact_id!), offer: title, club };
		}
		const leadId = generateId();
		await trx
			.insertInto('lead')
			.values({ id: leadId, event_id: null, person_id: null, club_id: contact.club_id, status: 'new', source: 'offer', offer_id: contact.offer_id, contact_id: contact.id, created_at: now.toISOString(), updated_at: now.toISOString(), updated_by: null })
			.execute();
		await outbox.enqueue(
			trx,
			{
				idempotencyKey: `offer-lead:${contact.id}`,
				recipient: offerRow.contact_email,
				locale: 'de',
				template: 'offer-lead-contact',
				payload: { club, offer: title, name: contact.name, email: contact.email, message: contact.message, url: `${ctx.origin}/club/${contact.club_id}/leads` },
				headers: { fromName: 'Miteinander', replyTo: contact.email },
				municipalityId: offerRow.municipality_id
			},
			now
		);
		await audit.record(trx, { actorUserId: null, action: 'lead.created', entityType: 'lead', entityId: leadId, municipalityId: offerRow.municipality_id, details: { clubId: contact.club_id, offerId: contact.offer_id, source: 'offer' } }, now);
		return { ok: true, manageToken: manage, offer: title, club };
	});
}

export interface ManagedContact {
	id: string;
	name: string;
	offer: string;
	club: string;
	message: string;
	confirmed: boolean;
	withdrawn: boolean;
	locale: Locale;
}

/** The person's own view of their request, by the manage link. */
export async function findByManageToken(db: Db, token: string): Promise<ManagedContact | null> {
	const parts = splitToken(token);
	if (!parts) return null;
	const row = await db
		.selectFrom('offer_contact')
		.innerJoin('offer', 'offer.id', 'offer_contact.offer_id')
		.innerJoin('club', 'club.id', 'offer_contact.club_id')
		.select(['offer_contact.id', 'offer_contact.name', 'offer_contact.message', 'offer_contact.locale', 'offer_contact.manage_secret_hash', 'offer_contact.confirmed_at', 'offer_contact.withdrawn_at', 'offer.title', 'club.name as club'])
		.where('offer_contact.id', '=', parts.id)
		.executeTakeFirst();
	if (!row || !verifyToken(token, row.manage_secret_hash)) return null;
	return {
		id: row.id,
		name: row.name,
		offer: row.title,
		club: row.club,
		message: row.message,
		confirmed: row.confirmed_at !== null,
		withdrawn: row.withdrawn_at !== null,
		locale: toLocale(row.locale)
	};
}

/**
 * The person takes the request back: the lead goes (the club no longer sees them), and name,
 * address and message are erased. Returns false for an unknown link; withdrawing twice is fine.
 */
export async function withdraw(db: Kysely<Database>, token: string, now: Date): Promise<boolean> {
	const contact = await findByManageToken(db, token);
	if (!contact) return false;
	await db.transaction().execute(async (trx) => {
		const lead = await trx.selectFrom('lead').select(['id', 'club_id']).where('contact_id', '=', contact.id).executeTakeFirst();
		if (lead) await trx.deleteFrom('lead').where('id', '=', lead.id).execute();
		// The club's notice not yet sent is withdrawn too.
		await trx.deleteFrom('outbox').where('status', '=', 'pending').where('idempotency_key', '=', `offer-lead:${contact.id}`).execute();
		await trx
			.updateTable('offer_contact')
			.set({ withdrawn_at: now.toISOString(), name: '', email: '', message: '', confirm_secret_hash: null, confirm_expires_at: null })
			.where('id', '=', contact.id)
			.where('withdrawn_at', 'is', null)
			.execute();
		if (lead && !contact.withdrawn) {
			await audit.record(trx, { actorUserId: null, action: 'lead.withdrawn', entityType: 'lead', entityId: lead.id, details: { clubId: lead.club_id, source: 'offer' } }, now);
		}
	});
	return true;
}

/** Requests never confirmed in time go: nothing of them reached a club, so nothing needs keeping. */
export async function deleteExpired(db: Db, now: Date): Promise<number> {
	const result = await db
		.deleteFrom('offer_contact')
		.where('confirmed_at', 'is', null)
		.where('confirm_expires_at', '<=', now.toISOString())
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}
