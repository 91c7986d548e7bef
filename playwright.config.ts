import { defineConfig, devices } from '@playwright/test';

// End-to-end tests run against the production build (adapter-node), started fresh for every run:
// a new SQLite database and mail directory in .e2e-data (gitignored), seeded with the demo data;
// its mail crosses a real SMTP server into that directory (scripts/e2e-server.js).
// E2E_PORT lets a second checkout run its own suite beside this one. E2E_DATABASE_URL (a postgres://
// URL) runs the server on that PostgreSQL database instead: scripts/e2e-postgres.js (the fuzz test).
const PORT = Number(process.env.E2E_PORT ?? 4173);
const ORIGIN = `http://127.0.0.1:${PORT}`;
/** Relative to this file; tests/e2e/helpers.ts reads written mail from `${E2E_DATA_DIR}/mail`. */
const E2E_DATA_DIR = '.e2e-data';

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.test.ts',
	// The tests share one server and database (and its sign-in rate limits): run them one at a time.
	workers: 1,
	fullyParallel: false,
	retries: 0,
	forbidOnly: !!process.env.CI,
	reporter: 'list',
	// The longest journeys (create, register three people, export, check in, move, cancel) take
	// 30–60 s on a busy two-core machine (also before the bad-days work): give them room.
	timeout: 90_000,
	expect: { timeout: 5_000 },
	use: {
		baseURL: ORIGIN,
		// German is the default language; tests that need English say so.
		locale: 'de-DE',
		timezoneId: 'Europe/Vienna',
		trace: 'retain-on-failure'
	},
	projects: [
		{
			name: 'debian-chromium',
			// The fuzz test changes the demo data at random (its successful requests): it runs last.
			testIgnore: 'fuzz-actions.test.ts',
			use: {
				...devices['Desktop Chrome'],
				locale: 'de-DE',
				launchOptions: {
					// Playwright cannot download its own browser here; Debian's chromium works (toolchain.md gotcha 12).
					executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
					args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu']
				}
			}
		},
		{
			name: 'fuzz',
			testMatch: 'fuzz-actions.test.ts',
			dependencies: ['debian-chromium']
		}
	],
	webServer: {
		command: `rm -rf ${E2E_DATA_DIR} && node scripts/build-if-stale.js && node scripts/e2e-server.js`,
		url: `${ORIGIN}/healthz`,
		reuseExistingServer: false,
		timeout: 180_000,
		stdout: 'ignore',
		stderr: 'pipe',
		env: {
			HOST: '127.0.0.1',
			PORT: String(PORT),
			// Required for form POSTs (adapter-node's CSRF check) and used in emailed links (gotcha 6).
			ORIGIN,
			DATA_DIR: E2E_DATA_DIR,
			// SQLite in DATA_DIR unless E2E_DATABASE_URL says otherwise, whatever the caller's shell
			// exports. Mail goes over SMTP to scripts/e2e-server.js, which sets SMTP_URL itself.
			DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
			DATABASE_PATH: '',
			SMTP_URL: '',
			SEED_DEMO: 'true',
			BODY_SIZE_LIMIT: '2M',
			WORKER_ENABLED: 'true',
			WORKER_INTERVAL_MS: '200',
			// Every test comes from 127.0.0.1; keep the per-address limit (5) that one test checks.
			SIGN_IN_LIMIT_PER_IP: '1000',
			REGISTRATION_LIMIT_PER_IP: '1000',
			SIGN_IN_LIMIT_PER_EMAIL: '5',
			SIGN_IN_LIMIT_WINDOW_MINUTES: '15'
		}
	}
});
