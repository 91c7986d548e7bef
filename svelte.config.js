import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		adapter: adapter(),
		// The origin check lives in hooks.server.ts: one-click unsubscribe POSTs (RFC 8058) come
		// from mail providers without an Origin header and must get through.
		csrf: { trustedOrigins: ['*'] },
		// The server resolves a link's route on client-side navigation, so the browser needs no copy
		// of every route of the app (issue 17: the JavaScript budget of the public pages).
		router: { resolution: 'server' },
		// Stylesheets up to this size go into the page as <style>: a phone on a slow connection
		// paints after the HTML alone instead of waiting for seven more requests (issue 17: FCP, LCP).
		inlineStyleThreshold: 10 * 1024
	}
};

export default config;
