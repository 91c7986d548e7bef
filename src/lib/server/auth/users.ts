import { generateId } from '../ids';
import type { Db } from '../db/schema';

/** What the app keeps in `locals.user`: the account and its roles, no secrets. */
export interface SessionUser {
	id: string;
	email: string;
	name: string;
	locale: string;
	isPlatformAdmin: boolean;
	/** Municipalities this user coordinates. */
	municipalityIds: string[];
}

/** Whose data a coordinator may see: platform admins everything, others their municipalities' and their own. */
export type Viewer = Pick<SessionUser, 'id' | 'isPlatformAdmin' | 'municipalityIds'>;

export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Db, email: string) {
	return db
		.selectFrom('user')
		.select(['id', 'email', 'name', 'locale'])
		.where('email', '=', normalizeEmail(email))
		.executeTakeFirst();
}

export async function findSessionUser(db: Db, userId: string): Promise<SessionUser | null> {
	const user = await db
		.selectFrom('user')
		.select(['id', 'email', 'name', 'locale', 'is_platform_admin'])
		.where('id', '=', userId)
		.executeTakeFirst();
	if (!user) return null;
	const memberships = await db
		.selectFrom('coordinator')
		.select('municipality_id')
		.where('user_id', '=', userId)
		.execute();
	return {
		id: user.id,
		email: user.email,
		name: user.name,
		locale: user.locale,
		isPlatformAdmin: user.is_platform_admin === 1,
		municipalityIds: memberships.map((m) => m.municipality_id)
	};
}

export function isCoordinator(user: SessionUser | null): boolean {
	return !!user && (user.isPlatformAdmin || user.municipalityIds.length > 0);
}

/** Creates the account if the address is new; returns its id either way. */
export async function ensureUser(
	db: Db,
	input: { email: string; name: string; locale?: string; isPlatformAdmin?: boolean },
	now: Date
): Promise<{ id: string; created: boolean }> {
	const existing = await findUserByEmail(db, input.email);
	if (existing) {
		if (input.isPlatformAdmin) {
			await db.updateTable('user').set({ is_platform_admin: 1 }).where('id', '=', existing.id).execute();
		}
		return { id: existing.id, created: false };
	}
	const id = generateId();
	await db
		.insertInto('user')
		.values({
			id,
			email: normalizeEmail(input.email),
			name: input.name,
			locale: input.locale ?? 'de',
			is_platform_admin: input.isPlatformAdmin ? 1 : 0,
			created_at: now.toISOString()
		})
		.execute();
	return { id, created: true };
}

export async function addCoordinator(
	db: Db,
	userId: string,
	municipalityId: string,
	now: Date
): Promise<void> {
	await db
		.insertInto('coordinator')
		.values({ user_id: userId, municipality_id: municipalityId, created_at: now.toISOString() })
		.onConflict((oc) => oc.columns(['user_id', 'municipality_id']).doNothing())
		.execute();
}
