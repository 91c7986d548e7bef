import * as m from './paraglide/messages';
import type { Locale } from './paraglide/runtime';
import type { LANGUAGES } from './participant-profile';

type Message = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

// Spelled out rather than looked up as m[`language_${code}`]: a computed key on the messages
// namespace keeps every message of the app (1,700 × 6 languages) in the JavaScript of each page
// that imports it (issue 17).
const names: Record<(typeof LANGUAGES)[number], Message> = {
	de: m.language_de,
	en: m.language_en,
	tr: m.language_tr,
	ar: m.language_ar,
	uk: m.language_uk,
	it: m.language_it,
	fr: m.language_fr,
	es: m.language_es,
	bs: m.language_bs,
	hr: m.language_hr,
	sr: m.language_sr,
	ro: m.language_ro,
	pl: m.language_pl,
	hu: m.language_hu,
	fa: m.language_fa
};
const byCode: ReadonlyMap<string, Message> = new Map(Object.entries(names));

/** A language (ISO 639-1 code) by its name in `locale`, by default the reader's; an unknown code as itself. */
export function languageName(code: string, locale?: Locale): string {
	const name = byCode.get(code);
	return name ? name({}, locale ? { locale } : {}) : code;
}
