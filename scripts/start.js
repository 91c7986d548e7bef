// `npm start`: build if the sources are newer than the build, then serve with demo-friendly defaults.
// Migrations, demo seeding and the mail worker run in the server's init hook.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const builtEntry = path.join(root, 'build', 'index.js');

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

const sources = ['src', 'migrations', 'messages', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];
const builtAt = fs.existsSync(builtEntry) ? fs.statSync(builtEntry).mtimeMs : 0;
if (sources.some((s) => fs.existsSync(path.join(root, s)) && newestMtime(path.join(root, s)) > builtAt)) {
	console.log('[start] building the app …');
	execSync('npm run build', { cwd: root, stdio: 'inherit' });
}

if (fs.existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));
process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
// Above adapter-node's 512K default, so an oversized club logo (limit 500 kB) gets the app's own
// clear message instead of a bare 413.
process.env.BODY_SIZE_LIMIT ??= '2M';
console.log(`[start] serving on ${process.env.ORIGIN}`);
await import(builtEntry);
