import type { Db } from './db/schema';
import { vocabularyLabel } from '../vocabulary';

export interface Tag {
	slug: string;
	label: string;
}

/** The interest vocabulary in the reader's language. */
export async function list(db: Db, locale: string): Promise<Tag[]> {
	const rows = await db.selectFrom('tag').select(['slug', 'label_de', 'label_en']).orderBy('label_de').execute();
	return rows.map((r) => ({ slug: r.slug, label: vocabularyLabel('tag', r.slug, { de: r.label_de, en: r.label_en }, locale) }));
}
