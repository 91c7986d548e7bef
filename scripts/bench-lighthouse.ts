// `npm run bench:lighthouse`: Lighthouse (mobile, simulated slow 4G) on home, an event page, the club
// directory and a club page of the production build with demo data, in Debian's Chromium.
// Baseline, measured in the same run: each page's own HTML without its scripts and stylesheets,
// served gzipped by a bare node:http server — what the page would cost as markup alone.
// Prints JSON: per page the four category scores, LCP, TBT, CLS, FCP (medians of the runs), the
// failing audits, the baseline's figures and the ratios app / bare. Exits non-zero when a page
// misses issue 17's goal (performance ≥ 95, accessibility 100, SEO ≥ 95).
// Environment: LIGHTHOUSE_RUNS (3 per page), LIGHTHOUSE_PORT (4312; the baseline uses the next
// port), CHROMIUM_PATH (/usr/bin/chromium).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { audit, findPublicPages, goals, medianOf, missedGoals, type PageReport } from './lighthouse';
import { waitForUrl } from './wait-for-url';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const port = Number(process.env.LIGHTHOUSE_PORT ?? 4312);
const origin = `http://127.0.0.1:${port}`;
const bareOrigin = `http://127.0.0.1:${port + 1}`;

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
const bareHtml = new Map<string, Buffer>();
const bare = http.createServer((request, response) => {
	const html = bareHtml.get(request.url ?? '');
	if (!html) return response.writeHead(404).end();
	response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' }).end(html);
});

/** The page's markup alone: no scripts (JSON-LD included), no stylesheets, preloads or inline styles. */
const markupOnly = (html: string) =>
	html
		.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
		.replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
		.replace(/<link\b[^>]*rel="(?:stylesheet|modulepreload|preload)"[^>]*>/g, '');

const ratio = (app: number, base: number) => (base > 0 ? Math.round((app / base) * 100) / 100 : null);

let failed = true;
try {
	await Promise.all([waitForUrl(`${origin}/healthz`, { tries: 300, server }), new Promise<void>((r) => bare.listen(port + 1, '127.0.0.1', r))]);
	const pages = await findPublicPages(origin);
	const names = Object.keys(pages);
	const appUrls = Object.values(pages);
	const bareUrls = appUrls.map((url) => bareOrigin + new URL(url).pathname);
	for (const url of appUrls) bareHtml.set(new URL(url).pathname, gzipSync(markupOnly(await (await fetch(url)).text())));

	const appRuns: PageReport[][] = appUrls.map(() => []);
	const bareRuns: PageReport[][] = appUrls.map(() => []);
	for (let round = 0; round < runs; round++) {
		// App and baseline take turns, so a busy moment of the machine falls on both.
		const reports = await audit([...appUrls, ...bareUrls], ['performance', 'accessibility', 'seo', 'best-practices']);
		reports.forEach((report, i) => (i < appUrls.length ? appRuns[i]! : bareRuns[i - appUrls.length]!).push(report));
	}

	const results = names.map((name, i) => {
		const app = medianOf(appRuns[i]!);
		const base = medianOf(bareRuns[i]!);
		return [
			name,
			{
				...app,
				missed: missedGoals(app),
				bare: { scores: { performance: base.scores.performance }, metrics: base.metrics },
				ratio: { lcp: ratio(app.metrics!.lcpMs, base.metrics!.lcpMs), fcp: ratio(app.metrics!.fcpMs, base.metrics!.fcpMs) }
			}
		] as const;
	});
	failed = results.some(([, r]) => r.missed.length > 0);
	const summary = { goals, formFactor: 'mobile', throttling: 'simulated slow 4G (Lighthouse default)', runsPerPage: runs, pages: Object.fromEntries(results), pass: !failed };
	console.log(JSON.stringify(summary, null, 2));
} finally {
	server.kill();
	bare.close();
	fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
