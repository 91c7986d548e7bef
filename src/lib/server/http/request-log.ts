// One JSON line per request on stdout, for the operator's log collector (journald, the container
// runtime). Personal data stays out: the route's id (`/manage/[token]`) instead of the path, which
// carries manage and sign-in tokens; no query string, no address, no account.
import { randomUUID } from 'node:crypto';

/** A request id a proxy or load balancer passed on: kept if it cannot smuggle anything into a log line. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(incoming: string | null): string {
	return incoming && SANE_ID.test(incoming) ? incoming : randomUUID();
}

export interface RequestLine {
	requestId: string;
	method: string;
	/** SvelteKit's route id, null when no route matched (a 404). */
	route: string | null;
	status: number;
	durationMs: number;
}

export function formatRequestLine(line: RequestLine, now: Date): string {
	return JSON.stringify({
		time: now.toISOString(),
		level: line.status >= 500 ? 'error' : 'info',
		msg: 'request',
		requestId: line.requestId,
		method: line.method,
		route: line.route,
		status: line.status,
		durationMs: Math.round(line.durationMs * 10) / 10
	});
}

export function logRequest(line: RequestLine, now = new Date()): void {
	process.stdout.write(formatRequestLine(line, now) + '\n');
}
