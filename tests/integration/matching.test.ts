import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import ICAL from 'ical.js';
import type { Database } from '../../src/lib/server/db/schema';
import { addCoordinator, ensureUser, findSessionUser, type SessionUser } from '../../src/lib/server/auth/users';
import * as clubs from '../../src/lib/server/clubs';
import * as offers from '../../src/lib/server/clubs/offers';
import * as events from '../../src/lib/server/events';
import * as matching from '../../src/lib/server/matching';
import * as jobs from '../../src/lib/server/matching/jobs';
import { formatRegistered, matchingRunsTotal } from '../../src/lib/server/http/metrics';
import * as municipalities from '../../src/lib/server/municipalities';
import * as registrations from '../../src/lib/server/registrations';
import * as stalls from '../../src/lib/server/stalls';
import { emptyProfile, type Profile } from '../../src/lib/participant-profile';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const t0 = new Date('2027-03-01T09:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

type ClubSeed = { name: string; tags: string[]; languages: string[]; onWeekdays?: boolean; onWeekends?: boolean };

describe.each(dialects)('matching on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	let coordinator: SessionUser;
	let otherCoordinator: SessionUser;
	let imstId: string;
	const club: Record<string, { id: string; admin: SessionUser }> = {};
	const person: Record<string, string> = {};

	async function sessionUser(email: string) {
		const { id } = await ensureUser(db, { email, name: email.split('@')[0]! }, t0);
		return (await findSessionUser(db, id))!;
	}

	async function approvedClub(seed: ClubSeed) {
		const key = seed.name.toLowerCase().replace(/\W/g, '');
		const result = await clubs.register(
			db,
			{ name: seed.name, description: '', contactEmail: `${key}@verein.example`, contactPhone: '', website: '', tags: seed.tags, municipalityId: imstId, logo: null, representative: { email: `vorstand.${key}@example.org`, name: seed.name, locale: 'de' } },
			ctx, t0
		);
		if (!result.ok) throw new Error(result.problem);
		expect(await clubs.approve(db, coordinator, result.clubId, ctx, t0)).toEqual({ ok: true });
		const admin = (await findSessionUser(db, result.adminUserId))!;
		const offer = await offers.create(
			db, admin, result.clubId,
			{ title: `Mitmachen bei ${seed.name}`, description: '', commitment: 'occasional', onWeekdays: seed.onWeekdays ?? true, onWeekends: seed.onWeekends ?? true, inEvenings: false, months: [], place: 'Imst', isRemote: false, languages: seed.languages, minimumAge: null, suitsMultilocal: true, capacity: null, tags: seed.tags, status: 'published' },
			t0
		);
		if (!offer.ok) throw new Error(offer.problem);
		return { id: result.clubId, admin };
	}

	async function createEvent(title: string, kind: 'market' | 'round_table' = 'market') {
		const created = await events.create(
			db,
			{ kind, title, description: '', hostIds: [imstId], venueId: null, capacity: 200, timeZone: 'Europe/Vienna', durationMinutes: 240, status: 'published', registrationOpensDaysBefore: null, registrationClosesHoursBefore: null, firstStartLocal: '2027-05-08T10:00', rrule: null },
			coordinator.id, ctx.origin, t0
		);
		if (!created.ok) throw new Error('no event');
		return created.eventIds[0]!;
	}

	/** Approved stall requests with the given chairs, one stall each. */
	async function withStalls(eventId: string, chairs: Record<string, number>) {
		await stalls.addStalls(db, coordinator, eventId, { prefix: 'A', from: 1, count: Object.keys(chairs).length, zone: 'Halle', size: 2, hasPower: false, indoor: true, accessible: true }, ctx, t0);
		await stalls.setBookingOpen(db, coordinator, eventId, true);
		for (const [name, count] of Object.entries(chairs)) {
			const requested = await stalls.request(db, club[name]!.admin, club[name]!.id, eventId, { size: 1, needsPower: false, needsAccessible: false, tables: 1, chairs: count, staff: '', notes: '' }, ctx, t0);
			if (!requested.ok) throw new Error(requested.problem);
			const approved = await stalls.approve(db, coordinator, requested.requestId, ctx, t0);
			expect(approved).toMatchObject({ ok: true, status: 'approved' });
		}
	}

	async function confirmed(eventId: string, email: string, profile: Partial<Profile>, consent = false) {
		await registrations.register(db, { eventId, email, name: email.split('@')[0]!, locale: email.startsWith('en') ? 'en' : 'de', profile: { ...emptyProfile, ...profile }, consentIntroductions: consent }, ctx, t0);
		const mail = await db.selectFrom('outbox').select('text_body').where('recipient', '=', email).where('template', '=', 'registration-confirm-request').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
		const token = /\/confirm\/([a-z2-7.]+)/.exec(mail.text_body)![1]!;
		expect(await registrations.confirm(db, token, ctx, t0)).toMatchObject({ ok: true, status: 'confirmed' });
		const row = await db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow();
		return row.id;
	}

	async function draftSlots(planId: string) {
		return db.selectFrom('match_slot').select(['person_id', 'club_id', 'round', 'place_label', 'starts_at']).where('plan_id', '=', planId).execute();
	}

	function expectFeasible(slots: { person_id: string; club_id: string; round: number | null }[], seats: Record<string, number>, uniquePairs = true) {
		const seen = new Set<string>();
		const perClubRound = new Map<string, number>();
		for (const s of slots) {
			expect(s.round).not.toBeNull();
			const personRound = `${s.person_id}/${s.round}`;
			expect(seen.has(personRound), `person twice in round ${s.round}`).toBe(false);
			seen.add(personRound);
			const key = `${s.club_id}/${s.round}`;
			perClubRound.set(key, (perClubRound.get(key) ?? 0) + 1);
		}
		for (const [key, n] of perClubRound) expect(n).toBeLessThanOrEqual(seats[key.split('/')[0]!] ?? 0);
		const pairs = slots.map((s) => `${s.person_id}/${s.club_id}`);
		if (uniquePairs) expect(new Set(pairs).size).toBe(pairs.length);
	}

	let marketId: string;
	let chairsById: Record<string, number>;

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		const imst = await municipalities.create(db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		const tarrenz = await municipalities.create(db, { name: 'Tarrenz', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		imstId = imst.id;
		coordinator = await sessionUser('k@imst.example');
		await addCoordinator(db, coordinator.id, imst.id, t0);
		coordinator = (await findSessionUser(db, coordinator.id))!;
		otherCoordinator = await sessionUser('k@tarrenz.example');
		await addCoordinator(db, otherCoordinator.id, tarrenz.id, t0);
		otherCoordinator = (await findSessionUser(db, otherCoordinator.id))!;
		for (const seed of [
			{ name: 'Bergrettung', tags: ['rettung', 'sport'], languages: ['de'] },
			{ name: 'Chor', tags: ['kultur'], languages: ['de', 'en'] },
			{ name: 'Tafel', tags: ['soziales'], languages: ['de', 'tr'] },
			{ name: 'Leerer Stand', tags: ['sport'], languages: ['de'] }
		]) {
			club[seed.name] = await approvedClub(seed);
		}
		marketId = await createEvent('Markt');
		const chairs = { Bergrettung: 2, Chor: 1, Tafel: 1, 'Leerer Stand': 0 };
		await withStalls(marketId, chairs);
		chairsById = Object.fromEntries(Object.entries(chairs).map(([name, n]) => [club[name]!.id, n]));
		person.anna = await confirmed(marketId, 'anna@example.org', { interests: ['sport', 'kultur'], languages: ['de'] }, true);
		person.ben = await confirmed(marketId, 'ben@example.org', { interests: ['soziales'], languages: ['de'] });
		person.cem = await confirmed(marketId, 'cem@example.org', { interests: ['kultur'], languages: ['tr'] }, true);
		person.dana = await confirmed(marketId, 'dana@example.org', { interests: ['sport'], languages: ['uk'] });
		person.emil = await confirmed(marketId, 'en.emil@example.org', { interests: [], languages: ['de', 'en'] });
	});
	afterAll(() => test.destroy());

	it('refuses settings outside their range or the event, and keeps good ones', async () => {
		const base = { k: 2, rounds: 2, roundMinutes: 15, firstRoundAt: null, tableSeats: 6 };
		expect(await matching.saveSettings(db, coordinator, marketId, { ...base, rounds: 0 }, t0)).toEqual({ ok: false, problem: 'out_of_range' });
		expect(await matching.saveSettings(db, coordinator, marketId, { ...base, rounds: 20, roundMinutes: 60 }, t0)).toEqual({ ok: false, problem: 'outside_event' });
		expect(await matching.saveSettings(db, coordinator, marketId, { ...base, firstRoundAt: new Date('2027-05-08T07:00:00Z') }, t0)).toEqual({ ok: false, problem: 'outside_event' });
		expect(await matching.getSettings(db, marketId)).toEqual(matching.DEFAULT_SETTINGS);
		expect(await matching.saveSettings(db, coordinator, marketId, base, t0)).toEqual({ ok: true });
		expect(await matching.getSettings(db, marketId)).toEqual(base);
	});

	it('runs a draft: feasible rounds, figures, and who got nothing and why', async () => {
		const runsBefore = matchingRunsTotal.get({ kind: 'market' });
		const result = await matching.run(db, coordinator, marketId, t0);
		if (!result.ok) throw new Error(result.problem);
		// /metrics counts the run and its duration.
		expect(matchingRunsTotal.get({ kind: 'market' })).toBe(runsBefore + 1);
		expect(formatRegistered().join('\n')).toMatch(/^miteinander_matching_run_duration_seconds_count\{kind="market"\} [1-9]/m);
		const { figures } = result;
		expect(figures).toMatchObject({ kind: 'market', k: 2, rounds: 2, people: 5, clubs: 4, unscheduled: 0 });
		// Dana speaks only Ukrainian: no club shares a language with her.
		expect(figures.unplaced).toEqual([{ personId: person.dana, reason: 'no_common_language' }]);
		expect(figures.coverage[0]).toBe(4);
		expect(figures.averageScore).toBeGreaterThan(0);
		const empty = figures.load.find((l) => l.clubId === club['Leerer Stand']!.id)!;
		expect(empty).toMatchObject({ seatsPerRound: 0, capacity: 0, assigned: 0 });
		const slots = await draftSlots(result.planId);
		expect(slots.length).toBe(figures.slots);
		expectFeasible(slots, chairsById);
		// Cem speaks Turkish: never at the German-only Bergrettung.
		expect(slots.filter((s) => s.person_id === person.cem).map((s) => s.club_id)).not.toContain(club.Bergrettung!.id);
		// Rounds start with the event (10:00 Vienna) and last 15 minutes.
		const starts = [...new Set(slots.map((s) => new Date(s.starts_at as string | Date).toISOString()))].sort();
		expect(starts[0]).toBe('2027-05-08T08:00:00.000Z');
		expect(starts.every((s) => ['2027-05-08T08:00:00.000Z', '2027-05-08T08:15:00.000Z'].includes(s))).toBe(true);

		const shown = await matching.preview(db, coordinator, marketId);
		if (!shown.ok) throw new Error(shown.problem);
		expect(shown.draft?.id).toBe(result.planId);
		expect(shown.published).toBeNull();
		expect(shown.names.people[person.dana!]).toBe('dana');
		expect(shown.assignments.map((a) => a.name)).not.toContain('dana');

		// A second run replaces the draft.
		const again = await matching.run(db, coordinator, marketId, later(1));
		if (!again.ok) throw new Error(again.problem);
		const plans = await db.selectFrom('match_plan').select(['id', 'status']).where('event_id', '=', marketId).execute();
		expect(plans).toEqual([{ id: again.planId, status: 'draft' }]);
	});

	it('keeps pins and bans, and says why a pin cannot be kept', async () => {
		expect(await matching.setRule(db, coordinator, marketId, person.anna!, club.Bergrettung!.id, 'ban', t0)).toEqual({ ok: true, person: 'anna', club: 'Bergrettung' });
		expect(await matching.setRule(db, coordinator, marketId, person.ben!, club.Chor!.id, 'pin', t0)).toMatchObject({ ok: true });
		// A pin to a stall without chairs cannot be kept.
		expect(await matching.setRule(db, coordinator, marketId, person.emil!, club['Leerer Stand']!.id, 'pin', t0)).toMatchObject({ ok: true });
		const stranger = (await db.selectFrom('person').select('id').where('email', '=', 'k@imst.example').executeTakeFirst())?.id ?? 'nobody';
		expect(await matching.setRule(db, coordinator, marketId, stranger, club.Chor!.id, 'pin', t0)).toEqual({ ok: false, problem: 'unknown_person' });
		const result = await matching.run(db, coordinator, marketId, t0);
		if (!result.ok) throw new Error(result.problem);
		const slots = await draftSlots(result.planId);
		expect(slots.some((s) => s.person_id === person.anna && s.club_id === club.Bergrettung!.id)).toBe(false);
		expect(slots.some((s) => s.person_id === person.ben && s.club_id === club.Chor!.id)).toBe(true);
		expect(result.figures.rejectedPins).toEqual([{ personId: person.emil, clubId: club['Leerer Stand']!.id, reason: 'club_full' }]);
		expectFeasible(slots, chairsById);
		// Changing a rule replaces it; removing it leaves none.
		expect(await matching.setRule(db, coordinator, marketId, person.emil!, club['Leerer Stand']!.id, null, t0)).toMatchObject({ ok: true });
		const shown = await matching.preview(db, coordinator, marketId);
		expect(shown.ok && shown.rules.map((r) => [r.person, r.club, r.kind])).toEqual([
			['anna', 'Bergrettung', 'ban'],
			['ben', 'Chor', 'pin']
		]);
	});

	it('refuses a coordinator of another municipality', async () => {
		const runsBefore = matchingRunsTotal.get({ kind: 'market' });
		expect(await matching.run(db, otherCoordinator, marketId, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(matchingRunsTotal.get({ kind: 'market' })).toBe(runsBefore);
		expect(await matching.preview(db, otherCoordinator, marketId)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await matching.publish(db, otherCoordinator, marketId, ctx, t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await matching.setRule(db, otherCoordinator, marketId, person.anna!, club.Chor!.id, 'pin', t0)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await matching.timetable(db, otherCoordinator, marketId)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await matching.run(db, null, marketId, t0)).toEqual({ ok: false, problem: 'forbidden' });
	});

	it('publishes: mails each placed person their plan with calendar entries, and later only those whose plan changed', async () => {
		await matching.run(db, coordinator, marketId, t0);
		const first = await matching.publish(db, coordinator, marketId, ctx, later(2));
		if (!first.ok) throw new Error(first.problem);
		expect(await matching.publish(db, coordinator, marketId, ctx, later(3))).toEqual({ ok: false, problem: 'no_draft' });
		const mails = async (planId: string) =>
			db.selectFrom('outbox').select(['recipient', 'subject', 'text_body', 'attachments', 'locale']).where('template', '=', 'match-plan').where('idempotency_key', 'like', `match-plan:${planId}:%`).execute();
		const firstMails = await mails(first.planId);
		// Everyone placed, not Dana (nothing to tell her either time).
		expect(firstMails.map((m) => m.recipient).sort()).toEqual(['anna@example.org', 'ben@example.org', 'cem@example.org', 'en.emil@example.org']);
		expect(first.notified).toBe(4);
		const ben = firstMails.find((m) => m.recipient === 'ben@example.org')!;
		expect(ben.subject).toBe('Ihr Gesprächsplan: Markt');
		expect(ben.text_body).toContain('Chor (Stand A');
		expect(ben.text_body).toMatch(/1[01]:[0-9]{2}–1[01]:[0-9]{2} Uhr · Chor/);
		expect(ben.text_body).toContain('Warum: Gemeinsame Sprache: Deutsch');
		const emil = firstMails.find((m) => m.recipient === 'en.emil@example.org')!;
		expect(emil.subject).toBe('Your conversation plan: Markt');
		const benPlan = await matching.personPlan(db, marketId, person.ben!);
		const ics = (JSON.parse(ben.attachments!) as { content: string; contentType: string }[])[0]!;
		expect(ics.contentType).toContain('method=REQUEST');
		const vevents = new ICAL.Component(ICAL.parse(ics.content)).getAllSubcomponents('vevent');
		expect(vevents.length).toBe(benPlan!.slots.length);
		const benUids = vevents.map((v) => String(v.getFirstPropertyValue('uid'))).sort();
		expect(benUids.every((uid) => uid.startsWith(`match-${marketId}-${person.ben}-club-`))).toBe(true);
		expect(vevents.map((v) => String(v.getFirstPropertyValue('summary'))).some((s) => s.startsWith('Chor · Stand A'))).toBe(true);

		// The reminders now list the conversations.
		const reminder = await db.selectFrom('outbox').select('text_body').where('template', '=', 'event-reminder').where('recipient', '=', 'ben@example.org').where('status', '=', 'pending').executeTakeFirst();
		expect(reminder?.text_body).toContain('Ihre Gespräche:');
		expect(reminder?.text_body).toMatch(/\d{2}:\d{2} · Chor \(Stand A\d\)/);

		// Ben is now banned everywhere: he loses every conversation, others may move.
		const before = new Map<string, string>();
		for (const id of Object.values(person)) before.set(id, JSON.stringify((await matching.personPlan(db, marketId, id))!.slots.map((s) => [s.clubId, s.round])));
		await matching.setRule(db, coordinator, marketId, person.ben!, club.Chor!.id, null, t0);
		for (const name of ['Bergrettung', 'Chor', 'Tafel', 'Leerer Stand']) await matching.setRule(db, coordinator, marketId, person.ben!, club[name]!.id, 'ban', t0);
		const rerun = await matching.run(db, coordinator, marketId, later(4));
		if (!rerun.ok) throw new Error(rerun.problem);
		expect(rerun.figures.unplaced).toContainEqual({ personId: person.ben, reason: 'banned' });
		const second = await matching.publish(db, coordinator, marketId, ctx, later(5));
		if (!second.ok) throw new Error(second.problem);
		const changed: string[] = [];
		for (const [name, id] of Object.entries(person)) {
			const after = JSON.stringify((await matching.personPlan(db, marketId, id))!.slots.map((s) => [s.clubId, s.round]));
			if (after !== before.get(id)) changed.push(name);
		}
		expect(changed).toContain('ben');
		const secondMails = await mails(second.planId);
		expect(secondMails.map((m) => m.recipient.replace(/@.*/, '').replace('en.', '')).sort()).toEqual(changed.sort());
		expect(second.notified).toBe(changed.length);
		const benUpdate = secondMails.find((m) => m.recipient === 'ben@example.org')!;
		expect(benUpdate.subject).toBe('Ihr Gesprächsplan hat sich geändert: Markt');
		expect(benUpdate.text_body).toContain('kein Gespräch fest zuteilen');
		// His calendar entries are cancelled under the same UIDs.
		const cancel = (JSON.parse(benUpdate.attachments!) as { content: string; contentType: string }[]).find((a) => a.contentType.includes('CANCEL'))!;
		const cancelled = new ICAL.Component(ICAL.parse(cancel.content)).getAllSubcomponents('vevent');
		expect(cancelled.map((v) => String(v.getFirstPropertyValue('uid'))).sort()).toEqual(benUids);
		expect(cancelled.every((v) => Number(v.getFirstPropertyValue('sequence')) === 2)).toBe(true);
		const statuses = await db.selectFrom('match_plan').select(['id', 'status']).where('event_id', '=', marketId).execute();
		expect(statuses.find((p) => p.id === first.planId)?.status).toBe('superseded');
		expect(statuses.find((p) => p.id === second.planId)?.status).toBe('published');
	});

	it('mails each club who comes when on publishing, and after a change only the clubs whose schedule changed', async () => {
		const clubMails = async (planId: string) =>
			db.selectFrom('outbox').select(['recipient', 'subject', 'text_body']).where('template', '=', 'club-schedule').where('idempotency_key', 'like', `club-schedule:${planId}:%`).execute();
		/** Per club contact address: who comes in which round. */
		const schedules = async (planId: string) => {
			const rows = await db.selectFrom('match_slot').innerJoin('club', 'club.id', 'match_slot.club_id').select(['club.contact_email', 'match_slot.person_id', 'match_slot.round']).where('plan_id', '=', planId).execute();
			const byClub = new Map<string, string[]>();
			for (const r of rows) byClub.set(r.contact_email, [...(byClub.get(r.contact_email) ?? []), `${r.person_id}@${r.round}`].sort());
			return byClub;
		};
		const plans = async () => db.selectFrom('match_plan').select('id').where('event_id', '=', marketId).where('published_at', 'is not', null).orderBy('published_at').execute();

		// The first publication (previous test) told every club with people.
		const [firstPlan] = await plans();
		const firstSchedules = await schedules(firstPlan!.id);
		const firstMails = await clubMails(firstPlan!.id);
		expect(firstMails.map((m) => m.recipient).sort()).toEqual([...firstSchedules.keys()].sort());
		const chor = firstMails.find((m) => m.recipient === 'chor@verein.example')!;
		expect(chor.subject).toBe('Wer zu Ihnen kommt: Markt');
		expect(chor.text_body).toMatch(/Runde \d, \d{2}:\d{2}–\d{2}:\d{2}/);
		expect(chor.text_body).toContain(`/club/${club.Chor!.id}/matching/${marketId}`);
		// One line per person, with the address only of those who consented (anna, cem).
		const lines = chor.text_body.split('\n\n').filter((line) => /^\S+ · /.test(line));
		expect(lines.length).toBe(firstSchedules.get('chor@verein.example')!.length);
		for (const line of lines) {
			const name = line.split(' · ')[0]!;
			if (['anna', 'cem'].includes(name)) expect(line).toContain(`· ${name}@example.org — Warum: `);
			else expect(line).toBe(`${name} · – (keine Einwilligung)`);
		}

		// Ben's bans go again: only the clubs whose people or rounds change hear of it.
		for (const name of ['Bergrettung', 'Chor', 'Tafel', 'Leerer Stand']) await matching.setRule(db, coordinator, marketId, person.ben!, club[name]!.id, null, t0);
		await matching.run(db, coordinator, marketId, later(6));
		const next = await matching.publish(db, coordinator, marketId, ctx, later(7));
		if (!next.ok) throw new Error(next.problem);
		const all = await plans();
		const [before, after] = [await schedules(all.at(-2)!.id), await schedules(next.planId)];
		const changed = [...new Set([...before.keys(), ...after.keys()])].filter((c) => JSON.stringify(before.get(c) ?? []) !== JSON.stringify(after.get(c) ?? [])).sort();
		expect(changed.length).toBeGreaterThan(0);
		const nextMails = await clubMails(next.planId);
		expect(nextMails.map((m) => m.recipient).sort()).toEqual(changed);
		expect(next.clubsNotified).toBe(changed.length);
		expect(nextMails.every((m) => m.subject === 'Der Gesprächsplan hat sich geändert: Markt')).toBe(true);

		// Back to the plan without Ben for the tests after this one.
		for (const name of ['Bergrettung', 'Chor', 'Tafel', 'Leerer Stand']) await matching.setRule(db, coordinator, marketId, person.ben!, club[name]!.id, 'ban', t0);
		await matching.run(db, coordinator, marketId, later(8));
		expect(await matching.publish(db, coordinator, marketId, ctx, later(9))).toMatchObject({ ok: true });
	});

	it('shows a club who is coming, with email addresses only of those who consented', async () => {
		const plan = await matching.preview(db, coordinator, marketId);
		if (!plan.ok) throw new Error(plan.problem);
		const chor = club.Chor!;
		const own = await matching.eventsForClub(db, chor.admin, chor.id);
		expect(own.ok && own.items.map((i) => i.eventId)).toEqual([marketId]);
		const view = await matching.planForClub(db, chor.admin, chor.id, marketId);
		if (!view.ok) throw new Error(view.problem);
		const people = view.rounds.flatMap((r) => r.people);
		expect(people.length).toBeGreaterThan(0);
		for (const p of people) {
			if (p.name === 'anna' || p.name === 'cem') {
				expect(p.email).toBe(`${p.name}@example.org`);
				expect(p.reasons.length).toBeGreaterThan(0);
			} else {
				expect(p.email).toBeNull();
				expect(p.reasons).toEqual([]);
			}
		}
		expect(view.place).toMatch(/^A\d$/);
		// Another club's member sees nothing of it.
		expect(await matching.planForClub(db, club.Tafel!.admin, chor.id, marketId)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await matching.eventsForClub(db, club.Tafel!.admin, chor.id)).toEqual({ ok: false, problem: 'forbidden' });
		// Nor does a coordinator reviewing the club: the club's view is for its members.
		expect(await matching.eventsForClub(db, otherCoordinator, chor.id)).toEqual({ ok: false, problem: 'forbidden' });
		expect(await matching.planForClub(db, coordinator, chor.id, marketId)).toEqual({ ok: false, problem: 'forbidden' });
	});

	it('exports the person’s conversations with their data, and erases them with it', async () => {
		const registration = await db.selectFrom('registration').select('id').where('person_id', '=', person.anna!).where('event_id', '=', marketId).executeTakeFirstOrThrow();
		const { manageToken } = await import('../../src/lib/server/registrations/links');
		const token = manageToken(ctx, registration.id);
		const exported = await registrations.exportData(db, token);
		const plan = (await matching.personPlan(db, marketId, person.anna!))!;
		expect(exported?.conversations.map((c) => c.club).sort()).toEqual(plan.slots.map((s) => s.club).sort());
		expect(plan.slots.length).toBeGreaterThan(0);

		const emil = await db.selectFrom('registration').select('id').where('person_id', '=', person.emil!).where('event_id', '=', marketId).executeTakeFirstOrThrow();
		expect((await matching.personPlan(db, marketId, person.emil!))!.slots.length).toBeGreaterThan(0);
		await registrations.deleteData(db, manageToken(ctx, emil.id), ctx, t0);
		expect((await matching.personPlan(db, marketId, person.emil!))!.slots).toEqual([]);
		expect(await db.selectFrom('match_rule').select('id').where('person_id', '=', person.emil!).execute()).toEqual([]);
	});

	it('prints a master timetable: rounds × stalls', async () => {
		const table = await matching.timetable(db, coordinator, marketId);
		if (!table.ok) throw new Error(table.problem);
		expect(table.status).toBe('published');
		expect(table.rounds.length).toBe(2);
		expect(table.places.map((p) => p.club)).toEqual(['Bergrettung', 'Chor', 'Tafel', 'Leerer Stand']);
		const names = table.rounds.flatMap((r) => Object.values(r.cells).flat());
		expect(names).toContain('anna');
		expect(names).not.toContain('ben');
	});

	it('keeps a past conversation for the figures when the person is erased afterwards, without reasons or name', async () => {
		const published = (await matching.personPlan(db, marketId, person.anna!))!;
		expect(published.slots.length).toBeGreaterThan(0);
		const registration = await db.selectFrom('registration').select('id').where('person_id', '=', person.anna!).where('event_id', '=', marketId).executeTakeFirstOrThrow();
		const { manageToken } = await import('../../src/lib/server/registrations/links');
		const afterTheEvent = new Date('2027-06-01T09:00:00.000Z');
		await registrations.deleteData(db, manageToken(ctx, registration.id), ctx, afterTheEvent);
		const plan = await db.selectFrom('match_plan').select('id').where('event_id', '=', marketId).where('status', '=', 'published').executeTakeFirstOrThrow();
		const kept = await db.selectFrom('match_slot').select(['reasons']).where('plan_id', '=', plan.id).where('person_id', '=', person.anna!).execute();
		expect(kept).toHaveLength(published.slots.length);
		expect(kept.every((slot) => slot.reasons === '[]')).toBe(true);
	});

	describe('bad input still gives a plan', () => {
		it('an empty event', async () => {
			const eventId = await createEvent('Leerer Markt');
			const result = await matching.run(db, coordinator, eventId, t0);
			expect(result).toMatchObject({ ok: true, figures: { people: 0, clubs: 0, slots: 0, unplaced: [], averageScore: 0 } });
			expect(await matching.publish(db, coordinator, eventId, ctx, t0)).toMatchObject({ ok: true, notified: 0 });
		});

		it('only clubs without chairs', async () => {
			const eventId = await createEvent('Markt ohne Stühle');
			await withStalls(eventId, { 'Leerer Stand': 0 });
			const id = await confirmed(eventId, 'solo@example.org', { interests: ['sport'] });
			const result = await matching.run(db, coordinator, eventId, t0);
			expect(result).toMatchObject({ ok: true, figures: { people: 1, clubs: 1, slots: 0, unplaced: [{ personId: id, reason: 'no_seats' }] } });
		});

		it('more pins than a person has conversations, and a pin against the language', async () => {
			const eventId = await createEvent('Markt mit Festlegungen');
			await withStalls(eventId, { Bergrettung: 1, Chor: 1, Tafel: 1 });
			await matching.saveSettings(db, coordinator, eventId, { k: 2, rounds: 2, roundMinutes: 15, firstRoundAt: null, tableSeats: 6 }, t0);
			const pia = await confirmed(eventId, 'pia@example.org', { interests: ['kultur'], languages: ['de'] });
			const tuna = await confirmed(eventId, 'tuna@example.org', { interests: ['soziales'], languages: ['tr'] });
			// Pins count in the order they were made: the third one is one too many.
			for (const [i, name] of ['Bergrettung', 'Chor', 'Tafel'].entries()) expect(await matching.setRule(db, coordinator, eventId, pia, club[name]!.id, 'pin', later(i))).toMatchObject({ ok: true });
			// Tuna shares no language with the Bergrettung: the coordinator may still pin them together.
			await matching.setRule(db, coordinator, eventId, tuna, club.Bergrettung!.id, 'pin', later(3));
			const result = await matching.run(db, coordinator, eventId, t0);
			if (!result.ok) throw new Error(result.problem);
			expect(result.figures.rejectedPins).toEqual([{ personId: pia, clubId: club.Tafel!.id, reason: 'person_full' }]);
			const slots = await draftSlots(result.planId);
			expect(slots.filter((s) => s.person_id === pia).map((s) => s.club_id).sort()).toEqual([club.Bergrettung!.id, club.Chor!.id].sort());
			expect(slots.some((s) => s.person_id === tuna && s.club_id === club.Bergrettung!.id)).toBe(true);
			expectFeasible(slots, { [club.Bergrettung!.id]: 1, [club.Chor!.id]: 1, [club.Tafel!.id]: 1 });
		});

		it('more people than all seats together', async () => {
			const eventId = await createEvent('Voller Markt');
			await withStalls(eventId, { Chor: 1 });
			await matching.saveSettings(db, coordinator, eventId, { k: 3, rounds: 1, roundMinutes: 20, firstRoundAt: new Date('2027-05-08T09:00:00Z'), tableSeats: 6 }, t0);
			for (const name of ['x1', 'x2', 'x3']) await confirmed(eventId, `${name}@example.org`, { interests: ['kultur'] });
			const result = await matching.run(db, coordinator, eventId, t0);
			if (!result.ok) throw new Error(result.problem);
			expect(result.figures).toMatchObject({ k: 1, people: 3, slots: 1, coverage: [1] });
			expect(result.figures.unplaced.map((u) => u.reason)).toEqual(['capacity', 'capacity']);
			const slots = await draftSlots(result.planId);
			expect(new Date(slots[0]!.starts_at as string | Date).toISOString()).toBe('2027-05-08T09:00:00.000Z');
		});
	});

	it('seats a Gesprächsrunde at the tables of the host municipality’s clubs', async () => {
		const eventId = await createEvent('Gesprächsrunde', 'round_table');
		await matching.saveSettings(db, coordinator, eventId, { k: 3, rounds: 2, roundMinutes: 30, firstRoundAt: null, tableSeats: 2 }, t0);
		for (const name of ['r1', 'r2', 'r3', 'r4', 'r5']) await confirmed(eventId, `${name}@example.org`, { interests: ['kultur', 'sport'] });
		const result = await matching.run(db, coordinator, eventId, t0);
		if (!result.ok) throw new Error(result.problem);
		expect(result.figures).toMatchObject({ kind: 'round_table', people: 5, clubs: 4 });
		expect(result.figures.tables).not.toBeNull();
		const slots = await draftSlots(result.planId);
		expectFeasible(slots, Object.fromEntries(Object.values(club).map((c) => [c.id, 2])), false);
		expect(slots.length).toBeGreaterThan(0);
	});

	it('updates a published Gesprächsrunde: everyone keeps their seats, a late registration takes free ones and alone is mailed', async () => {
		const eventId = await createEvent('Gesprächsrunde zum Aktualisieren', 'round_table');
		await matching.saveSettings(db, coordinator, eventId, { k: 3, rounds: 2, roundMinutes: 30, firstRoundAt: null, tableSeats: 3 }, t0);
		for (const name of ['t1', 't2', 't3', 't4']) await confirmed(eventId, `${name}@example.org`, { interests: ['kultur', 'sport'] });
		const fresh = await matching.run(db, coordinator, eventId, t0);
		if (!fresh.ok) throw new Error(fresh.problem);
		const first = await matching.publish(db, coordinator, eventId, ctx, later(1));
		if (!first.ok) throw new Error(first.problem);
		const seats = async (planId: string) => new Map((await draftSlots(planId)).map((s) => [`${s.person_id}@${s.round}`, s.club_id]));
		const before = await seats(first.planId);

		await confirmed(eventId, 'spaet@example.org', { interests: ['kultur', 'sport'] });
		const requested = await jobs.requestPlan(db, coordinator, eventId, 'update', later(2));
		if (!requested.ok) throw new Error(requested.problem);
		const claimed = (await jobs.claimNext(db, 'inline', later(2)))!;
		expect(claimed).toMatchObject({ eventId, mode: 'update' });
		const outcome = await jobs.executeJob(db, claimed, 'inline', () => {});
		if (!outcome.stored) throw new Error(outcome.why);
		const figures = (await matching.planFigures(db, outcome.planId))!;
		const late = (await db.selectFrom('person').select('id').where('email', '=', 'spaet@example.org').executeTakeFirstOrThrow()).id;
		expect(figures.changes).toEqual([expect.objectContaining({ personId: late, before: [], reasons: ['new'] })]);
		const after = await seats(outcome.planId);
		for (const [seat, clubId] of before) expect(after.get(seat)).toBe(clubId);
		expect([...after.keys()].filter((seat) => seat.startsWith(`${late}@`))).toHaveLength(2);

		const second = await matching.publish(db, coordinator, eventId, ctx, later(3));
		if (!second.ok) throw new Error(second.problem);
		expect(second.notified).toBe(1);
		const lateClubs = new Set([...after].filter(([seat]) => seat.startsWith(`${late}@`)).map(([, clubId]) => clubId));
		expect(second.clubsNotified).toBe(lateClubs.size);
	});

	it('rotates a Gesprächsrunde: 3 people, 6 rounds, everyone at every fitting table, no table left empty', async () => {
		const eventId = await createEvent('Gesprächsrunde mit Rotation', 'round_table');
		expect(await matching.saveSettings(db, coordinator, eventId, { k: 3, rounds: 6, roundMinutes: 20, firstRoundAt: null, tableSeats: 6 }, t0)).toEqual({ ok: true });
		const ids = [];
		for (const name of ['rot1', 'rot2', 'rot3']) ids.push(await confirmed(eventId, `${name}@example.org`, { interests: ['sport'], languages: ['de'] }));
		const result = await matching.run(db, coordinator, eventId, t0);
		if (!result.ok) throw new Error(result.problem);
		const slots = await draftSlots(result.planId);
		expectFeasible(slots, Object.fromEntries(Object.values(club).map((c) => [c.id, 6])), false);
		const tables = Object.values(club).map((c) => c.id);
		for (const id of ids) {
			const mine = slots.filter((s) => s.person_id === id);
			expect(mine).toHaveLength(6);
			// Four fitting tables, six rounds: every table once, two of them a second time.
			expect(new Set(mine.map((s) => s.club_id))).toEqual(new Set(tables));
		}
		for (let round = 0; round < 6; round++) {
			const inRound = slots.filter((s) => s.round === round);
			expect(new Set(inRound.map((s) => s.club_id)).size, `round ${round} at one table`).toBeGreaterThan(1);
		}
		for (const load of result.figures.load) expect(load.assigned).toBeGreaterThan(0);
		expect(result.figures.coverage).toEqual([3, 3, 3]);
		expect(result.figures.tables!.repeatedEncounters).toBeLessThan(15);
		// Four tables for six rounds: all three are named, in no particular order (they registered at once).
		expect(result.figures.fewTables?.map((f) => f.personId).sort()).toEqual([...ids].sort());
		for (const few of result.figures.fewTables ?? []) expect([...few.clubIds].sort()).toEqual([...tables].sort());
		expect(result.figures.suggestedRounds).toBe(4);
	});

	it('names who fits only one table and suggests fewer rounds', async () => {
		const eventId = await createEvent('Gesprächsrunde, eine Sprache', 'round_table');
		await matching.saveSettings(db, coordinator, eventId, { k: 3, rounds: 3, roundMinutes: 20, firstRoundAt: null, tableSeats: 6 }, t0);
		const turkish = await confirmed(eventId, 'tr.only@example.org', { interests: ['soziales'], languages: ['tr'] });
		const german = await confirmed(eventId, 'de.only@example.org', { interests: ['sport'], languages: ['de'] });
		const result = await matching.run(db, coordinator, eventId, t0);
		if (!result.ok) throw new Error(result.problem);
		expect(result.figures.fewTables).toEqual([{ personId: turkish, clubIds: [club.Tafel!.id] }]);
		expect(result.figures.suggestedRounds).toBe(1);
		const slots = await draftSlots(result.planId);
		expect(new Set(slots.filter((s) => s.person_id === german).map((s) => s.club_id)).size).toBe(3);
		const preview = await matching.preview(db, coordinator, eventId);
		if (!preview.ok) throw new Error(preview.problem);
		expect(preview.names.people[turkish]).toBe('tr.only');
	});
});

describe.each(dialects)('matching the demo data on %s', (dialect) => {
	let test: TestDatabase;
	beforeAll(async () => {
		test = await createTestDatabase(dialect);
	});
	afterAll(() => test.destroy());

	it('seeds a market ready to match, and leaves the big market empty', async () => {
		const { seedDemo } = await import('../../src/lib/server/demo');
		expect(await seedDemo(test.db, new Date(), 'https://x.example')).toBe(true);
		const event = await test.db.selectFrom('event').select('id').where('title', '=', 'Vereinsbörse Imst – Gespräche am Stand').executeTakeFirstOrThrow();
		const big = await test.db.selectFrom('event').select(['id', 'confirmed_count']).where('title', '=', 'Markt der Möglichkeiten Imst').executeTakeFirstOrThrow();
		expect(big.confirmed_count).toBe(0);
		expect(await test.db.selectFrom('stall_request').select('id').where('event_id', '=', big.id).execute()).toEqual([]);
		const user = await test.db.selectFrom('user').select('id').where('email', '=', 'koordination@imst.example').executeTakeFirstOrThrow();
		const coordinator = (await findSessionUser(test.db, user.id))!;
		const result = await matching.run(test.db, coordinator, event.id, new Date());
		if (!result.ok) throw new Error(result.problem);
		expect(result.figures).toMatchObject({ people: 6, clubs: 2 });
		expect(result.figures.slots).toBeGreaterThanOrEqual(6);
		expect(await test.db.selectFrom('outbox').select('id').execute()).toEqual([]);
	});
});
