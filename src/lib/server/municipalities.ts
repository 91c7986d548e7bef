import { generateId } from './ids';
import type { Db } from './db/schema';
import * as competences from './competences';

export interface Municipality {
	id: string;
	slug: string;
	name: string;
	country: string;
	timeZone: string;
	retentionMonths: number;
	/** Reply-To of participants' mail; null = no replies expected. */
	contactEmail: string | null;
}

export interface Venue {
	id: string;
	municipalityId: string;
	name: string;
	street: string;
	postalCode: string;
	city: string;
	capacity: number | null;
	accessibilityNotes: string;
}

export async function list(db: Db, onlyIds?: string[]): Promise<Municipality[]> {
	if (onlyIds && onlyIds.length === 0) return [];
	let query = db.selectFrom('municipality').select(['id', 'slug', 'name', 'country', 'time_zone', 'retention_months', 'contact_email']);
	if (onlyIds) query = query.where('id', 'in', onlyIds);
	const rows = await query.orderBy('name').execute();
	return rows.map((r) => ({
		id: r.id,
		slug: r.slug,
		name: r.name,
		country: r.country,
		timeZone: r.time_zone,
		retentionMonths: r.retention_months,
		contactEmail: r.contact_email
	}));
}

export async function findBySlugOrName(db: Db, value: string): Promise<Municipality | null> {
	const rows = await list(db);
	const wanted = value.trim().toLowerCase();
	return rows.find((r) => r.slug === wanted || r.name.toLowerCase() === wanted) ?? null;
}

export function slugify(name: string): string {
	return name
		.toLowerCase()
		.replaceAll('ä', 'ae')
		.replaceAll('ö', 'oe')
		.replaceAll('ü', 'ue')
		.replaceAll('ß', 'ss')
		.normalize('NFKD')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

export async function create(
	db: Db,
	input: { name: string; country: string; timeZone: string; slug?: string; contactEmail?: string | null },
	now: Date
): Promise<Municipality> {
	const municipality = {
		id: generateId(),
		slug: input.slug ?? slugify(input.name),
		name: input.name,
		country: input.country,
		timeZone: input.timeZone,
		retentionMonths: 12,
		contactEmail: input.contactEmail ?? null
	};
	await db
		.insertInto('municipality')
		.values({
			id: municipality.id,
			slug: municipality.slug,
			name: municipality.name,
			country: municipality.country,
			time_zone: municipality.timeZone,
			contact_email: municipality.contactEmail,
			created_at: now.toISOString()
		})
		.execute();
	await competences.seedDefaults(db, municipality.id, now);
	return municipality;
}

export async function setContactEmail(db: Db, municipalityId: string, email: string | null): Promise<void> {
	await db.updateTable('municipality').set({ contact_email: email }).where('id', '=', municipalityId).execute();
}

export async function listVenues(db: Db, municipalityIds: string[]): Promise<Venue[]> {
	if (municipalityIds.length === 0) return [];
	const rows = await db
		.selectFrom('venue')
		.selectAll()
		.where('municipality_id', 'in', municipalityIds)
		.orderBy('name')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		municipalityId: r.municipality_id,
		name: r.name,
		street: r.street,
		postalCode: r.postal_code,
		city: r.city,
		capacity: r.capacity,
		accessibilityNotes: r.accessibility_notes
	}));
}

export async function createVenue(
	db: Db,
	input: Omit<Venue, 'id'>,
	now: Date
): Promise<Venue> {
	const venue = { id: generateId(), ...input };
	await db
		.insertInto('venue')
		.values({
			id: venue.id,
			municipality_id: venue.municipalityId,
			name: venue.name,
			street: venue.street,
			postal_code: venue.postalCode,
			city: venue.city,
			capacity: venue.capacity,
			accessibility_notes: venue.accessibilityNotes,
			created_at: now.toISOString()
		})
		.execute();
	return venue;
}
