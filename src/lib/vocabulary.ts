import * as m from './paraglide/messages';
import { isLocale, type Locale } from './paraglide/runtime';

type Message = (inputs: Record<string, never>, options: { locale: Locale }) => string;

// Spelled out rather than looked up as m[`vocabulary_${kind}_${slug}`]: a computed key on the
// messages namespace keeps every message of the app in the JavaScript of each page using it.
const translations: ReadonlyMap<string, Message> = new Map(
	Object.entries({
		tag_sport: m.vocabulary_tag_sport,
		tag_kultur: m.vocabulary_tag_kultur,
		tag_soziales: m.vocabulary_tag_soziales,
		tag_kinder_jugend: m.vocabulary_tag_kinder_jugend,
		tag_senioren: m.vocabulary_tag_senioren,
		tag_umwelt: m.vocabulary_tag_umwelt,
		tag_integration: m.vocabulary_tag_integration,
		tag_bildung: m.vocabulary_tag_bildung,
		tag_gesundheit: m.vocabulary_tag_gesundheit,
		tag_rettung: m.vocabulary_tag_rettung,
		tag_kirche: m.vocabulary_tag_kirche,
		tag_tiere: m.vocabulary_tag_tiere,
		tag_beteiligung: m.vocabulary_tag_beteiligung,
		tag_brauchtum: m.vocabulary_tag_brauchtum,
		tag_digitales: m.vocabulary_tag_digitales,
		tag_inklusion: m.vocabulary_tag_inklusion,
		tag_freizeit: m.vocabulary_tag_freizeit,
		competence_erste_hilfe: m.vocabulary_competence_erste_hilfe,
		competence_handwerk: m.vocabulary_competence_handwerk,
		competence_uebersetzen: m.vocabulary_competence_uebersetzen,
		competence_it: m.vocabulary_competence_it,
		competence_fahrerlaubnis_b: m.vocabulary_competence_fahrerlaubnis_b,
		competence_kochen: m.vocabulary_competence_kochen,
		competence_kinderbetreuung: m.vocabulary_competence_kinderbetreuung,
		competence_pflege_begleitung: m.vocabulary_competence_pflege_begleitung
	})
);

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
		const message = translations.get(`${kind}_${slug.replaceAll('-', '_')}`);
		if (message && message({}, { locale: 'de' }) === stored.de) return message({}, { locale });
	}
	return stored.en || stored.de;
}
