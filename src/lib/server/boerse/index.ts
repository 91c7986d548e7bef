import type { Viewer } from '../auth/users';
import { toDate, type Db } from '../db/schema';
import { vocabularyLabel } from '../../vocabulary';
import { suppress, type Figure } from '../reports/suppress';

// The Ehrenamtsbörse at a glance for one municipality: what is on offer, what it led to, and what
// people ask for that nobody offers. Counts of people are suppressed below 5 as in the reports;
// counts of offers never are.

export interface OfferFigures {
	id: string;
	title: string;
	club: string;
	contacts: Figure;
	trying: Figure;
	joined: Figure;
}

export interface DemandFigure {
	label: string;
	/** People of the municipality naming it in their profile. */
	people: Figure;
	/** Open offers asking for it (an interest area) or needing it (a competence). */
	offers: number;
}

/** Places filled per shift of an Einsatz. */
export interface ShiftFill {
	task: string;
	startsAt: Date;
	places: number;
	filled: number;
}

export interface BoerseOverview {
	offers: OfferFigures[];
	interests: DemandFigure[];
	competences: DemandFigure[];
	shifts: ShiftFill[];
}

/** Places filled per shift of the municipality's published Einsätze that have not ended, soonest first. */
export async function shiftsOf(db: Db, municipalityId: string, now: Date): Promise<ShiftFill[]> {
	const rows = await db
		.selectFrom('event')
		.innerJoin('task', 'task.id', 'event.task_id')
		.select(['task.title', 'event.starts_at', 'event.capacity', 'event.confirmed_count'])
		.where('task.municipality_id', '=', municipalityId)
		.where('task.status', '=', 'published')
		.where('event.status', '=', 'published')
		.where('event.ends_at', '>=', now.toISOString())
		.orderBy('event.starts_at')
		.orderBy('event.id')
		.execute();
	return rows.map((r) => ({ task: r.title, startsAt: toDate(r.starts_at), places: Number(r.capacity), filled: Number(r.confirmed_count) }));
}

const byDemand = (a: { count: number; label: string }, b: { count: number; label: string }) => b.count - a.count || a.label.localeCompare(b.label, 'de');

export async function overview(db: Db, viewer: Viewer, municipalityId: string, locale: string, now = new Date()): Promise<{ ok: true; overview: BoerseOverview } | { ok: false; problem: 'forbidden' }> {
	if (!viewer.isPlatformAdmin && !viewer.municipalityIds.includes(municipalityId)) return { ok: false, problem: 'forbidden' };
	const offerRows = await db
		.selectFrom('offer')
		.innerJoin('club', 'club.id', 'offer.club_id')
		.select(['offer.id', 'offer.title', 'club.name as club'])
		.where('club.municipality_id', '=', municipalityId)
		.where('club.status', '=', 'approved')
		.where('offer.status', '=', 'published')
		.orderBy('club.name')
		.orderBy('offer.title')
		.execute();
	const offerIds = offerRows.map((o) => o.id);
	const leads = offerIds.length ? await db.selectFrom('lead').select(['offer_id', 'status']).where('offer_id', 'in', offerIds).execute() : [];
	const offers = offerRows.map((o) => {
		const own = leads.filter((l) => l.offer_id === o.id);
		return {
			id: o.id,
			title: o.title,
			club: o.club,
			contacts: suppress(own.length),
			trying: suppress(own.filter((l) => l.status === 'trying').length),
			joined: suppress(own.filter((l) => l.status === 'joined').length)
		};
	});

	// People of the municipality: anyone registered for one of its events, not erased.
	const people = await db
		.selectFrom('person')
		.select(['person.id', 'person.profile'])
		.where('person.anonymised_at', 'is', null)
		.where('person.id', 'in', (eb) =>
			eb
				.selectFrom('registration')
				.innerJoin('event_host', 'event_host.event_id', 'registration.event_id')
				.select('registration.person_id')
				.where('event_host.municipality_id', '=', municipalityId)
				.where('registration.status', 'not in', ['expired', 'pending'])
		)
		.execute();

	const tags = await db.selectFrom('tag').select(['id', 'slug', 'label_de', 'label_en']).execute();
	const personIds = people.map((p) => p.id);
	const personTags = personIds.length ? await db.selectFrom('person_tag').select(['person_id', 'tag_id']).where('person_id', 'in', personIds).execute() : [];
	const offerTags = offerIds.length ? await db.selectFrom('offer_tag').select(['offer_id', 'tag_id']).where('offer_id', 'in', offerIds).execute() : [];
	const interests = tags
		.map((t) => ({
			label: vocabularyLabel('tag', t.slug, { de: t.label_de, en: t.label_en }, locale),
			count: new Set(personTags.filter((p) => p.tag_id === t.id).map((p) => p.person_id)).size,
			offers: new Set(offerTags.filter((o) => o.tag_id === t.id).map((o) => o.offer_id)).size
		}))
		.filter((t) => t.count > 0)
		.sort(byDemand)
		.map(({ label, count, offers }) => ({ label, people: suppress(count), offers }));

	const competenceRows = await db.selectFrom('competence').select(['id', 'slug', 'label_de', 'label_en']).where('municipality_id', '=', municipalityId).execute();
	const offerCompetences = offerIds.length ? await db.selectFrom('offer_competence').select(['offer_id', 'competence_id']).where('offer_id', 'in', offerIds).execute() : [];
	const slugsOf = (profile: string): string[] => {
		try {
			const parsed = JSON.parse(profile) as { competences?: unknown };
			return Array.isArray(parsed.competences) ? parsed.competences.filter((s): s is string => typeof s === 'string') : [];
		} catch {
			return [];
		}
	};
	const personSlugs = people.map((p) => new Set(slugsOf(p.profile)));
	const competences = competenceRows
		.map((c) => ({
			label: vocabularyLabel('competence', c.slug, { de: c.label_de, en: c.label_en }, locale),
			count: personSlugs.filter((s) => s.has(c.slug)).length,
			offers: new Set(offerCompetences.filter((o) => o.competence_id === c.id).map((o) => o.offer_id)).size
		}))
		.filter((c) => c.count > 0)
		.sort(byDemand)
		.map(({ label, count, offers }) => ({ label, people: suppress(count), offers }));

	return { ok: true, overview: { offers, interests, competences, shifts: await shiftsOf(db, municipalityId, now) } };
}
