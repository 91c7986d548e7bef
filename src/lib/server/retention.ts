import type { Kysely } from 'kysely';
import { toDate, type Database } from './db/schema';
import * as audit from './audit';
import * as registrations from './registrations';
import type { LinkContext } from './registrations/links';

const MONTH_MS = 30.44 * 24 * 3600_000;

/**
 * Erases people whose every registration is for an event that ended longer ago than the host
 * municipality keeps data (`municipality.retention_months`; the longest among co-hosts wins).
 * Counts stay: registration rows remain, without personal data.
 */
export async function apply(db: Kysely<Database>, ctx: LinkContext, now: Date, batch = 200): Promise<number> {
	const rows = await db
		.selectFrom('registration')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.innerJoin('event', 'event.id', 'registration.event_id')
		.innerJoin('event_host', 'event_host.event_id', 'event.id')
		.innerJoin('municipality', 'municipality.id', 'event_host.municipality_id')
		.select(['person.id as person_id', 'event.ends_at', 'municipality.retention_months'])
		.where('person.anonymised_at', 'is', null)
		.execute();
	// The moment each person's data may go: the latest "event end + retention" over their registrations.
	const keepUntil = new Map<string, number>();
	for (const row of rows) {
		const until = toDate(row.ends_at).getTime() + row.retention_months * MONTH_MS;
		keepUntil.set(row.person_id, Math.max(keepUntil.get(row.person_id) ?? 0, until));
	}
	const due = [...keepUntil].filter(([, until]) => until < now.getTime()).map(([id]) => id).slice(0, batch);
	for (const personId of due) {
		await db.transaction().execute(async (trx) => {
			await registrations.anonymisePerson(trx, personId, ctx, now);
			await audit.record(trx, { actorUserId: null, action: 'person.retention_erased', entityType: 'person', entityId: personId }, now);
		});
	}
	return due.length;
}

/**
 * Retention: a confirmed request keeps name, address and message for the municipality's
 * `retention_months` after the last thing that happened with it (confirmation or the club's last
 * status change); then they are erased. The lead stays, without contact data, for the counts.
 */
export async function eraseOfferContacts(db: Kysely<Database>, now: Date, batch = 200): Promise<number> {
	const rows = await db
		.selectFrom('offer_contact')
		.innerJoin('club', 'club.id', 'offer_contact.club_id')
		.innerJoin('municipality', 'municipality.id', 'club.municipality_id')
		.leftJoin('lead', 'lead.contact_id', 'offer_contact.id')
		.select(['offer_contact.id', 'offer_contact.confirmed_at', 'lead.updated_at', 'municipality.retention_months'])
		.where('offer_contact.confirmed_at', 'is not', null)
		.where('offer_contact.withdrawn_at', 'is', null)
		.where('offer_contact.email', '!=', '')
		.execute();
	const due = rows
		.filter((r) => {
			const last = Math.max(toDate(r.confirmed_at!).getTime(), r.updated_at ? toDate(r.updated_at).getTime() : 0);
			return last + r.retention_months * MONTH_MS < now.getTime();
		})
		.map((r) => r.id)
		.slice(0, batch);
	if (due.length === 0) return 0;
	await db.transaction().execute(async (trx) => {
		await trx.updateTable('offer_contact').set({ name: '', email: '', message: '' }).where('id', 'in', due).execute();
		for (const id of due) await audit.record(trx, { actorUserId: null, action: 'offer_contact.retention_erased', entityType: 'offer_contact', entityId: id }, now);
	});
	return due.length;
}

export async function setMonths(db: Kysely<Database>, municipalityId: string, months: number, actorUserId: string, now: Date) {
	await db.transaction().execute(async (trx) => {
		await trx.updateTable('municipality').set({ retention_months: months }).where('id', '=', municipalityId).execute();
		await audit.record(trx, { actorUserId, action: 'municipality.retention_changed', entityType: 'municipality', entityId: municipalityId, municipalityId, details: { months } }, now);
	});
}
