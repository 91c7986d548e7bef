import { toDate, type Db } from '../db/schema';
import { groupBy } from '../matching/problem';
import type { MatchOffer } from '../../matching/scoring';

// Einsätze in the scoring core's shape, so "Passt zu mir" and the alert digests rank them with
// the same core as offers: the task's tags, competences and languages, the times of its open
// shifts still to come (weekdays/weekends, evenings, months, each in its shift's own zone) and its
// municipality.
/** From this local hour on a shift counts as an evening one. */
const EVENING_FROM = 17;

export interface MatchTask {
	id: string;
	clubId: string | null;
	club: string | null;
	municipalityId: string;
	municipality: string;
	/** When it became public (its club's approval, if that came later). */
	publishedAt: Date | null;
	/** Start of the soonest open shift still to come, and the zone it is shown in. */
	nextShiftAt: Date;
	nextShiftTimeZone: string;
	match: MatchOffer;
}

export interface MatchTaskFilter {
	now: Date;
	municipalityIds?: string[];
	/** Only Einsätze published after this instant. */
	publishedAfter?: string;
}

// Read by code, not shown: fixed English weekday names make the parts parseable whatever the reader's language.
const formats = new Map<string, Intl.DateTimeFormat>();

function weekdayFormat(timeZone: string): Intl.DateTimeFormat {
	let format = formats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', hourCycle: 'h23', month: 'numeric' });
		formats.set(timeZone, format);
	}
	return format;
}

export interface ShiftStart {
	at: Date;
	timeZone: string;
}

/** Weekday, hour and month of a shift's start in its own zone. */
function localParts({ at, timeZone }: ShiftStart): { weekend: boolean; hour: number; month: number } {
	const parts = weekdayFormat(timeZone).formatToParts(at);
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	const weekday = get('weekday');
	return { weekend: weekday === 'Sat' || weekday === 'Sun', hour: Number(get('hour')), month: Number(get('month')) };
}

/** What the shifts say about when: any weekday or weekend shift, evenings only when all are, their months. */
export function shiftTimes(starts: ShiftStart[]): Pick<MatchOffer, 'onWeekdays' | 'onWeekends' | 'inEvenings' | 'months' | 'commitment'> {
	const parts = starts.map(localParts);
	return {
		onWeekdays: parts.some((p) => !p.weekend),
		onWeekends: parts.some((p) => p.weekend),
		inEvenings: parts.length > 0 && parts.every((p) => p.hour >= EVENING_FROM),
		months: [...new Set(parts.map((p) => p.month))].sort((a, b) => a - b),
		commitment: starts.length > 1 ? 'occasional' : 'one_off'
	};
}

/**
 * Published Einsätze (of approved clubs, or of a municipality itself) with at least one open shift
 * still to come: published, starting after `now`, places left and sign-up not closed.
 */
export async function loadMatchTasks(db: Db, filter: MatchTaskFilter): Promise<MatchTask[]> {
	const nowIso = filter.now.toISOString();
	if (filter.municipalityIds && filter.municipalityIds.length === 0) return [];
	let query = db
		.selectFrom('task')
		.innerJoin('municipality', 'municipality.id', 'task.municipality_id')
		.leftJoin('club', 'club.id', 'task.club_id')
		.select(['task.id', 'task.title', 'task.languages', 'task.club_id', 'task.published_at', 'club.name as club', 'club.approved_at', 'municipality.id as municipality_id', 'municipality.name as municipality'])
		.where('task.status', '=', 'published')
		.where((eb) => eb.or([eb('task.club_id', 'is', null), eb('club.status', '=', 'approved')]));
	if (filter.municipalityIds) query = query.where('task.municipality_id', 'in', filter.municipalityIds);
	if (filter.publishedAfter) {
		const since = filter.publishedAfter;
		query = query.where((eb) => eb.or([eb('task.published_at', '>', since), eb.and([eb('task.published_at', 'is not', null), eb('club.approved_at', '>', since)])]));
	}
	const rows = await query.orderBy('task.created_at').orderBy('task.id').execute();
	if (rows.length === 0) return [];
	const ids = rows.map((r) => r.id);
	const [shifts, tagRows, competenceRows] = await Promise.all([
		db
			.selectFrom('event')
			.select(['task_id', 'starts_at', 'time_zone'])
			.where('task_id', 'in', ids)
			.where('status', '=', 'published')
			.where('starts_at', '>', nowIso)
			.whereRef('confirmed_count', '<', 'capacity')
			.where((eb) => eb.or([eb('registration_closes_at', 'is', null), eb('registration_closes_at', '>', nowIso)]))
			.orderBy('starts_at')
			.execute(),
		db.selectFrom('task_tag').innerJoin('tag', 'tag.id', 'task_tag.tag_id').select(['task_tag.task_id', 'tag.slug']).where('task_tag.task_id', 'in', ids).orderBy('tag.slug').execute(),
		db
			.selectFrom('task_competence')
			.innerJoin('competence', 'competence.id', 'task_competence.competence_id')
			.select(['task_competence.task_id', 'competence.slug'])
			.where('task_competence.task_id', 'in', ids)
			.orderBy('competence.slug')
			.execute()
	]);
	const startsOf = groupBy(shifts, (s) => s.task_id ?? '');
	const tagsOf = groupBy(tagRows, (t) => t.task_id);
	const competencesOf = groupBy(competenceRows, (c) => c.task_id);
	return rows.flatMap((r) => {
		const starts = (startsOf.get(r.id) ?? []).map((s) => ({ at: toDate(s.starts_at), timeZone: s.time_zone }));
		if (starts.length === 0) return [];
		const competences = (competencesOf.get(r.id) ?? []).map((c) => c.slug);
		const publishedAt = r.published_at ? toDate(r.published_at) : null;
		const approvedAt = r.approved_at ? toDate(r.approved_at) : null;
		return [
			{
				id: r.id,
				clubId: r.club_id,
				club: r.club,
				municipalityId: r.municipality_id,
				municipality: r.municipality,
				publishedAt: publishedAt && approvedAt && approvedAt > publishedAt ? approvedAt : publishedAt,
				nextShiftAt: starts[0]!.at,
				nextShiftTimeZone: starts[0]!.timeZone,
				match: {
					id: r.id,
					title: r.title,
					tags: (tagsOf.get(r.id) ?? []).map((t) => t.slug),
					...shiftTimes(starts),
					isRemote: false,
					languages: parseList(r.languages),
					suitsMultilocal: false,
					...(competences.length > 0 ? { competences } : {})
				}
			}
		];
	});
}

function parseList(json: string): string[] {
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
	} catch {
		return [];
	}
}
