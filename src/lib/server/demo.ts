import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import * as events from './events';
import * as municipalities from './municipalities';
import * as clubs from './clubs';
import * as offers from './clubs/offers';
import * as stalls from './stalls';
import { addCoordinator, ensureUser, type Viewer } from './auth/users';
import { generateId, sha256Hex } from './ids';
import { manageSecret } from './registrations/links';
import * as tasks from './tasks';
import * as records from './records';
import type { Profile } from '../participant-profile';

export const DEMO_COORDINATOR_EMAIL = 'koordination@imst.example';
export const DEMO_CLUB_MEMBER_EMAIL = 'verein@tarrenz.example';

/**
 * Seeds two neighbouring Tyrolean municipalities into an empty database. Returns false if not empty.
 * With the app secret, the demo people's manage links (in mail the demo sends them) work.
 */
export async function seedDemo(db: Kysely<Database>, now: Date, origin: string, secret?: string): Promise<boolean> {
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
		await ensureUser(trx, { email: DEMO_CLUB_MEMBER_EMAIL, name: 'Josef Vereinsmitglied' }, now);
		await seedClubs(trx, { imst: imst.id, tarrenz: tarrenz.id, coordinatorId: coordinator.id }, now, origin);
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
	// A second, smaller market that is ready to match (people confirmed, stalls given). The first
	// market stays empty: its journeys (stall booking, registering) start from nothing.
	const matchable = await events.create(
		db,
		{
			...common,
			kind: 'market',
			title: 'Vereinsbörse Imst – Gespräche am Stand',
			description: 'Kurze Gespräche in Runden zu je 15 Minuten: Sie erfahren vorher per E-Mail, welche Vereine zu Ihnen passen und wann Sie wo sind.',
			hostIds: [seeded.imst],
			venueId: seeded.stadtsaal,
			capacity: 40,
			durationMinutes: 180,
			firstStartLocal: day(17, '14:00'),
			rrule: null
		},
		seeded.coordinatorId,
		origin,
		now
	);
	if (matchable.ok) await seedMatchable(db, matchable.eventIds[0]!, { imst: seeded.imst, tarrenz: seeded.tarrenz, coordinatorId: seeded.coordinatorId }, now, origin, secret);
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
	await seedPastRound(db, { imst: seeded.imst, tarrenz: seeded.tarrenz, stadtsaal: seeded.stadtsaal }, now);
	await seedClubWork(db, seeded.imst, now, origin, secret);
	await seedTasks(db, now, origin, secret);
	if (secret) await seedRecord(db, now, secret);
	return true;
}

/** Two approved clubs with published offers; the demo club account administers the Tarrenzer Tafel. */
async function seedClubs(
	trx: Kysely<Database>,
	ids: { imst: string; tarrenz: string; coordinatorId: string },
	now: Date,
	origin: string
): Promise<void> {
	const coordinator: Viewer = { id: ids.coordinatorId, isPlatformAdmin: false, municipalityIds: [ids.imst, ids.tarrenz] };
	const seeds = [
		{
			municipalityId: ids.imst,
			name: 'Bergrettung Imst',
			description:
				'Die Ortsstelle Imst der Bergrettung Tirol hilft bei Unfällen am Berg, im Gelände und auf der Piste – ehrenamtlich, rund um die Uhr.',
			contactEmail: 'ortsstelle@bergrettung-imst.example',
			contactPhone: '+43 5412 12345',
			website: 'https://bergrettung-imst.example/',
			tags: ['rettung', 'sport'],
			representative: { email: 'ortsstelle@bergrettung-imst.example', name: 'Lukas Höllrigl', locale: 'de' },
			offers: [
				{
					title: 'Ausbildung zur Bergretterin / zum Bergretter',
					description: 'Zwei Jahre Grundausbildung mit Übungen am Dienstagabend und an Wochenenden. Trittsicherheit und Freude am Gehen in den Bergen genügen für den Anfang.',
					commitment: 'regular' as const,
					onWeekdays: false,
					onWeekends: true,
					inEvenings: true,
					months: [],
					place: 'Bergrettungsheim Imst',
					isRemote: false,
					languages: ['de'],
					minimumAge: 16,
					suitsMultilocal: false,
					capacity: 4,
					tags: ['rettung', 'sport']
				},
				{
					title: 'Helfen beim Bergrettungsfest',
					description: 'Ausschank, Kuchenbuffet und Kinderprogramm beim Sommerfest am Festplatz – ein Nachmittag genügt.',
					commitment: 'one_off' as const,
					onWeekdays: false,
					onWeekends: true,
					inEvenings: false,
					months: [7],
					place: 'Festplatz Imst',
					isRemote: false,
					languages: ['de', 'en'],
					minimumAge: null,
					suitsMultilocal: true,
					capacity: 12,
					tags: ['freizeit', 'brauchtum']
				}
			]
		},
		{
			municipalityId: ids.tarrenz,
			name: 'Tarrenzer Tafel',
			description: 'Wir retten Lebensmittel vor dem Wegwerfen und geben sie jeden Donnerstag an Menschen mit wenig Geld weiter.',
			contactEmail: 'tafel@tarrenz.example',
			contactPhone: '',
			website: '',
			tags: ['soziales'],
			representative: { email: DEMO_CLUB_MEMBER_EMAIL, name: 'Josef Vereinsmitglied', locale: 'de' },
			offers: [
				{
					title: 'Lebensmittel ausgeben am Donnerstag',
					description: 'Sortieren, ausgeben, ins Gespräch kommen. Auch jede zweite Woche ist eine große Hilfe – gut machbar, wenn Sie nur zeitweise in Tarrenz sind.',
					commitment: 'regular' as const,
					onWeekdays: true,
					onWeekends: false,
					inEvenings: false,
					months: [],
					place: 'Tafel Tarrenz, Dorfstraße 3',
					isRemote: false,
					languages: ['de', 'en', 'tr'],
					minimumAge: 16,
					suitsMultilocal: true,
					capacity: 6,
					tags: ['soziales']
				},
				{
					title: 'Abholfahrten mit dem Tafel-Bus',
					description: 'Ab und zu Spenden bei Märkten in Imst und Tarrenz abholen; Führerschein B nötig.',
					commitment: 'occasional' as const,
					onWeekdays: true,
					onWeekends: false,
					inEvenings: false,
					months: [],
					place: 'Tarrenz und Imst',
					isRemote: false,
					languages: ['de'],
					minimumAge: 18,
					suitsMultilocal: true,
					capacity: 3,
					tags: ['soziales', 'umwelt'],
					competences: ['fahrerlaubnis-b']
				}
			]
		}
	];
	for (const seed of seeds) {
		const { offers: clubOffers, ...input } = seed;
		const registered = await clubs.register(trx, { ...input, logo: null }, { origin }, now);
		if (!registered.ok) throw new Error(`Demo club not registered: ${registered.problem}`);
		await clubs.approve(trx, coordinator, registered.clubId, { origin }, now);
		const admin: Viewer = { id: registered.adminUserId, isPlatformAdmin: false, municipalityIds: [] };
		for (const offer of clubOffers) {
			const created = await offers.create(trx, admin, registered.clubId, { ...offer, status: 'published' }, now);
			if (!created.ok) throw new Error(`Demo offer not created: ${created.problem}`);
		}
	}
	// Demo data announces nothing: without this the demo accounts would find registration and
	// approval mails (with sign-in links) in their inbox on first start.
	await trx.deleteFrom('outbox').where('template', 'in', ['club-registered', 'club-submitted', 'club-approved']).execute();
}

/**
 * What a coordinator and a club find waiting: a club asking to be approved, and a resident who
 * asked the Tafel about an offer ("Ich möchte mitmachen") and has been contacted.
 */
async function seedClubWork(db: Kysely<Database>, imstId: string, now: Date, origin: string, secret: string | undefined): Promise<void> {
	const registered = await clubs.register(
		db,
		{
			municipalityId: imstId,
			name: 'Repair-Café Imst',
			description: 'Einmal im Monat reparieren wir gemeinsam Toaster, Fahrräder und Kleidung, statt sie wegzuwerfen.',
			contactEmail: 'repaircafe@imst.example',
			contactPhone: '',
			website: '',
			tags: ['umwelt'],
			logo: null,
			representative: { email: 'repaircafe@imst.example', name: 'Sabine Neurauter', locale: 'de' }
		},
		{ origin },
		now
	);
	if (!registered.ok) throw new Error(`Demo club not registered: ${registered.problem}`);
	await db.deleteFrom('outbox').where('template', 'in', ['club-registered', 'club-submitted']).execute();

	const offer = await db
		.selectFrom('offer')
		.innerJoin('club', 'club.id', 'offer.club_id')
		.select(['offer.id', 'offer.club_id'])
		.where('offer.title', '=', 'Lebensmittel ausgeben am Donnerstag')
		.executeTakeFirstOrThrow();
	const contactId = generateId();
	const at = new Date(now.getTime() - 3 * 86_400_000).toISOString();
	await db
		.insertInto('offer_contact')
		.values({
			id: contactId,
			offer_id: offer.id,
			club_id: offer.club_id,
			name: 'Ayşe Demir',
			email: 'ayse.demir@example.org',
			message: 'Ich bin seit Kurzem in Tarrenz und hätte donnerstags Zeit. Ich spreche Türkisch und Deutsch.',
			locale: 'de',
			confirm_secret_hash: null,
			confirm_expires_at: null,
			// Without the secret no manage link can be made: a random hash stands in.
			manage_secret_hash: sha256Hex(secret ? manageSecret(secret, `contact:${contactId}`) : generateId()),
			created_at: at,
			confirmed_at: at
		})
		.execute();
	await db
		.insertInto('lead')
		.values({ id: generateId(), event_id: null, person_id: null, club_id: offer.club_id, status: 'contacted', source: 'offer', offer_id: offer.id, contact_id: contactId, created_at: at, updated_at: at, updated_by: null })
		.execute();
}

const DEMO_PEOPLE: { name: string; email: string; locale: string; consent: boolean; profile: Partial<Profile> }[] = [
	{ name: 'Anna Berger', email: 'anna.berger@example.org', locale: 'de', consent: true, profile: { residency: 'resident', homePlace: 'Imst', interests: ['sport', 'rettung'], availability: ['weekends'], languages: ['de'] } },
	{ name: 'Olena Koval', email: 'olena.koval@example.org', locale: 'en', consent: true, profile: { residency: 'new_in_town', homePlace: 'Tarrenz', interests: ['soziales', 'integration'], languages: ['uk', 'en', 'de'] } },
	{ name: 'Mehmet Yılmaz', email: 'mehmet.yilmaz@example.org', locale: 'de', consent: false, profile: { residency: 'resident', homePlace: 'Imst', interests: ['soziales'], availability: ['weekdays'], languages: ['tr', 'de'] } },
	{ name: 'Lisa Gruber', email: 'lisa.gruber@example.org', locale: 'de', consent: true, profile: { residency: 'incoming', homePlace: 'München', secondPlace: 'Imst', presence: 'Juni bis September', interests: ['sport', 'freizeit'], availability: ['weekends'], languages: ['de', 'en'] } },
	{ name: 'Tom Schmid', email: 'tom.schmid@example.org', locale: 'de', consent: false, profile: { residency: 'outgoing', homePlace: 'Imst', secondPlace: 'Wien', interests: ['umwelt'], availability: ['weekends'], languages: ['de'] } },
	{ name: 'Sarah Wolf', email: 'sarah.wolf@example.org', locale: 'de', consent: true, profile: { residency: 'guest', interests: [], languages: ['de', 'en'] } }
];

/** Confirmed demo people with varied profiles and the two demo clubs at stalls with chairs. */
async function seedMatchable(db: Kysely<Database>, eventId: string, ids: { imst: string; tarrenz: string; coordinatorId: string }, now: Date, origin: string, secret: string | undefined): Promise<void> {
	const coordinator: Viewer = { id: ids.coordinatorId, isPlatformAdmin: false, municipalityIds: [ids.imst, ids.tarrenz] };
	// The stall services open their own transactions.
	const trx = db;
	{
		await stalls.addStalls(trx, coordinator, eventId, { prefix: 'V', from: 1, count: 2, zone: 'Foyer', size: 2, hasPower: false, indoor: true, accessible: true }, { origin }, now);
		await stalls.setBookingOpen(trx, coordinator, eventId, true);
		for (const name of ['Bergrettung Imst', 'Tarrenzer Tafel']) {
			const club = await trx.selectFrom('club').select('id').where('name', '=', name).executeTakeFirstOrThrow();
			const admin = await trx.selectFrom('club_member').select('user_id').where('club_id', '=', club.id).executeTakeFirstOrThrow();
			const requested = await stalls.request(trx, { id: admin.user_id, isPlatformAdmin: false, municipalityIds: [] }, club.id, eventId, { size: 1, needsPower: false, needsAccessible: false, tables: 1, chairs: 2, staff: '', notes: '' }, { origin }, now);
			if (requested.ok) await stalls.approve(trx, coordinator, requested.requestId, { origin }, now);
		}
		await stalls.setBookingOpen(trx, coordinator, eventId, false);
		const tags = await trx.selectFrom('tag').select(['id', 'slug']).execute();
		for (const demo of DEMO_PEOPLE) {
			const personId = generateId();
			const profile = { residency: 'resident', homePlace: '', secondPlace: '', availability: [], presence: '', languages: ['de'], accessibilityNeeds: '', interests: [], ...demo.profile };
			await trx
				.insertInto('person')
				.values({ id: personId, email: demo.email, name: demo.name, locale: demo.locale, profile: JSON.stringify(profile), consent_introductions: demo.consent ? 1 : 0, created_at: now.toISOString(), updated_at: now.toISOString() })
				.execute();
			const interests = tags.filter((t) => profile.interests.includes(t.slug));
			if (interests.length) await trx.insertInto('person_tag').values(interests.map((t) => ({ person_id: personId, tag_id: t.id }))).execute();
			// Without the secret no manage link can be made: a random hash stands in.
			const registrationId = generateId();
			await trx
				.insertInto('registration')
				.values({ id: registrationId, event_id: eventId, person_id: personId, status: 'confirmed', waitlist_position: null, submitted_profile: null, manage_secret_hash: sha256Hex(secret ? manageSecret(secret, registrationId) : generateId()), confirm_secret_hash: null, confirm_expires_at: null, created_at: now.toISOString(), updated_at: now.toISOString(), confirmed_at: now.toISOString(), cancelled_at: null, checked_in_at: null })
				.execute();
		}
		await trx.updateTable('event').set({ confirmed_count: DEMO_PEOPLE.length }).where('id', '=', eventId).execute();
		await trx.deleteFrom('outbox').where('template', '=', 'stall-update').execute();
	}
}

const PAST_PEOPLE: { name: string; residency: Profile['residency']; interests: string[]; status: 'attended' | 'no_show' | 'cancelled' }[] = [
	{ name: 'Petra Huber', residency: 'resident', interests: ['sport', 'rettung'], status: 'attended' },
	{ name: 'Johann Falch', residency: 'resident', interests: ['brauchtum'], status: 'attended' },
	{ name: 'Maria Raggl', residency: 'resident', interests: ['soziales'], status: 'attended' },
	{ name: 'Stefan Kathrein', residency: 'resident', interests: ['sport'], status: 'attended' },
	{ name: 'Eva Pfeifer', residency: 'resident', interests: ['kinder-jugend'], status: 'attended' },
	{ name: 'Georg Lechleitner', residency: 'resident', interests: ['umwelt'], status: 'no_show' },
	{ name: 'Julia Meier', residency: 'incoming', interests: ['sport', 'freizeit'], status: 'attended' },
	{ name: 'Markus Weber', residency: 'incoming', interests: ['kultur'], status: 'attended' },
	{ name: 'Sophie Lang', residency: 'incoming', interests: ['kinder-jugend'], status: 'attended' },
	{ name: 'David Neuner', residency: 'outgoing', interests: ['rettung'], status: 'attended' },
	{ name: 'Laura Strolz', residency: 'outgoing', interests: ['kultur'], status: 'no_show' },
	{ name: 'Amina Hadžić', residency: 'new_in_town', interests: ['integration', 'soziales'], status: 'attended' },
	{ name: 'Daniel Kovács', residency: 'new_in_town', interests: ['kinder-jugend'], status: 'attended' },
	{ name: 'Clara Dietrich', residency: 'guest', interests: [], status: 'cancelled' }
];

/**
 * A Gesprächsrunde of the series four months ago, with attendance, a published plan, feedback and
 * leads, so that the reports have something to show. Far enough back that no calendar feed, feedback
 * request, reminder or thank-you mail picks it up.
 */
async function seedPastRound(db: Kysely<Database>, ids: { imst: string; tarrenz: string; stadtsaal: string }, now: Date): Promise<void> {
	const startsAt = new Date(now.getTime() - 120 * 86_400_000);
	startsAt.setUTCHours(16, 0, 0, 0);
	const endsAt = new Date(startsAt.getTime() + 150 * 60_000);
	const at = (hoursAfterEnd: number) => new Date(endsAt.getTime() + hoursAfterEnd * 3600_000).toISOString();
	await db.transaction().execute(async (trx) => {
		const series = await trx.selectFrom('series').select('id').where('title', '=', 'Gesprächsrunde Ehrenamt Imst–Tarrenz').executeTakeFirst();
		const eventId = generateId();
		await trx
			.insertInto('event')
			.values({ id: eventId, series_id: series?.id ?? null, kind: 'round_table', title: 'Gesprächsrunde Ehrenamt Imst–Tarrenz', description: 'Die letzte Runde: Vereine stellten sich vor, danach Gespräche an Tischen.', starts_at: startsAt.toISOString(), ends_at: endsAt.toISOString(), time_zone: 'Europe/Vienna', venue_id: ids.stadtsaal, capacity: 60, confirmed_count: 13, status: 'published', registration_opens_at: null, registration_closes_at: null, ical_uid: `${eventId}@miteinander.demo`, stall_booking_open: 0, created_at: startsAt.toISOString(), updated_at: startsAt.toISOString() })
			.execute();
		await trx.insertInto('event_host').values([{ event_id: eventId, municipality_id: ids.imst }, { event_id: eventId, municipality_id: ids.tarrenz }]).execute();
		const tags = await trx.selectFrom('tag').select(['id', 'slug']).execute();
		const clubRows = await trx.selectFrom('club').select(['id', 'name']).where('name', 'in', ['Bergrettung Imst', 'Tarrenzer Tafel']).orderBy('name').execute();
		const [bergrettung, tafel] = clubRows.map((c) => c.id) as [string, string];
		const people: string[] = [];
		for (const [i, demo] of PAST_PEOPLE.entries()) {
			const personId = generateId();
			people.push(personId);
			const profile = { residency: demo.residency, homePlace: '', secondPlace: '', availability: [], presence: '', languages: ['de'], accessibilityNeeds: '', interests: demo.interests };
			const created = new Date(startsAt.getTime() - 14 * 86_400_000).toISOString();
			await trx
				.insertInto('person')
				.values({ id: personId, email: `rueckblick${String(i + 1).padStart(2, '0')}@example.org`, name: demo.name, locale: 'de', profile: JSON.stringify(profile), consent_introductions: 1, created_at: created, updated_at: created })
				.execute();
			const interests = tags.filter((t) => demo.interests.includes(t.slug));
			if (interests.length) await trx.insertInto('person_tag').values(interests.map((t) => ({ person_id: personId, tag_id: t.id }))).execute();
			await trx
				.insertInto('registration')
				.values({ id: generateId(), event_id: eventId, person_id: personId, status: demo.status, waitlist_position: null, submitted_profile: null, manage_secret_hash: sha256Hex(generateId()), confirm_secret_hash: null, confirm_expires_at: null, created_at: created, updated_at: created, confirmed_at: created, cancelled_at: demo.status === 'cancelled' ? created : null, checked_in_at: demo.status === 'attended' ? startsAt.toISOString() : null })
				.execute();
		}
		// The published table plan: the eleven who came, each with one club.
		const attended = people.filter((_, i) => PAST_PEOPLE[i]!.status === 'attended');
		const planId = generateId();
		await trx
			.insertInto('match_plan')
			.values({ id: planId, event_id: eventId, status: 'published', created_by: null, created_at: at(-150 - 48), published_at: at(-150 - 48), figures: JSON.stringify({ kind: 'round_table', k: 1, rounds: 1, people: attended.length, clubs: 2, coverage: [attended.length], averageScore: 60, slots: attended.length, load: [], unplaced: [], rejectedPins: [], unscheduled: 0, tables: null }) })
			.execute();
		await trx
			.insertInto('match_slot')
			.values(attended.map((personId, i) => ({ id: generateId(), plan_id: planId, person_id: personId, club_id: i % 2 ? tafel : bergrettung, round: 1, stall_id: null, place_label: `Tisch ${(i % 2) + 1}`, starts_at: startsAt.toISOString(), ends_at: endsAt.toISOString(), score: 60, reasons: '[]' })))
			.execute();
		// Feedback: eight of the eleven answered (one talked to nobody), three did not; both clubs answered.
		const closed = at(24 + 14 * 24);
		for (const [i, personId] of attended.entries()) {
			const answered = i < 8;
			const talked = answered && i !== 7 ? [i % 2 ? tafel : bergrettung] : [];
			await trx
				.insertInto('feedback')
				.values({ id: generateId(), event_id: eventId, respondent: 'person', person_id: personId, club_id: null, usefulness: answered ? 3 + (i % 3) : null, talked_to: JSON.stringify(talked), wants_to_try: JSON.stringify(i < 6 ? talked : []), requested_at: at(24), reminded_at: answered ? null : at(24 + 7 * 24), answered_at: answered ? at(30 + i) : null, updated_at: answered ? at(30 + i) : null, editable_until: closed })
				.execute();
		}
		for (const [clubId, talks, volunteers] of [[bergrettung, 6, 1], [tafel, 5, 1]] as const) {
			await trx
				.insertInto('feedback')
				.values({ id: generateId(), event_id: eventId, respondent: 'club', person_id: null, club_id: clubId, usefulness: null, talked_to: '[]', wants_to_try: '[]', talks, new_volunteers: volunteers, changes: 'Ein Schnuppertermin am Wochenende für Menschen, die nur zeitweise hier sind.', requested_at: at(24), answered_at: at(72), updated_at: at(72), editable_until: closed })
				.execute();
		}
		// Leads from the six who wanted to try their club: two joined so far.
		const statuses = ['joined', 'contacted', 'joined', 'trying', 'new', 'not_a_fit'] as const;
		for (const [i, status] of statuses.entries()) {
			await trx
				.insertInto('lead')
				.values({ id: generateId(), event_id: eventId, person_id: attended[i]!, club_id: i % 2 ? tafel : bergrettung, status, created_at: at(30 + i), updated_at: at(30 + i + 24 * 10), updated_by: null })
				.execute();
		}
	});
}

/**
 * Two Einsätze of the Tarrenzer Tafel with shifts: a few helpers (one team of three), and one
 * past shift with a helper marked as attended (for the Nachweis).
 */
async function seedTasks(db: Kysely<Database>, now: Date, origin: string, secret: string | undefined): Promise<void> {
	const club = await db.selectFrom('club').select(['id', 'municipality_id']).where('name', '=', 'Tarrenzer Tafel').executeTakeFirst();
	const admin = club && (await db.selectFrom('club_member').select('user_id').where('club_id', '=', club.id).where('role', '=', 'admin').executeTakeFirst());
	if (!club || !admin) return;
	const viewer: Viewer = { id: admin.user_id, isPlatformAdmin: false, municipalityIds: [] };
	const at = (dayOffset: number, hourUtc: number) => {
		const d = new Date(now.getTime() + dayOffset * 86_400_000);
		d.setUTCHours(hourUtc, 0, 0, 0);
		return d;
	};
	// The Tafel sorts on weekdays; the village festival is on a Saturday. So "Passt zu mir" shows
	// the same Einsätze to the same profile whatever day the demo is seeded on.
	const onOrAfter = (dayOffset: number, wanted: (weekday: number) => boolean) => {
		let offset = dayOffset;
		while (!wanted(new Date(now.getTime() + offset * 86_400_000).getUTCDay())) offset++;
		return offset;
	};
	const sortDay = onOrAfter(5, (d) => d >= 1 && d <= 5);
	const festivalDay = onOrAfter(12, (d) => d === 6);
	const base = { minAge: null, languages: ['de'], accessibility: '', tags: [] as string[], competences: [] as string[], status: 'published' as const };
	const sorting = await tasks.create(
		db,
		viewer,
		{ clubId: club.id },
		{ ...base, title: 'Lebensmittel sortieren in der Tafel', description: 'Gespendete Lebensmittel sortieren und für die Ausgabe vorbereiten. Keine Vorkenntnisse nötig.', place: 'Tarrenzer Tafel, Hauptstraße 12, Tarrenz', accessibility: 'Ebenerdig, Toilette barrierefrei', tags: ['soziales'], competences: ['kochen'] },
		[
			{ startsAt: at(sortDay, 7), endsAt: at(sortDay, 10), places: 6 },
			{ startsAt: at(sortDay, 10), endsAt: at(sortDay, 13), places: 2 }
		],
		origin,
		now
	);
	const festival = await tasks.create(
		db,
		viewer,
		{ clubId: club.id },
		{ ...base, title: 'Helfende für das Dorffest', description: 'Aufbau, Getränkeausgabe und Abbau beim Dorffest. Auch Teams (Firmen, Schulklassen) sind willkommen.', place: 'Festplatz Tarrenz', minAge: 14, languages: ['de', 'en'], tags: ['kultur'] },
		[
			{ startsAt: at(-20, 8), endsAt: at(-20, 12), places: 4 },
			{ startsAt: at(festivalDay, 8), endsAt: at(festivalDay, 12), places: 10 }
		],
		origin,
		now
	);
	if (!sorting.ok || !festival.ok) return;
	const shiftIds = async (taskId: string) => (await db.selectFrom('event').select('id').where('task_id', '=', taskId).orderBy('starts_at').execute()).map((r) => r.id);
	const [sortEarly] = await shiftIds(sorting.id);
	const [festPast, festNext] = await shiftIds(festival.id);
	const helpers: [string, string, string, 'confirmed' | 'attended', number][] = [
		[sortEarly!, 'helferin.maria@example.org', 'Maria Gstrein', 'confirmed', 1],
		[sortEarly!, 'team.schule@example.org', 'Klasse 4b (Frau Lechner)', 'confirmed', 3],
		[festNext!, 'jonas.kranewitter@example.org', 'Jonas Kranewitter', 'confirmed', 1],
		[festPast!, 'helfer.ali@example.org', 'Ali Yilmaz', 'attended', 1]
	];
	for (const [eventId, email, name, status, places] of helpers) {
		const personId = generateId();
		const registrationId = generateId();
		const created = new Date(now.getTime() - 30 * 86_400_000).toISOString();
		await db.insertInto('person').values({ id: personId, email, name, locale: 'de', created_at: created, updated_at: created }).execute();
		await db
			.insertInto('registration')
			.values({ id: registrationId, event_id: eventId, person_id: personId, status, places, waitlist_position: null, submitted_profile: null, manage_secret_hash: sha256Hex(manageSecret(secret ?? generateId(), registrationId)), confirm_secret_hash: null, confirm_expires_at: null, created_at: created, updated_at: created, confirmed_at: created, cancelled_at: null, checked_in_at: status === 'attended' ? created : null })
			.execute();
		await db.updateTable('event').set((eb) => ({ confirmed_count: eb('confirmed_count', '+', places) })).where('id', '=', eventId).execute();
	}
}

/** One Ehrenamtsnachweis, issued by a participant of the past round table (needs the key to sign). */
async function seedRecord(db: Kysely<Database>, now: Date, secret: string): Promise<void> {
	const person = await db.selectFrom('person').select(['id', 'name']).where('name', '=', 'Maria Raggl').executeTakeFirst();
	if (person) await records.issue(db, secret, person, now);
}
