import * as v from 'valibot';
import * as m from '../../paraglide/messages';
import { emailSchema } from '../registrations/form';
import { MESSAGE_MAX } from './contact';

export const CONTACT_FIELDS = ['name', 'email', 'message'] as const;

export interface ContactValues {
	name: string;
	email: string;
	message: string;
	consentPrivacy: boolean;
}

const requiredText = (max: number) =>
	v.pipe(v.string(), v.trim(), v.nonEmpty(() => m.error_required()), v.maxLength(max, () => m.error_too_long({ max })));

const schema = v.object({
	name: requiredText(120),
	email: emailSchema,
	message: v.pipe(v.string(), v.trim(), v.maxLength(MESSAGE_MAX, () => m.error_too_long({ max: MESSAGE_MAX })))
});

export function readContactValues(form: FormData): ContactValues {
	const one = (key: string) => {
		const value = form.get(key);
		return typeof value === 'string' ? value.slice(0, 2000) : '';
	};
	return { name: one('name'), email: one('email'), message: one('message'), consentPrivacy: form.get('consentPrivacy') === 'on' };
}

export type ParsedContact =
	| { ok: true; name: string; email: string; message: string }
	| { ok: false; errors: Record<string, string>; values: ContactValues };

/** The contact form; errors in the order of the fields, messages in the request language. */
export function parseContact(form: FormData): ParsedContact {
	const values = readContactValues(form);
	const result = v.safeParse(schema, values);
	const found: Record<string, string> = {};
	if (!result.success) {
		for (const issue of result.issues) found[String(issue.path?.[0]?.key ?? 'form')] ??= issue.message;
	}
	if (!values.consentPrivacy) found.consentPrivacy = m.contact_error_privacy();
	if (result.success && Object.keys(found).length === 0) {
		return { ok: true, name: result.output.name, email: result.output.email.toLowerCase(), message: result.output.message };
	}
	const errors: Record<string, string> = {};
	for (const key of [...CONTACT_FIELDS, 'consentPrivacy']) if (found[key]) errors[key] = found[key];
	return { ok: false, errors, values };
}
