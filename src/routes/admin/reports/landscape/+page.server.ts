import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { vocabularyLabel } from '$lib/vocabulary';
import { getLocale } from '$lib/paraglide/runtime';
import { requireCoordinator } from '$lib/server/auth/guards';
import * as reports from '$lib/server/reports';
import { parseLandscapeFilter } from '$lib/server/reports/filter';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireCoordinator(locals, url);
	const db = runtime.db();
	const municipalities = (await reports.scope(db, user)).map((x) => ({ value: x.id, label: x.name }));
	const parsed = parseLandscapeFilter(url.searchParams, new Date());
	if (!parsed.ok) return { municipalities, values: parsed.values, errors: parsed.errors, landscape: null };
	const result = await reports.landscape(db, user, { municipalityIds: parsed.values.municipalities, from: parsed.values.from, to: parsed.values.to });
	if (!result.ok) {
		if (result.problem === 'forbidden') error(403, m.error_403());
		return { municipalities, values: parsed.values, errors: { municipality: m.report_error_municipality() } as Record<string, string>, landscape: null };
	}
	return {
		municipalities,
		values: parsed.values,
		errors: {} as Record<string, string>,
		landscape: {
			municipalities: result.municipalities,
			rows: result.rows.map((r) => ({ slug: r.tag.slug, label: vocabularyLabel('tag', r.tag.slug, { de: r.tag.labelDe, en: r.tag.labelEn }, getLocale()), cells: r.cells, isDuplicate: r.isDuplicate, isBlindSpotEverywhere: r.isBlindSpotEverywhere }))
		}
	};
};
