import type { Db } from '../db/schema';
import type { Env } from '../env';
import * as rateLimit from '../rate-limit';
import { createBackup, formatBytes, type BackupConfig, type BackupResult } from './backup';

export interface ScheduledBackups {
	stop(): void;
}

type ScheduleConfig = BackupConfig & Pick<Env, 'backupIntervalHours'>;

/** How often the timer looks whether a new window has begun; also the retry after a failed claim. */
const LOOK_EVERY_MS = 5 * 60 * 1000;

/**
 * Claims the window (of BACKUP_INTERVAL_HOURS, aligned to the epoch) that `now` falls in, unless
 * another process has: the first to ask wins the rate-limit counter in the database (one atomic
 * upsert, see rate-limit.ts), so with several instances on one PostgreSQL database exactly one of
 * them takes each window's backup, and a restart within a window takes none.
 */
export function claimWindow(db: Db, intervalHours: number, now: Date): Promise<boolean> {
	return rateLimit.consume(db, 'backup:scheduled', 1, intervalHours * 60 * 60 * 1000, now);
}

/** The backup of the window `now` falls in, or null when another process claimed it. */
export async function takeScheduledBackup(db: Db, config: ScheduleConfig, now: Date): Promise<BackupResult | null> {
	return (await claimWindow(db, config.backupIntervalHours, now)) ? createBackup(config, now) : null;
}

/**
 * Backups every BACKUP_INTERVAL_HOURS, taken by the process that runs the worker, one per window.
 * The window under way at start is claimed at once, so a backup also follows the first start
 * after an upgrade. A claim that fails (database away) is tried again at the next look; a backup
 * that fails is logged and not tried again before the next window. One log line per backup.
 */
export function startScheduledBackups(db: Db, config: ScheduleConfig, clock: () => Date = () => new Date()): ScheduledBackups | undefined {
	if (config.backupIntervalHours === 0) return undefined;
	const intervalMs = config.backupIntervalHours * 60 * 60 * 1000;
	let lookedAtWindow = -1;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;

	const look = async () => {
		const now = clock();
		const window = Math.floor(now.getTime() / intervalMs);
		if (window === lookedAtWindow) return;
		const isOurs = await claimWindow(db, config.backupIntervalHours, now);
		lookedAtWindow = window;
		if (!isOurs) return;
		const started = performance.now();
		try {
			const result = await createBackup(config, now);
			const removed = result.removed.length > 0 ? `, removed ${result.removed.length} older` : '';
			console.log(`[backup] wrote ${result.file} (${formatBytes(result.bytes)} in ${((performance.now() - started) / 1000).toFixed(1)} s${removed})`);
		} catch (error) {
			console.error(`[backup] scheduled backup failed: ${(error as Error).message}`);
		}
	};
	const schedule = (delayMs: number) => {
		if (stopped) return;
		timer = setTimeout(() => {
			look()
				.catch((error: Error) => console.error(`[backup] could not claim the backup window: ${error.message}`))
				.finally(() => {
					const now = clock().getTime();
					const nextWindow = (Math.floor(now / intervalMs) + 1) * intervalMs;
					schedule(Math.min(nextWindow - now, LOOK_EVERY_MS));
				});
		}, delayMs);
		// The HTTP server or the worker loop keeps the process alive, never this timer.
		timer.unref();
	};
	schedule(0);
	console.log(`[backup] every ${config.backupIntervalHours} h to ${config.backupDir}, keeping ${config.backupKeep === 0 ? 'all' : `the newest ${config.backupKeep}`}`);
	return {
		stop() {
			stopped = true;
			clearTimeout(timer);
		}
	};
}
