import { toDate, type ClubRole, type ClubStatus, type Db } from '../db/schema';
import { ensureUser, normalizeEmail, type Viewer } from '../auth/users';
import { constantTimeEqual, createToken, sha256Hex, splitToken } from '../ids';
import * as audit from '../audit';
import * as outbox from '../mail/outbox';
import { toLocale } from '../mail/templates';
import { authorize, canEdit, canManageMembers, inTransaction, lockClub, membership, type Denied } from './access';
import { paths } from './paths';

// Club membership: invitations by email (a token like the sign-in links: only its SHA-256 is
// stored), accepting them, roles, removal, and the list of a user's clubs for switching.

export const INVITATION_LIFETIME_DAYS = 7;

export interface Member {
	userId: string;
	name: string;
	email: string;
	role: ClubRole;
	joinedAt: Date;
}

export interface OpenInvitation {
	id: string;
	email: string;
	invitedBy: string | null;
	createdAt: Date;
	expiresAt: Date;
}

/** Members (admins first) and open invitations, for the club's own members. */
export async function list(
	db: Db,
	viewer: Viewer | null,
	clubId: string,
	now: Date
): Promise<{ ok: true; members: Member[]; invitations: OpenInvitation[] } | Denied> {
	const auth = await authorize(db, viewer, clubId, canEdit);
	if (!auth.ok) return auth;
	const members = await db
		.selectFrom('club_member')
		.innerJoin('user', 'user.id', 'club_member.user_id')
		.select(['user.id', 'user.name', 'user.email', 'club_member.role', 'club_member.joined_at'])
		.where('club_member.club_id', '=', clubId)
		// Admins first ('admin' < 'member'), then by name.
		.orderBy('club_member.role')
		.orderBy('user.name')
		.orderBy('user.id')
		.execute();
	const invitations = await db
		.selectFrom('club_invitation')
		.leftJoin('user', 'user.id', 'club_invitation.invited_by')
		.select(['club_invitation.id', 'club_invitation.email', 'club_invitation.created_at', 'club_invitation.expires_at', 'user.name as invited_by'])
		.where('club_invitation.club_id', '=', clubId)
		.where('club_invitation.accepted_at', 'is', null)
		.where('club_invitation.expires_at', '>', now.toISOString())
		.orderBy('club_invitation.created_at')
		.execute();
	return {
		ok: true,
		members: members.map((r) => ({ userId: r.id, name: r.name, email: r.email, role: r.role, joinedAt: toDate(r.joined_at) })),
		invitations: invitations.map((r) => ({
			id: r.id,
			email: r.email,
			invitedBy: r.invited_by,
			createdAt: toDate(r.created_at),
			expiresAt: toDate(r.expires_at)
		}))
	};
}

export type InviteResult = { ok: true; invitationId: string } | Denied | { ok: false; problem: 'already_member' };

/**
 * An admin invites someone by email. The address gets an account if it has none, so its owner can
 * sign in with the usual link and accept; an open invitation to the same address is replaced.
 */
export async function invite(
	db: Db,
	viewer: Viewer | null,
	clubId: string,
	input: { email: string; name?: string },
	ctx: { origin: string; locale: string },
	now: Date
): Promise<InviteResult> {
	return inTransaction(db, async (trx): Promise<InviteResult> => {
		const auth = await authorize(trx, viewer, clubId, canManageMembers);
		if (!auth.ok) return auth;
		const email = normalizeEmail(input.email);
		const isMember = await trx
			.selectFrom('club_member')
			.innerJoin('user', 'user.id', 'club_member.user_id')
			.select('user.id')
			.where('club_member.club_id', '=', clubId)
			.where('user.email', '=', email)
			.executeTakeFirst();
		if (isMember) return { ok: false, problem: 'already_member' };

		await trx
			.deleteFrom('club_invitation')
			.where('club_id', '=', clubId)
			.where('email', '=', email)
			.where('accepted_at', 'is', null)
			.execute();
		const invitee = await ensureUser(trx, { email, name: input.name?.trim() || email.split('@')[0]!, locale: ctx.locale }, now);
		const { id, token, secretHash } = createToken();
		await trx
			.insertInto('club_invitation')
			.values({
				id,
				club_id: clubId,
				email,
				secret_hash: secretHash,
				invited_by: auth.viewer.id,
				created_at: now.toISOString(),
				expires_at: new Date(now.getTime() + INVITATION_LIFETIME_DAYS * 86_400_000).toISOString(),
				accepted_at: null,
				accepted_by: null
			})
			.execute();
		const people = await trx
			.selectFrom('user')
			.select(['id', 'name', 'locale'])
			.where('id', 'in', [auth.viewer.id, invitee.id])
			.execute();
		const inviter = people.find((p) => p.id === auth.viewer.id);
		const recipient = people.find((p) => p.id === invitee.id)!;
		await outbox.enqueue(
			trx,
			{
				idempotencyKey: `club-invitation:${id}`,
				recipient: email,
				locale: toLocale(recipient.locale),
				template: 'club-invitation',
				payload: {
					name: recipient.name,
					club: auth.access.name,
					inviter: inviter?.name ?? auth.access.name,
					days: INVITATION_LIFETIME_DAYS,
					url: new URL(paths.invitation(token), ctx.origin).href
				},
				// Club-internal: not in the municipality's mail that coordinators can read.
				userId: invitee.id
			},
			now
		);
		await audit.record(
			trx,
			{
				actorUserId: auth.viewer.id,
				action: 'club.member_invited',
				entityType: 'club',
				entityId: clubId,
				municipalityId: auth.access.municipalityId,
				details: { email }
			},
			now
		);
		return { ok: true, invitationId: id };
	});
}

export type InvitationProblem = 'invalid' | 'expired' | 'used';

export interface InvitationInfo {
	id: string;
	clubId: string;
	clubName: string;
	email: string;
}

/** Read-only check for the invitation page; does not spend the token. */
export async function checkInvitation(
	db: Db,
	token: string,
	now: Date
): Promise<{ ok: true; invitation: InvitationInfo } | { ok: false; problem: InvitationProblem }> {
	const parts = splitToken(token);
	if (!parts) return { ok: false, problem: 'invalid' };
	const row = await db
		.selectFrom('club_invitation')
		.innerJoin('club', 'club.id', 'club_invitation.club_id')
		.select(['club_invitation.id', 'club_invitation.club_id', 'club_invitation.email', 'club_invitation.secret_hash', 'club_invitation.expires_at', 'club_invitation.accepted_at', 'club.name'])
		.where('club_invitation.id', '=', parts.id)
		.executeTakeFirst();
	if (!row || !constantTimeEqual(sha256Hex(parts.secret), row.secret_hash)) return { ok: false, problem: 'invalid' };
	if (row.accepted_at !== null) return { ok: false, problem: 'used' };
	if (now >= toDate(row.expires_at)) return { ok: false, problem: 'expired' };
	return { ok: true, invitation: { id: row.id, clubId: row.club_id, clubName: row.name, email: row.email } };
}

export type AcceptResult =
	| { ok: true; clubId: string }
	| { ok: false; problem: InvitationProblem | 'wrong_account' | 'already_member' };

/**
 * The signed-in user accepts. Only the invited address may: the link alone could have been
 * forwarded. The token is spent with a conditional update, so it works once.
 */
export async function accept(db: Db, token: string, user: { id: string; email: string }, now: Date): Promise<AcceptResult> {
	return inTransaction(db, async (trx): Promise<AcceptResult> => {
		const checked = await checkInvitation(trx, token, now);
		if (!checked.ok) return checked;
		const { invitation } = checked;
		if (normalizeEmail(user.email) !== invitation.email) return { ok: false, problem: 'wrong_account' };
		const existing = await membership(trx, invitation.clubId, user.id);
		if (existing) return { ok: false, problem: 'already_member' };
		const spent = await trx
			.updateTable('club_invitation')
			.set({ accepted_at: now.toISOString(), accepted_by: user.id })
			.where('id', '=', invitation.id)
			.where('accepted_at', 'is', null)
			.executeTakeFirst();
		if (Number(spent.numUpdatedRows) !== 1) return { ok: false, problem: 'used' };
		await trx
			.insertInto('club_member')
			.values({ club_id: invitation.clubId, user_id: user.id, role: 'member', joined_at: now.toISOString() })
			.execute();
		const club = await trx.selectFrom('club').select('municipality_id').where('id', '=', invitation.clubId).executeTakeFirstOrThrow();
		await audit.record(
			trx,
			{ actorUserId: user.id, action: 'club.member_joined', entityType: 'club', entityId: invitation.clubId, municipalityId: club.municipality_id },
			now
		);
		return { ok: true, clubId: invitation.clubId };
	});
}

export async function revokeInvitation(
	db: Db,
	viewer: Viewer | null,
	clubId: string,
	invitationId: string,
	now: Date
): Promise<{ ok: true } | Denied | { ok: false; problem: 'invitation_not_found' }> {
	return inTransaction(db, async (trx) => {
		const auth = await authorize(trx, viewer, clubId, canManageMembers);
		if (!auth.ok) return auth;
		const result = await trx
			.deleteFrom('club_invitation')
			.where('id', '=', invitationId)
			.where('club_id', '=', clubId)
			.where('accepted_at', 'is', null)
			.executeTakeFirst();
		if (Number(result.numDeletedRows) !== 1) return { ok: false, problem: 'invitation_not_found' } as const;
		await audit.record(
			trx,
			{ actorUserId: auth.viewer.id, action: 'club.invitation_revoked', entityType: 'club', entityId: clubId, municipalityId: auth.access.municipalityId },
			now
		);
		return { ok: true } as const;
	});
}

export type MembershipResult = { ok: true } | Denied | { ok: false; problem: 'not_member' | 'last_admin' };

async function isLastAdmin(db: Db, clubId: string, userId: string): Promise<boolean> {
	const admins = await db
		.selectFrom('club_member')
		.select('user_id')
		.where('club_id', '=', clubId)
		.where('role', '=', 'admin')
		.execute();
	return admins.length === 1 && admins[0]!.user_id === userId;
}

/** An admin removes a member, or a member leaves; the last admin cannot go. */
export async function remove(db: Db, viewer: Viewer | null, clubId: string, userId: string, now: Date): Promise<MembershipResult> {
	return inTransaction(db, async (trx): Promise<MembershipResult> => {
		const auth = await authorize(trx, viewer, clubId, (a) => canManageMembers(a) || (a.role !== null && viewer?.id === userId));
		if (!auth.ok) return auth;
		await lockClub(trx, clubId);
		const target = await membership(trx, clubId, userId);
		if (!target) return { ok: false, problem: 'not_member' };
		if (target.role === 'admin' && (await isLastAdmin(trx, clubId, userId))) return { ok: false, problem: 'last_admin' };
		await trx.deleteFrom('club_member').where('club_id', '=', clubId).where('user_id', '=', userId).execute();
		await audit.record(
			trx,
			{
				actorUserId: auth.viewer.id,
				action: auth.viewer.id === userId ? 'club.member_left' : 'club.member_removed',
				entityType: 'club',
				entityId: clubId,
				municipalityId: auth.access.municipalityId,
				details: { userId }
			},
			now
		);
		return { ok: true };
	});
}

/** An admin makes a member an admin or back; the last admin cannot step down. */
export async function setRole(
	db: Db,
	viewer: Viewer | null,
	clubId: string,
	userId: string,
	role: ClubRole,
	now: Date
): Promise<MembershipResult> {
	return inTransaction(db, async (trx): Promise<MembershipResult> => {
		const auth = await authorize(trx, viewer, clubId, canManageMembers);
		if (!auth.ok) return auth;
		await lockClub(trx, clubId);
		const target = await membership(trx, clubId, userId);
		if (!target) return { ok: false, problem: 'not_member' };
		if (target.role === role) return { ok: true };
		if (role === 'member' && (await isLastAdmin(trx, clubId, userId))) return { ok: false, problem: 'last_admin' };
		await trx.updateTable('club_member').set({ role }).where('club_id', '=', clubId).where('user_id', '=', userId).execute();
		await audit.record(
			trx,
			{
				actorUserId: auth.viewer.id,
				action: 'club.member_role_changed',
				entityType: 'club',
				entityId: clubId,
				municipalityId: auth.access.municipalityId,
				details: { userId, role }
			},
			now
		);
		return { ok: true };
	});
}

export interface MyClub {
	id: string;
	name: string;
	slug: string;
	status: ClubStatus;
	role: ClubRole;
	municipality: { slug: string; name: string };
}

/** The clubs a user belongs to, for switching between them. */
export async function listForUser(db: Db, userId: string): Promise<MyClub[]> {
	const rows = await db
		.selectFrom('club_member')
		.innerJoin('club', 'club.id', 'club_member.club_id')
		.innerJoin('municipality', 'municipality.id', 'club.municipality_id')
		.select(['club.id', 'club.name', 'club.slug', 'club.status', 'club_member.role', 'municipality.slug as municipality_slug', 'municipality.name as municipality_name'])
		.where('club_member.user_id', '=', userId)
		.orderBy('club.name_key')
		.orderBy('club.id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		slug: r.slug,
		status: r.status,
		role: r.role,
		municipality: { slug: r.municipality_slug, name: r.municipality_name }
	}));
}
