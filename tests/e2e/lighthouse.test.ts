import { expect, test } from '@playwright/test';
import { audit, findPublicPages, goals } from '../../scripts/lighthouse';

// Issue 17: Lighthouse accessibility 100 and SEO ≥ 95 (mobile) on home, an event page, the club
// directory and a club page. Both categories look only at the page, not at timings, so they are
// kept here; performance depends on how busy the machine is and stays in `npm run bench:lighthouse`.
test('Lighthouse accessibility and SEO of the public pages', async ({ baseURL }) => {
	// One Lighthouse run per page, each about 10 s on a busy two-core machine.
	test.setTimeout(180_000);
	const pages = await findPublicPages(baseURL!);
	const reports = await audit(Object.values(pages), ['accessibility', 'seo']);
	for (const report of reports) {
		const failing = `failing audits of ${report.url}: ${report.failing.join(', ') || 'none'}`;
		expect(report.scores.accessibility, failing).toBe(goals.accessibility);
		expect(report.scores.seo, failing).toBeGreaterThanOrEqual(goals.seo!);
	}
});
