import * as v from 'valibot';
import * as m from '../../paraglide/messages';
import { LANGUAGES } from '../../participant-profile';
import type { ClubProfile, RegisterProblem } from './index';
import type { DirectoryFilter } from './directory';
import { checkLogo, MAX_LOGO_BYTES, type LogoProblem } from './logo';
import type { InvitationProblem } from './members';
import { COMMITMENTS, type OfferInput } from './offers';

// Parsing of the club, offer, invitation and directory forms, and the message for every problem a
// club service can report. Messages are in the request's language (Paraglide).

export type FormValues = Record<string, string | string[]>;
type Errors = Record<string, string>;

const MULTI = new Set(['tags', 'months', 'languages', 'competences']);
const MONTHS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const;

/** The submitted text fields, to fill the form again after an error (files are not echoed). */
export function readValues(form: FormData): FormValues {
	const values: FormValues = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key).filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, 6000));
		values[key] = MULTI.has(key) ? all.slice(0, 50) : (all[0] ?? '');
	}
	return values;
}

function collect(issues: v.BaseIssue<unknown>[]): Errors {
	const errors: Errors = {};
	for (const issue of issues) errors[String(issue.path?.[0]?.key ?? 'form')] ??= issue.message;
	return errors;
}

const text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, () => m.error_too_long({ max })));
const requiredText = (max: number) => v.pipe(text(max), v.nonEmpty(() => m.error_required()));
const int = (min: number, max: number) =>
	v.pipe(
		v.string(),
		v.trim(),
		v.regex(/^\d+$/, () => m.error_number_range({ min, max })),
		v.transform(Number),
		v.minValue(min, () => m.error_number_range({ min, max })),
		v.maxValue(max, () => m.error_number_range({ min, max }))
	);
const optionalInt = (min: number, max: number) =>
	v.union([v.pipe(v.string(), v.trim(), v.empty(), v.transform(() => null)), int(min, max)], () => m.error_number_range({ min, max }));
const checkbox = v.pipe(
	v.optional(v.string(), ''),
	v.transform((value) => value === 'on' || value === 'true' || value === '1')
);
const email = (message: () => string) => v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254, message), v.email(message));
const choice = <T extends string>(options: readonly T[]) =>
	v.picklist(options.length ? (options as unknown as [T, ...T[]]) : (['-'] as unknown as [T]), () => m.error_invalid_choice());

/** "www.verein.at" becomes "https://www.verein.at"; anything that is not an http(s) address with a host is refused. */
export function normalizeWebsite(value: string): string | null {
	if (value === '') return '';
	const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
	try {
		const url = new URL(withScheme);
		if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname.includes('.') || url.username || url.password) return null;
		return url.href;
	} catch {
		return null;
	}
}

function profileSchema(tagSlugs: string[]) {
	return v.object({
		name: requiredText(120),
		description: text(5000),
		contactEmail: email(() => m.club_error_email()),
		contactPhone: v.pipe(text(40), v.regex(/^[0-9+()/\-\s]*$/, () => m.club_error_phone())),
		website: v.pipe(text(300), v.transform(normalizeWebsite), v.string(() => m.club_error_website())),
		tags: v.pipe(v.array(choice(tagSlugs)), v.minLength(1, () => m.club_error_tags()))
	});
}

const DEFAULTS = { description: '', contactPhone: '', website: '', tags: [] as string[] };

/** The club profile form (registration and editing share it). */
export function parseProfile(form: FormData, scope: { tagSlugs: string[] }) {
	const values = readValues(form);
	const result = v.safeParse(profileSchema(scope.tagSlugs), { ...DEFAULTS, ...values });
	if (!result.success) return { ok: false as const, errors: collect(result.issues), values };
	return { ok: true as const, data: result.output satisfies ClubProfile };
}

const representativeSchema = v.object({
	representativeName: requiredText(120),
	representativeEmail: email(() => m.club_error_email())
});

/**
 * The registration form: profile, municipality and, for someone not signed in, who represents the
 * club (they get the admin account). The logo is read separately with readLogo.
 */
export function parseRegistration(form: FormData, scope: { tagSlugs: string[]; municipalityIds: string[]; signedIn: boolean }) {
	const values = readValues(form);
	const profile = v.safeParse(profileSchema(scope.tagSlugs), { ...DEFAULTS, ...values });
	const errors: Errors = profile.success ? {} : collect(profile.issues);
	const municipalityId = String(values.municipalityId ?? '');
	if (!scope.municipalityIds.includes(municipalityId)) errors.municipalityId = m.club_error_municipality();
	let representative: { name: string; email: string } | null = null;
	if (!scope.signedIn) {
		const parsed = v.safeParse(representativeSchema, { representativeName: '', representativeEmail: '', ...values });
		if (parsed.success) representative = { name: parsed.output.representativeName, email: parsed.output.representativeEmail };
		else Object.assign(errors, collect(parsed.issues));
	}
	if (!profile.success || Object.keys(errors).length > 0) return { ok: false as const, errors, values };
	return { ok: true as const, data: { ...profile.output, municipalityId, representative } };
}

/**
 * The uploaded logo's bytes, or null when none was chosen. Checked here too, so its message shows
 * next to the other fields; the size is checked before the file is read.
 */
export async function readLogo(form: FormData, field = 'logo'): Promise<{ ok: true; bytes: Uint8Array | null } | { ok: false; error: string }> {
	const file = form.get(field);
	if (!(file instanceof File) || (file.size === 0 && file.name === '')) return { ok: true, bytes: null };
	if (file.size > MAX_LOGO_BYTES) return { ok: false, error: logoMessage('logo_too_large') };
	const bytes = new Uint8Array(await file.arrayBuffer());
	const checked = checkLogo(bytes);
	return checked.ok ? { ok: true, bytes } : { ok: false, error: logoMessage(checked.problem) };
}

function logoMessage(problem: LogoProblem): string {
	if (problem === 'logo_too_large') return m.club_error_logo_too_large({ max: MAX_LOGO_BYTES / 1024 });
	if (problem === 'logo_not_image') return m.club_error_logo_not_image();
	return m.club_error_logo_empty();
}

function offerSchema(tagSlugs: string[], competenceSlugs: string[]) {
	return v.object({
		title: requiredText(200),
		description: text(5000),
		commitment: v.picklist(COMMITMENTS, () => m.error_choose_one()),
		onWeekdays: checkbox,
		onWeekends: checkbox,
		inEvenings: checkbox,
		months: v.pipe(v.array(choice(MONTHS)), v.transform((months) => months.map(Number))),
		place: text(200),
		isRemote: checkbox,
		languages: v.pipe(v.array(choice(LANGUAGES)), v.minLength(1, () => m.offer_error_languages())),
		minimumAge: optionalInt(0, 99),
		suitsMultilocal: checkbox,
		capacity: optionalInt(1, 10_000),
		tags: v.array(choice(tagSlugs)),
		competences: v.array(choice(competenceSlugs))
	});
}

/** The offer form; `status` (draft or published) only when creating. */
export function parseOffer(form: FormData, scope: { tagSlugs: string[]; competenceSlugs?: string[]; withStatus?: boolean }) {
	const values = readValues(form);
	const base = offerSchema(scope.tagSlugs, scope.competenceSlugs ?? []);
	const schema = scope.withStatus ? v.object({ ...base.entries, status: v.picklist(['draft', 'published'], () => m.error_choose_one()) }) : base;
	const result = v.safeParse(schema, {
		description: '',
		place: '',
		minimumAge: '',
		capacity: '',
		months: [],
		languages: [],
		tags: [],
		competences: [],
		...values
	});
	const errors: Errors = result.success ? {} : collect(result.issues);
	if (result.success && !result.output.place && !result.output.isRemote) errors.place = m.offer_error_place();
	if (!result.success || Object.keys(errors).length > 0) return { ok: false as const, errors, values };
	const { status, ...input } = result.output as OfferInput & { status?: 'draft' | 'published' };
	return { ok: true as const, data: input satisfies OfferInput, status: status ?? ('draft' as const) };
}

const inviteSchema = v.object({ email: email(() => m.club_error_email()), name: text(120) });

export function parseInvite(form: FormData) {
	const values = readValues(form);
	const result = v.safeParse(inviteSchema, { name: '', ...values });
	if (!result.success) return { ok: false as const, errors: collect(result.issues), values };
	return { ok: true as const, data: result.output };
}

/** The coordinator's reason for turning a registration down (optional). */
export function parseRejection(form: FormData) {
	const values = readValues(form);
	const result = v.safeParse(v.object({ reason: text(1000) }), { reason: '', ...values });
	if (!result.success) return { ok: false as const, errors: collect(result.issues), values };
	return { ok: true as const, data: result.output };
}

/**
 * The directory's query string, leniently: a value that is not one of the choices is dropped
 * rather than answered with an error, so an old bookmark still shows something.
 */
export function parseDirectoryQuery(
	params: URLSearchParams,
	scope: { tagSlugs: string[]; municipalitySlugs: string[]; pageSize?: number }
): DirectoryFilter {
	const one = (key: string) => (params.get(key) ?? '').trim();
	const page = Number(one('page'));
	const commitment = one('commitment');
	const language = one('language');
	return {
		query: one('q').slice(0, 100) || undefined,
		tag: scope.tagSlugs.includes(one('tag')) ? one('tag') : undefined,
		municipality: scope.municipalitySlugs.includes(one('municipality')) ? one('municipality') : undefined,
		commitment: (COMMITMENTS as readonly string[]).includes(commitment) ? (commitment as DirectoryFilter['commitment']) : undefined,
		suitsMultilocal: ['on', 'true', '1'].includes(one('multilocal')) || undefined,
		language: (LANGUAGES as readonly string[]).includes(language) ? language : undefined,
		page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
		pageSize: scope.pageSize ?? 20
	};
}

export type ClubProblem =
	| RegisterProblem
	| InvitationProblem
	| 'not_found'
	| 'forbidden'
	| 'not_pending'
	| 'already_member'
	| 'not_member'
	| 'last_admin'
	| 'invitation_not_found'
	| 'wrong_account';

export type OfferProblem = 'not_found' | 'forbidden' | 'unknown_tag' | 'unknown_competence' | 'archived' | 'invalid_transition';

/** The message for a problem a club service returned, in the request's language. */
export function clubProblemMessage(problem: ClubProblem): string {
	switch (problem) {
		case 'duplicate_name':
			return m.club_error_duplicate_name();
		case 'unknown_municipality':
			return m.club_error_municipality();
		case 'unknown_tag':
			return m.error_invalid_choice();
		case 'logo_empty':
		case 'logo_too_large':
		case 'logo_not_image':
			return logoMessage(problem);
		case 'not_found':
			return m.club_error_not_found();
		case 'forbidden':
			return m.club_error_forbidden();
		case 'not_pending':
			return m.club_error_not_pending();
		case 'already_member':
			return m.club_error_already_member();
		case 'not_member':
			return m.club_error_not_member();
		case 'last_admin':
			return m.club_error_last_admin();
		case 'invitation_not_found':
			return m.club_error_invitation_not_found();
		case 'invalid':
			return m.club_invitation_invalid();
		case 'expired':
			return m.club_invitation_expired();
		case 'used':
			return m.club_invitation_used();
		case 'wrong_account':
			return m.club_invitation_wrong_account();
	}
}

export function offerProblemMessage(problem: OfferProblem): string {
	switch (problem) {
		case 'not_found':
			return m.offer_error_not_found();
		case 'forbidden':
			return m.club_error_forbidden();
		case 'unknown_tag':
		case 'unknown_competence':
			return m.error_invalid_choice();
		case 'archived':
			return m.offer_error_archived();
		case 'invalid_transition':
			return m.offer_error_invalid_transition();
	}
}
