import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Viewer } from '../auth/users';
import * as audit from '../audit';
import * as events from '../events';
import * as changes from '../events/changes';
import { zonedToUtc } from '../events/recurrence';
import type { LinkContext } from '../registrations/links';
import { mayManage, taskRow } from './access';

// Changing and removing one shift of an Einsatz. A shift is an event, so both go through the
// events' own changes: registrants are told, calendar invites are updated or withdrawn, reminders
// are rescheduled and a larger number of places lets the waiting list move up in strict order.

export interface ShiftChange {
	/** Wall times in the shift's own zone, `YYYY-MM-DDTHH:mm`. */
	startLocal: string;
	endLocal: string;
	places: number;
}

type Refusal = 'not_found' | 'forbidden' | 'cancelled';

export type ShiftChangeResult =
	| { ok: true; moved: boolean; promoted: number }
	| { ok: false; problem: Refusal | 'bad_start' | 'bad_end' | 'bad_places' }
	| { ok: false; problem: 'below_confirmed'; confirmed: number };

export type ShiftRemoveResult = { ok: true; notified: number } | { ok: false; problem: Refusal | 'last_shift' };

/** The task and one of its shifts, if the viewer may manage the task and neither is cancelled. */
async function managedShift(db: Kysely<Database>, viewer: Viewer, taskId: string, shiftId: string) {
	const task = await taskRow(db, taskId);
	if (!task) return { ok: false, problem: 'not_found' } as const;
	if (!(await mayManage(db, viewer, task))) return { ok: false, problem: 'forbidden' } as const;
	const shift = await events.get(db, shiftId);
	if (!shift || shift.taskId !== taskId) return { ok: false, problem: 'not_found' } as const;
	if (task.status === 'cancelled' || shift.status === 'cancelled') return { ok: false, problem: 'cancelled' } as const;
	return { ok: true, task, shift } as const;
}

/**
 * Moves a shift or changes its places. Places never go below those already taken (nobody loses a
 * confirmed place); the check and the new number are one conditional UPDATE, so a sign-up
 * confirmed meanwhile cannot slip past it.
 */
export async function changeShift(
	db: Kysely<Database>,
	viewer: Viewer,
	taskId: string,
	shiftId: string,
	change: ShiftChange,
	ctx: LinkContext,
	now: Date
): Promise<ShiftChangeResult> {
	const found = await managedShift(db, viewer, taskId, shiftId);
	if (!found.ok) return { ok: false, problem: found.problem };
	const { task, shift } = found;
	const startsAt = zonedToUtc(change.startLocal, shift.timeZone);
	if (!startsAt) return { ok: false, problem: 'bad_start' };
	const endsAt = zonedToUtc(change.endLocal, shift.timeZone);
	if (!endsAt || endsAt <= startsAt) return { ok: false, problem: 'bad_end' };
	if (!Number.isInteger(change.places) || change.places < 1 || change.places > 10_000) return { ok: false, problem: 'bad_places' };
	return db.transaction().execute(async (trx): Promise<ShiftChangeResult> => {
		const resized = await trx
			.updateTable('event')
			.set({ capacity: change.places })
			.where('id', '=', shiftId)
			.where('confirmed_count', '<=', change.places)
			.executeTakeFirst();
		if (Number(resized.numUpdatedRows) !== 1) {
			const { confirmed_count } = await trx.selectFrom('event').select('confirmed_count').where('id', '=', shiftId).executeTakeFirstOrThrow();
			return { ok: false, problem: 'below_confirmed', confirmed: confirmed_count };
		}
		const result = await changes.updateWithin(
			trx,
			shiftId,
			{
				title: shift.title,
				description: shift.description,
				startLocal: change.startLocal,
				durationMinutes: Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000),
				venueId: shift.venue?.id ?? null,
				capacity: change.places,
				status: shift.status === 'published' ? 'published' : 'draft'
			},
			viewer.id,
			ctx,
			now
		);
		if (!result.ok) return { ok: false, problem: result.problem === 'not_found' ? 'not_found' : result.problem === 'cancelled' ? 'cancelled' : 'bad_start' };
		await audit.record(
			trx,
			{ actorUserId: viewer.id, action: 'task.shift_changed', entityType: 'task', entityId: taskId, municipalityId: task.municipality_id, details: { shiftId, places: change.places, moved: result.moved, promoted: result.promoted } },
			now
		);
		return result;
	});
}

/**
 * Cancels one shift: its helpers and waiting people are told, their calendar entries withdrawn,
 * reminders dropped; the registrations stay on record as for any cancelled date. The last shift
 * of an Einsatz is not removed: an Einsatz without a shift would stay listed with nothing to sign
 * up for, so cancelling the whole Einsatz is the way (the page says so).
 */
export async function removeShift(db: Kysely<Database>, viewer: Viewer, taskId: string, shiftId: string, ctx: LinkContext, now: Date): Promise<ShiftRemoveResult> {
	const found = await managedShift(db, viewer, taskId, shiftId);
	if (!found.ok) return { ok: false, problem: found.problem };
	return db.transaction().execute(async (trx): Promise<ShiftRemoveResult> => {
		// Writing the task row first makes two removals of an Einsatz's shifts wait for each other,
		// so they cannot both see the other's shift as the one that remains.
		await trx.updateTable('task').set({ updated_at: now.toISOString() }).where('id', '=', taskId).execute();
		const others = await trx
			.selectFrom('event')
			.select((eb) => eb.fn.countAll<number | string>().as('n'))
			.where('task_id', '=', taskId)
			.where('id', '!=', shiftId)
			.where('status', '!=', 'cancelled')
			.executeTakeFirstOrThrow();
		if (Number(others.n) === 0) return { ok: false, problem: 'last_shift' };
		const result = await changes.cancelWithin(trx, shiftId, viewer.id, ctx, now);
		if (!result.ok) return { ok: false, problem: 'cancelled' };
		await audit.record(
			trx,
			{ actorUserId: viewer.id, action: 'task.shift_removed', entityType: 'task', entityId: taskId, municipalityId: found.task.municipality_id, details: { shiftId, notified: result.notified } },
			now
		);
		return { ok: true, notified: result.notified };
	});
}
