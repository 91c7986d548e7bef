// Prints how many tests ran on each database, so CI output shows PostgreSQL was really exercised.
import type { Reporter, TestModule } from 'vitest/node';

export default class DialectReporter implements Reporter {
	onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
		const counts: Record<string, { passed: number; failed: number; skipped: number }> = {
			sqlite: { passed: 0, failed: 0, skipped: 0 },
			postgres: { passed: 0, failed: 0, skipped: 0 }
		};
		for (const module of testModules) {
			for (const test of module.children.allTests()) {
				const dialect = / on (sqlite|postgres)\b/.exec(test.fullName)?.[1];
				if (!dialect) continue;
				const state = test.result().state;
				const bucket = counts[dialect]!;
				if (state === 'passed') bucket.passed++;
				else if (state === 'failed') bucket.failed++;
				else bucket.skipped++;
			}
		}
		for (const [dialect, c] of Object.entries(counts)) {
			console.log(`database tests on ${dialect}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
		}
	}
}
