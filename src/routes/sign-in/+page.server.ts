import { fail, redirect } from '@sveltejs/kit';
import { anonymiseAddress } from '$lib/server/log-privacy';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { localizeHref } from '$lib/i18n';
import { requestSignInLink } from '$lib/server/auth/sign-in';
import { safeRedirectTarget } from '$lib/server/auth/guards';
import { landingPath, listWorkplaces } from '$lib/server/auth/landing';
import { env } from '$lib/server/env';
import { parseForm } from '$lib/server/forms';
import * as runtime from '$lib/server/runtime';
import { signInSchema } from './schema';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const redirectTo = safeRedirectTarget(url.searchParams.get('redirectTo'));
	if (locals.user) {
		redirect(303, localizeHref(redirectTo === '/' ? landingPath(await listWorkplaces(runtime.db(), locals.user)) : redirectTo));
	}
	const signedOut = url.searchParams.get('signedOut');
	return {
		redirectTo,
		required: url.searchParams.has('redirectTo'),
		signedOut: signedOut === 'all' ? m.signed_out_everywhere() : signedOut ? m.signed_out() : null
	};
};

export const actions: Actions = {
	default: async ({ request, getClientAddress }) => {
		const formData = await request.formData();
		const parsed = parseForm(signInSchema, formData);
		if (!parsed.ok) {
			return fail(400, { errors: parsed.errors, email: String(formData.get('email') ?? '').slice(0, 300) });
		}
		const config = env();
		const outcome = await requestSignInLink(
			runtime.db(),
			{
				email: parsed.data.email,
				ip: getClientAddress(),
				locale: getLocale(),
				origin: config.origin,
				redirectTo: safeRedirectTarget(parsed.data.redirectTo),
				limits: {
					perEmail: config.signInLimitPerEmail,
					perIp: config.signInLimitPerIp,
					windowMs: config.signInLimitWindowMinutes * 60_000
				}
			},
			new Date()
		);
		if (outcome === 'rate_limited') {
			console.warn(`[auth] sign-in rate limit hit from ${anonymiseAddress(getClientAddress())}`);
			return fail(429, {
				errors: { email: m.sign_in_rate_limited({ minutes: config.signInLimitWindowMinutes }) },
				email: parsed.data.email
			});
		}
		return { sent: true, email: parsed.data.email };
	}
};
