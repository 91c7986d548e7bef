import * as v from 'valibot';
import * as m from '../../paraglide/messages';
import { emailSchema } from '../registrations/form';

export interface SignUpValues {
	shiftId: string;
	name: string;
	email: string;
	places: string;
	waitlistOk: boolean;
	consentPrivacy: boolean;
}

export function readSignUp(form: FormData): SignUpValues {
	const one = (key: string) => String(form.get(key) ?? '').slice(0, 300);
	return {
		shiftId: one('shiftId'),
		name: one('name'),
		email: one('email'),
		places: one('places') || '1',
		waitlistOk: form.get('waitlistOk') === 'on',
		consentPrivacy: form.get('consentPrivacy') === 'on'
	};
}

export type ParsedSignUp =
	| { ok: true; shiftId: string; name: string; email: string; places: number; waitlistOk: boolean }
	| { ok: false; errors: Record<string, string>; values: SignUpValues };

/** The shift sign-up form: which shift, contact person, address, places (1 or a team). */
export function parseSignUp(form: FormData, shifts: { id: string; capacity: number }[]): ParsedSignUp {
	const values = readSignUp(form);
	const errors: Record<string, string> = {};
	const shift = shifts.find((s) => s.id === values.shiftId);
	if (!shift) errors.shiftId = m.error_choose_one();
	const name = values.name.trim();
	if (!name) errors.name = m.error_required();
	else if (name.length > 120) errors.name = m.error_too_long({ max: 120 });
	const email = v.safeParse(emailSchema, values.email);
	if (!email.success) errors.email = email.issues[0].message;
	const max = shift?.capacity ?? 50;
	const places = /^\d{1,4}$/.test(values.places.trim()) ? Number(values.places.trim()) : NaN;
	if (!(places >= 1 && places <= max)) errors.places = m.tasks_error_places({ max });
	if (!values.consentPrivacy) errors.consentPrivacy = m.error_privacy_consent();
	if (Object.keys(errors).length > 0 || !shift || !email.success) return { ok: false, errors, values };
	return { ok: true, shiftId: shift.id, name, email: email.output.toLowerCase(), places, waitlistOk: values.waitlistOk };
}
