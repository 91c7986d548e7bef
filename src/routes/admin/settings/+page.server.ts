import { requireCoordinator } from '$lib/server/auth/guards';
import * as municipalities from '$lib/server/municipalities';
import * as runtime from '$lib/server/runtime';
import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import * as retention from '$lib/server/retention';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireCoordinator(locals, url);
	const db = runtime.db();
	const scope = await municipalities.list(db, user.isPlatformAdmin ? undefined : user.municipalityIds);
	const venues = await municipalities.listVenues(db, scope.map((x) => x.id));
	return {
		isPlatformAdmin: user.isPlatformAdmin,
		municipalities: scope.map((x) => ({
			id: x.id,
			name: x.name,
			retentionMonths: x.retentionMonths,
			contactEmail: x.contactEmail ?? '',
			venues: venues.filter((v) => v.municipalityId === x.id).map((v) => v.name)
		}))
	};
};

const retentionSchema = v.object({
	municipalityId: v.string(),
	months: v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(120))
});
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
	}
};
