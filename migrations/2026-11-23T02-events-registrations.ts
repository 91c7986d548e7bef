import type { Kysely } from 'kysely';

// Frozen. Series, dated events, people and their registrations, and the interest vocabulary.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('tag')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('label_de', 'text', (c) => c.notNull())
		.addColumn('label_en', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('series')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('time_zone', 'text', (c) => c.notNull())
		.addColumn('venue_id', 'text', (c) => c.references('venue.id').onDelete('set null'))
		.addColumn('capacity', 'integer', (c) => c.notNull())
		.addColumn('duration_minutes', 'integer', (c) => c.notNull())
		.addColumn('rrule', 'text')
		.addColumn('first_start_local', 'text')
		.addColumn('created_by', 'text', (c) => c.references('user.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('series_host')
		.addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
		.addColumn('municipality_id', 'text', (c) => c.notNull().references('municipality.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('series_host_pk', ['series_id', 'municipality_id'])
		.execute();

	await db.schema
		.createTable('event')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('series_id', 'text', (c) => c.references('series.id').onDelete('set null'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('starts_at', 'timestamptz', (c) => c.notNull())
		.addColumn('ends_at', 'timestamptz', (c) => c.notNull())
		.addColumn('time_zone', 'text', (c) => c.notNull())
		.addColumn('venue_id', 'text', (c) => c.references('venue.id').onDelete('set null'))
		.addColumn('capacity', 'integer', (c) => c.notNull())
		// Seats taken, kept on the event row so one conditional UPDATE decides a seat on both databases.
		.addColumn('confirmed_count', 'integer', (c) => c.notNull().defaultTo(0))
		// Last waiting-list number handed out; positions are never reused.
		.addColumn('waitlist_seq', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('registration_opens_at', 'timestamptz')
		.addColumn('registration_closes_at', 'timestamptz')
		.addColumn('ical_uid', 'text', (c) => c.notNull().unique())
		.addColumn('ical_sequence', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('event_starts_idx').on('event').column('starts_at').execute();
	await db.schema.createIndex('event_series_idx').on('event').column('series_id').execute();

	await db.schema
		.createTable('event_host')
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('municipality_id', 'text', (c) => c.notNull().references('municipality.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('event_host_pk', ['event_id', 'municipality_id'])
		.execute();
	await db.schema.createIndex('event_host_municipality_idx').on('event_host').column('municipality_id').execute();

	await db.schema
		.createTable('person')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('email', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('locale', 'text', (c) => c.notNull().defaultTo('de'))
		// JSON object of the profile (residency, places, availability, languages, needs, interests …).
		.addColumn('profile', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('consent_introductions', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.addColumn('anonymised_at', 'timestamptz')
		.execute();

	await db.schema
		.createTable('person_tag')
		.addColumn('person_id', 'text', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('tag_id', 'text', (c) => c.notNull().references('tag.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('person_tag_pk', ['person_id', 'tag_id'])
		.execute();

	await db.schema
		.createTable('registration')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('person_id', 'text', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('waitlist_position', 'integer')
		// The profile as submitted; applied to the person only once the address is confirmed.
		.addColumn('submitted_profile', 'text')
		.addColumn('manage_secret_hash', 'text', (c) => c.notNull())
		.addColumn('confirm_secret_hash', 'text')
		.addColumn('confirm_expires_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.addColumn('confirmed_at', 'timestamptz')
		.addColumn('cancelled_at', 'timestamptz')
		.addColumn('checked_in_at', 'timestamptz')
		.addUniqueConstraint('registration_event_person_uq', ['event_id', 'person_id'])
		.execute();
	await db.schema.createIndex('registration_event_status_idx').on('registration').columns(['event_id', 'status']).execute();
	await db.schema.createIndex('registration_person_idx').on('registration').column('person_id').execute();

	await db.schema
		.alterTable('municipality')
		.addColumn('retention_months', 'integer', (c) => c.notNull().defaultTo(12))
		.execute();

	const now = new Date().toISOString();
	const tags: [string, string, string][] = [
		['sport', 'Sport und Bewegung', 'Sport and exercise'],
		['kultur', 'Kultur, Musik und Kunst', 'Culture, music and arts'],
		['soziales', 'Soziales und Nachbarschaftshilfe', 'Social work and neighbourly help'],
		['kinder-jugend', 'Kinder und Jugend', 'Children and youth'],
		['senioren', 'Seniorinnen und Senioren', 'Older people'],
		['umwelt', 'Umwelt- und Naturschutz', 'Environment and nature'],
		['integration', 'Integration und Begegnung', 'Integration and encounter'],
		['bildung', 'Bildung und Lernen', 'Education and learning'],
		['gesundheit', 'Gesundheit und Pflege', 'Health and care'],
		['rettung', 'Feuerwehr und Rettungswesen', 'Fire brigade and rescue services'],
		['kirche', 'Kirche und Religion', 'Church and religion'],
		['tiere', 'Tierschutz', 'Animal welfare'],
		['beteiligung', 'Bürgerbeteiligung und Gemeindeleben', 'Civic participation and local life'],
		['brauchtum', 'Brauchtum und Tradition', 'Customs and traditions'],
		['digitales', 'Digitales und Technik', 'Digital and technology'],
		['inklusion', 'Inklusion und Barrierefreiheit', 'Inclusion and accessibility'],
		['freizeit', 'Freizeit und Geselligkeit', 'Leisure and sociability']
	];
	await db
		.insertInto('tag')
		.values(tags.map(([slug, label_de, label_en]) => ({ id: `tag-${slug}`, slug, label_de, label_en, created_at: now })))
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('municipality').dropColumn('retention_months').execute();
	for (const table of ['registration', 'person_tag', 'person', 'event_host', 'event', 'series_host', 'series', 'tag']) {
		await db.schema.dropTable(table).execute();
	}
}
