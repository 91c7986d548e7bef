import type { Db, EventKind } from '../db/schema';

/**
 * Whether the event introduces people to clubs, so the registration form asks the profile
 * questions openly: a market with approved stalls, a Gesprächsrunde whose hosts have clubs with
 * published offers (the same clubs `loadHosts` seats). Elsewhere they stay folded away.
 */
export async function meetsClubs(db: Db, event: { id: string; kind: EventKind; hostIds: string[] }): Promise<boolean> {
	if (event.kind === 'market') {
		const stall = await db
			.selectFrom('stall_request')
			.select('stall_request.id')
			.where('stall_request.event_id', '=', event.id)
			.where('stall_request.status', '=', 'approved')
			.limit(1)
			.executeTakeFirst();
		return stall !== undefined;
	}
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
