import type { Kysely } from 'kysely';
import { ensureUser, type Viewer } from '../../src/lib/server/auth/users';
import type * as offers from '../../src/lib/server/clubs/offers';
import type { Database } from '../../src/lib/server/db/schema';
import { generateId } from '../../src/lib/server/ids';

/** A plain offer (weekdays, regular, German, in Imst); suites override what their tests are about. */
export function offerInput(over: Partial<offers.OfferInput> = {}): offers.OfferInput {
	return {
		title: 'Mithelfen',
		description: '',
		commitment: 'regular',
		onWeekdays: true,
		onWeekends: false,
		inEvenings: false,
		months: [],
		place: 'Imst',
		isRemote: false,
		languages: ['de'],
		minimumAge: null,
		suitsMultilocal: false,
		capacity: null,
		tags: [],
		...over
	};
}

/** An approved club of the municipality with one admin member, and that member as a viewer. */
export async function clubWithMember(db: Kysely<Database>, municipalityId: string, name: string, memberEmail: string, at: Date): Promise<{ clubId: string; viewer: Viewer }> {
	const user = await ensureUser(db, { email: memberEmail, name }, at);
	const clubId = generateId();
	await db
		.insertInto('club')
		.values({
			id: clubId,
			municipality_id: municipalityId,
			name,
			name_key: name.toLowerCase().replaceAll(' ', ''),
			slug: `${name.toLowerCase().replaceAll(' ', '-')}-${clubId.slice(0, 6)}`,
			contact_email: memberEmail,
			status: 'approved',
			created_at: at.toISOString(),
			updated_at: at.toISOString()
		})
		.execute();
	await db.insertInto('club_member').values({ club_id: clubId, user_id: user.id, role: 'admin', joined_at: at.toISOString() }).execute();
	return { clubId, viewer: { id: user.id, isPlatformAdmin: false, municipalityIds: [] } };
}
