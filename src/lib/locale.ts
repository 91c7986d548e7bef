import { locales, type Locale } from './paraglide/runtime';

/**
 * The Intl locale behind each Paraglide locale. German and English follow the region's conventions
 * (Austrian German: "Jänner", 24-hour British English); a language without an entry uses its own tag,
 * so adding a language needs no line here.
 */
const INTL_LOCALES: Readonly<Record<string, string>> = { de: 'de-AT', en: 'en-GB' };

/** Languages written right to left, among those we might add (Arabic, Persian, Hebrew, Urdu). */
const RTL_LANGUAGES: ReadonlySet<string> = new Set(['ar', 'fa', 'he', 'ur']);

export function intlLocale(locale: string): string {
	return INTL_LOCALES[locale] ?? locale;
}

export function textDirection(locale: string): 'ltr' | 'rtl' {
	return RTL_LANGUAGES.has(locale.toLowerCase().split('-', 1)[0] ?? '') ? 'rtl' : 'ltr';
}

/** The language named in itself, as a switcher shows it: "Deutsch", "English", "Türkçe", "Bosanski". */
export function nativeLanguageName(locale: string): string {
	let name = nativeNames.get(locale);
	if (!name) {
		const own = new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
		name = own.charAt(0).toLocaleUpperCase(locale) + own.slice(1);
		nativeNames.set(locale, name);
	}
	return name;
}
const nativeNames = new Map<string, string>();

/** Every language of the settings (project.inlang), in their order: a new locale there shows up everywhere. */
export const availableLocales: readonly Locale[] = locales;
