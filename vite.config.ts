import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { i18nOptions } from './scripts/i18n-options.js';

const URLPATTERN_POLYFILL = '@inlang/paraglide-js/urlpattern-polyfill';

/**
 * The browser gets the page's language from src/hooks.client.ts and never evaluates a URLPattern,
 * so Paraglide's runtime goes to the client without the URLPattern polyfill (6 KB gzip, issue 17).
 * The server keeps it: Node 20 has no URLPattern.
 */
function clientWithoutUrlPatternPolyfill(): Plugin {
	return {
		name: 'client-without-urlpattern-polyfill',
		enforce: 'pre',
		resolveId(id) {
			if (id === URLPATTERN_POLYFILL && this.environment.config.consumer === 'client') return '\0no-urlpattern-polyfill';
		},
		load(id) {
			if (id === '\0no-urlpattern-polyfill') return 'export {};';
		}
	};
}

const PLURAL_RULES = 'return new Intl.PluralRules(locale, options).select(Number(input))';

/**
 * Paraglide's generated registry builds a new Intl.PluralRules for every plural message it renders,
 * about 4 % of a registration's CPU time (the confirmation mail counts hours). The rules depend only
 * on locale and options, so one instance per pair is kept. Fails the build if Paraglide changes
 * the code, so the optimisation cannot silently vanish.
 */
function cachedPluralRules(): Plugin {
	return {
		name: 'cached-plural-rules',
		transform(code, id) {
			if (!/[\\/]paraglide[\\/]registry\.js$/.test(id)) return;
			if (!code.includes(PLURAL_RULES)) this.error('cached-plural-rules: Paraglide\'s registry.js no longer has the expected plural()');
			const cached = `const pluralRules = new Map();
function pluralRulesOf(locale, options) {
	const key = options ? locale + JSON.stringify(options) : locale;
	let rules = pluralRules.get(key);
	if (!rules) pluralRules.set(key, (rules = new Intl.PluralRules(locale, options)));
	return rules;
}
`;
			return { code: cached + code.replace(PLURAL_RULES, 'return pluralRulesOf(locale, options).select(Number(input))'), map: null };
		}
	};
}

/**
 * Rolldown's default splits the browser's code by the exact set of pages that share each module, which
 * left the event page with 39 files, most under 1 KB (issue 17), fetched over HTTP/1.1 by `node build`.
 * Two groups make fewer, larger files: modules shared by at least ten route nodes (the Svelte and
 * SvelteKit runtime, Paraglide's runtime, the form components and their messages) go into one common
 * chunk; the rest of src/lib that pages share is grouped by the pages that use it, and groups under
 * 4.5 KB join their closest neighbour. The event page needs 15 files instead of 39 (and 1.7 KB less);
 * back-office pages load about 3 KB of code they do not run, in less than half as many files.
 */
function clientChunks(): Plugin {
	return {
		name: 'client-chunks',
		configEnvironment(name) {
			if (name !== 'client') return;
			const groups = [
				{ name: 'common', minShareCount: 10, priority: 2 },
				{ name: 'lib', test: /[\\/]src[\\/]lib[\\/]/, minShareCount: 2, entriesAware: true, entriesAwareMergeThreshold: 4500, priority: 1 }
			];
			return { build: { rollupOptions: { output: { codeSplitting: { groups } } } } };
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), paraglideVitePlugin(i18nOptions), clientWithoutUrlPatternPolyfill(), clientChunks(), cachedPluralRules()],
	test: {
		include: ['src/**/*.spec.ts', 'tests/integration/**/*.test.ts'],
		environment: 'node',
		globalSetup: ['tests/global-setup.ts'],
		reporters: ['default', './tests/dialect-reporter.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000
	}
});
