import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { requireEventManager } from '$lib/server/auth/guards';
import type { MessageAudience } from '$lib/server/db/schema';
import { parseForm } from '$lib/server/forms';
import { generateId } from '$lib/server/ids';
import * as messages from '$lib/server/messages';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { event } = await requireEventManager(locals, url, params.id);
	return {
		event: { id: event.id, title: event.title },
		counts: await messages.audienceCounts(runtime.db(), event.id),
		history: await messages.listSent(runtime.db(), event.id),
		// Sent back with the form: submitting twice (a double click, a reload) sends once.
		messageId: generateId()
	};
};

/** Reads and checks the form; returns the draft or the errors with what was typed. */
function readDraft(form: FormData) {
	const audiences = form.getAll('audience').map(String).filter((a): a is MessageAudience => messages.AUDIENCES.includes(a as MessageAudience));
	const values = {
		audiences,
		subjectDe: String(form.get('subjectDe') ?? ''),
		bodyDe: String(form.get('bodyDe') ?? ''),
		subjectEn: String(form.get('subjectEn') ?? ''),
		bodyEn: String(form.get('bodyEn') ?? ''),
		messageId: String(form.get('messageId') ?? '')
	};
	const parsed = parseForm(messages.messageSchema, form);
	const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
	if (audiences.length === 0) errors.audience = m.message_no_audience();
	if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false as const, errors, values };
	return { ok: true as const, draft: { audiences, ...parsed.data }, values };
}

export const actions: Actions = {
	preview: async ({ locals, url, params, request }) => {
		const { event } = await requireEventManager(locals, url, params.id);
		const read = readDraft(await request.formData());
		if (!read.ok) return fail(400, { errors: read.errors, values: read.values });
		const rendered = messages.preview(read.draft, event, runtime.links(), m.message_preview_sample());
		return {
			values: read.values,
			preview: {
				de: { subject: rendered.de.subject, html: rendered.de.html },
				en: { subject: rendered.en.subject, html: rendered.en.html }
			}
		};
	},
	send: async ({ locals, url, params, request }) => {
		const { user, event } = await requireEventManager(locals, url, params.id);
		const form = await request.formData();
		const read = readDraft(form);
		const errors: Record<string, string> = read.ok ? {} : { ...read.errors };
		if (form.get('confirmSend') !== 'on') errors.confirmSend = m.message_needs_confirm();
		if (!/^[a-z0-9]{10,40}$/.test(read.values.messageId)) errors.form = m.error_500();
		if (read.ok && Object.keys(errors).length === 0) {
			const counts = await messages.audienceCounts(runtime.db(), event.id);
			if (read.draft.audiences.every((a) => counts[a] === 0)) errors.audience = m.message_no_recipients();
		}
		if (!read.ok || Object.keys(errors).length > 0) return fail(400, { errors, values: read.values });
		const result = await messages.send(runtime.db(), read.values.messageId, event.id, read.draft, user.id, runtime.links(), new Date());
		if (!result) return fail(400, { errors: { form: m.error_500() }, values: read.values });
		return { notice: result.alreadySent ? m.message_already_sent({ count: result.recipients }) : m.message_sent({ count: result.recipients }) };
	}
};
