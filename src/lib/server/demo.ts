import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import * as municipalities from './municipalities';
import { addCoordinator, ensureUser } from './auth/users';

export const DEMO_COORDINATOR_EMAIL = 'koordination@imst.example';
export const DEMO_CLUB_MEMBER_EMAIL = 'verein@tarrenz.example';

/** Seeds two neighbouring Tyrolean municipalities into an empty database. Returns false if not empty. */
export async function seedDemo(db: Kysely<Database>, now: Date): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const existing = await trx.selectFrom('municipality').select('id').limit(1).executeTakeFirst();
		if (existing) return false;

		const imst = await municipalities.create(
			trx,
			{ name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' },
			now
		);
		const tarrenz = await municipalities.create(
			trx,
			{ name: 'Tarrenz', country: 'AT', timeZone: 'Europe/Vienna' },
			now
		);
		await municipalities.createVenue(
			trx,
			{
				municipalityId: imst.id,
				name: 'Stadtsaal Imst',
				street: 'Stadtplatz 1',
				postalCode: '6460',
				city: 'Imst',
				capacity: 250,
				accessibilityNotes:
					'Stufenloser Zugang über den Seiteneingang, Aufzug ins Obergeschoss, barrierefreies WC, Induktionsschleife.'
			},
			now
		);
		await municipalities.createVenue(
			trx,
			{
				municipalityId: imst.id,
				name: 'Bürgerhaus Imst, Seminarraum',
				street: 'Johannesplatz 4',
				postalCode: '6460',
				city: 'Imst',
				capacity: 40,
				accessibilityNotes: 'Erdgeschoss, ebenerdig; Behindertenparkplatz vor dem Haus.'
			},
			now
		);
		await municipalities.createVenue(
			trx,
			{
				municipalityId: tarrenz.id,
				name: 'Gemeindesaal Tarrenz',
				street: 'Dorfstraße 14',
				postalCode: '6464',
				city: 'Tarrenz',
				capacity: 120,
				accessibilityNotes: 'Rampe am Haupteingang (6 % Steigung); WC im Untergeschoss nur über Treppe erreichbar.'
			},
			now
		);

		const coordinator = await ensureUser(
			trx,
			{ email: DEMO_COORDINATOR_EMAIL, name: 'Maria Koordinatorin', locale: 'de' },
			now
		);
		await addCoordinator(trx, coordinator.id, imst.id, now);
		await addCoordinator(trx, coordinator.id, tarrenz.id, now);
		// An account without any role yet: club tables come later, this shows the role model's floor.
		await ensureUser(trx, { email: DEMO_CLUB_MEMBER_EMAIL, name: 'Josef Vereinsmitglied' }, now);
		return true;
	});
}
