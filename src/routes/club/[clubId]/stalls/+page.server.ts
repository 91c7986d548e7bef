import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { formValues, parseForm } from '$lib/server/forms';
import * as runtime from '$lib/server/runtime';
import * as stalls from '$lib/server/stalls';
import { requireClubEditor } from '../../guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { user, club } = await requireClubEditor(locals, url, params.clubId);
	const db = runtime.db();
	const mine = await stalls.requestsForClub(db, user, club.id);
	if (!mine.ok) error(403, m.club_error_forbidden());
	const now = new Date();
	const markets = await stalls.openMarkets(db, now);
	const closed = await stalls.closedMarkets(db, now);
	const titles = new Map(markets.map((e) => [e.id, e.title]));
	const eventTitles = await db.selectFrom('event').select(['id', 'title']).where('id', 'in', mine.items.length ? mine.items.map((r) => r.eventId) : ['']).execute();
	for (const e of eventTitles) titles.set(e.id, e.title);
	return {
		club: { id: club.id, name: club.name, approved: club.status === 'approved' },
		markets,
		// A market the club already has a stall or a request at needs no "whom to ask" note.
		closed: closed.filter((market) => !mine.items.some((r) => r.eventId === market.id && ['requested', 'waitlisted', 'approved'].includes(r.status))),
		requests: mine.items.map((r) => ({ ...r, market: titles.get(r.eventId) ?? '' }))
	};
};

const count = (max: number) =>
	v.pipe(v.string(), v.trim(), v.regex(/^\d+$/, () => m.error_number_range({ min: 0, max })), v.transform(Number), v.maxValue(max, () => m.error_number_range({ min: 0, max })));
const requestSchema = v.object({
	eventId: v.pipe(v.string(), v.nonEmpty(() => m.error_choose_one())),
	size: v.picklist(['1', '2', '3'], () => m.error_choose_one()),
	tables: count(20),
	chairs: count(40),
	staff: v.pipe(v.string(), v.trim(), v.maxLength(300, () => m.error_too_long({ max: 300 }))),
	notes: v.pipe(v.string(), v.trim(), v.maxLength(1000, () => m.error_too_long({ max: 1000 })))
});

const problems: Record<string, () => string> = {
	booking_closed: m.clubstalls_booking_closed,
	already_requested: m.clubstalls_already,
	club_not_approved: m.clubstalls_not_approved,
	not_open: m.clubstalls_not_open
};

export const actions: Actions = {
	request: async ({ locals, url, params, request }) => {
		const { user, club } = await requireClubEditor(locals, url, params.clubId);
		const form = await request.formData();
		const values = formValues(form, [...Object.keys(requestSchema.entries), 'needsPower', 'needsAccessible']);
		const parsed = parseForm(requestSchema, form);
		if (!parsed.ok) return fail(400, { action: 'request', errors: parsed.errors, values });
		const d = parsed.data;
		const result = await stalls.request(
			runtime.db(),
			user,
			club.id,
			d.eventId,
			{ size: Number(d.size), needsPower: form.get('needsPower') === 'on', needsAccessible: form.get('needsAccessible') === 'on', tables: d.tables, chairs: d.chairs, staff: d.staff, notes: d.notes },
			runtime.links(),
			new Date()
		);
		if (!result.ok) {
			const message = problems[result.problem]?.() ?? m.club_error_forbidden();
			return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'request', errors: { eventId: message } as Record<string, string>, values });
		}
		return { action: 'request', notice: m.clubstalls_requested() };
	},
	cancel: async ({ locals, url, params, request }) => {
		const { user } = await requireClubEditor(locals, url, params.clubId);
		const form = await request.formData();
		const requestId = String(form.get('requestId') ?? '');
		if (form.get('confirm') !== 'on') return fail(400, { action: 'cancel', requestId, error: m.event_cancel_needs_confirm() });
		const result = await stalls.cancel(runtime.db(), user, requestId, runtime.links(), new Date());
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'cancel', requestId, error: problems[result.problem]?.() ?? m.club_error_forbidden() });
		return { action: 'cancel', notice: m.clubstalls_cancelled() };
	}
};
