import type { Db } from '../db/schema';
import type { Env } from '../env';
import * as rateLimit from '../rate-limit';
import { createBackup, formatBytes } from './backup';

export interface ScheduledBackups {
	stop(): void;
}

/** How often the timer looks whether a new window has begun; also the retry after a failed claim. */
const LOOK_EVERY_MS = 5 * 60 * 1000;

/**
 * Backups every BACKUP_INTERVAL_HOURS, taken by the process that runs the worker. Time is cut into
 * windows of that length, aligned to the epoch (24 hours: each UTC day), and each window gets one
 * backup: the process that first sees a window claims it with the rate-limit counter in the
 * database (one atomic upsert, see rate-limit.ts), so with several instances on one PostgreSQL
 * database exactly one of them takes it, and a restart within a window takes none. The window
 * under way at start is claimed at once, so a backup also follows the first start after an upgrade.
 * A failed backup is logged and the next window tries again.
 */
export function startScheduledBackups(db: Db, config: Env, clock: () => Date = () => new Date()): ScheduledBackups | undefined {
	if (config.backupIntervalHours === 0) return undefined;
	const intervalMs = config.backupIntervalHours * 60 * 60 * 1000;
	let claimedWindow = -1;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;

	const look = async () => {
		const now = clock();
		const window = Math.floor(now.getTime() / intervalMs);
		if (window === claimedWindow) return;
		// A claim that fails (database away) is tried again at the next look.
		const isOurs = await rateLimit.consume(db, 'backup:scheduled', 1, intervalMs, now);
		claimedWindow = window;
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
