import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { i18nOptions } from './scripts/i18n-options.js';
import { clientMessageData } from './scripts/vite-message-data.ts';

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
 * Modules shared by at least ten route nodes (the Svelte and SvelteKit runtime, the form components)
 * go into one common chunk; the rest of src/lib that pages share is grouped by the pages that use it.
 * The client build's message functions (one short line each, scripts/vite-message-data.ts) are grouped
 * the same way, and their groups under 1.5 KB join their closest neighbour. Merging the src/lib groups
 * as well made two chunks import each other and run in the wrong order. The event page loads 15 files.
 */
function clientChunks(): Plugin {
	return {
		name: 'client-chunks',
		configEnvironment(name) {
			if (name !== 'client') return;
			const groups = [
				{ name: 'common', minShareCount: 10, priority: 3 },
				{ name: 'messages', test: /[\\/]src[\\/]lib[\\/]paraglide[\\/]messages[\\/]/, minShareCount: 2, entriesAware: true, entriesAwareMergeThreshold: 1500, priority: 2 },
				{ name: 'lib', test: /[\\/]src[\\/]lib[\\/]/, minShareCount: 2, entriesAware: true, priority: 1 }
			];
			return { build: { rollupOptions: { output: { codeSplitting: { groups } } } } };
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), paraglideVitePlugin(i18nOptions), clientMessageData(), clientChunks(), cachedPluralRules()],
	test: {
		include: ['src/**/*.spec.ts', 'tests/integration/**/*.test.ts'],
		environment: 'node',
		globalSetup: ['tests/global-setup.ts'],
		reporters: ['default', './tests/dialect-reporter.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000
	}
});
