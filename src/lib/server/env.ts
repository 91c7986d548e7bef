// Every environment variable the application reads, with its default and meaning.
// Parsed once; nothing else touches process.env. `.env.example` and the README list the same.
import os from 'node:os';
import path from 'node:path';

/** A setting the app cannot run with; reported in one line at start. */
export class ConfigError extends Error {}

function read(name: string): string | undefined {
	const value = process.env[name]?.trim();
	return value ? value : undefined;
}

function readInt(name: string, fallback: number): number {
	const raw = read(name);
	if (raw === undefined) return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0) {
		throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
	}
	return value;
}

function readPositiveInt(name: string, fallback: number): number {
	const value = readInt(name, fallback);
	if (value === 0) throw new ConfigError(`${name} must be at least 1`);
	return value;
}

function readBool(name: string, fallback: boolean): boolean {
	const raw = read(name)?.toLowerCase();
	if (raw === undefined) return fallback;
	if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
	if (['0', 'false', 'no', 'off'].includes(raw)) return false;
	throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function loadEnv() {
	const dataDir = path.resolve(read('DATA_DIR') ?? 'data');
	const port = readInt('PORT', 3000);
	const isProduction = read('NODE_ENV') === 'production';
	const mailLeaseMs = readPositiveInt('MAIL_LEASE_MS', 60_000);
	const mailHeartbeatMs = readPositiveInt('MAIL_HEARTBEAT_MS', 15_000);
	// New sends stop once less than half the lease is left; a slower heartbeat would stall them.
	if (mailHeartbeatMs * 2 > mailLeaseMs) {
		throw new ConfigError(`MAIL_HEARTBEAT_MS (${mailHeartbeatMs}) must be at most half of MAIL_LEASE_MS (${mailLeaseMs})`);
	}
	// Without it, adapter-node guesses https://<Host> for its CSRF check (refusing every form post
	// behind plain http) while emailed links would point at localhost: never guess in production.
	if (isProduction && !read('ORIGIN')) {
		throw new ConfigError('ORIGIN must be set when NODE_ENV=production (the public URL, e.g. ORIGIN=https://miteinander.example.at)');
	}
	const metricsToken = read('METRICS_TOKEN');
	// A short token could be guessed by trying: /metrics answers every try.
	if (metricsToken !== undefined && metricsToken.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 24)');
	return {
		/** Directory for the SQLite file and written mail. */
		dataDir,
		/** `postgres://…` selects PostgreSQL; empty means SQLite in DATA_DIR. */
		databaseUrl: read('DATABASE_URL'),
		/** SQLite file, used when DATABASE_URL is empty. */
		databasePath: read('DATABASE_PATH') ?? path.join(dataDir, 'miteinander.sqlite'),
		/** Public base URL; used in emailed links and by adapter-node for CSRF checks. */
		origin: (read('ORIGIN') ?? `http://localhost:${port}`).replace(/\/$/, ''),
		/** `smtp://user:pass@host:port` or `smtps://…`; empty writes .eml files to DATA_DIR/mail. */
		smtpUrl: read('SMTP_URL'),
		/** Sender address of every email. */
		mailFrom: read('MAIL_FROM') ?? 'Miteinander <no-reply@miteinander.local>',
		/** Run the outbox worker and scheduled jobs in this process. */
		workerEnabled: readBool('WORKER_ENABLED', true),
		/** How often the worker looks for due mail, in milliseconds. */
		workerIntervalMs: readInt('WORKER_INTERVAL_MS', 5000),
		/**
		 * Names this process's claims on outbox rows. A restarted process with the same id takes back
		 * what its previous life held at once, instead of waiting for the lease; so it must be stable
		 * across restarts and differ between processes running at the same time. The default, host
		 * name and PORT, does both for app instances; `npm run worker` uses `<host>:worker` instead.
		 */
		workerId: read('WORKER_ID') ?? `${os.hostname()}:${port}`,
		/** The same for a standalone worker process (`npm run worker`), which listens on no port. */
		standaloneWorkerId: read('WORKER_ID') ?? `${os.hostname()}:worker`,
		/** How long a worker's claim on a message lasts without a heartbeat, in milliseconds. */
		mailLeaseMs,
		/** How often a sending worker extends its claims, in milliseconds; at most half the lease. */
		mailHeartbeatMs,
		/** First pause when the SMTP server cannot be reached, in milliseconds; doubles up to 60 times this. */
		mailOutagePauseMs: readPositiveInt('MAIL_OUTAGE_PAUSE_MS', 5000),
		/** Delivery attempts before an email is marked failed. */
		mailMaxAttempts: readInt('MAIL_MAX_ATTEMPTS', 6),
		/** SMTP connections kept open and used at once by the worker. */
		mailPoolSize: readPositiveInt('MAIL_POOL_SIZE', 5),
		/** Outbox rows the worker claims per pass; a full batch is followed by the next at once. */
		mailBatchSize: readPositiveInt('MAIL_BATCH_SIZE', 200),
		/** Seed demo municipalities, venues and accounts into an empty database. */
		seedDemo: readBool('SEED_DEMO', true),
		/** Key for deriving participants' manage links; set the same value on every instance. */
		appSecret: read('APP_SECRET'),
		/** Hours an unconfirmed registration waits for its confirmation link to be opened. */
		registrationConfirmHours: readInt('REGISTRATION_CONFIRM_HOURS', 48),
		/** Registrations allowed per IP address within the sign-in rate-limit window. */
		registrationLimitPerIp: readInt('REGISTRATION_LIMIT_PER_IP', 30),
		/** Compress HTML and JSON responses (br or gzip); turn off when a reverse proxy compresses. */
		compressResponses: readBool('COMPRESS_RESPONSES', true),
		/**
		 * How long an anonymous public page's render is reused by this instance, in milliseconds (0: never).
		 * A change made through this instance shows at once; other instances show it after at most this long.
		 */
		publicPageCacheMs: readInt('PUBLIC_PAGE_CACHE_MS', 1000),
		/** Name of the region shown in the header. */
		regionName: read('REGION_NAME') ?? 'Region Imst',
		/** ISO 3166 country code of the region, for addresses in search engines' structured data. */
		regionCountry: (read('REGION_COUNTRY') ?? 'AT').toUpperCase(),
		/** Sign-in link requests allowed per email address and per IP within the window. */
		signInLimitPerEmail: readInt('SIGN_IN_LIMIT_PER_EMAIL', 5),
		signInLimitPerIp: readInt('SIGN_IN_LIMIT_PER_IP', 20),
		signInLimitWindowMinutes: readInt('SIGN_IN_LIMIT_WINDOW_MINUTES', 15),
		/** Where `npm run backup` and scheduled backups write their files. */
		backupDir: path.resolve(read('BACKUP_DIR') ?? path.join(dataDir, 'backups')),
		/** How many backup files to keep in BACKUP_DIR (the newest); 0 keeps all. */
		backupKeep: readInt('BACKUP_KEEP', 14),
		/**
		 * Hours between backups taken by the process that runs the worker (0: none). Windows are
		 * aligned to the epoch (24: each UTC day); with several instances one of them takes each.
		 */
		backupIntervalHours: readInt('BACKUP_INTERVAL_HOURS', 0),
		/**
		 * Bearer token that /metrics (Prometheus) asks for. Without it /metrics answers 404: the
		 * figures (traffic, backlog) are not for everyone.
		 */
		metricsToken,
		/**
		 * One JSON line per request on stdout (request id, method, route id, status, duration; no
		 * personal data). On by default in production, where a log collector reads stdout; off for
		 * `vite dev` and tests, whose console it would fill.
		 */
		logRequests: readBool('LOG_REQUESTS', isProduction)
	};
}

export type Env = ReturnType<typeof loadEnv>;

let cached: Env | undefined;

export function env(): Env {
	cached ??= loadEnv();
	return cached;
}
