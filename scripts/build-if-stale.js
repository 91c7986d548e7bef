// Builds the app (vite build → build/) unless build/ is newer than every source. `npm start`, the
// test set-up and the end-to-end server use it, so a fresh clone builds once and a rerun does not.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const builtEntry = path.join(root, 'build', 'index.js');
const sources = ['src', 'migrations', 'messages', 'project.inlang/settings.json', 'static', 'scripts/i18n-options.js', 'svelte.config.js', 'vite.config.ts', 'package.json'];

/** @param {string} target */
function newestMtime(target) {
	const stat = fs.statSync(target);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of fs.readdirSync(target)) {
		if (entry === 'paraglide') continue; // generated during the build itself
		newest = Math.max(newest, newestMtime(path.join(target, entry)));
	}
	return newest;
}

export function buildIfStale() {
	const builtAt = fs.existsSync(builtEntry) ? fs.statSync(builtEntry).mtimeMs : 0;
	if (sources.some((s) => fs.existsSync(path.join(root, s)) && newestMtime(path.join(root, s)) > builtAt)) {
		console.log('[build] building the app …');
		// A production build even when called from Vitest, which sets NODE_ENV=test: Vite would build
		// in test mode, and the messages would no longer be tree-shaken per page.
		execSync('npm run build', { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
	}
	return builtEntry;
}

if (process.argv[1] === import.meta.filename) buildIfStale();
