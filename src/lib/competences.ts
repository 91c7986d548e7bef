import { vocabularyLabel } from './vocabulary';

/**
 * The competences (Kompetenzen) every municipality starts with; coordinators add, rename and
 * remove their own on /admin/settings. The seeding migration keeps its own frozen copy.
 * Client-safe: match reasons fall back to these labels when no municipality list is at hand.
 */
export const DEFAULT_COMPETENCES: readonly { slug: string; de: string; en: string }[] = [
	{ slug: 'erste-hilfe', de: 'Erste Hilfe', en: 'First aid' },
	{ slug: 'handwerk', de: 'Handwerk', en: 'Crafts and repairs' },
	{ slug: 'uebersetzen', de: 'Übersetzen', en: 'Translating' },
	{ slug: 'it', de: 'IT und Computer', en: 'IT and computers' },
	{ slug: 'fahrerlaubnis-b', de: 'Fahrerlaubnis B', en: 'Car driving licence' },
	{ slug: 'kochen', de: 'Kochen', en: 'Cooking' },
	{ slug: 'kinderbetreuung', de: 'Kinderbetreuung', en: 'Childcare' },
	{ slug: 'pflege-begleitung', de: 'Pflege und Begleitung', en: 'Care and companionship' }
];

/** A default competence's label, else the slug itself. */
export function defaultCompetenceLabel(slug: string, locale: string): string {
	const known = DEFAULT_COMPETENCES.find((c) => c.slug === slug);
	return known ? vocabularyLabel('competence', slug, known, locale) : slug;
}
