import type { Db } from '../db/schema';
import { calendar, type CalendarEvent, type CalendarMethod } from '../calendar';
import * as events from '../events';
import * as outbox from '../mail/outbox';
import { vocabularyLabel } from '../../vocabulary';
import { toLocale, type ClubScheduleRound, type MatchPlanSlot } from '../mail/templates';
import { eventFacts, participantHeaders, participantMail } from '../registrations/mail';
import type { LinkContext } from '../registrations/links';
import { manageUrl } from '../registrations/links';
import type { Locale } from '../../paraglide/runtime';
import { placeLabel, reasonText } from '../../match-format';
import { defaultCompetenceLabel } from '../../competences';
import type { Reason } from '../../matching/scoring';
import * as competences from '../competences';
import { slotsOf, type StoredSlot } from './published';

/** Reasons in the reader's language, with the tags' and the host municipalities' competences' labels. */
export async function reasonWriter(
	db: Db,
	event: Pick<events.EventDetails, 'hosts'>,
	reader: 'person' | 'staff' = 'person'
): Promise<(locale: Locale) => (reason: Reason) => string> {
	const hostIds = event.hosts.map((h) => h.id);
	const [tags, competenceList] = await Promise.all([
		db.selectFrom('tag').select(['slug', 'label_de', 'label_en']).execute(),
		competences.list(db, hostIds, 'de')
	]);
	// The first host's label wins where two hosts name a competence differently (as in `choices`).
	const competenceRows = hostIds.flatMap((id) => competenceList.filter((c) => c.municipalityId === id));
	return (locale) => {
		const tagLabel = (slug: string) => {
			const row = tags.find((t) => t.slug === slug);
			return row ? vocabularyLabel('tag', slug, { de: row.label_de, en: row.label_en }, locale) : slug;
		};
		const competenceLabel = (slug: string) => {
			const row = competenceRows.find((c) => c.slug === slug);
			return row ? vocabularyLabel('competence', slug, { de: row.labelDe, en: row.labelEn }, locale) : defaultCompetenceLabel(slug, locale);
		};
		return (reason) => reasonText(reason, locale, tagLabel, reader, competenceLabel);
	};
}

/** One calendar entry per conversation: stall conversations keep their UID per club, table seats per round. */
function slotKey(kind: string, slot: Pick<StoredSlot, 'clubId' | 'round'>): string {
	return kind === 'market' ? `club-${slot.clubId}` : `round-${slot.round ?? 0}`;
}

function slotUid(eventId: string, personId: string, key: string): string {
	return `match-${eventId}-${personId}-${key}@miteinander`;
}

/** Stable text for comparing a person's (or a club's) plan before and after: who, what, where, when. */
function signature(slots: StoredSlot[]): string {
	return slots
		.map((s) => [s.personId, s.clubId, s.place, s.round ?? '', s.startsAt?.toISOString() ?? '', s.endsAt?.toISOString() ?? ''].join('|'))
		.sort()
		.join('\n');
}

function groupBy(slots: StoredSlot[], key: (slot: StoredSlot) => string): Map<string, StoredSlot[]> {
	const map = new Map<string, StoredSlot[]>();
	for (const slot of slots) map.set(key(slot), [...(map.get(key(slot)) ?? []), slot]);
	return map;
}

/** Whose slots differ between the two plans, grouped by `key` (person or club). */
function changedGroups(current: StoredSlot[], previous: StoredSlot[], key: (slot: StoredSlot) => string) {
	const after = groupBy(current, key);
	const before = groupBy(previous, key);
	const changed = [...new Set([...after.keys(), ...before.keys()])].filter((id) => signature(after.get(id) ?? []) !== signature(before.get(id) ?? []));
	return { after, before, changed };
}

async function planSlots(db: Db, plans: { planId: string; previousPlanId: string | null }): Promise<[StoredSlot[], StoredSlot[]]> {
	return Promise.all([slotsOf(db, plans.planId), plans.previousPlanId ? slotsOf(db, plans.previousPlanId) : Promise.resolve([])]);
}

interface CalendarPerson {
	id: string;
	name: string;
	email: string;
	locale: Locale;
}

function calendarEntries(
	event: events.EventDetails,
	person: CalendarPerson,
	slots: StoredSlot[],
	sequence: number,
	links: { origin: string; manageUrl: string },
	reason: (reason: Reason) => string
): CalendarEvent[] {
	return slots
		.filter((s) => s.startsAt && s.endsAt)
		.map((s) => ({
			uid: slotUid(event.id, person.id, slotKey(event.kind, s)),
			sequence,
			title: `${s.club} · ${placeLabel(event.kind, s.place, person.locale)} · ${event.title}`,
			description: [...s.reasons.map(reason), links.manageUrl].join('\n'),
			startsAt: s.startsAt!,
			endsAt: s.endsAt!,
			timeZone: event.timeZone,
			location: events.venueLine(event.venue),
			url: links.manageUrl,
			cancelled: false
		}));
}

function attachment(event: events.EventDetails, person: CalendarPerson, entries: CalendarEvent[], method: Exclude<CalendarMethod, 'PUBLISH'>, origin: string) {
	const host = event.hosts[0]?.name ?? 'Miteinander';
	return {
		filename: method === 'CANCEL' ? 'gespraeche-abgesagt.ics' : 'gespraeche.ics',
		contentType: `text/calendar; charset=utf-8; method=${method}`,
		content: calendar(entries, {
			method,
			name: event.title,
			organizer: { name: host, email: `no-reply@${new URL(origin).hostname}` },
			attendee: { name: person.name, email: person.email }
		})
	};
}

/**
 * Mails the new plan to everyone whose conversations differ from the previously published plan.
 * The calendar entries keep their UIDs, so calendars replace them; dropped ones are cancelled.
 */
export async function notifyChanges(
	db: Db,
	event: events.EventDetails,
	plans: { planId: string; previousPlanId: string | null; sequence: number },
	ctx: LinkContext,
	now: Date
): Promise<number> {
	const [current, previous] = await planSlots(db, plans);
	const { after, before, changed } = changedGroups(current, previous, (s) => s.personId);
	if (changed.length === 0) return 0;
	// Only people still taking part: who cancelled has been told already.
	const people = await db
		.selectFrom('registration')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.select(['registration.id as registration_id', 'person.id', 'person.name', 'person.email', 'person.locale'])
		.where('registration.event_id', '=', event.id)
		.where('registration.person_id', 'in', changed)
		.where('registration.status', 'in', ['confirmed', 'attended'])
		.where('person.anonymised_at', 'is', null)
		.execute();
	const reasons = await reasonWriter(db, event);
	let notified = 0;
	for (const row of people) {
		const locale = toLocale(row.locale);
		const person: CalendarPerson = { id: row.id, name: row.name, email: row.email, locale };
		const slots = after.get(row.id) ?? [];
		const dropped = (before.get(row.id) ?? []).filter((old) => !slots.some((s) => slotKey(event.kind, s) === slotKey(event.kind, old)));
		const links = { origin: ctx.origin, manageUrl: manageUrl(ctx, row.registration_id, locale) };
		const reason = reasons(locale);
		const requests = calendarEntries(event, person, slots, plans.sequence, links, reason);
		const cancels = calendarEntries(event, person, dropped, plans.sequence, links, reason);
		const mailSlots: MatchPlanSlot[] = slots.map((s) => ({
			club: s.club,
			place: s.place,
			startsAt: s.startsAt?.toISOString() ?? null,
			endsAt: s.endsAt?.toISOString() ?? null,
			reasons: s.reasons.map(reason)
		}));
		const written = await outbox.enqueue(
			db,
			{
				idempotencyKey: `match-plan:${plans.planId}:${row.id}`,
				recipient: row.email,
				locale,
				template: 'match-plan',
				payload: { ...participantMail(ctx, event, row.registration_id, row.name, locale), kind: event.kind, update: before.has(row.id), slots: mailSlots },
				attachments: [
					...(requests.length ? [attachment(event, person, requests, 'REQUEST', ctx.origin)] : []),
					...(cancels.length ? [attachment(event, person, cancels, 'CANCEL', ctx.origin)] : [])
				],
				headers: participantHeaders(ctx, event, null),
				municipalityId: event.hosts[0]?.id,
				eventId: event.id,
				registrationId: row.registration_id
			},
			now
		);
		if (written) notified++;
	}
	return notified;
}

/**
 * Mails each club whose schedule (who comes when) differs from the previously published plan, at
 * its contact address: names, and email addresses and why they fit only of people who agreed to be
 * introduced (as on the club's page, planForClub).
 * A club that lost everyone hears that too.
 */
export async function notifyClubs(
	db: Db,
	event: events.EventDetails,
	plans: { planId: string; previousPlanId: string | null },
	ctx: LinkContext,
	now: Date
): Promise<number> {
	const [current, previous] = await planSlots(db, plans);
	const { after, before, changed } = changedGroups(current, previous, (s) => s.clubId);
	if (changed.length === 0) return 0;
	const clubs = await db.selectFrom('club').select(['id', 'name', 'contact_email']).where('id', 'in', changed).execute();
	// Club mail is German, like the club's other mail: clubs have no language setting.
	const locale: Locale = 'de';
	const reason = (await reasonWriter(db, event, 'staff'))(locale);
	let notified = 0;
	for (const club of clubs) {
		if (!club.contact_email) continue;
		const slots = after.get(club.id) ?? [];
		const people = slots.length
			? await db.selectFrom('person').select(['id', 'name', 'email', 'consent_introductions', 'anonymised_at']).where('id', 'in', slots.map((s) => s.personId)).execute()
			: [];
		const personById = new Map(people.map((p) => [p.id, p]));
		const rounds: ClubScheduleRound[] = [...groupBy(slots, (s) => String(s.round ?? '')).values()]
			.sort((a, b) => (a[0]!.round ?? 0) - (b[0]!.round ?? 0))
			.map((inRound) => ({
				round: inRound[0]!.round,
				startsAt: inRound[0]!.startsAt?.toISOString() ?? null,
				endsAt: inRound[0]!.endsAt?.toISOString() ?? null,
				people: inRound
					.map((s) => {
						const person = personById.get(s.personId);
						const consented = person && !person.anonymised_at && person.consent_introductions === 1;
						return { name: person && !person.anonymised_at ? person.name : '–', email: consented ? person.email : null, reasons: consented ? s.reasons.map(reason) : [] };
					})
					.sort((a, b) => a.name.localeCompare(b.name, 'de'))
			}));
		const written = await outbox.enqueue(
			db,
			{
				idempotencyKey: `club-schedule:${plans.planId}:${club.id}`,
				recipient: club.contact_email,
				locale,
				template: 'club-schedule',
				payload: {
					club: club.name,
					event: eventFacts(event),
					kind: event.kind,
					update: before.has(club.id),
					place: slots[0]?.place ?? '',
					rounds,
					url: new URL(`/club/${club.id}/matching/${event.id}`, ctx.origin).href
				},
				headers: participantHeaders(ctx, event, null),
				municipalityId: event.hosts[0]?.id,
				eventId: event.id
			},
			now
		);
		if (written) notified++;
	}
	return notified;
}

/** The person's published conversations as a calendar file to download (manage page). */
export async function personCalendar(
	db: Db,
	event: events.EventDetails,
	person: { id: string; name: string; email: string; locale: string },
	slots: StoredSlot[],
	links: { origin: string; manageUrl: string }
): Promise<string> {
	const locale = toLocale(person.locale);
	const published = await db
		.selectFrom('match_plan')
		.select((eb) => eb.fn.countAll<number | string>().as('count'))
		.where('event_id', '=', event.id)
		.where('published_at', 'is not', null)
		.executeTakeFirstOrThrow();
	const reason = (await reasonWriter(db, event))(locale);
	return calendar(calendarEntries(event, { ...person, locale }, slots, Number(published.count), links, reason), { method: 'PUBLISH', name: event.title });
}
