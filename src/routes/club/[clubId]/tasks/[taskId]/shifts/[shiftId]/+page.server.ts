import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { generateId } from '$lib/server/ids';
import * as messages from '$lib/server/messages';
import * as runtime from '$lib/server/runtime';
import * as tasks from '$lib/server/tasks';
import { requireClubEditor } from '../../../../../guard';
import type { Actions, PageServerLoad } from './$types';

async function scope(locals: App.Locals, url: URL, params: { clubId: string; taskId: string; shiftId: string }) {
	const { user, club } = await requireClubEditor(locals, url, params.clubId);
	const task = await tasks.get(runtime.db(), user, params.taskId, new Date());
	const shift = task?.shifts.find((s) => s.id === params.shiftId);
	if (!task || task.clubId !== club.id || !task.canManage || !shift) error(404, m.tasks_not_found());
	return { user, club, task, shift };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { user, club, task, shift } = await scope(locals, url, params);
	const helpers = await tasks.helpers(runtime.db(), user, task.id, shift.id);
	if (!helpers) error(404, m.tasks_not_found());
	// Sent back with the message form: submitting twice sends once.
	return { club: { id: club.id, name: club.name }, task: { id: task.id, title: task.title }, shift, helpers, messageId: generateId() };
};

const OUTCOMES = ['attended', 'no_show', 'confirmed'] as const;

export const actions: Actions = {
	mark: async ({ locals, url, params, request }) => {
		const { user, task, shift } = await scope(locals, url, params);
		const form = await request.formData();
		const outcome = OUTCOMES.find((o) => o === form.get('outcome'));
		const registrationId = String(form.get('registrationId') ?? '');
		if (!outcome) return fail(400, { error: m.error_invalid_choice() });
		const done = await tasks.markAttendance(runtime.db(), user, task.id, shift.id, registrationId, outcome, new Date());
		if (!done) return fail(404, { error: m.error_invalid_choice() });
		return { marked: registrationId };
	},
	message: async ({ locals, url, params, request }) => {
		const { user, task, shift } = await scope(locals, url, params);
		const form = await request.formData();
		const values = {
			subject: String(form.get('subject') ?? '').slice(0, 300),
			body: String(form.get('body') ?? '').slice(0, 11_000),
			waitlisted: form.get('waitlisted') === 'on',
			messageId: String(form.get('messageId') ?? '')
		};
		const errors: Record<string, string> = {};
		const subject = values.subject.trim();
		const body = values.body.trim();
		if (!subject) errors.subject = m.error_required();
		else if (subject.length > 200) errors.subject = m.error_too_long({ max: 200 });
		if (!body) errors.body = m.error_required();
		else if (body.length > 10_000) errors.body = m.error_too_long({ max: 10_000 });
		if (!/^[a-z0-9]{10,40}$/.test(values.messageId)) errors.form = m.error_500();
		// Everyone holding a place, also after being marked as present; the waiting list on request.
		const audiences: ('confirmed' | 'attended' | 'waitlisted')[] = values.waitlisted ? ['confirmed', 'attended', 'waitlisted'] : ['confirmed', 'attended'];
		if (Object.keys(errors).length === 0) {
			const counts = await messages.audienceCounts(runtime.db(), shift.id);
			if (audiences.every((a) => counts[a] === 0)) errors.subject = m.message_no_recipients();
		}
		if (Object.keys(errors).length > 0) return fail(400, { messageErrors: errors, messageValues: values });
		const result = await tasks.messageHelpers(runtime.db(), user, task.id, shift.id, values.messageId, { audiences, subjectDe: subject, bodyDe: body, subjectEn: '', bodyEn: '' }, runtime.links(), new Date());
		if (!result) return fail(400, { messageErrors: { form: m.error_500() } as Record<string, string>, messageValues: values });
		return { notice: result.alreadySent ? m.message_already_sent({ count: result.recipients }) : m.message_sent({ count: result.recipients }) };
	}
};
