import { baseLocale, isLocale, overwriteGetLocale } from '$lib/paraglide/runtime';

// The page's language in the browser: the URL prefix (/de/…, /en/…), else the language the server
// rendered the page in. Paraglide's own URL strategy evaluates URLPatterns and ships their polyfill,
// 6 KB of gzipped JavaScript on every page (issue 17); vite.config.ts leaves that polyfill out of the
// client build, so nothing in the browser may reach the URL strategy.
overwriteGetLocale(() => {
	const prefix = location.pathname.split('/', 2)[1];
	if (isLocale(prefix)) return prefix;
	const rendered = document.documentElement.lang;
	return isLocale(rendered) ? rendered : baseLocale;
});
