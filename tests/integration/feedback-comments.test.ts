import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { addCoordinator, ensureUser, findSessionUser, type SessionUser } from '../../src/lib/server/auth/users';
import * as events from '../../src/lib/server/events';
import * as feedback from '../../src/lib/server/feedback';
import * as comments from '../../src/lib/server/feedback/comments';
import * as municipalities from '../../src/lib/server/municipalities';
import * as registrations from '../../src/lib/server/registrations';
import { THRESHOLD } from '../../src/lib/server/reports/suppress';
import { emptyProfile } from '../../src/lib/participant-profile';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const t0 = new Date('2027-03-01T09:00:00.000Z');
// The round table runs 2027-05-08 18:00–20:00 in Vienna (UTC+2); requests go out a day later.
const answeredAt = new Date('2027-05-10T09:00:00.000Z');

describe.each(dialects)('free-text feedback for coordinators on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	let coordinator: SessionUser;
	let otherCoordinator: SessionUser;
	let eventId: string;
	const people: string[] = [];

	async function sessionUser(email: string, municipalityId: string) {
		const { id } = await ensureUser(db, { email, name: email.split('@')[0]! }, t0);
		await addCoordinator(db, id, municipalityId, t0);
		return (await findSessionUser(db, id))!;
	}

	async function confirmed(email: string) {
		await registrations.register(db, { eventId, email, name: email.split('@')[0]!, locale: 'de', profile: emptyProfile, consentIntroductions: false }, ctx, t0);
		const mail = await db.selectFrom('outbox').select('text_body').where('recipient', '=', email).where('template', '=', 'registration-confirm-request').executeTakeFirstOrThrow();
		const token = /\/confirm\/([a-z2-7.]+)/.exec(mail.text_body)![1]!;
		expect(await registrations.confirm(db, token, ctx, t0)).toMatchObject({ ok: true });
		return (await db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
	}

	let answers = 0;
	async function answer(personId: string, comment: string) {
		// One minute apart, so that the list order (oldest answer first) is certain.
		const at = new Date(answeredAt.getTime() + ++answers * 60_000);
		const row = await db.selectFrom('feedback').select('id').where('person_id', '=', personId).executeTakeFirstOrThrow();
		const saved = await feedback.save(db, ctx, feedback.feedbackToken(ctx.secret, row.id), { usefulness: 4, talkedTo: [], wantsToTry: [], comment, consent: false }, at);
		expect(saved).toMatchObject({ ok: true });
		return row.id;
	}

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		const imst = await municipalities.create(db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		const tarrenz = await municipalities.create(db, { name: 'Tarrenz', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		coordinator = await sessionUser('k@imst.example', imst.id);
		otherCoordinator = await sessionUser('k@tarrenz.example', tarrenz.id);
		const created = await events.create(
			db,
			{ kind: 'round_table', title: 'Gesprächsrunde', description: '', hostIds: [imst.id], venueId: null, capacity: 30, timeZone: 'Europe/Vienna', durationMinutes: 120, status: 'published', registrationOpensDaysBefore: null, registrationClosesHoursBefore: null, firstStartLocal: '2027-05-08T18:00', rrule: null },
			coordinator.id,
			ctx.origin,
			t0
		);
		if (!created.ok) throw new Error('no event');
		eventId = created.eventIds[0]!;
		for (let i = 1; i <= THRESHOLD; i++) people.push(await confirmed(`p${i}@example.org`));
		expect(await feedback.requestDue(db, ctx, new Date('2027-05-09T19:00:00.000Z'))).toBe(THRESHOLD);
	});
	afterAll(() => test.destroy());

	it('withholds people’s free text below the reports’ threshold and shows it from there on', async () => {
		for (let i = 0; i < THRESHOLD - 1; i++) await answer(people[i]!, i === 0 ? 'Mehr Zeit für Gespräche, bitte.' : '');
		const few = await comments.forEvent(db, coordinator, eventId);
		expect(few.ok && few.comments).toMatchObject({ personAnswers: THRESHOLD - 1, personCommentsWithheld: true, personComments: [] });

		await answer(people[THRESHOLD - 1]!, 'Der Saal war zu laut.');
		const enough = await comments.forEvent(db, coordinator, eventId);
		expect(enough.ok && enough.comments).toMatchObject({ personAnswers: THRESHOLD, personCommentsWithheld: false, hidden: 0 });
		expect(enough.ok && enough.comments.personComments.map((c) => c.text)).toEqual(['Mehr Zeit für Gespräche, bitte.', 'Der Saal war zu laut.']);
	});

	it('lets only the date’s coordinators read and hide an entry; a hidden entry stays hidden and is audited', async () => {
		expect(await comments.forEvent(db, otherCoordinator, eventId)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await comments.forEvent(db, null, eventId)).toEqual({ ok: false, problem: 'forbidden' });
		const listed = await comments.forEvent(db, coordinator, eventId);
		if (!listed.ok) throw new Error('forbidden');
		const loud = listed.comments.personComments.find((c) => c.text === 'Der Saal war zu laut.')!;

		expect(await comments.hide(db, otherCoordinator, loud.id, answeredAt)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await comments.hide(db, coordinator, 'no-such-entry', answeredAt)).toEqual({ ok: false, problem: 'not_found' });
		expect(await comments.hide(db, coordinator, loud.id, answeredAt)).toEqual({ ok: true });
		expect(await comments.hide(db, coordinator, loud.id, answeredAt)).toEqual({ ok: false, problem: 'already_hidden' });

		const after = await comments.forEvent(db, coordinator, eventId);
		expect(after.ok && after.comments.personComments.map((c) => c.text)).toEqual(['Mehr Zeit für Gespräche, bitte.']);
		// The answer still counts; only its text is gone from the screen and the export.
		expect(after.ok && after.comments).toMatchObject({ personAnswers: THRESHOLD, hidden: 1 });
		const audit = await db.selectFrom('audit_log').select(['action', 'actor_user_id', 'entity_id']).where('action', '=', 'feedback.hidden').execute();
		expect(audit).toEqual([{ action: 'feedback.hidden', actor_user_id: coordinator.id, entity_id: loud.id }]);
	});
});
