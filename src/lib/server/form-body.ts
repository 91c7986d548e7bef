import { error } from '@sveltejs/kit';
import * as m from '../paraglide/messages';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * Makes `request.formData()` answer a body that is not a form with 400 (a malformed form) or 415
 * (another content type, e.g. text/plain, which SvelteKit lets through to actions) instead of the
 * TypeError that would end as a logged 500. The parsed form is kept, so reading it again (the 503
 * page offers a post's entries back) costs nothing and sees the same entries.
 */
export function guardFormBody(request: Request, describe: string): void {
	const parse = request.formData.bind(request);
	let parsed: Promise<FormData> | undefined;
	const formData = () =>
		(parsed ??= parse().catch((cause: unknown) => {
			const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
			const isForm = FORM_TYPES.includes(type);
			console.warn(`[request] ${describe}: ${isForm ? 'malformed form body' : `not a form (${type || 'no content type'})`}: ${cause instanceof Error ? cause.message : cause}`);
			return isForm ? error(400, m.error_bad_form()) : error(415, m.error_not_a_form());
		}));
	Object.defineProperty(request, 'formData', { value: formData });
}
