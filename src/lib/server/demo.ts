import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import * as events from './events';
import * as municipalities from './municipalities';
import { addCoordinator, ensureUser } from './auth/users';

export const DEMO_COORDINATOR_EMAIL = 'koordination@imst.example';
export const DEMO_CLUB_MEMBER_EMAIL = 'verein@tarrenz.example';

/** Seeds two neighbouring Tyrolean municipalities into an empty database. Returns false if not empty. */
export async function seedDemo(db: Kysely<Database>, now: Date, origin: string): Promise<boolean> {
	const seeded = await db.transaction().execute(async (trx) => {
		const existing = await trx.selectFrom('municipality').select('id').limit(1).executeTakeFirst();
		if (existing) return false;

		const imst = await municipalities.create(
			trx,
			{ name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna', contactEmail: 'buergerservice@imst.example' },
			now
		);
		const tarrenz = await municipalities.create(
			trx,
			{ name: 'Tarrenz', country: 'AT', timeZone: 'Europe/Vienna', contactEmail: 'gemeindeamt@tarrenz.example' },
			now
		);
		const stadtsaal = await municipalities.createVenue(
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
		const gemeindesaal = await municipalities.createVenue(
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
		return { coordinatorId: coordinator.id, imst: imst.id, tarrenz: tarrenz.id, stadtsaal: stadtsaal.id, gemeindesaal: gemeindesaal.id };
	});
	if (!seeded) return false;

	// Dates relative to today, so the demo always shows upcoming events.
	const day = (offset: number, time: string) =>
		`${new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10)}T${time}`;
	const common = {
		description: '',
		timeZone: 'Europe/Vienna',
		status: 'published' as const,
		registrationOpensDaysBefore: null,
		registrationClosesHoursBefore: 2
	};
	await events.create(
		db,
		{
			...common,
			kind: 'round_table',
			title: 'Gesprächsrunde Ehrenamt Imst–Tarrenz',
			description:
				'Zweimal im Jahr laden Imst und Tarrenz gemeinsam zur Gesprächsrunde ein: Vereine stellen sich vor, Neuzugezogene und Menschen mit zwei Wohnorten erzählen, was sie suchen.\n\nMit Getränken und Zeit für Gespräche in kleinen Runden.',
			hostIds: [seeded.imst, seeded.tarrenz],
			venueId: seeded.stadtsaal,
			capacity: 60,
			durationMinutes: 150,
			firstStartLocal: `${now.getUTCFullYear()}-01-01T18:00`,
			rrule: 'FREQ=YEARLY;BYMONTH=4,10;BYDAY=2TH'
		},
		seeded.coordinatorId,
		origin,
		now
	);
	await events.create(
		db,
		{
			...common,
			kind: 'round_table',
			title: 'Ankommen in Tarrenz – Gesprächsrunde für Neuzugezogene',
			description: 'Eine kleine Runde zum Kennenlernen: Wer ist neu hier, wer ist nur zeitweise da, und welche Vereine passen dazu?',
			hostIds: [seeded.tarrenz],
			venueId: seeded.gemeindesaal,
			capacity: 3,
			durationMinutes: 120,
			firstStartLocal: day(10, '19:00'),
			rrule: null
		},
		seeded.coordinatorId,
		origin,
		now
	);
	await events.create(
		db,
		{
			...common,
			kind: 'market',
			title: 'Markt der Möglichkeiten Imst',
			description: 'Über 20 Vereine und Initiativen zeigen an ihren Ständen, wo man mitmachen kann – vom Bergrettungsdienst bis zum Repair-Café.',
			hostIds: [seeded.imst],
			venueId: seeded.stadtsaal,
			capacity: 200,
			durationMinutes: 240,
			firstStartLocal: day(24, '10:00'),
			rrule: null
		},
		seeded.coordinatorId,
		origin,
		now
	);
	return true;
}
