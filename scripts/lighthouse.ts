// Lighthouse against the four public pages of issue 17 (home, an event page, the club directory, a
// club page), in Debian's Chromium. Shared by `npm run bench:lighthouse` and tests/e2e/lighthouse.test.ts.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

export type Category = 'performance' | 'accessibility' | 'seo' | 'best-practices';

/** Issue 17: "Lighthouse mobile ≥ 95 performance, 100 accessibility, ≥ 95 SEO". */
export const goals: Partial<Record<Category, number>> = { performance: 95, accessibility: 100, seo: 95 };

export interface PageReport {
	url: string;
	scores: Partial<Record<Category, number>>;
	/** Milliseconds, except CLS (unitless). Only when performance was audited. */
	metrics?: { lcpMs: number; tbtMs: number; cls: number; fcpMs: number };
	/** Scored audits below Lighthouse's own "passed" mark (0.9), by id. */
	failing: string[];
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Several runs of one page as one report: each score and metric is the median of the runs (a single
 * simulated run varies by a second in LCP on a busy machine), and an audit fails if it failed in any run.
 */
export function medianOf(runs: PageReport[]): PageReport {
	const [first] = runs;
	if (!first) throw new Error('no runs');
	const scores: PageReport['scores'] = {};
	for (const category of Object.keys(first.scores) as Category[]) scores[category] = median(runs.map((r) => r.scores[category]!));
	const metrics = first.metrics && {
		lcpMs: median(runs.map((r) => r.metrics!.lcpMs)),
		tbtMs: median(runs.map((r) => r.metrics!.tbtMs)),
		cls: median(runs.map((r) => r.metrics!.cls)),
		fcpMs: median(runs.map((r) => r.metrics!.fcpMs))
	};
	return { url: first.url, scores, ...(metrics ? { metrics } : {}), failing: [...new Set(runs.flatMap((r) => r.failing))].sort() };
}

const firstMatch = (html: string, pattern: RegExp) => html.match(pattern)?.[1];

/** Home and directory are fixed; the event and club page are the first ones they link to. */
export async function findPublicPages(origin: string, locale = 'de') {
	const home = `${origin}/${locale}`;
	const directory = `${origin}/${locale}/clubs`;
	const text = async (url: string) => (await fetch(url)).text();
	const [homeHtml, directoryHtml] = await Promise.all([text(home), text(directory)]);
	const event = firstMatch(homeHtml, new RegExp(`href="(/${locale}/events/[^/"?#]+)"`));
	const club = firstMatch(directoryHtml, new RegExp(`href="(/${locale}/clubs/[^/"?#]+/[^/"?#]+)"`));
	if (!event) throw new Error(`${home} links to no event page`);
	if (!club) throw new Error(`${directory} links to no club page`);
	return { home, event: origin + event, directory, club: origin + club };
}

/**
 * One Lighthouse run per URL in one headless Chromium, with Lighthouse's defaults: mobile form
 * factor, simulated slow 4G and 4× CPU slowdown.
 */
export async function audit(urls: string[], categories: Category[], chromePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'): Promise<PageReport[]> {
	const chrome = await chromeLauncher.launch({
		chromePath,
		chromeFlags: ['--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu']
	});
	try {
		const reports: PageReport[] = [];
		for (const url of urls) {
			const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: categories });
			if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
			const { lhr } = result;
			if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
			const scores: PageReport['scores'] = {};
			for (const category of categories) scores[category] = Math.round((lhr.categories[category]?.score ?? 0) * 100);
			const numeric = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
			const failing = Object.values(lhr.audits)
				.filter((a) => ['binary', 'numeric', 'metricSavings'].includes(a.scoreDisplayMode) && a.score !== null && a.score < 0.9)
				.map((a) => a.id)
				.sort();
			reports.push({
				url,
				scores,
				...(categories.includes('performance')
					? {
							metrics: {
								lcpMs: Math.round(numeric('largest-contentful-paint')),
								tbtMs: Math.round(numeric('total-blocking-time')),
								cls: Math.round(numeric('cumulative-layout-shift') * 1000) / 1000,
								fcpMs: Math.round(numeric('first-contentful-paint'))
							}
						}
					: {}),
				failing
			});
		}
		return reports;
	} finally {
		chrome.kill();
	}
}

/** The categories of a report that miss their goal, e.g. `["performance 91 < 95"]`. */
export function missedGoals(report: PageReport): string[] {
	return Object.entries(goals)
		.filter(([category, goal]) => report.scores[category as Category] !== undefined && report.scores[category as Category]! < goal!)
		.map(([category, goal]) => `${category} ${report.scores[category as Category]} < ${goal}`);
}
