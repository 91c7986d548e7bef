import { fail, redirect } from '@sveltejs/kit';
import { localizeHref } from '$lib/i18n';
import { requireUser } from '$lib/server/auth/guards';
import { normalizeEmail } from '$lib/server/auth/users';
import { clubProblemMessage } from '$lib/server/clubs/form';
import * as members from '$lib/server/clubs/members';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const checked = await members.checkInvitation(runtime.db(), params.token, new Date());
	if (!checked.ok) return { problem: clubProblemMessage(checked.problem), clubName: null, signedIn: locals.user !== null };
	const { invitation } = checked;
	const isInvitedAccount = locals.user !== null && normalizeEmail(locals.user.email) === invitation.email;
	return {
		problem: locals.user && !isInvitedAccount ? clubProblemMessage('wrong_account') : null,
		clubName: invitation.clubName,
		signedIn: locals.user !== null
	};
};

export const actions: Actions = {
	accept: async ({ locals, url, params }) => {
		const user = requireUser(locals, url);
		const result = await members.accept(runtime.db(), params.token, user, new Date());
		if (!result.ok) return fail(400, { error: clubProblemMessage(result.problem) });
		redirect(303, localizeHref(`/club?club=${result.clubId}&notice=joined`));
	}
};
