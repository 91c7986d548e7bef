import { fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { env } from '$lib/server/env';
import * as clubs from '$lib/server/clubs';
import { clubProblemMessage, parseRegistration, readLogo, readValues } from '$lib/server/clubs/form';
import { MAX_LOGO_BYTES } from '$lib/server/clubs/logo';
import * as municipalities from '$lib/server/municipalities';
import * as rateLimit from '$lib/server/rate-limit';
import * as runtime from '$lib/server/runtime';
import * as tags from '$lib/server/tags';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const db = runtime.db();
	return {
		municipalities: (await municipalities.list(db)).map((mu) => ({ id: mu.id, name: mu.name })),
		tags: await tags.list(db, getLocale()),
		signedIn: locals.user !== null,
		maxLogoKb: MAX_LOGO_BYTES / 1024
	};
};

const PROBLEM_FIELDS: Record<string, string> = {
	duplicate_name: 'name',
	unknown_municipality: 'municipalityId',
	unknown_tag: 'tags',
	logo_empty: 'logo',
	logo_too_large: 'logo',
	logo_not_image: 'logo'
};

export const actions: Actions = {
	default: async ({ locals, request, getClientAddress }) => {
		const db = runtime.db();
		const form = await request.formData();
		const scope = {
			tagSlugs: (await tags.list(db, 'de')).map((t) => t.slug),
			municipalityIds: (await municipalities.list(db)).map((mu) => mu.id),
			signedIn: locals.user !== null
		};
		const parsed = parseRegistration(form, scope);
		const logo = await readLogo(form);
		if (!parsed.ok || !logo.ok) {
			const errors = { ...(parsed.ok ? {} : parsed.errors), ...(logo.ok ? {} : { logo: logo.error }) };
			return fail(400, { errors, values: readValues(form) });
		}

		const config = env();
		const now = new Date();
		const windowMs = config.signInLimitWindowMinutes * 60_000;
		if (!(await rateLimit.consume(db, `club-register:ip:${getClientAddress()}`, config.registrationLimitPerIp, windowMs, now))) {
			return fail(429, {
				errors: { form: m.clubarea_register_rate_limited({ minutes: config.signInLimitWindowMinutes }) } as Record<string, string>,
				values: readValues(form)
			});
		}
		const representative = locals.user
			? { email: locals.user.email, name: locals.user.name, locale: locals.user.locale }
			: { ...parsed.data.representative!, locale: getLocale() };
		const result = await clubs.register(db, { ...parsed.data, logo: logo.bytes, representative }, { origin: config.origin }, now);
		if (!result.ok) {
			const errors: Record<string, string> = { [PROBLEM_FIELDS[result.problem] ?? 'form']: clubProblemMessage(result.problem) };
			return fail(400, { errors, values: readValues(form) });
		}
		return { sent: true, club: parsed.data.name, email: representative.email };
	}
};
