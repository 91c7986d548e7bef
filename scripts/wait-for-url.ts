import type { ChildProcess } from 'node:child_process';

/**
 * Polls `url` every 200 ms until it answers 2xx, for at most `tries` polls. With `server`, gives up
 * at once when that process has exited instead of waiting out the polls.
 */
export async function waitForUrl(url: string, options: { tries: number; server?: ChildProcess }): Promise<void> {
	for (let i = 0; i < options.tries; i++) {
		if (options.server && options.server.exitCode !== null) throw new Error(`the server exited with ${options.server.exitCode}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${url} did not answer`);
}
