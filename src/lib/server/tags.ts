import type { Db } from './db/schema';

export interface Tag {
	slug: string;
	label: string;
}

/** The interest vocabulary in the reader's language. */
export async function list(db: Db, locale: string): Promise<Tag[]> {
	const rows = await db.selectFrom('tag').select(['slug', 'label_de', 'label_en']).orderBy('label_de').execute();
	return rows.map((r) => ({ slug: r.slug, label: locale === 'en' ? r.label_en : r.label_de }));
}
