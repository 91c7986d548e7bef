// Paraglide options shared by the Vite plugin and `npm run i18n`.
// Every locale has a URL prefix (/de/…, /en/…). An unprefixed URL falls through to the language
// cookie, then Accept-Language, then German, and a page request is redirected to its prefix.
const origin = ':protocol://:domain(.*)::port?';

/** @type {Omit<import('@inlang/paraglide-js').CompilerOptions, 'outdir'> & { outdir: string }} */
export const i18nOptions = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	strategy: ['url', 'cookie', 'preferredLanguage', 'baseLocale'],
	urlPatterns: [
		{
			pattern: `${origin}/:path(.*)?`,
			localized: [
				['de', `${origin}/de/:path(.*)?`],
				['en', `${origin}/en/:path(.*)?`]
			]
		}
	]
};
