import * as v from 'valibot';
import * as m from '../../paraglide/messages';
import * as competences from '../competences';
import type { Db } from '../db/schema';
import * as tags from '../tags';
import { AVAILABILITY, LANGUAGES, RESIDENCIES, type ParticipantValues, type Profile } from '../../participant-profile';

const text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, () => m.error_too_long({ max })));
const requiredText = (max: number) =>
	v.pipe(v.string(), v.trim(), v.nonEmpty(() => m.error_required()), v.maxLength(max, () => m.error_too_long({ max })));

const slugChoice = (slugs: string[]) => v.picklist(slugs.length ? (slugs as [string, ...string[]]) : ['-'], () => m.error_invalid_choice());

/** Built once per set of choices (they rarely change), not on every form post. */
const schemas = new Map<string, ReturnType<typeof buildDetailsSchema>>();

function detailsSchema(tagSlugs: string[], competenceSlugs: string[]) {
	const key = `${tagSlugs.join(' ')}|${competenceSlugs.join(' ')}`;
	let schema = schemas.get(key);
	if (!schema) {
		schema = buildDetailsSchema(tagSlugs, competenceSlugs);
		if (schemas.size >= 100) schemas.delete(schemas.keys().next().value!);
		schemas.set(key, schema);
	}
	return schema;
}

function buildDetailsSchema(tagSlugs: string[], competenceSlugs: string[]) {
	return v.object({
		name: requiredText(120),
		residency: v.picklist(RESIDENCIES, () => m.error_choose_one()),
		homePlace: text(120),
		secondPlace: text(120),
		presence: text(500),
		accessibilityNeeds: text(1000),
		interests: v.array(v.picklist(tagSlugs.length ? (tagSlugs as [string, ...string[]]) : ['-'], () => m.error_invalid_choice())),
		availability: v.array(v.picklist(AVAILABILITY, () => m.error_invalid_choice())),
		languages: v.array(v.picklist(LANGUAGES, () => m.error_invalid_choice())),
		competences: v.array(slugChoice(competenceSlugs)),
		consentIntroductions: v.boolean()
	});
}

export const emailSchema = v.pipe(
	v.string(),
	v.trim(),
	v.nonEmpty(() => m.sign_in_error_email()),
	v.maxLength(254, () => m.sign_in_error_email_long()),
	v.email(() => m.sign_in_error_email())
);

export interface DetailsValues extends ParticipantValues {
	email: string;
	consentIntroductions: boolean;
	consentPrivacy: boolean;
}

export function readValues(form: FormData): DetailsValues {
	const one = (key: string) => String(form.get(key) ?? '').slice(0, 2000);
	const many = (key: string) => form.getAll(key).map(String).slice(0, 50);
	return {
		name: one('name'),
		email: one('email'),
		residency: one('residency'),
		homePlace: one('homePlace'),
		secondPlace: one('secondPlace'),
		presence: one('presence'),
		accessibilityNeeds: one('accessibilityNeeds'),
		interests: many('interests'),
		availability: many('availability'),
		languages: many('languages'),
		competences: many('competences'),
		consentIntroductions: form.get('consentIntroductions') === 'on',
		consentPrivacy: form.get('consentPrivacy') === 'on'
	};
}

export type ParsedDetails =
	| { ok: true; name: string; email: string; profile: Profile; consentIntroductions: boolean }
	| { ok: false; errors: Record<string, string>; values: DetailsValues };

/**
 * parseDetails against the interests and the hosts' competences, loading them only when the form
 * chooses any: most people choose none, and an empty choice is valid whatever the lists hold.
 */
export async function parseDetailsFor(db: Db, hostIds: string[], form: FormData, options: { withEmail: boolean }): Promise<ParsedDetails> {
	const tagSlugs = form.has('interests') ? (await tags.list(db, 'de')).map((t) => t.slug) : [];
	const competenceSlugs = form.has('competences') ? (await competences.choices(db, hostIds, 'de')).map((c) => c.slug) : [];
	return parseDetails(form, tagSlugs, { ...options, competenceSlugs });
}

/** Validates the registration (withEmail) or the manage form; messages come in the request language. */
export function parseDetails(
	form: FormData,
	tagSlugs: string[],
	options: { withEmail: boolean; /** The hosts' competences; none offered when absent. */ competenceSlugs?: string[] }
): ParsedDetails {
	const values = readValues(form);
	const errors: Record<string, string> = {};
	let email = '';
	if (options.withEmail) {
		const parsed = v.safeParse(emailSchema, values.email);
		if (parsed.success) email = parsed.output.toLowerCase();
		else errors.email = parsed.issues[0].message;
		if (!values.consentPrivacy) errors.consentPrivacy = m.error_privacy_consent();
	}
	const result = v.safeParse(detailsSchema(tagSlugs, options.competenceSlugs ?? []), values);
	if (!result.success) {
		for (const issue of result.issues) {
			const key = String(issue.path?.[0]?.key ?? 'form');
			errors[key] ??= issue.message;
		}
	}
	if (!result.success || Object.keys(errors).length > 0) {
		// The summary lists errors in the order the fields appear.
		const order = ['name', 'email', ...Object.keys(values)];
		const sorted = Object.fromEntries(Object.entries(errors).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)));
		return { ok: false, errors: sorted, values };
	}
	const d = result.output;
	return {
		ok: true,
		name: d.name,
		email,
		consentIntroductions: d.consentIntroductions,
		profile: {
			residency: d.residency,
			homePlace: d.homePlace,
			secondPlace: d.secondPlace,
			availability: d.availability,
			presence: d.presence,
			languages: d.languages,
			accessibilityNeeds: d.accessibilityNeeds,
			interests: d.interests,
			competences: d.competences
		}
	};
}
