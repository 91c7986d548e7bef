import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requireCoordinator } from '$lib/server/auth/guards';
import * as clubs from '$lib/server/clubs';
import * as directory from '$lib/server/clubs/directory';
import { clubProblemMessage, parseRejection } from '$lib/server/clubs/form';
import { env } from '$lib/server/env';
import * as runtime from '$lib/server/runtime';
import * as tags from '$lib/server/tags';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireCoordinator(locals, url);
	const db = runtime.db();
	const [list, counts, tagList] = await Promise.all([
		clubs.listForReview(db, user),
		directory.countsByTagAndMunicipality(db, user),
		tags.list(db, getLocale())
	]);
	if (!counts.ok) error(403, m.error_403());
	const labels = new Map(tagList.map((t) => [t.slug, t.label]));
	// Both lists cover the viewer's municipalities; the review list does not carry their slugs.
	const slugs = new Map(counts.municipalities.map((x) => [x.id, x.slug]));
	const byStatus = (status: clubs.ClubStatus) =>
		list
			.filter((c) => c.status === status)
			.map((c) => ({
				id: c.id,
				name: c.name,
				municipality: c.municipality.name,
				contactEmail: c.contactEmail,
				createdAt: c.createdAt,
				href: c.status === 'approved' && slugs.has(c.municipality.id) ? clubs.paths.clubPage(slugs.get(c.municipality.id)!, c.slug) : null
			}));
	return {
		pending: byStatus('pending'),
		approved: byStatus('approved'),
		rejected: byStatus('rejected'),
		counts: {
			municipalities: counts.municipalities.map((x) => ({ id: x.id, name: x.name })),
			rows: counts.rows
				.map((row) => ({ tag: labels.get(row.tag) ?? row.tag, byMunicipality: row.byMunicipality }))
				.sort((a, b) => a.tag.localeCompare(b.tag, getLocale()))
		}
	};
};

function clubIdOf(form: FormData): string {
	return String(form.get('clubId') ?? '').slice(0, 64);
}

const statusOf = { not_found: 404, forbidden: 403, not_pending: 409 } as const;

export const actions: Actions = {
	approve: async ({ locals, url, request }) => {
		const user = requireCoordinator(locals, url);
		const clubId = clubIdOf(await request.formData());
		const result = await clubs.approve(runtime.db(), user, clubId, { origin: env().origin }, new Date());
		if (!result.ok) return fail(statusOf[result.problem], { clubId, error: clubProblemMessage(result.problem) });
		return { approved: clubId };
	},
	reject: async ({ locals, url, request }) => {
		const user = requireCoordinator(locals, url);
		const form = await request.formData();
		const clubId = clubIdOf(form);
		const parsed = parseRejection(form);
		// The service allows an empty reason; here it is required, so the club learns what to change.
		const reason = parsed.ok ? parsed.data.reason : '';
		const reasonError = parsed.ok ? (reason ? null : m.adminclubs_reason_required()) : (parsed.errors.reason ?? m.adminclubs_reason_required());
		if (reasonError) return fail(400, { clubId, reason: String(parsed.ok ? '' : parsed.values.reason ?? ''), reasonError });
		const result = await clubs.reject(runtime.db(), user, clubId, reason, { origin: env().origin }, new Date());
		if (!result.ok) return fail(statusOf[result.problem], { clubId, error: clubProblemMessage(result.problem) });
		return { rejected: clubId };
	}
};
