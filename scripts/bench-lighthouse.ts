// `npm run bench:lighthouse`: Lighthouse (mobile, simulated slow 4G) on home, an event page, the club
// directory and a club page of the production build with demo data, in Debian's Chromium. Prints
// JSON: per page the four category scores, LCP, TBT, CLS, FCP and the failing audits. Exits non-zero
// when a page misses issue 17's goal (performance ≥ 95, accessibility 100, SEO ≥ 95).
// Environment: LIGHTHOUSE_PORT (4312), CHROMIUM_PATH (/usr/bin/chromium).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { audit, findPublicPages, goals, missedGoals } from './lighthouse';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.LIGHTHOUSE_PORT ?? 4312);
const origin = `http://127.0.0.1:${port}`;

// In a child whose output goes to stderr, so that stdout carries only the JSON.
execFileSync(process.execPath, [path.join(root, 'scripts/build-if-stale.js')], { cwd: root, stdio: ['ignore', 2, 2] });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-bench-lighthouse-'));
const server = spawn(process.execPath, ['build'], {
	cwd: root,
	env: {
		...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, DATA_DIR: dataDir,
		DATABASE_URL: '', DATABASE_PATH: '', SMTP_URL: '', SEED_DEMO: 'true', WORKER_ENABLED: 'false', APP_SECRET: 'bench-secret'
	},
	stdio: ['ignore', 'ignore', 'inherit']
});

async function waitFor(url: string) {
	for (let i = 0; i < 300; i++) {
		if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${url} did not answer`);
}

let failed = true;
try {
	await waitFor(`${origin}/healthz`);
	const pages = await findPublicPages(origin);
	const reports = await audit(Object.values(pages), ['performance', 'accessibility', 'seo', 'best-practices']);
	const named = Object.fromEntries(Object.keys(pages).map((name, i) => [name, { ...reports[i]!, missed: missedGoals(reports[i]!) }]));
	failed = reports.some((r) => missedGoals(r).length > 0);
	console.log(JSON.stringify({ goals, formFactor: 'mobile', throttling: 'simulated (Lighthouse default)', pages: named, pass: !failed }, null, 2));
} finally {
	server.kill();
	fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
