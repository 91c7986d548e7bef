import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from './env';

describe('environment', () => {
	const saved = { ...process.env };
	afterEach(() => {
		process.env = { ...saved };
	});

	it('has working defaults', () => {
		for (const key of ['DATABASE_URL', 'PORT', 'ORIGIN', 'SMTP_URL', 'WORKER_ENABLED', 'DATA_DIR', 'DATABASE_PATH']) delete process.env[key];
		const env = loadEnv();
		expect(env.databaseUrl).toBeUndefined();
		expect(env.databasePath).toMatch(/data[/\\]miteinander\.sqlite$/);
		expect(env.origin).toBe('http://localhost:3000');
		expect(env.workerEnabled).toBe(true);
		expect(env.mailMaxAttempts).toBe(6);
	});

	it('fails fast on malformed values', () => {
		process.env.MAIL_MAX_ATTEMPTS = 'many';
		expect(() => loadEnv()).toThrow(/MAIL_MAX_ATTEMPTS/);
		process.env.MAIL_MAX_ATTEMPTS = '3';
		process.env.WORKER_ENABLED = 'maybe';
		expect(() => loadEnv()).toThrow(/WORKER_ENABLED/);
	});

	it('gives each worker a stable identity from host and port unless WORKER_ID is set', () => {
		delete process.env.WORKER_ID;
		process.env.PORT = '3001';
		expect(loadEnv().workerId).toMatch(/:3001$/);
		expect(loadEnv().standaloneWorkerId).toMatch(/:worker$/);
		process.env.WORKER_ID = 'mail-1';
		expect(loadEnv()).toMatchObject({ workerId: 'mail-1', standaloneWorkerId: 'mail-1' });
	});

	it('refuses a heartbeat slower than half the lease', () => {
		process.env.MAIL_LEASE_MS = '20000';
		process.env.MAIL_HEARTBEAT_MS = '15000';
		expect(() => loadEnv()).toThrow(/MAIL_HEARTBEAT_MS/);
		process.env.MAIL_HEARTBEAT_MS = '10000';
		expect(loadEnv()).toMatchObject({ mailLeaseMs: 20000, mailHeartbeatMs: 10000 });
	});

	it('keeps backups in DATA_DIR/backups, the newest 14, unscheduled unless BACKUP_INTERVAL_HOURS is set', () => {
		for (const key of ['BACKUP_DIR', 'BACKUP_KEEP', 'BACKUP_INTERVAL_HOURS']) delete process.env[key];
		process.env.DATA_DIR = '/srv/miteinander';
		expect(loadEnv()).toMatchObject({ backupDir: '/srv/miteinander/backups', backupKeep: 14, backupIntervalHours: 0 });
		process.env.BACKUP_INTERVAL_HOURS = '1.5';
		expect(() => loadEnv()).toThrow(/BACKUP_INTERVAL_HOURS/);
		process.env.BACKUP_INTERVAL_HOURS = '24';
		process.env.BACKUP_KEEP = '0';
		process.env.BACKUP_DIR = '/mnt/backups';
		expect(loadEnv()).toMatchObject({ backupDir: '/mnt/backups', backupKeep: 0, backupIntervalHours: 24 });
	});

	it('strips a trailing slash from ORIGIN', () => {
		process.env.ORIGIN = 'https://miteinander.imst.at/';
		expect(loadEnv().origin).toBe('https://miteinander.imst.at');
	});

	it('refuses to guess ORIGIN in production', () => {
		delete process.env.ORIGIN;
		process.env.NODE_ENV = 'production';
		expect(() => loadEnv()).toThrow(/^ORIGIN must be set when NODE_ENV=production/);
		process.env.ORIGIN = 'https://miteinander.imst.at';
		expect(loadEnv().origin).toBe('https://miteinander.imst.at');
	});
});
