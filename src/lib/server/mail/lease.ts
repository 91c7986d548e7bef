// A worker's hold on the rows it claimed: the lease as this process measures it, and the heartbeat
// that extends it in the database while the batch is being sent.
import { setMaxListeners } from 'node:events';
import type { Db } from '../db/schema';
import { extendLeases } from './outbox';

/**
 * The lease as this process measures it (monotonic clock), renewed by each heartbeat that reached
 * the database (from the moment it was sent). New messages start only while more than half of it
 * is left, and a send still running at 90 % is aborted, so a row is no longer being sent when its
 * lease runs out and another worker may reclaim it — when heartbeats fail because the database is
 * away. `now` cannot serve here: tests pass a fixed one.
 */
export function startLeaseClock(leaseMs: number) {
	const controller = new AbortController();
	// Every message in flight listens to it (nodemailer adds two listeners per send); more than
	// ten at a time is expected here, not a leak.
	setMaxListeners(0, controller.signal);
	let endsAt = 0;
	let timer: NodeJS.Timeout | undefined;
	const renew = (from: number) => {
		endsAt = from + leaseMs;
		clearTimeout(timer);
		if (controller.signal.aborted) return;
		const abortIn = Math.max(0, endsAt - leaseMs * 0.1 - performance.now());
		timer = setTimeout(() => controller.abort(new Error('The lease on this message ran out')), abortIn);
	};
	renew(performance.now());
	return {
		allowsNewSend: () => endsAt - performance.now() > leaseMs / 2,
		renew,
		ending: controller.signal,
		stop: () => clearTimeout(timer)
	};
}

export type LeaseClock = ReturnType<typeof startLeaseClock>;

/**
 * While the batch is being sent, extends the lease of the rows still held every `heartbeatMs`, so
 * a lease can be short (a dead worker's claims come free soon) however long the batch takes.
 */
export function startHeartbeat(
	db: Db,
	held: Set<string>,
	lease: LeaseClock,
	options: { owner: string; now: Date; leaseMs: number; heartbeatMs?: number }
) {
	const { leaseMs } = options;
	const passStarted = performance.now();
	let isBeating = false;
	let hasWarned = false;
	const beat = async () => {
		if (isBeating || held.size === 0) return;
		isBeating = true;
		const sentAt = performance.now();
		// `now` plus the time this pass has run: the lease stays on the caller's clock.
		const until = new Date(options.now.getTime() + (sentAt - passStarted) + leaseMs);
		try {
			await extendLeases(db, [...held], options.owner, until);
			lease.renew(sentAt);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			if (!hasWarned) console.warn(`[mail] could not extend the lease of ${held.size} messages: ${message}`);
			hasWarned = true;
		} finally {
			isBeating = false;
		}
	};
	const timer = setInterval(() => void beat(), Math.max(10, options.heartbeatMs ?? leaseMs / 4));
	return { stop: () => clearInterval(timer) };
}
