import * as m from './paraglide/messages';
import { isLocale, type Locale } from './paraglide/runtime';

type Message = (inputs: Record<string, never>, options: { locale: Locale }) => string;

/** Labels as stored: every interest (tag) and competence has a German and an English one. */
export interface StoredLabels {
	de: string;
	en: string;
}

/**
 * A label of the shared vocabulary (interests and the default competences) in the reader's language.
 * Only German and English are stored; the other languages translate the slug in
 * messages/<locale>.json (`vocabulary_tag_sport`, `vocabulary_competence_erste_hilfe`) as long as
 * the German label is still the seeded one — a coordinator's renamed or own entry means something
 * else, and then the English label stands in.
 */
export function vocabularyLabel(kind: 'tag' | 'competence', slug: string, stored: StoredLabels, locale: string): string {
	if (locale === 'de') return stored.de;
	if (locale !== 'en' && isLocale(locale)) {
		const message = (m as unknown as Record<string, Message | undefined>)[`vocabulary_${kind}_${slug.replaceAll('-', '_')}`];
		if (message && message({}, { locale: 'de' }) === stored.de) return message({}, { locale });
	}
	return stored.en || stored.de;
}
