import type { Kysely } from 'kysely';

// Frozen. Clubs (registered by a representative, approved by a coordinator of their municipality),
// their members and invitations, and their volunteering offers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('club')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('municipality_id', 'text', (c) => c.notNull().references('municipality.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull())
		// Lower-case, without spaces: "Tarrenzer Tafel" and "tarrenzer  tafel" are the same club.
		.addColumn('name_key', 'text', (c) => c.notNull())
		.addColumn('slug', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('contact_email', 'text', (c) => c.notNull())
		.addColumn('contact_phone', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('website', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('status', 'text', (c) => c.notNull())
		// Name and description lower-cased by the app: SQLite's lower() folds only ASCII, so "Ü" would
		// not match "ü" in a search; written by the one mapper on every change.
		.addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
		// The checked image bytes, base64, so both databases store it as plain text.
		.addColumn('logo', 'text')
		.addColumn('logo_content_type', 'text')
		// SHA-256 of the bytes: an ETag, and a version for the logo URL.
		.addColumn('logo_sha256', 'text')
		// Why a coordinator turned the registration down; cleared when the club resubmits.
		.addColumn('rejection_reason', 'text')
		.addColumn('created_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('approved_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('approved_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.addUniqueConstraint('club_municipality_slug_uq', ['municipality_id', 'slug'])
		.addUniqueConstraint('club_municipality_name_key_uq', ['municipality_id', 'name_key'])
		.execute();
	await db.schema.createIndex('club_status_idx').on('club').columns(['status', 'municipality_id']).execute();

	await db.schema
		.createTable('club_tag')
		.addColumn('club_id', 'text', (c) => c.notNull().references('club.id').onDelete('cascade'))
		.addColumn('tag_id', 'text', (c) => c.notNull().references('tag.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('club_tag_pk', ['club_id', 'tag_id'])
		.execute();
	await db.schema.createIndex('club_tag_tag_idx').on('club_tag').column('tag_id').execute();

	await db.schema
		.createTable('club_member')
		.addColumn('club_id', 'text', (c) => c.notNull().references('club.id').onDelete('cascade'))
		.addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('joined_at', 'timestamptz', (c) => c.notNull())
		.addPrimaryKeyConstraint('club_member_pk', ['club_id', 'user_id'])
		.execute();
	await db.schema.createIndex('club_member_user_idx').on('club_member').column('user_id').execute();

	await db.schema
		.createTable('club_invitation')
		// The id is the public half of the emailed token; only a SHA-256 of the secret half is stored.
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('club_id', 'text', (c) => c.notNull().references('club.id').onDelete('cascade'))
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('secret_hash', 'text', (c) => c.notNull())
		.addColumn('invited_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('accepted_at', 'timestamptz')
		.addColumn('accepted_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.execute();
	await db.schema.createIndex('club_invitation_club_idx').on('club_invitation').columns(['club_id', 'email']).execute();

	await db.schema
		.createTable('offer')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('club_id', 'text', (c) => c.notNull().references('club.id').onDelete('cascade'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		// one_off | occasional | regular
		.addColumn('commitment', 'text', (c) => c.notNull())
		.addColumn('on_weekdays', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('on_weekends', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('in_evenings', 'integer', (c) => c.notNull().defaultTo(0))
		// JSON array of months 1–12 in which the offer runs; [] = all year.
		.addColumn('months', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('is_remote', 'integer', (c) => c.notNull().defaultTo(0))
		// JSON array of language codes, e.g. ["de","en"].
		.addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('minimum_age', 'integer')
		// Can be done with irregular presence (people living in two places).
		.addColumn('suits_multilocal', 'integer', (c) => c.notNull().defaultTo(0))
		// How many new people the club can take on; NULL = no fixed limit.
		.addColumn('capacity', 'integer')
		// draft | published | paused | archived
		.addColumn('status', 'text', (c) => c.notNull())
		// Title, description and place lower-cased by the app (see club.search_text).
		.addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('created_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('offer_club_status_idx').on('offer').columns(['club_id', 'status']).execute();

	await db.schema
		.createTable('offer_tag')
		.addColumn('offer_id', 'text', (c) => c.notNull().references('offer.id').onDelete('cascade'))
		.addColumn('tag_id', 'text', (c) => c.notNull().references('tag.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('offer_tag_pk', ['offer_id', 'tag_id'])
		.execute();
	await db.schema.createIndex('offer_tag_tag_idx').on('offer_tag').column('tag_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['offer_tag', 'offer', 'club_invitation', 'club_member', 'club_tag', 'club']) {
		await db.schema.dropTable(table).execute();
	}
}
