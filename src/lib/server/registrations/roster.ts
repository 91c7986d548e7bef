import type { Db, RegistrationStatus } from '../db/schema';
import { toDate, toDateOrNull } from '../db/schema';
import * as audit from '../audit';
import { parseProfile, type Profile } from '../../participant-profile';

// The coordinator's view of an event's registrations: list, check-in and export.

export interface RosterEntry {
	id: string;
	name: string;
	email: string;
	status: RegistrationStatus;
	waitlistPosition: number | null;
	profile: Profile;
	consentIntroductions: boolean;
	registeredAt: Date;
	confirmedAt: Date | null;
	checkedInAt: Date | null;
}

export const SORTS = ['name', 'registered', 'status'] as const;
export type RosterSort = (typeof SORTS)[number];

export interface RosterFilter {
	query?: string;
	status?: RegistrationStatus;
	residency?: string;
	sort: RosterSort;
	page: number;
	pageSize: number;
}

function baseQuery(db: Db, eventId: string) {
	return db
		.selectFrom('registration')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.where('registration.event_id', '=', eventId)
		.where('person.anonymised_at', 'is', null);
}

function toEntry(r: {
	id: string;
	name: string;
	email: string;
	status: RegistrationStatus;
	waitlist_position: number | null;
	profile: string;
	consent_introductions: number;
	created_at: Date | string;
	confirmed_at: Date | string | null;
	checked_in_at: Date | string | null;
}): RosterEntry {
	return {
		id: r.id,
		name: r.name,
		email: r.email,
		status: r.status,
		waitlistPosition: r.waitlist_position,
		profile: parseProfile(r.profile),
		consentIntroductions: r.consent_introductions === 1,
		registeredAt: toDate(r.created_at),
		confirmedAt: toDateOrNull(r.confirmed_at),
		checkedInAt: toDateOrNull(r.checked_in_at)
	};
}

const columns = [
	'registration.id',
	'person.name',
	'person.email',
	'registration.status',
	'registration.waitlist_position',
	'person.profile',
	'person.consent_introductions',
	'registration.created_at',
	'registration.confirmed_at',
	'registration.checked_in_at'
] as const;

export async function list(db: Db, eventId: string, filter: RosterFilter): Promise<{ items: RosterEntry[]; total: number }> {
	let query = baseQuery(db, eventId);
	if (filter.status) query = query.where('registration.status', '=', filter.status);
	if (filter.query) {
		const pattern = `%${filter.query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		query = query.where((eb) =>
			eb.or([
				eb(eb.fn('lower', ['person.name']), 'like', pattern),
				eb(eb.fn('lower', ['person.email']), 'like', pattern)
			])
		);
	}
	if (filter.residency) {
		// The profile is JSON text on both databases; matching its serialised form keeps the query portable.
		query = query.where('person.profile', 'like', `%"residency":"${filter.residency.replace(/[^a-z_]/g, '')}"%`);
	}
	const { total } = await query.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow();
	let ordered = query.select([...columns]);
	if (filter.sort === 'name') ordered = ordered.orderBy('person.name');
	else if (filter.sort === 'status') ordered = ordered.orderBy('registration.status').orderBy('registration.waitlist_position');
	else ordered = ordered.orderBy('registration.created_at');
	const rows = await ordered.orderBy('registration.id').limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize).execute();
	return { items: rows.map(toEntry), total: Number(total) };
}

/** One registration of this event (null if it belongs to another event or does not exist). */
export async function find(db: Db, eventId: string, registrationId: string): Promise<RosterEntry | null> {
	const row = await baseQuery(db, eventId).select([...columns]).where('registration.id', '=', registrationId).executeTakeFirst();
	return row ? toEntry(row) : null;
}

/** Everyone who holds or held a seat, by name: for the printed list, check-in and CSV. */
export async function all(db: Db, eventId: string, statuses?: RegistrationStatus[]): Promise<RosterEntry[]> {
	let query = baseQuery(db, eventId).select([...columns]);
	if (statuses) query = query.where('registration.status', 'in', statuses);
	return (await query.orderBy('person.name').orderBy('registration.id').execute()).map(toEntry);
}

export async function counts(db: Db, eventId: string): Promise<Record<RegistrationStatus, number>> {
	const rows = await db
		.selectFrom('registration')
		.select(['status', (eb) => eb.fn.countAll<number | string>().as('count')])
		.where('event_id', '=', eventId)
		.groupBy('status')
		.execute();
	const result: Record<RegistrationStatus, number> = { pending: 0, confirmed: 0, waitlisted: 0, cancelled: 0, expired: 0, attended: 0, no_show: 0 };
	for (const row of rows) result[row.status] = Number(row.count);
	return result;
}

/** Marks a person as attended or absent on the day (or undoes it); only confirmed people qualify. */
export async function checkIn(
	db: Db,
	eventId: string,
	registrationId: string,
	outcome: 'attended' | 'no_show' | 'confirmed',
	actorUserId: string,
	now: Date
): Promise<boolean> {
	const result = await db
		.updateTable('registration')
		.set({ status: outcome, checked_in_at: outcome === 'attended' ? now.toISOString() : null, updated_at: now.toISOString() })
		.where('id', '=', registrationId)
		.where('event_id', '=', eventId)
		.where('status', 'in', ['confirmed', 'attended', 'no_show'])
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) return false;
	await audit.record(db, { actorUserId, action: `registration.${outcome === 'confirmed' ? 'check_in_undone' : outcome}`, entityType: 'registration', entityId: registrationId }, now);
	return true;
}

