import { requireCoordinator } from '$lib/server/auth/guards';
import * as municipalities from '$lib/server/municipalities';
import * as runtime from '$lib/server/runtime';
import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import * as retention from '$lib/server/retention';
import * as competences from '$lib/server/competences';
import { getLocale } from '$lib/paraglide/runtime';
import * as records from '$lib/server/records';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireCoordinator(locals, url);
	const db = runtime.db();
	const scope = await municipalities.list(db, user.isPlatformAdmin ? undefined : user.municipalityIds);
	const venues = await municipalities.listVenues(db, scope.map((x) => x.id));
	const competenceList = await competences.list(db, scope.map((x) => x.id), getLocale());
	const usage = await competences.usage(db, competenceList.map((c) => c.id));
	return {
		hoursThresholds: Object.fromEntries(await records.hours.thresholds(db, scope.map((x) => x.id))) as Record<string, number>,
		isPlatformAdmin: user.isPlatformAdmin,
		municipalities: scope.map((x) => ({
			id: x.id,
			name: x.name,
			retentionMonths: x.retentionMonths,
			contactEmail: x.contactEmail ?? '',
			venues: venues.filter((v) => v.municipalityId === x.id).map((v) => v.name),
			competences: competenceList
				.filter((c) => c.municipalityId === x.id)
				.map((c) => ({ id: c.id, label: c.label, labelDe: c.labelDe, labelEn: c.labelEn, usedBy: usage.get(c.id) ?? 0 }))
		}))
	};
};

const retentionSchema = v.object({
	municipalityId: v.string(),
	months: v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(120))
});
const competenceSchema = v.object({
	labelDe: v.pipe(v.string(), v.trim(), v.nonEmpty(() => m.error_required()), v.maxLength(60, () => m.error_too_long({ max: 60 }))),
	labelEn: v.pipe(v.string(), v.trim(), v.maxLength(60, () => m.error_too_long({ max: 60 })))
});

function competenceProblem(problem: competences.CompetenceProblem): string {
	if (problem === 'duplicate') return m.competences_error_duplicate();
	return problem === 'forbidden' ? m.error_403() : m.error_404();
}

const contactSchema = v.union([v.literal(''), v.pipe(v.string(), v.maxLength(254), v.email())]);

export const actions: Actions = {
	retention: async ({ locals, url, request }) => {
		const user = requireCoordinator(locals, url);
		const form = Object.fromEntries(await request.formData());
		const parsed = v.safeParse(retentionSchema, form);
		const municipalityId = String(form.municipalityId ?? '');
		if (!parsed.success) {
			return fail(400, { retentionError: m.error_number_range({ min: 1, max: 120 }), municipalityId });
		}
		const contact = v.safeParse(contactSchema, String(form.contactEmail ?? '').trim());
		if (!contact.success) return fail(400, { contactError: m.municipality_contact_invalid(), municipalityId });
		const { months } = parsed.output;
		const [municipality] = await municipalities.list(runtime.db(), [municipalityId]);
		if (!municipality || !(user.isPlatformAdmin || user.municipalityIds.includes(municipalityId))) {
			return fail(403, { retentionError: m.error_403(), municipalityId });
		}
		await retention.setMonths(runtime.db(), municipalityId, months, user.id, new Date());
		await municipalities.setContactEmail(runtime.db(), municipalityId, contact.output || null);
		return { notice: m.municipality_settings_saved({ name: municipality.name }) };
	},
	addCompetence: async ({ locals, url, request }) => {
		const user = requireCoordinator(locals, url);
		const form = await request.formData();
		const target = String(form.get('municipalityId') ?? '');
		const parsed = v.safeParse(competenceSchema, { labelDe: String(form.get('labelDe') ?? ''), labelEn: String(form.get('labelEn') ?? '') });
		if (!parsed.success) return fail(400, { competenceError: parsed.issues[0].message, target });
		const result = await competences.add(runtime.db(), user, target, parsed.output, new Date());
		if (!result.ok) return fail(result.problem === 'duplicate' ? 400 : 403, { competenceError: competenceProblem(result.problem), target });
		const [municipality] = await municipalities.list(runtime.db(), [target]);
		return { notice: m.competences_added({ label: parsed.output.labelDe, name: municipality?.name ?? '' }) };
	},
	renameCompetence: async ({ locals, url, request }) => {
		const user = requireCoordinator(locals, url);
		const form = await request.formData();
		const target = String(form.get('competenceId') ?? '');
		const parsed = v.safeParse(competenceSchema, { labelDe: String(form.get('labelDe') ?? ''), labelEn: String(form.get('labelEn') ?? '') });
		if (!parsed.success) return fail(400, { competenceError: parsed.issues[0].message, target });
		const result = await competences.rename(runtime.db(), user, target, parsed.output, new Date());
		if (!result.ok) return fail(result.problem === 'duplicate' ? 400 : 403, { competenceError: competenceProblem(result.problem), target });
		return { notice: m.competences_renamed() };
	},
	removeCompetence: async ({ locals, url, request }) => {
		const user = requireCoordinator(locals, url);
		const form = await request.formData();
		const target = String(form.get('competenceId') ?? '');
		if (form.get('confirmRemove') !== 'on') return fail(400, { competenceError: m.competences_remove_needs_confirm(), target });
		const result = await competences.remove(runtime.db(), user, target, new Date());
		if (!result.ok) return fail(403, { competenceError: competenceProblem(result.problem), target });
		return { notice: m.competences_removed({ label: result.label }) };
	},
	hoursThreshold: async ({ locals, url, request }) => {
		const user = requireCoordinator(locals, url);
		const form = await request.formData();
		const municipalityId = String(form.get('municipalityId') ?? '').slice(0, 64);
		const raw = String(form.get('hours') ?? '').trim().slice(0, 10);
		const hours = /^\d+$/.test(raw) ? Number(raw) : NaN;
		if (!(hours >= 1 && hours <= records.hours.MAX_THRESHOLD)) {
			return fail(400, { thresholdError: m.error_number_range({ min: 1, max: records.hours.MAX_THRESHOLD }), municipalityId, hours: raw });
		}
		const [municipality] = await municipalities.list(runtime.db(), [municipalityId]);
		if (!municipality || !(await records.hours.setThreshold(runtime.db(), user, municipalityId, hours, new Date()))) {
			return fail(403, { thresholdError: m.error_403(), municipalityId, hours: raw });
		}
		return { notice: m.hours_threshold_saved({ name: municipality.name }) };
	}
};
