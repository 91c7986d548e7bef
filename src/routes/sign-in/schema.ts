import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';

export const signInSchema = v.object({
	email: v.pipe(
		v.string(),
		v.trim(),
		v.nonEmpty(() => m.sign_in_error_email()),
		v.maxLength(254, () => m.sign_in_error_email_long()),
		v.email(() => m.sign_in_error_email())
	),
	redirectTo: v.optional(v.string(), '/')
});
