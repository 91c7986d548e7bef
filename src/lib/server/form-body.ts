import { error } from '@sveltejs/kit';
import * as m from '../paraglide/messages';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * A NUL character is never part of what a person types, and PostgreSQL refuses it in text
 * (22021, invalid byte sequence): refused here as bad input instead of failing as a 500 there.
 */
export function hasNul(value: string): boolean {
	return value.includes('\0');
}

/**
 * Makes `request.formData()` answer a body that is not a form with 400 (a malformed form, or one
 * with a NUL in a value) or 415 (another content type, e.g. text/plain, which SvelteKit lets
 * through to actions) instead of the TypeError that would end as a logged 500. The parsed form is
 * kept, so reading it again (the 503 page offers a post's entries back) costs nothing.
 */
export function guardFormBody(request: Request, describe: string): void {
	const parse = request.formData.bind(request);
	let parsed: Promise<FormData> | undefined;
	const refuse = (status: 400 | 415, reason: string): never => {
		console.warn(`[request] ${describe}: ${reason}`);
		return error(status, status === 400 ? m.error_bad_form() : m.error_not_a_form());
	};
	const formData = () =>
		(parsed ??= parse().then(
			(form) => {
				for (const [name, value] of form) {
					if (hasNul(name) || (typeof value === 'string' && hasNul(value))) refuse(400, 'NUL character in a form field');
				}
				return form;
			},
			(cause: unknown) => {
				const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
				const message = cause instanceof Error ? cause.message : String(cause);
				return FORM_TYPES.includes(type)
					? refuse(400, `malformed form body: ${message}`)
					: refuse(415, `not a form (${type || 'no content type'}): ${message}`);
			}
		));
	Object.defineProperty(request, 'formData', { value: formData });
}
