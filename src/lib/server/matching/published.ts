import { toDate, toDateOrNull, type Db } from '../db/schema';
import type { Reason } from '../../matching/scoring';
import type { ReminderMatch } from '../mail/templates';
import { placeLabel } from '../../match-format';
import { isLocale } from '../../paraglide/runtime';

// Reading plans back. Kept apart from the service so reminders can read the published plan
// without importing the service that schedules them.

export interface StoredSlot {
	personId: string;
	clubId: string;
	club: string;
	round: number | null;
	place: string;
	startsAt: Date | null;
	endsAt: Date | null;
	score: number;
	reasons: Reason[];
}

export async function publishedPlan(db: Db, eventId: string): Promise<{ id: string; publishedAt: Date | null } | null> {
	const row = await db.selectFrom('match_plan').select(['id', 'published_at']).where('event_id', '=', eventId).where('status', '=', 'published').executeTakeFirst();
	return row ? { id: row.id, publishedAt: toDateOrNull(row.published_at) } : null;
}

function parseReasons(json: string): Reason[] {
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? (value as Reason[]) : [];
	} catch {
		return [];
	}
}

/** A plan's slots by round, then stall or table. */
export async function slotsOf(db: Db, planId: string, personId?: string): Promise<StoredSlot[]> {
	let query = db
		.selectFrom('match_slot')
		.innerJoin('club', 'club.id', 'match_slot.club_id')
		.select(['match_slot.person_id', 'match_slot.club_id', 'club.name', 'match_slot.round', 'match_slot.place_label', 'match_slot.starts_at', 'match_slot.ends_at', 'match_slot.score', 'match_slot.reasons'])
		.where('match_slot.plan_id', '=', planId);
	if (personId) query = query.where('match_slot.person_id', '=', personId);
	const rows = await query.execute();
	return rows
		.map((r) => ({
			personId: r.person_id,
			clubId: r.club_id,
			club: r.name,
			round: r.round,
			place: r.place_label,
			startsAt: r.starts_at === null ? null : toDate(r.starts_at),
			endsAt: r.ends_at === null ? null : toDate(r.ends_at),
			score: r.score,
			reasons: parseReasons(r.reasons)
		}))
		.sort((a, b) => (a.round ?? 0) - (b.round ?? 0) || a.place.localeCompare(b.place, 'de', { numeric: true }) || a.club.localeCompare(b.club, 'de'));
}

/** The person's conversations in the published plan; null while nothing is published. */
export async function personPlan(db: Db, eventId: string, personId: string): Promise<{ publishedAt: Date | null; slots: StoredSlot[] } | null> {
	const plan = await publishedPlan(db, eventId);
	if (!plan) return null;
	return { publishedAt: plan.publishedAt, slots: await slotsOf(db, plan.id, personId) };
}

/** The `matchesFor` hook of reminders: each registration's published conversations. */
export async function matchesForEvent(db: Db, eventId: string): Promise<((registrationId: string) => Promise<ReminderMatch[]>) | undefined> {
	const plan = await publishedPlan(db, eventId);
	if (!plan) return undefined;
	const rows = await db
		.selectFrom('match_slot')
		.innerJoin('club', 'club.id', 'match_slot.club_id')
		.innerJoin('registration', (join) => join.onRef('registration.person_id', '=', 'match_slot.person_id').on('registration.event_id', '=', eventId))
		.innerJoin('person', 'person.id', 'match_slot.person_id')
		.innerJoin('event', 'event.id', 'registration.event_id')
		.select(['registration.id', 'club.name', 'match_slot.place_label', 'match_slot.starts_at', 'person.locale', 'event.kind'])
		.where('match_slot.plan_id', '=', plan.id)
		.where('match_slot.starts_at', 'is not', null)
		.orderBy('match_slot.starts_at')
		.execute();
	const byRegistration = new Map<string, ReminderMatch[]>();
	for (const r of rows) {
		const list = byRegistration.get(r.id) ?? [];
		const locale = isLocale(r.locale) ? r.locale : 'de';
		list.push({ club: r.name, startsAt: toDate(r.starts_at!).toISOString(), where: placeLabel(r.kind, r.place_label, locale) || '–' });
		byRegistration.set(r.id, list);
	}
	return async (registrationId) => byRegistration.get(registrationId) ?? [];
}
