import { toDate, type Db, type LeadStatus } from '../db/schema';
import * as audit from '../audit';
import type { Viewer } from '../auth/users';
import { authorize, canEdit, type Denied } from '../clubs/access';
import { suppress } from '../feedback';

// A lead is a person's "I'd like to try" with consent; the club keeps its status. Contact data is
// personal: only the club's own members (canEdit, as for stalls and the matching view) see it.

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
	event: string;
	eventStartsAt: Date;
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
		.innerJoin('event', 'event.id', 'lead.event_id')
		.leftJoin('person', 'person.id', 'lead.person_id')
		.select(['lead.id', 'lead.status', 'lead.created_at', 'event.title', 'event.starts_at', 'person.name', 'person.email', 'person.anonymised_at'])
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
	const anonymous = Math.max(0, Number(wanting.n) - total);
	return {
		ok: true,
		items: rows.map((r) => {
			const isErased = r.name === null || r.anonymised_at !== null;
			return {
				id: r.id,
				name: isErased ? null : r.name,
				email: isErased ? null : r.email,
				event: r.title,
				eventStartsAt: toDate(r.starts_at),
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
		.select(['lead.id', 'lead.club_id', 'lead.status', 'person.name', 'person.anonymised_at'])
		.where('lead.id', '=', leadId)
		.where('lead.club_id', '=', clubId)
		.executeTakeFirst();
	if (!lead) return { ok: false, problem: 'not_found' };
	const allowed = await authorize(db, viewer, lead.club_id, canEdit);
	if (!allowed.ok) return allowed;
	await db.updateTable('lead').set({ status, updated_at: now.toISOString(), updated_by: allowed.viewer.id }).where('id', '=', leadId).execute();
	await audit.record(db, { actorUserId: allowed.viewer.id, action: 'lead.status_changed', entityType: 'lead', entityId: leadId, municipalityId: allowed.access.municipalityId, details: { from: lead.status, to: status } }, now);
	return { ok: true, name: lead.anonymised_at === null ? lead.name : null };
}
