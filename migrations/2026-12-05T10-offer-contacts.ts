import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen. "Ich möchte mitmachen" on a published offer: the request waits in offer_contact until the
// address is confirmed (double opt-in), then becomes a lead without an event. A lead now records
// where it came from ('event' | 'offer'). The person's name, address and message stay on
// offer_contact only, so withdrawing erases them in one place.
// SQLite cannot drop NOT NULL from a column, so its lead table is rebuilt (nothing references it).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('offer_contact')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('offer_id', 'text', (c) => c.notNull().references('offer.id').onDelete('cascade'))
		.addColumn('club_id', 'text', (c) => c.notNull().references('club.id').onDelete('cascade'))
		// Emptied when the person withdraws.
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('locale', 'text', (c) => c.notNull().defaultTo('de'))
		.addColumn('confirm_secret_hash', 'text')
		.addColumn('confirm_expires_at', 'timestamptz')
		.addColumn('manage_secret_hash', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('confirmed_at', 'timestamptz')
		.addColumn('withdrawn_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('offer_contact_offer_email_idx').on('offer_contact').columns(['offer_id', 'email']).execute();

	if (db.getExecutor().adapter instanceof PostgresAdapter) {
		await db.schema.alterTable('lead').alterColumn('event_id', (c) => c.dropNotNull()).execute();
		await db.schema.alterTable('lead').addColumn('source', 'text', (c) => c.notNull().defaultTo('event')).execute();
		await db.schema.alterTable('lead').addColumn('offer_id', 'text', (c) => c.references('offer.id').onDelete('set null')).execute();
		await db.schema.alterTable('lead').addColumn('contact_id', 'text', (c) => c.references('offer_contact.id').onDelete('cascade').unique()).execute();
		return;
	}
	await createLead(db, 'lead_new', true);
	await sql`insert into lead_new (id, event_id, person_id, club_id, status, created_at, updated_at, updated_by, source)
		select id, event_id, person_id, club_id, status, created_at, updated_at, updated_by, 'event' from lead`.execute(db);
	await db.schema.dropTable('lead').execute();
	await db.schema.alterTable('lead_new').renameTo('lead').execute();
	await db.schema.createIndex('lead_club_status_idx').on('lead').columns(['club_id', 'status']).execute();
}

/** The lead table as 2026-11-23T07 made it, or with the offer columns and an optional event. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function createLead(db: Kysely<any>, name: string, withOffers: boolean): Promise<void> {
	let table = db.schema
		.createTable(name)
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => (withOffers ? c : c.notNull()).references('event.id').onDelete('cascade'))
		.addColumn('person_id', 'text', (c) => c.references('person.id').onDelete('set null'))
		.addColumn('club_id', 'text', (c) => c.notNull().references('club.id').onDelete('cascade'))
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addUniqueConstraint(`${name}_event_person_club_uq`, ['event_id', 'person_id', 'club_id']);
	if (withOffers) {
		table = table
			// 'event' | 'offer'
			.addColumn('source', 'text', (c) => c.notNull().defaultTo('event'))
			.addColumn('offer_id', 'text', (c) => c.references('offer.id').onDelete('set null'))
			.addColumn('contact_id', 'text', (c) => c.references('offer_contact.id').onDelete('cascade').unique());
	}
	await table.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.deleteFrom('lead').where('event_id', 'is', null).execute();
	if (db.getExecutor().adapter instanceof PostgresAdapter) {
		await db.schema.alterTable('lead').dropColumn('contact_id').execute();
		await db.schema.alterTable('lead').dropColumn('offer_id').execute();
		await db.schema.alterTable('lead').dropColumn('source').execute();
		await db.schema.alterTable('lead').alterColumn('event_id', (c) => c.setNotNull()).execute();
	} else {
		await createLead(db, 'lead_old', false);
		await sql`insert into lead_old (id, event_id, person_id, club_id, status, created_at, updated_at, updated_by)
			select id, event_id, person_id, club_id, status, created_at, updated_at, updated_by from lead`.execute(db);
		await db.schema.dropTable('lead').execute();
		await db.schema.alterTable('lead_old').renameTo('lead').execute();
		await db.schema.createIndex('lead_club_status_idx').on('lead').columns(['club_id', 'status']).execute();
	}
	await db.schema.dropTable('offer_contact').execute();
}
