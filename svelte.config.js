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
		inlineStyleThreshold: 10 * 1024,
		csp: {
			// Hashes, not nonces: public pages are rendered once and served from memory for up to a
			// second (src/lib/server/http/public-pages.ts), and a nonce would be the same for everyone
			// in that second. A hash is the same for the same page anyway, and Kit adds one for each
			// inline script and each inlined stylesheet.
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// <style> elements only with Kit's hashes. Style *attributes* need 'unsafe-inline': the
				// markup of app.html and of Kit's route announcer carries some, and mail previews
				// (`<iframe srcdoc>`, which inherits this policy) are styled inline as mail must be. An
				// attribute cannot run script, and img-src keeps CSS from loading anything off-site.
				'style-src': ['self'],
				'style-src-elem': ['self'],
				'style-src-attr': ['unsafe-inline'],
				// Club logos come from /clubs/logo/…, check-in and record QR codes are data: URLs.
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
