import { getLocale, locales, type Locale } from '$lib/paraglide/runtime';

// Our URL scheme is a plain locale prefix (/de/…, /en/…). Paraglide's localizeHref evaluates
// URLPatterns (about 0.5 ms a call, ten calls a page); these do the same with one regex.
const prefix = new RegExp(`^/(${locales.join('|')})(?=[/?#]|$)`);

/** The locale named by an address's prefix, if any. */
export function localeOfHref(href: string): Locale | undefined {
	return prefix.exec(href)?.[1] as Locale | undefined;
}

export function deLocalizeHref(href: string): string {
	if (!href.startsWith('/')) return href;
	const rest = href.replace(prefix, '');
	return rest.startsWith('/') ? rest : `/${rest}`;
}

export function localizeHref(href: string, options?: { locale?: Locale }): string {
	if (!href.startsWith('/') || href.startsWith('//')) return href;
	const path = deLocalizeHref(href);
	return `/${options?.locale ?? getLocale()}${path === '/' ? '' : path.startsWith('/?') || path.startsWith('/#') ? path.slice(1) : path}`;
}
