import { fail } from '@sveltejs/kit';
import * as m from '../../paraglide/messages';
import type { Viewer } from '../auth/users';
import { env } from '../env';
import { parseForm } from '../forms';
import * as messages from '../messages';
import * as runtime from '../runtime';
import { formOptions } from './choices';
import { utcToZoned } from '../events/recurrence';
import { parseOneShift, parseShiftChange, parseTask, problemMessage, readTaskValues, shiftChangeError } from './form';
import * as tasks from './index';

// The Einsatz pages' loads and actions, shared by the club area and the coordinators' area:
// each route checks who may manage the task first, then hands it over here.

type ManagedTask = tasks.Task & { canManage: boolean };

/**
 * The edit page's data: the task's values and its shifts with the number of helpers and their
 * times as the change form shows them; `editing` is the shift whose change form is open (`?edit=`).
 */
export async function editData(task: ManagedTask, url: URL) {
	const counts = await runtime
		.db()
		.selectFrom('registration')
		.select(['event_id', (eb) => eb.fn.countAll<number | string>().as('n')])
		.where('event_id', 'in', task.shifts.length ? task.shifts.map((s) => s.id) : ['-'])
		.where('status', 'in', ['confirmed', 'waitlisted', 'attended', 'no_show'])
		.groupBy('event_id')
		.execute();
	return {
		task: { id: task.id, title: task.title, status: task.status },
		values: {
			title: task.title,
			description: task.description,
			place: task.place,
			minAge: task.minAge === null ? '' : String(task.minAge),
			accessibility: task.accessibility,
			languages: task.languages,
			tags: task.tags,
			competences: task.competences
		} as Record<string, string | string[]>,
		shifts: task.shifts.map((s) => ({
			...s,
			helpers: Number(counts.find((c) => c.event_id === s.id)?.n ?? 0),
			startLocal: utcToZoned(s.startsAt, s.timeZone),
			endLocal: utcToZoned(s.endsAt, s.timeZone)
		})),
		editing: url.searchParams.get('edit') ?? ''
	};
}

export async function save(user: Viewer, task: ManagedTask, request: Request) {
	const form = await request.formData();
	const parsed = parseTask(form, { ...(await formOptions(task.municipalityId)), withShifts: false });
	if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
	const result = await tasks.update(runtime.db(), user, task.id, parsed.data, new Date());
	if (!result.ok) return fail(400, { errors: { form: problemMessage(result.problem) } as Record<string, string>, values: readTaskValues(form) });
	return { saved: true };
}

export async function publish(user: Viewer, task: ManagedTask) {
	const result = await tasks.publish(runtime.db(), user, task.id, new Date());
	if (!result.ok) return fail(400, { statusError: problemMessage(result.problem) });
	return { saved: true };
}

/** Cancelling tells every helper and withdraws their calendar entries: only with the ticked confirmation. */
export async function cancel(user: Viewer, task: ManagedTask, request: Request) {
	if ((await request.formData()).get('confirm') !== 'on') return fail(400, { cancelError: m.admintasks_cancel_confirm_error() });
	const result = await tasks.cancel(runtime.db(), user, task.id, runtime.links(), new Date());
	if (!result.ok) return fail(400, { statusError: problemMessage(result.problem) });
	return { saved: true };
}

export async function addShift(user: Viewer, task: ManagedTask, request: Request) {
	const form = await request.formData();
	const shift = parseOneShift(form, task.timeZone);
	const values = readTaskValues(form);
	if (!shift) return fail(400, { shiftErrors: { shiftStart0: m.task_error_shift() } as Record<string, string>, shiftValues: values });
	const result = await tasks.addShift(runtime.db(), user, task.id, shift, env().origin, new Date());
	if (!result.ok) return fail(400, { shiftErrors: { shiftStart0: problemMessage(result.problem) } as Record<string, string>, shiftValues: values });
	return { saved: true };
}

/** Moves a shift or changes its places; a refusal keeps what was typed and names the field. */
export async function changeShift(user: Viewer, task: ManagedTask, request: Request) {
	const { values, change, errors } = parseShiftChange(await request.formData());
	if (!change) return fail(400, { shiftEdit: { id: values.shiftId, errors, values } });
	const result = await tasks.changeShift(runtime.db(), user, task.id, values.shiftId, change, runtime.links(), new Date());
	if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { shiftEdit: { id: values.shiftId, errors: shiftChangeError(result), values } });
	const notices = [result.moved ? m.task_shift_changed_moved() : m.task_shift_changed()];
	if (result.promoted > 0) notices.push(m.event_saved_promoted({ count: result.promoted }));
	return { shiftNotice: notices.join(' ') };
}

/** Cancels one shift: its helpers are told, so only with the ticked confirmation. */
export async function removeShift(user: Viewer, task: ManagedTask, request: Request) {
	const form = await request.formData();
	const shiftId = String(form.get('shiftId') ?? '').slice(0, 40);
	if (form.get('confirmRemove') !== 'on') return fail(400, { shiftRemove: { id: shiftId, error: m.task_shift_remove_confirm_error() } });
	const result = await tasks.removeShift(runtime.db(), user, task.id, shiftId, runtime.links(), new Date());
	if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { shiftRemove: { id: shiftId, error: shiftChangeError(result).form ?? m.task_error_forbidden() } });
	return { shiftNotice: result.notified === 0 ? m.task_shift_removed_nobody() : m.task_shift_removed({ count: result.notified }) };
}

const OUTCOMES = ['attended', 'no_show', 'confirmed'] as const;

export async function mark(user: Viewer, taskId: string, shiftId: string, request: Request) {
	const form = await request.formData();
	const outcome = OUTCOMES.find((o) => o === form.get('outcome'));
	const registrationId = String(form.get('registrationId') ?? '');
	if (!outcome) return fail(400, { error: m.error_invalid_choice() });
	const done = await tasks.markAttendance(runtime.db(), user, taskId, shiftId, registrationId, outcome, new Date());
	if (!done) return fail(404, { error: m.error_invalid_choice() });
	return { marked: registrationId };
}

export async function message(user: Viewer, taskId: string, shiftId: string, request: Request) {
	const form = await request.formData();
	const values = {
		subjectDe: String(form.get('subjectDe') ?? '').slice(0, 300),
		bodyDe: String(form.get('bodyDe') ?? '').slice(0, 11_000),
		subjectEn: String(form.get('subjectEn') ?? '').slice(0, 300),
		bodyEn: String(form.get('bodyEn') ?? '').slice(0, 11_000),
		waitlisted: form.get('waitlisted') === 'on',
		messageId: String(form.get('messageId') ?? '')
	};
	// The coordinators' message rules: German required, English optional.
	const parsed = parseForm(messages.messageSchema, form);
	const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
	if (!/^[a-z0-9]{10,40}$/.test(values.messageId)) errors.form = m.error_500();
	// Everyone holding a place, also after being marked as present; the waiting list on request.
	const audiences: ('confirmed' | 'attended' | 'waitlisted')[] = values.waitlisted ? ['confirmed', 'attended', 'waitlisted'] : ['confirmed', 'attended'];
	if (Object.keys(errors).length === 0) {
		const counts = await messages.audienceCounts(runtime.db(), shiftId);
		if (audiences.every((a) => counts[a] === 0)) errors.subjectDe = m.message_no_recipients();
	}
	if (!parsed.ok || Object.keys(errors).length > 0) return fail(400, { messageErrors: errors, messageValues: values });
	const result = await tasks.messageHelpers(runtime.db(), user, taskId, shiftId, values.messageId, { audiences, ...parsed.data }, runtime.links(), new Date());
	if (!result) return fail(400, { messageErrors: { form: m.error_500() } as Record<string, string>, messageValues: values });
	return { notice: result.alreadySent ? m.message_already_sent({ count: result.recipients }) : m.message_sent({ count: result.recipients }) };
}
