import type { Kysely } from 'kysely';

// Frozen. Competences (Kompetenzen): what a person can bring, as a list each municipality edits,
// seeded with a short default list; offers name the ones they ask for. Removing a competence
// removes only its links (cascade), never an offer.
const DEFAULTS: [string, string, string][] = [
	['erste-hilfe', 'Erste Hilfe', 'First aid'],
	['handwerk', 'Handwerk', 'Crafts and repairs'],
	['uebersetzen', 'Übersetzen', 'Translating'],
	['it', 'IT und Computer', 'IT and computers'],
	['fahrerlaubnis-b', 'Fahrerlaubnis B', 'Car driving licence'],
	['kochen', 'Kochen', 'Cooking'],
	['kinderbetreuung', 'Kinderbetreuung', 'Childcare'],
	['pflege-begleitung', 'Pflege und Begleitung', 'Care and companionship']
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('competence')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('municipality_id', 'text', (c) => c.notNull().references('municipality.id').onDelete('cascade'))
		.addColumn('slug', 'text', (c) => c.notNull())
		.addColumn('label_de', 'text', (c) => c.notNull())
		.addColumn('label_en', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addUniqueConstraint('competence_municipality_slug_uq', ['municipality_id', 'slug'])
		.execute();

	await db.schema
		.createTable('offer_competence')
		.addColumn('offer_id', 'text', (c) => c.notNull().references('offer.id').onDelete('cascade'))
		.addColumn('competence_id', 'text', (c) => c.notNull().references('competence.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('offer_competence_pk', ['offer_id', 'competence_id'])
		.execute();
	await db.schema.createIndex('offer_competence_competence_idx').on('offer_competence').column('competence_id').execute();

	const now = new Date().toISOString();
	const municipalities = (await db.selectFrom('municipality').select('id').execute()) as { id: string }[];
	for (const { id } of municipalities) {
		await db
			.insertInto('competence')
			.values(DEFAULTS.map(([slug, label_de, label_en]) => ({ id: `competence-${id}-${slug}`, municipality_id: id, slug, label_de, label_en, created_at: now })))
			.execute();
	}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('offer_competence').execute();
	await db.schema.dropTable('competence').execute();
}
