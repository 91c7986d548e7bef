import { redirect } from '@sveltejs/kit';
import { localizeHref } from '$lib/i18n';
import * as audit from '$lib/server/audit';
import { deleteSessionCookie } from '$lib/server/auth/cookies';
import { requireUser } from '$lib/server/auth/guards';
import { listWorkplaces } from '$lib/server/auth/landing';
import { invalidateSession, invalidateUserSessions } from '$lib/server/auth/session';
import * as municipalities from '$lib/server/municipalities';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const db = runtime.db();
	const [coordinated, places] = await Promise.all([municipalities.list(db, user.municipalityIds), listWorkplaces(db, user)]);
	return {
		account: {
			email: user.email,
			isPlatformAdmin: user.isPlatformAdmin,
			municipalities: coordinated.map((x) => x.name),
			clubs: places.flatMap((p) => (p.kind === 'club' ? [{ name: p.clubName, role: p.role, path: p.path }] : []))
		}
	};
};

export const actions: Actions = {
	signOut: async ({ locals, cookies, url }) => {
		if (locals.sessionId) await invalidateSession(runtime.db(), locals.sessionId);
		deleteSessionCookie(cookies, url);
		redirect(303, localizeHref('/sign-in?signedOut=1'));
	},
	signOutEverywhere: async ({ locals, cookies, url }) => {
		const user = requireUser(locals, url);
		const db = runtime.db();
		const now = new Date();
		const ended = await invalidateUserSessions(db, user.id);
		await audit.record(db, { actorUserId: user.id, action: 'session.revoked_all', entityType: 'user', entityId: user.id, details: { sessions: ended } }, now);
		deleteSessionCookie(cookies, url);
		redirect(303, localizeHref('/sign-in?signedOut=all'));
	}
};
