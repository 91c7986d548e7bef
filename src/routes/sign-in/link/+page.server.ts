import { fail, redirect } from '@sveltejs/kit';
import { anonymiseAddress } from '$lib/server/log-privacy';
import * as m from '$lib/paraglide/messages';
import { localizeHref } from '$lib/i18n';
import * as audit from '$lib/server/audit';
import { checkLoginToken, redeemLoginToken, type LoginTokenProblem } from '$lib/server/auth/login-token';
import { createSession } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { safeRedirectTarget } from '$lib/server/auth/guards';
import { landingPath, listWorkplaces } from '$lib/server/auth/landing';
import { findSessionUser } from '$lib/server/auth/users';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

function problemMessage(problem: LoginTokenProblem): string {
	if (problem === 'expired') return m.sign_in_link_expired();
	if (problem === 'used') return m.sign_in_link_used();
	return m.sign_in_link_invalid();
}

// Opening the link only shows a button: mail scanners that prefetch links must not spend the token.
export const load: PageServerLoad = async ({ url, getClientAddress }) => {
	const token = url.searchParams.get('token') ?? '';
	const db = runtime.db();
	const checked = await checkLoginToken(db, token, new Date());
	if (!checked.ok) {
		console.warn(`[auth] ${checked.problem} sign-in link opened from ${anonymiseAddress(getClientAddress())}`);
		return { problem: problemMessage(checked.problem) };
	}
	const user = await findSessionUser(db, checked.userId);
	return { email: user?.email ?? '' };
};

export const actions: Actions = {
	default: async ({ request, url, cookies, getClientAddress }) => {
		const token = String((await request.formData()).get('token') ?? '');
		const db = runtime.db();
		const now = new Date();
		const redeemed = await redeemLoginToken(db, token, now);
		if (!redeemed.ok) {
			console.warn(`[auth] ${redeemed.problem} sign-in link submitted from ${anonymiseAddress(getClientAddress())}`);
			return fail(400, { problem: problemMessage(redeemed.problem) });
		}
		const { token: sessionToken, session } = await createSession(db, redeemed.userId, now);
		await audit.record(db, { actorUserId: redeemed.userId, action: 'session.created', entityType: 'user', entityId: redeemed.userId }, now);
		setSessionCookie(cookies, sessionToken, session.expiresAt, url);
		const target = safeRedirectTarget(url.searchParams.get('redirectTo'));
		if (target !== '/') redirect(303, localizeHref(target));
		const user = await findSessionUser(db, redeemed.userId);
		redirect(303, localizeHref(user ? landingPath(await listWorkplaces(db, user)) : '/account'));
	}
};
