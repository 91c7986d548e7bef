import { toDate, toDateOrNull, type Db, type LeadSource, type LeadStatus } from '../db/schema';
import * as audit from '../audit';
import type { Viewer } from '../auth/users';
import { authorize, canEdit, type Denied } from '../clubs/access';
import { suppress } from '../feedback';

// A lead is a person's "I'd like to try" with consent; the club keeps its status. Contact data is
// personal: only the club's own members (canEdit, as for stalls and the matching view) see it.
// A lead comes from an event's feedback (source 'event') or from an offer's contact form ('offer',
// see contact.ts), which keeps the person's name, address and message on its offer_contact row.

export const LEAD_STATUSES: LeadStatus[] = ['new', 'contacted', 'trying', 'joined', 'not_a_fit'];
export const PAGE_SIZE = 25;

export function isLeadStatus(value: string): value is LeadStatus {
	return (LEAD_STATUSES as string[]).includes(value);
}

export interface LeadItem {
	id: string;
	/** null after the person's data was erased. */
	name: string | null;
	email: string | null;
	source: LeadSource;
	/** The event where the person met the club (source 'event'). */
	event: string | null;
	eventStartsAt: Date | null;
	/** The offer the person wrote about, and their message (source 'offer'). */
	offer: string | null;
	message: string | null;
	createdAt: Date;
	status: LeadStatus;
}

export interface LeadPage {
	ok: true;
	items: LeadItem[];
	total: number;
	page: number;
	pages: number;
	/** People who want to try the club without sharing contact, suppressed below the threshold. */
	anonymous: number | null;
	hasAnonymous: boolean;
}

export async function forClub(db: Db, viewer: Viewer | null, clubId: string, page = 1): Promise<LeadPage | Denied> {
	const allowed = await authorize(db, viewer, clubId, canEdit);
	if (!allowed.ok) return allowed;
	const { n } = await db.selectFrom('lead').select((eb) => eb.fn.countAll<number | string>().as('n')).where('club_id', '=', clubId).executeTakeFirstOrThrow();
	const total = Number(n);
	const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
	const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
	const rows = await db
		.selectFrom('lead')
		.leftJoin('event', 'event.id', 'lead.event_id')
		.leftJoin('person', 'person.id', 'lead.person_id')
		.leftJoin('offer', 'offer.id', 'lead.offer_id')
		.leftJoin('offer_contact', 'offer_contact.id', 'lead.contact_id')
		.select([
			'lead.id', 'lead.status', 'lead.source', 'lead.created_at', 'event.title', 'event.starts_at', 'person.name', 'person.email', 'person.anonymised_at',
			'offer.title as offer_title', 'offer_contact.name as contact_name', 'offer_contact.email as contact_email', 'offer_contact.message'
		])
		.where('lead.club_id', '=', clubId)
		.orderBy('lead.created_at', 'desc')
		.orderBy('lead.id')
		.limit(PAGE_SIZE)
		.offset((current - 1) * PAGE_SIZE)
		.execute();
	// JSON lists are text on both databases; the quoted id cannot match a longer id by accident.
	const wanting = await db
		.selectFrom('feedback')
		.select((eb) => eb.fn.countAll<number | string>().as('n'))
		.where('respondent', '=', 'person')
		.where('wants_to_try', 'like', `%"${clubId}"%`)
		.executeTakeFirstOrThrow();
	const fromEvents = await db.selectFrom('lead').select((eb) => eb.fn.countAll<number | string>().as('n')).where('club_id', '=', clubId).where('source', '=', 'event').executeTakeFirstOrThrow();
	const anonymous = Math.max(0, Number(wanting.n) - Number(fromEvents.n));
	return {
		ok: true,
		items: rows.map((r) => {
			if (r.source === 'offer') {
				const isErased = !r.contact_name;
				return {
					id: r.id,
					name: isErased ? null : r.contact_name,
					email: isErased ? null : r.contact_email,
					source: r.source,
					event: null,
					eventStartsAt: null,
					offer: r.offer_title,
					message: isErased ? null : r.message || null,
					createdAt: toDate(r.created_at),
					status: r.status
				};
			}
			const isErased = r.name === null || r.anonymised_at !== null;
			return {
				id: r.id,
				name: isErased ? null : r.name,
				email: isErased ? null : r.email,
				source: r.source,
				event: r.title,
				eventStartsAt: toDateOrNull(r.starts_at),
				offer: null,
				message: null,
				createdAt: toDate(r.created_at),
				status: r.status
			};
		}),
		total,
		page: current,
		pages,
		anonymous: suppress(anonymous),
		hasAnonymous: anonymous > 0
	};
}

export type SetStatusResult = { ok: true; name: string | null } | Denied;

/** A member of the lead's club records how it went. */
export async function setStatus(db: Db, viewer: Viewer | null, clubId: string, leadId: string, status: LeadStatus, now: Date): Promise<SetStatusResult> {
	const lead = await db
		.selectFrom('lead')
		.leftJoin('person', 'person.id', 'lead.person_id')
		.leftJoin('offer_contact', 'offer_contact.id', 'lead.contact_id')
		.select(['lead.id', 'lead.club_id', 'lead.status', 'person.name', 'person.anonymised_at', 'offer_contact.name as contact_name'])
		.where('lead.id', '=', leadId)
		.where('lead.club_id', '=', clubId)
		.executeTakeFirst();
	if (!lead) return { ok: false, problem: 'not_found' };
	const allowed = await authorize(db, viewer, lead.club_id, canEdit);
	if (!allowed.ok) return allowed;
	await db.updateTable('lead').set({ status, updated_at: now.toISOString(), updated_by: allowed.viewer.id }).where('id', '=', leadId).execute();
	await audit.record(db, { actorUserId: allowed.viewer.id, action: 'lead.status_changed', entityType: 'lead', entityId: leadId, municipalityId: allowed.access.municipalityId, details: { from: lead.status, to: status } }, now);
	return { ok: true, name: lead.contact_name || (lead.anonymised_at === null ? lead.name : null) };
}
