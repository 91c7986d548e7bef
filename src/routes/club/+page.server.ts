import { error, fail, redirect } from '@sveltejs/kit';
import { localizeHref } from '$lib/i18n';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requireUser } from '$lib/server/auth/guards';
import { env } from '$lib/server/env';
import * as clubs from '$lib/server/clubs';
import { clubProblemMessage, offerProblemMessage, parseInvite, readValues } from '$lib/server/clubs/form';
import * as members from '$lib/server/clubs/members';
import * as offers from '$lib/server/clubs/offers';
import * as runtime from '$lib/server/runtime';
import * as tags from '$lib/server/tags';
import { offerStatusLabel } from './labels';
import type { Actions, PageServerLoad } from './$types';

/** Notices a redirect back to this page may carry (?notice=…); anything else is ignored. */
const NOTICES = ['offer_created', 'offer_archived', 'joined', 'left'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const db = runtime.db();
	const mine = await members.listForUser(db, user.id);
	const notice = url.searchParams.get('notice');
	const common = {
		clubs: mine,
		userId: user.id,
		invitationDays: members.INVITATION_LIFETIME_DAYS,
		notice: NOTICES.find((n) => n === notice) ?? null
	};
	const clubId = url.searchParams.get('club') ?? mine[0]?.id;
	if (!clubId) return { ...common, current: null, publicPage: null, tagLabels: {} as Record<string, string> };
	const club = await clubs.find(db, user, clubId);
	if (!club) error(404, m.club_error_not_found());
	const [offerList, people] = await Promise.all([
		offers.listForClub(db, user, club.id),
		members.list(db, user, club.id, new Date())
	]);
	if (!offerList.ok || !people.ok) error(403, m.club_error_forbidden());
	return {
		...common,
		current: {
			club,
			offers: offerList.offers.map((o) => ({ id: o.id, title: o.title, status: o.status })),
			members: people.members,
			invitations: people.invitations
		},
		publicPage: club.status === 'approved' ? clubs.paths.clubPage(club.municipality.slug, club.slug) : null,
		tagLabels: Object.fromEntries((await tags.list(db, getLocale())).map((t) => [t.slug, t.label]))
	};
};

/** The club the action is about: the form's hidden field; every service checks the viewer's rights. */
function clubIdOf(form: FormData): string {
	return String(form.get('clubId') ?? '');
}

const confirmed = (form: FormData, name: string) => form.get(name) === 'on';

export const actions: Actions = {
	offerStatus: async ({ locals, url, request }) => {
		const user = requireUser(locals, url);
		const form = await request.formData();
		const status = String(form.get('status') ?? '');
		if (status !== 'published' && status !== 'paused' && status !== 'draft') return fail(400, { action: 'offers', error: m.error_invalid_choice() });
		const result = await offers.setStatus(runtime.db(), user, String(form.get('offerId') ?? ''), status, new Date());
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'offers', error: offerProblemMessage(result.problem) });
		return { action: 'offers', notice: m.clubarea_offer_status_changed({ status: offerStatusLabel(status) }) };
	},
	invite: async ({ locals, url, request }) => {
		const user = requireUser(locals, url);
		const form = await request.formData();
		const parsed = parseInvite(form);
		if (!parsed.ok) return fail(400, { action: 'invite', errors: parsed.errors, values: parsed.values });
		const result = await members.invite(runtime.db(), user, clubIdOf(form), parsed.data, { origin: env().origin, locale: getLocale() }, new Date());
		if (!result.ok) {
			const errors = { email: clubProblemMessage(result.problem) };
			return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'invite', errors, values: readValues(form) });
		}
		return { action: 'invite', notice: m.clubarea_invite_sent({ email: parsed.data.email }) };
	},
	revoke: async ({ locals, url, request }) => {
		const user = requireUser(locals, url);
		const form = await request.formData();
		const result = await members.revokeInvitation(runtime.db(), user, clubIdOf(form), String(form.get('invitationId') ?? ''), new Date());
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'members', error: clubProblemMessage(result.problem) });
		return { action: 'members', notice: m.clubarea_invitation_revoked() };
	},
	role: async ({ locals, url, request }) => {
		const user = requireUser(locals, url);
		const form = await request.formData();
		const role = form.get('role');
		if (role !== 'admin' && role !== 'member') return fail(400, { action: 'members', error: m.error_invalid_choice() });
		const result = await members.setRole(runtime.db(), user, clubIdOf(form), String(form.get('userId') ?? ''), role, new Date());
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'members', error: clubProblemMessage(result.problem) });
		return { action: 'members', notice: m.clubarea_member_role_changed() };
	},
	remove: async ({ locals, url, request }) => {
		const user = requireUser(locals, url);
		const form = await request.formData();
		if (!confirmed(form, 'confirmRemove')) return fail(400, { action: 'members', error: m.clubarea_member_remove_needs_confirm() });
		const result = await members.remove(runtime.db(), user, clubIdOf(form), String(form.get('userId') ?? ''), new Date());
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'members', error: clubProblemMessage(result.problem) });
		return { action: 'members', notice: m.clubarea_member_removed() };
	},
	leave: async ({ locals, url, request }) => {
		const user = requireUser(locals, url);
		const form = await request.formData();
		if (!confirmed(form, 'confirmLeave')) return fail(400, { action: 'leave', error: m.clubarea_leave_needs_confirm() });
		const result = await members.remove(runtime.db(), user, clubIdOf(form), user.id, new Date());
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'leave', error: clubProblemMessage(result.problem) });
		// The club is no longer theirs to see: back to the dashboard of the remaining ones.
		redirect(303, localizeHref('/club?notice=left'));
	}
};
