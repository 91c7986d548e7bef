import type { Kysely } from 'kysely';
import { toDate, type Database, type Db, type TaskStatus } from '../db/schema';
import type { Viewer } from '../auth/users';
import { generateId } from '../ids';
import * as audit from '../audit';
import * as events from '../events';
import * as changes from '../events/changes';
import * as competences from '../competences';
import { loadAccess, canEdit, canView } from '../clubs/access';
import { mayManage, mayView, taskRow as row } from './access';
import * as roster from '../registrations/roster';
import * as messages from '../messages';
import type { LinkContext } from '../registrations/links';
import type { ExpressionBuilder } from 'kysely';

// Einsätze: a dated engagement published by a club (for its own municipality) or a coordinator.
// Every shift is an event row of kind 'shift' with `task_id`: residents sign up through the
// registration machinery (double opt-in, waiting list, invites, reminders, check-in) unchanged.

export interface TaskInput {
	title: string;
	description: string;
	place: string;
	minAge: number | null;
	languages: string[];
	accessibility: string;
	tags: string[];
	competences: string[];
}

export interface ShiftInput {
	startsAt: Date;
	endsAt: Date;
	places: number;
}

export interface Shift {
	id: string;
	startsAt: Date;
	endsAt: Date;
	timeZone: string;
	capacity: number;
	confirmedCount: number;
	seatsLeft: number;
	status: string;
	registration: events.RegistrationWindowState;
}

export interface Task {
	id: string;
	municipalityId: string;
	municipalityName: string;
	/** The municipality's zone: new shifts are entered and shown in it. */
	timeZone: string;
	clubId: string | null;
	clubName: string | null;
	title: string;
	description: string;
	place: string;
	minAge: number | null;
	languages: string[];
	accessibility: string;
	status: TaskStatus;
	tags: string[];
	competences: string[];
	shifts: Shift[];
}

/** The shift a list shows for an Einsatz: its first one that still takes place (else its first). */
export function leadingShift(task: Task): Shift | null {
	return task.shifts.find((s) => s.status !== 'cancelled') ?? task.shifts[0] ?? null;
}

export type TaskProblem = 'not_found' | 'forbidden' | 'no_shifts' | 'bad_shift' | 'unknown_competence' | 'not_approved';
export type TaskResult = { ok: true; id: string } | { ok: false; problem: TaskProblem };

function validShift(s: ShiftInput): boolean {
	return (
		!Number.isNaN(s.startsAt.getTime()) &&
		!Number.isNaN(s.endsAt.getTime()) &&
		s.endsAt > s.startsAt &&
		Number.isInteger(s.places) &&
		s.places >= 1 &&
		s.places <= 10_000
	);
}

/** A new shift is an event in the zone of the task's municipality. */
async function insertShift(
	db: Db,
	task: { id: string; municipality_id: string; title: string; description: string; status: TaskStatus; time_zone: string },
	shift: ShiftInput,
	origin: string,
	now: Date
): Promise<string> {
	const id = generateId();
	await db
		.insertInto('event')
		.values({
			id,
			series_id: null,
			kind: 'shift',
			title: task.title,
			description: task.description,
			starts_at: shift.startsAt.toISOString(),
			ends_at: shift.endsAt.toISOString(),
			time_zone: task.time_zone,
			venue_id: null,
			capacity: shift.places,
			status: task.status,
			registration_opens_at: null,
			registration_closes_at: null,
			stall_booking_open: 0,
			ical_uid: `${id}@${new URL(origin).hostname}`,
			task_id: task.id,
			created_at: now.toISOString(),
			updated_at: now.toISOString()
		})
		.execute();
	await db.insertInto('event_host').values({ event_id: id, municipality_id: task.municipality_id }).execute();
	return id;
}

async function setLinks(db: Db, taskId: string, municipalityId: string, input: TaskInput): Promise<boolean> {
	const competenceIds = await competences.resolve(db, municipalityId, input.competences);
	if (!competenceIds) return false;
	await db.deleteFrom('task_tag').where('task_id', '=', taskId).execute();
	await db.deleteFrom('task_competence').where('task_id', '=', taskId).execute();
	if (input.tags.length > 0) {
		const tags = await db.selectFrom('tag').select('id').where('slug', 'in', input.tags).execute();
		if (tags.length > 0) await db.insertInto('task_tag').values(tags.map((t) => ({ task_id: taskId, tag_id: t.id }))).execute();
	}
	if (competenceIds.length > 0) {
		await db.insertInto('task_competence').values(competenceIds.map((competence_id) => ({ task_id: taskId, competence_id }))).execute();
	}
	return true;
}

/**
 * Creates an Einsatz with its shifts. `owner.clubId` set: a club's, for the club's own
 * municipality; otherwise a coordinator's for `owner.municipalityId`.
 */
export async function create(
	db: Kysely<Database>,
	viewer: Viewer,
	owner: { clubId: string } | { municipalityId: string },
	input: TaskInput & { status: 'draft' | 'published' },
	shifts: ShiftInput[],
	origin: string,
	now: Date
): Promise<TaskResult> {
	if (shifts.length === 0) return { ok: false, problem: 'no_shifts' };
	if (!shifts.every(validShift)) return { ok: false, problem: 'bad_shift' };
	let municipalityId: string;
	let clubId: string | null = null;
	if ('clubId' in owner) {
		const access = await loadAccess(db, viewer, owner.clubId);
		if (!access) return { ok: false, problem: 'not_found' };
		if (!canEdit(access)) return { ok: false, problem: 'forbidden' };
		if (input.status === 'published' && access.status !== 'approved') return { ok: false, problem: 'not_approved' };
		municipalityId = access.municipalityId;
		clubId = access.clubId;
	} else {
		if (!(viewer.isPlatformAdmin || viewer.municipalityIds.includes(owner.municipalityId))) return { ok: false, problem: 'forbidden' };
		municipalityId = owner.municipalityId;
	}
	const municipality = await db.selectFrom('municipality').select('time_zone').where('id', '=', municipalityId).executeTakeFirst();
	if (!municipality) return { ok: false, problem: 'not_found' };
	return db.transaction().execute(async (trx): Promise<TaskResult> => {
		const id = generateId();
		const row = {
			id,
			municipality_id: municipalityId,
			club_id: clubId,
			title: input.title,
			description: input.description,
			place: input.place,
			min_age: input.minAge,
			languages: JSON.stringify(input.languages),
			accessibility: input.accessibility,
			status: input.status,
			created_by: viewer.id,
			created_at: now.toISOString(),
			updated_at: now.toISOString(),
			published_at: input.status === 'published' ? now.toISOString() : null
		};
		await trx.insertInto('task').values(row).execute();
		if (!(await setLinks(trx, id, municipalityId, input))) {
			throw new UnknownCompetence();
		}
		for (const shift of shifts) await insertShift(trx, { ...row, time_zone: municipality.time_zone }, shift, origin, now);
		await audit.record(trx, { actorUserId: viewer.id, action: 'task.created', entityType: 'task', entityId: id, municipalityId, details: { title: input.title, shifts: shifts.length } }, now);
		return { ok: true, id };
	}).catch((e: unknown) => {
		if (e instanceof UnknownCompetence) return { ok: false, problem: 'unknown_competence' } as const;
		throw e;
	});
}

class UnknownCompetence extends Error {}

/** Changes the texts of an Einsatz; its shifts carry the new title and description too. */
export async function update(db: Kysely<Database>, viewer: Viewer, taskId: string, input: TaskInput, now: Date): Promise<TaskResult> {
	const task = await row(db, taskId);
	if (!task) return { ok: false, problem: 'not_found' };
	if (!(await mayManage(db, viewer, task))) return { ok: false, problem: 'forbidden' };
	return db.transaction().execute(async (trx): Promise<TaskResult> => {
		if (!(await setLinks(trx, taskId, task.municipality_id, input))) return { ok: false, problem: 'unknown_competence' };
		await trx
			.updateTable('task')
			.set({
				title: input.title,
				description: input.description,
				place: input.place,
				min_age: input.minAge,
				languages: JSON.stringify(input.languages),
				accessibility: input.accessibility,
				updated_at: now.toISOString()
			})
			.where('id', '=', taskId)
			.execute();
		await trx
			.updateTable('event')
			.set((eb) => ({ title: input.title, description: input.description, ical_sequence: eb('ical_sequence', '+', 1), updated_at: now.toISOString() }))
			.where('task_id', '=', taskId)
			.execute();
		await audit.record(trx, { actorUserId: viewer.id, action: 'task.updated', entityType: 'task', entityId: taskId, municipalityId: task.municipality_id }, now);
		return { ok: true, id: taskId };
	});
}

/** Adds a shift to an Einsatz (published at once when the Einsatz is). */
export async function addShift(db: Kysely<Database>, viewer: Viewer, taskId: string, shift: ShiftInput, origin: string, now: Date): Promise<TaskResult> {
	const task = await row(db, taskId);
	if (!task) return { ok: false, problem: 'not_found' };
	if (!(await mayManage(db, viewer, task))) return { ok: false, problem: 'forbidden' };
	if (!validShift(shift)) return { ok: false, problem: 'bad_shift' };
	if (task.status === 'cancelled') return { ok: false, problem: 'forbidden' };
	return db.transaction().execute(async (trx): Promise<TaskResult> => {
		const id = await insertShift(trx, task, shift, origin, now);
		await audit.record(trx, { actorUserId: viewer.id, action: 'task.shift_added', entityType: 'task', entityId: taskId, municipalityId: task.municipality_id }, now);
		return { ok: true, id };
	});
}

/** Publishes a draft Einsatz with all its shifts. */
export async function publish(db: Kysely<Database>, viewer: Viewer, taskId: string, now: Date): Promise<TaskResult> {
	const task = await row(db, taskId);
	if (!task) return { ok: false, problem: 'not_found' };
	if (!(await mayManage(db, viewer, task))) return { ok: false, problem: 'forbidden' };
	if (task.club_id) {
		const access = await loadAccess(db, viewer, task.club_id);
		if (access?.status !== 'approved') return { ok: false, problem: 'not_approved' };
	}
	if (task.status !== 'draft') return { ok: false, problem: 'forbidden' };
	return db.transaction().execute(async (trx): Promise<TaskResult> => {
		await trx.updateTable('task').set({ status: 'published', updated_at: now.toISOString(), published_at: now.toISOString() }).where('id', '=', taskId).execute();
		await trx.updateTable('event').set({ status: 'published', updated_at: now.toISOString() }).where('task_id', '=', taskId).where('status', '=', 'draft').execute();
		await audit.record(trx, { actorUserId: viewer.id, action: 'task.published', entityType: 'task', entityId: taskId, municipalityId: task.municipality_id }, now);
		return { ok: true, id: taskId };
	});
}

/** Cancels an Einsatz: every shift is cancelled and its helpers are told (with a calendar cancellation). */
export async function cancel(db: Kysely<Database>, viewer: Viewer, taskId: string, ctx: LinkContext, now: Date): Promise<TaskResult> {
	const task = await row(db, taskId);
	if (!task) return { ok: false, problem: 'not_found' };
	if (!(await mayManage(db, viewer, task))) return { ok: false, problem: 'forbidden' };
	if (task.status === 'cancelled') return { ok: true, id: taskId };
	await db.transaction().execute(async (trx) => {
		await trx.updateTable('task').set({ status: 'cancelled', updated_at: now.toISOString() }).where('id', '=', taskId).execute();
		await trx.updateTable('event').set({ status: 'cancelled', updated_at: now.toISOString() }).where('task_id', '=', taskId).where('status', '=', 'draft').execute();
		await audit.record(trx, { actorUserId: viewer.id, action: 'task.cancelled', entityType: 'task', entityId: taskId, municipalityId: task.municipality_id }, now);
	});
	const shifts = await db.selectFrom('event').select('id').where('task_id', '=', taskId).where('status', '=', 'published').execute();
	for (const shift of shifts) await changes.cancel(db, shift.id, viewer.id, ctx, now);
	return { ok: true, id: taskId };
}

async function shiftsOf(db: Db, taskIds: string[], now: Date): Promise<Map<string, Shift[]>> {
	const result = new Map<string, Shift[]>();
	if (taskIds.length === 0) return result;
	const ids = await db.selectFrom('event').select(['id', 'task_id']).where('task_id', 'in', taskIds).orderBy('starts_at').orderBy('id').execute();
	for (const { id, task_id } of ids) {
		const event = await events.get(db, id);
		if (!event || !task_id) continue;
		const list = result.get(task_id) ?? [];
		list.push({
			id: event.id,
			startsAt: event.startsAt,
			endsAt: event.endsAt,
			timeZone: event.timeZone,
			capacity: event.capacity,
			confirmedCount: event.confirmedCount,
			seatsLeft: event.seatsLeft,
			status: event.status,
			registration: events.registrationState(event, now)
		});
		result.set(task_id, list);
	}
	return result;
}

function taskQuery(db: Db) {
	return db
		.selectFrom('task')
		.innerJoin('municipality', 'municipality.id', 'task.municipality_id')
		.leftJoin('club', 'club.id', 'task.club_id')
		.selectAll('task')
		.select(['municipality.name as municipality_name', 'municipality.time_zone as municipality_time_zone', 'club.name as club_name']);
}

type TaskRow = Awaited<ReturnType<ReturnType<typeof taskQuery>['executeTakeFirstOrThrow']>>;

async function toTasks(db: Db, rows: TaskRow[], now: Date): Promise<Task[]> {
	if (rows.length === 0) return [];
	const ids = rows.map((r) => r.id);
	const tagRows = await db.selectFrom('task_tag').innerJoin('tag', 'tag.id', 'task_tag.tag_id').select(['task_tag.task_id', 'tag.slug']).where('task_tag.task_id', 'in', ids).orderBy('tag.slug').execute();
	const competenceRows = await db
		.selectFrom('task_competence')
		.innerJoin('competence', 'competence.id', 'task_competence.competence_id')
		.select(['task_competence.task_id', 'competence.slug'])
		.where('task_competence.task_id', 'in', ids)
		.orderBy('competence.slug')
		.execute();
	const shifts = await shiftsOf(db, ids, now);
	return rows.map((r) => ({
		id: r.id,
		municipalityId: r.municipality_id,
		municipalityName: r.municipality_name,
		timeZone: r.municipality_time_zone,
		clubId: r.club_id,
		clubName: r.club_name,
		title: r.title,
		description: r.description,
		place: r.place,
		minAge: r.min_age,
		languages: JSON.parse(r.languages) as string[],
		accessibility: r.accessibility,
		status: r.status,
		tags: tagRows.filter((t) => t.task_id === r.id).map((t) => t.slug),
		competences: competenceRows.filter((c) => c.task_id === r.id).map((c) => c.slug),
		shifts: shifts.get(r.id) ?? []
	}));
}

/** A published or cancelled Einsatz for everyone; a draft only for those who manage it. */
export async function get(db: Db, viewer: Viewer | null, taskId: string, now: Date): Promise<(Task & { canManage: boolean }) | null> {
	const found = await taskQuery(db).where('task.id', '=', taskId).executeTakeFirst();
	if (!found) return null;
	const manage = await mayManage(db, viewer, found);
	if (found.status === 'draft' && !manage) return null;
	const [task] = await toTasks(db, [found], now);
	return task ? { ...task, canManage: manage } : null;
}

export interface PublicTaskFilter {
	now: Date;
	municipalitySlug?: string;
	/** An interest tag's slug. */
	tag?: string;
	/** Only shifts that overlap [from, to). */
	from?: Date;
	to?: Date;
	/** Only shifts with a free place. */
	freeOnly?: boolean;
	limit: number;
	offset: number;
}

/**
 * Published Einsätze with a matching shift still to come, the soonest matching shift first; each
 * task comes with its matching shifts only. A shift matches when it is published, has not ended,
 * overlaps the period and, with `freeOnly`, has a free place: all of it for the same shift.
 */
export async function listPublished(db: Db, filter: PublicTaskFilter): Promise<{ items: Task[]; total: number }> {
	const since = (filter.from && filter.from > filter.now ? filter.from : filter.now).toISOString();
	const isMatchingShift = (eb: ExpressionBuilder<Database, 'event'>) => {
		const conditions = [eb('event.status', '=', 'published'), eb('event.ends_at', '>', since)];
		if (filter.to) conditions.push(eb('event.starts_at', '<', filter.to.toISOString()));
		if (filter.freeOnly) conditions.push(eb('event.confirmed_count', '<', eb.ref('event.capacity')));
		return eb.and(conditions);
	};
	// "Among the tasks of matching shifts" rather than "has a matching shift": the database starts
	// from the few shifts still to come (an index on ends_at) instead of every task ever published.
	let query = taskQuery(db)
		.where('task.status', '=', 'published')
		.where('task.id', 'in', (eb) => eb.selectFrom('event').select('event.task_id').where(isMatchingShift).$narrowType<{ task_id: string }>());
	if (filter.municipalitySlug) query = query.where('municipality.slug', '=', filter.municipalitySlug);
	if (filter.tag) {
		const tag = filter.tag;
		query = query.where((eb) =>
			eb.exists(eb.selectFrom('task_tag').innerJoin('tag', 'tag.id', 'task_tag.tag_id').select('task_tag.task_id').whereRef('task_tag.task_id', '=', 'task.id').where('tag.slug', '=', tag))
		);
	}
	const { total } = await query.clearSelect().select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow();
	const rows = await query
		.select((eb) =>
			eb.selectFrom('event').whereRef('event.task_id', '=', 'task.id').where(isMatchingShift).select((e) => e.fn.min('event.starts_at').as('first')).as('first_start')
		)
		.orderBy('first_start')
		.orderBy('task.id')
		.limit(filter.limit)
		.offset(filter.offset)
		.execute();
	const tasks = await toTasks(db, rows, filter.now);
	const matches = (s: Shift) =>
		s.status === 'published' && s.endsAt.toISOString() > since && (!filter.to || s.startsAt < filter.to) && (!filter.freeOnly || s.seatsLeft > 0);
	return { items: tasks.map((t) => ({ ...t, shifts: t.shifts.filter(matches) })), total: Number(total) };
}

/** A club's Einsätze, newest first (authorised: members and reviewing coordinators). */
export async function listForClub(db: Db, viewer: Viewer, clubId: string, now: Date): Promise<Task[] | null> {
	const access = await loadAccess(db, viewer, clubId);
	if (!access || !canView(access)) return null;
	const rows = await taskQuery(db).where('task.club_id', '=', clubId).orderBy('task.created_at', 'desc').orderBy('task.id').limit(200).execute();
	return toTasks(db, rows, now);
}

/** The Einsätze of a coordinator's municipalities (their own and clubs'), newest first; platform admins see all. */
export async function listForCoordinator(db: Db, viewer: Viewer, filter: { now: Date; limit: number; offset: number }): Promise<{ items: (Task & { canManage: boolean })[]; total: number }> {
	if (!viewer.isPlatformAdmin && viewer.municipalityIds.length === 0) return { items: [], total: 0 };
	let query = taskQuery(db);
	if (!viewer.isPlatformAdmin) query = query.where('task.municipality_id', 'in', viewer.municipalityIds);
	// A club's draft stays the club's until it publishes it.
	query = query.where((eb) => eb.or([eb('task.club_id', 'is', null), eb('task.status', '!=', 'draft')]));
	const { total } = await query.clearSelect().select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow();
	const rows = await query.orderBy('task.created_at', 'desc').orderBy('task.id').limit(filter.limit).offset(filter.offset).execute();
	const items = await toTasks(db, rows, filter.now);
	const manage = await Promise.all(rows.map((r) => mayManage(db, viewer, r)));
	return { items: items.map((t, i) => ({ ...t, canManage: manage[i] ?? false })), total: Number(total) };
}

/** The shift of a task the viewer may see the helpers of, or null. */
async function viewableShift(db: Db, viewer: Viewer | null, taskId: string, shiftId: string) {
	const task = await row(db, taskId);
	if (!task) return null;
	const shift = await db.selectFrom('event').select('id').where('id', '=', shiftId).where('task_id', '=', taskId).executeTakeFirst();
	if (!shift || !(await mayView(db, viewer, task))) return null;
	return { task, shiftId: shift.id };
}

export interface Helper {
	registrationId: string;
	name: string;
	email: string;
	status: string;
	places: number;
	waitlistPosition: number | null;
}

/** The helpers of one shift (seat holders, waiting list, attendance), for the task's managers and reviewers. */
export async function helpers(db: Db, viewer: Viewer | null, taskId: string, shiftId: string): Promise<Helper[] | null> {
	const found = await viewableShift(db, viewer, taskId, shiftId);
	if (!found) return null;
	const rows = await db
		.selectFrom('registration')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.select(['registration.id', 'person.name', 'person.email', 'registration.status', 'registration.places', 'registration.waitlist_position'])
		.where('registration.event_id', '=', shiftId)
		.where('registration.status', 'in', ['confirmed', 'waitlisted', 'attended', 'no_show'])
		.orderBy('registration.status')
		.orderBy('registration.waitlist_position')
		.orderBy('person.name')
		.execute();
	return rows.map((r) => ({ registrationId: r.id, name: r.name, email: r.email, status: r.status, places: r.places, waitlistPosition: r.waitlist_position }));
}

/** Marks who came (or not, or undoes it), with the roster's check-in; managers only. */
export async function markAttendance(
	db: Kysely<Database>,
	viewer: Viewer,
	taskId: string,
	shiftId: string,
	registrationId: string,
	outcome: 'attended' | 'no_show' | 'confirmed',
	now: Date
): Promise<boolean> {
	const task = await row(db, taskId);
	if (!task || !(await mayManage(db, viewer, task))) return false;
	const shift = await db.selectFrom('event').select('id').where('id', '=', shiftId).where('task_id', '=', taskId).executeTakeFirst();
	if (!shift) return false;
	return db.transaction().execute((trx) => roster.checkIn(trx, shiftId, registrationId, outcome, viewer.id, now));
}

/**
 * Writes to the helpers of one shift (those holding a place, optionally the waiting list), with
 * the coordinators' message machinery (opt-outs respected, sent once per message id); managers only.
 */
export async function messageHelpers(
	db: Kysely<Database>,
	viewer: Viewer,
	taskId: string,
	shiftId: string,
	messageId: string,
	draft: messages.MessageDraft,
	ctx: LinkContext,
	now: Date
): Promise<{ recipients: number; alreadySent: boolean } | null> {
	const task = await row(db, taskId);
	if (!task || !(await mayManage(db, viewer, task))) return null;
	const shift = await db.selectFrom('event').select('id').where('id', '=', shiftId).where('task_id', '=', taskId).executeTakeFirst();
	if (!shift) return null;
	return messages.send(db, messageId, shiftId, draft, viewer.id, ctx, now);
}

export { toDate };
export { changeShift, removeShift, type ShiftChange, type ShiftChangeResult, type ShiftRemoveResult } from './shift-changes';
