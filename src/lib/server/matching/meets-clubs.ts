import type { Db, EventKind } from '../db/schema';

/**
 * Whether the event introduces people to clubs, so the registration form asks the profile
 * questions openly. A market always does: its stalls are mostly approved after people register.
 * A Gesprächsrunde does when its hosts have approved clubs with published offers (the clubs
 * `loadHosts` seats at its tables). Elsewhere the questions stay folded away.
 */
export async function meetsClubs(db: Db, event: { kind: EventKind; hostIds: string[] }): Promise<boolean> {
	if (event.kind === 'market') return true;
	if (event.hostIds.length === 0) return false;
	const club = await db
		.selectFrom('club')
		.innerJoin('offer', 'offer.club_id', 'club.id')
		.select('club.id')
		.where('club.status', '=', 'approved')
		.where('club.municipality_id', 'in', event.hostIds)
		.where('offer.status', '=', 'published')
		.limit(1)
		.executeTakeFirst();
	return club !== undefined;
}
