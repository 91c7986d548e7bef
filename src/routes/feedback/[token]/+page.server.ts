import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import * as feedback from '$lib/server/feedback';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

async function findOr404(token: string) {
	const form = await feedback.findByToken(runtime.db(), runtime.appSecret(), token, new Date());
	if (!form) error(404, m.feedback_not_found());
	return form;
}

export const load: PageServerLoad = async ({ params }) => {
	const form = await findOr404(params.token);
	return { feedback: form };
};

const text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, () => m.error_too_long({ max })));
const count = v.pipe(
	v.string(),
	v.trim(),
	v.regex(/^\d{1,4}$/, () => m.error_number_range({ min: 0, max: 9999 })),
	v.transform(Number)
);
const personSchema = v.object({
	usefulness: v.picklist(['1', '2', '3', '4', '5'], () => m.feedback_error_usefulness()),
	comment: text(2000)
});
const clubSchema = v.object({ talks: count, newVolunteers: count, changes: text(2000) });

function fieldErrors(issues: v.BaseIssue<unknown>[]): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of issues) errors[v.getDotPath(issue) ?? 'form'] ??= issue.message;
	return errors;
}

export const actions: Actions = {
	default: async ({ params, request }) => {
		const current = await findOr404(params.token);
		const data = await request.formData();
		const values = {
			usefulness: String(data.get('usefulness') ?? ''),
			talkedTo: data.getAll('talkedTo').map(String),
			wantsToTry: data.getAll('wantsToTry').map(String),
			comment: String(data.get('comment') ?? ''),
			consent: data.get('consent') === 'on',
			talks: String(data.get('talks') ?? ''),
			newVolunteers: String(data.get('newVolunteers') ?? ''),
			changes: String(data.get('changes') ?? '')
		};
		let answers: feedback.PersonAnswers | feedback.ClubAnswers;
		if (current.respondent === 'person') {
			const parsed = v.safeParse(personSchema, { usefulness: values.usefulness, comment: values.comment });
			if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.issues), values });
			answers = { usefulness: Number(parsed.output.usefulness), talkedTo: values.talkedTo, wantsToTry: values.wantsToTry, comment: parsed.output.comment, consent: values.consent };
		} else {
			const parsed = v.safeParse(clubSchema, { talks: values.talks, newVolunteers: values.newVolunteers, changes: values.changes });
			if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.issues), values });
			answers = parsed.output;
		}
		const result = await feedback.save(runtime.db(), runtime.links(), params.token, answers, new Date());
		if (!result.ok) {
			if (result.problem === 'not_found') error(404, m.feedback_not_found());
			if (result.problem === 'unknown_club') return fail(400, { errors: { talkedTo: m.feedback_error_club() } as Record<string, string>, values });
			// Closed meanwhile: the page reloads as the read-only "closed" page.
			return fail(400, { errors: { form: m.feedback_closed_title() } as Record<string, string>, values });
		}
		return { saved: true, leads: result.leads };
	}
};
