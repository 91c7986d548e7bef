import type { SubmitFunction } from '@sveltejs/kit';

/** Shown by the layout while the last enhanced form post found the service away. */
export const outage = $state({ active: false });

/**
 * `use:enhance={keepInput()}`: like plain enhance, except when the server is away (503, or no
 * answer at all): then the page and everything typed into the form stay as they are, and the
 * layout says to send it again shortly, instead of replacing the page with an error.
 */
export function keepInput(options?: { reset?: boolean }): SubmitFunction {
	return () =>
		async ({ result, update }) => {
			outage.active = result.type === 'error' && (result.status === undefined || result.status === 503);
			if (!outage.active) await update(options);
		};
}
