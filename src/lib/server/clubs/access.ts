import type { Kysely } from 'kysely';
import type { ClubRole, ClubStatus, Database, Db } from '../db/schema';
import type { Viewer } from '../auth/users';
import { retryOnConflict } from '../db/conflicts';

// Who may do what with a club's data. Membership is read from the database on every call, not
// from the session, so a removed member loses access at once.

export interface ClubAccess {
	clubId: string;
	municipalityId: string;
	name: string;
	status: ClubStatus;
	/** The viewer's role in this club, null if not a member. */
	role: ClubRole | null;
	/** A coordinator of the club's municipality or a platform admin. */
	isReviewer: boolean;
	isPlatformAdmin: boolean;
}

export type Denied = { ok: false; problem: 'not_found' | 'forbidden' };

/** The user's membership row in the club (its role), if any. */
export function membership(db: Db, clubId: string, userId: string) {
	return db.selectFrom('club_member').select('role').where('club_id', '=', clubId).where('user_id', '=', userId).executeTakeFirst();
}

export async function loadAccess(db: Db, viewer: Viewer | null, clubId: string): Promise<ClubAccess | null> {
	const club = await db
		.selectFrom('club')
		.select(['id', 'municipality_id', 'name', 'status'])
		.where('id', '=', clubId)
		.executeTakeFirst();
	if (!club) return null;
	const member = viewer ? await membership(db, clubId, viewer.id) : undefined;
	const isPlatformAdmin = viewer?.isPlatformAdmin ?? false;
	return {
		clubId: club.id,
		municipalityId: club.municipality_id,
		name: club.name,
		status: club.status,
		role: member?.role ?? null,
		isReviewer: isPlatformAdmin || (viewer?.municipalityIds.includes(club.municipality_id) ?? false),
		isPlatformAdmin
	};
}

/** Non-public club data (also while pending): its members and the reviewing coordinators. */
export const canView = (a: ClubAccess) => a.role !== null || a.isReviewer;
/** Profile, logo and offers: the club's own members. */
export const canEdit = (a: ClubAccess) => a.role !== null || a.isPlatformAdmin;
/** Invitations, removals and roles: the club's admins. */
export const canManageMembers = (a: ClubAccess) => a.role === 'admin' || a.isPlatformAdmin;
/** Approval: a coordinator of the club's municipality. */
export const canReview = (a: ClubAccess) => a.isReviewer;

/** Loads the access and applies one of the checks above: the first rung of every service. */
export async function authorize(
	db: Db,
	viewer: Viewer | null,
	clubId: string,
	check: (access: ClubAccess) => boolean
): Promise<{ ok: true; access: ClubAccess; viewer: Viewer } | Denied> {
	if (!viewer) return { ok: false, problem: 'forbidden' };
	const access = await loadAccess(db, viewer, clubId);
	if (!access) return { ok: false, problem: 'not_found' };
	if (!check(access)) return { ok: false, problem: 'forbidden' };
	return { ok: true, access, viewer };
}

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one, so services can be
 * composed (Kysely cannot open a transaction inside a transaction).
 */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
	return db.isTransaction ? fn(db) : retryOnConflict(() => (db as Kysely<Database>).transaction().execute(fn));
}

/**
 * Takes the club row's write lock for the rest of the transaction (a no-op update), so two
 * concurrent membership changes of one club run one after the other and cannot, say, remove the
 * last two admins at once. SQLite serialises writers anyway; PostgreSQL needs the row lock.
 */
export async function lockClub(db: Db, clubId: string): Promise<void> {
	await db
		.updateTable('club')
		.set((eb) => ({ id: eb.ref('id') }))
		.where('id', '=', clubId)
		.execute();
}

/** Lower-cased text for the `search_text` columns and for queries, the same way on both databases. */
export function searchable(...parts: string[]): string {
	return parts.join('\n').normalize('NFC').toLocaleLowerCase('de');
}

/** A LIKE pattern for "contains", with wildcards in the query taken literally (use ESCAPE '\'). */
export function containsPattern(query: string): string {
	return `%${searchable(query.trim()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
