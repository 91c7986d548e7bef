import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { i18nOptions } from './scripts/i18n-options.js';

export default defineConfig({
	plugins: [sveltekit(), paraglideVitePlugin(i18nOptions)],
	test: {
		include: ['src/**/*.spec.ts', 'tests/integration/**/*.test.ts'],
		environment: 'node',
		globalSetup: ['tests/global-setup.ts'],
		reporters: ['default', './tests/dialect-reporter.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000
	}
});
