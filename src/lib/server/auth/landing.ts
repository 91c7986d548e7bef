import type { Db } from '../db/schema';
import { isCoordinator, type SessionUser } from './users';

/** A place in the app where a signed-in person does their work. */
export type Workplace =
	| { kind: 'coordination'; path: string; municipalityIds: string[]; isPlatformAdmin: boolean }
	| { kind: 'club'; path: string; clubId: string; clubName: string; role: 'admin' | 'member' };

/** Every role of the account, each with the page where it is exercised: coordination first, then clubs by name. */
export async function listWorkplaces(db: Db, user: SessionUser): Promise<Workplace[]> {
	const places: Workplace[] = [];
	if (isCoordinator(user)) {
		places.push({ kind: 'coordination', path: '/admin', municipalityIds: user.municipalityIds, isPlatformAdmin: user.isPlatformAdmin });
	}
	const clubs = await db
		.selectFrom('club_member')
		.innerJoin('club', 'club.id', 'club_member.club_id')
		.select(['club.id', 'club.name', 'club_member.role'])
		.where('club_member.user_id', '=', user.id)
		.orderBy('club.name_key')
		.orderBy('club.id')
		.execute();
	for (const club of clubs) {
		places.push({ kind: 'club', path: `/club?club=${encodeURIComponent(club.id)}`, clubId: club.id, clubName: club.name, role: club.role });
	}
	return places;
}

/**
 * Where sign-in lands: the one place where the person works; with several roles (or none) the
 * account page, which lists them all with a link to each, so nobody is guessed into the wrong area.
 */
export function landingPath(places: Workplace[]): string {
	const only = places.length === 1 ? places[0] : undefined;
	if (!only) return '/account';
	return only.kind === 'club' ? '/club' : only.path;
}
