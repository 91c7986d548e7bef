// Paraglide options shared by the Vite plugin and `npm run i18n`.
// Every locale has a URL prefix (/de/…, /en/…). An unprefixed URL falls through to the language
// cookie, then Accept-Language, then German, and a page request is redirected to its prefix.
// The locales come from project.inlang/settings.json, so a new language needs no line here.
import { readFileSync } from 'node:fs';

const origin = ':protocol://:domain(.*)::port?';
/** @type {{ locales: string[] }} */
const settings = JSON.parse(readFileSync(new URL('../project.inlang/settings.json', import.meta.url), 'utf8'));

/** @type {Omit<import('@inlang/paraglide-js').CompilerOptions, 'outdir'> & { outdir: string }} */
export const i18nOptions = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	strategy: ['url', 'cookie', 'preferredLanguage', 'baseLocale'],
	urlPatterns: [
		{
			pattern: `${origin}/:path(.*)?`,
			localized: settings.locales.map((locale) => /** @type {[string, string]} */ ([locale, `${origin}/${locale}/:path(.*)?`]))
		}
	]
};
