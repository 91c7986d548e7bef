import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { requireEventManager } from '$lib/server/auth/guards';
import { formValues, parseForm } from '$lib/server/forms';
import * as runtime from '$lib/server/runtime';
import * as stalls from '$lib/server/stalls';
import { formatDateTime } from '$lib/format';
import { getLocale } from '$lib/paraglide/runtime';
import { utcToZoned, zonedToUtc } from '$lib/server/events/recurrence';
import { stallReasonLabel } from '$lib/stall-format';
import type { Actions, PageServerLoad } from './$types';

async function requireMarket(locals: App.Locals, url: URL, eventId: string) {
	const found = await requireEventManager(locals, url, eventId);
	if (found.event.kind !== 'market') error(404, m.stalls_not_market());
	return found;
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { user, event } = await requireMarket(locals, url, params.id);
	const db = runtime.db();
	const [plan, requests] = await Promise.all([stalls.plan(db, user, event.id), stalls.requestsForEvent(db, user, event.id)]);
	if (!plan.ok || !requests.ok) error(403, m.error_403());
	const booking = await stalls.bookingState(db, event.id, new Date());
	return {
		event: { id: event.id, title: event.title, timeZone: event.timeZone },
		bookingOpen: booking.open,
		opensAt: booking.opensAt,
		opensAtValue: booking.opensAt ? utcToZoned(booking.opensAt, event.timeZone) : '',
		stalls: plan.rows,
		requests: requests.items.map((r) => ({ ...r, actions: stalls.applicableActions(r.status) }))
	};
};

const int = (min: number, max: number) =>
	v.pipe(v.string(), v.trim(), v.regex(/^\d+$/, () => m.error_number_range({ min, max })), v.transform(Number), v.minValue(min, () => m.error_number_range({ min, max })), v.maxValue(max, () => m.error_number_range({ min, max })));
const addSchema = v.object({
	prefix: v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z]{0,3}$/, () => m.error_invalid_choice())),
	from: int(1, 9999),
	count: int(1, 200),
	zone: v.pipe(v.string(), v.trim(), v.maxLength(60, () => m.error_too_long({ max: 60 }))),
	size: v.picklist(['1', '2', '3'], () => m.error_choose_one())
});

const problemMessage = (problem: string, club: string) => {
	if (problem === 'stall_taken' || problem === 'unknown_stall') return m.stalls_stall_taken();
	if (problem === 'already_assigned') return m.stall_already_assigned({ club });
	return problem === 'not_open' ? m.stalls_not_open() : m.error_403();
};

export const actions: Actions = {
	add: async ({ locals, url, params, request }) => {
		const { user, event } = await requireMarket(locals, url, params.id);
		const form = await request.formData();
		const parsed = parseForm(addSchema, form);
		const values = formValues(form, [...Object.keys(addSchema.entries), 'hasPower', 'indoor', 'accessible']);
		if (!parsed.ok) return fail(400, { action: 'add', errors: parsed.errors, values });
		const d = parsed.data;
		const result = await stalls.addStalls(
			runtime.db(),
			user,
			event.id,
			{ prefix: d.prefix.toUpperCase(), from: d.from, count: d.count, zone: d.zone, size: Number(d.size), hasPower: form.get('hasPower') === 'on', indoor: form.get('indoor') === 'on', accessible: form.get('accessible') === 'on' },
			runtime.links(),
			new Date()
		);
		if (!result.ok) return fail(400, { action: 'add', errors: { prefix: result.problem === 'duplicate_number' ? m.stalls_duplicate() : m.error_403() } as Record<string, string>, values });
		return { action: 'add', notice: m.stalls_added({ count: result.added }) };
	},
	booking: async ({ locals, url, params, request }) => {
		const { user, event } = await requireMarket(locals, url, params.id);
		const open = (await request.formData()).get('open') === 'true';
		await stalls.setBookingOpen(runtime.db(), user, event.id, open, new Date());
		return { action: 'booking', notice: open ? m.stalls_booking_open() : m.stalls_booking_closed() };
	},
	opening: async ({ locals, url, params, request }) => {
		const { user, event } = await requireMarket(locals, url, params.id);
		const value = String((await request.formData()).get('opensAt') ?? '').trim();
		const opensAt = value ? zonedToUtc(value, event.timeZone) : null;
		if (value && !opensAt) return fail(400, { action: 'opening', openingError: m.stall_opening_invalid(), opensAt: value });
		const result = await stalls.setBookingOpensAt(runtime.db(), user, event.id, opensAt, new Date());
		if (!result.ok) {
			const message = result.problem === 'in_past' ? m.stall_opening_in_past() : result.problem === 'after_start' ? m.stall_opening_after_start() : m.error_403();
			return fail(400, { action: 'opening', openingError: message, opensAt: value });
		}
		return { action: 'opening', notice: opensAt ? m.stall_opening_saved({ date: formatDateTime(opensAt, getLocale(), event.timeZone) }) : m.stall_opening_removed() };
	},
	approve: async ({ locals, url, params, request }) => {
		const { user } = await requireMarket(locals, url, params.id);
		const form = await request.formData();
		const requestId = String(form.get('requestId') ?? '');
		const club = String(form.get('club') ?? '');
		const stallId = String(form.get('stallId') ?? '') || undefined;
		const result = await stalls.approve(runtime.db(), user, requestId, runtime.links(), new Date(), stallId);
		if (!result.ok) return fail(400, { action: 'approve', requestId, error: problemMessage(result.problem, club) });
		return {
			action: 'approve',
			notice:
				result.status === 'approved'
					? m.stalls_approved_notice({ club, stall: result.stallNumber ?? '' })
					: m.stalls_waitlisted_notice({ club, reason: stallReasonLabel(result.reason ?? '') })
		};
	},
	move: async ({ locals, url, params, request }) => {
		const { user } = await requireMarket(locals, url, params.id);
		const form = await request.formData();
		const requestId = String(form.get('requestId') ?? '');
		const club = String(form.get('club') ?? '');
		const stallId = String(form.get('stallId') ?? '');
		if (!stallId) return fail(400, { action: 'move', requestId, error: m.stall_move_required() });
		const result = await stalls.approve(runtime.db(), user, requestId, runtime.links(), new Date(), stallId);
		if (!result.ok) return fail(400, { action: 'move', requestId, error: problemMessage(result.problem, club) });
		return { action: 'move', notice: m.stall_moved_notice({ club, stall: result.stallNumber ?? '' }) };
	},
	waitlist: async ({ locals, url, params, request }) => {
		const { user } = await requireMarket(locals, url, params.id);
		const form = await request.formData();
		const requestId = String(form.get('requestId') ?? '');
		const result = await stalls.waitlist(runtime.db(), user, requestId, runtime.links(), new Date());
		if (!result.ok) return fail(400, { action: 'waitlist', requestId, error: problemMessage(result.problem, String(form.get('club') ?? '')) });
		return { action: 'waitlist', notice: m.stalls_waitlisted_by_hand({ club: String(form.get('club') ?? '') }) };
	},
	reject: async ({ locals, url, params, request }) => {
		const { user } = await requireMarket(locals, url, params.id);
		const form = await request.formData();
		const requestId = String(form.get('requestId') ?? '');
		const reason = String(form.get('reason') ?? '').trim().slice(0, 500);
		if (!reason) return fail(400, { action: 'reject', requestId, error: m.stalls_reject_reason_required() });
		const result = await stalls.reject(runtime.db(), user, requestId, reason, runtime.links(), new Date());
		if (!result.ok) return fail(400, { action: 'reject', requestId, error: problemMessage(result.problem, String(form.get('club') ?? '')) });
		return { action: 'reject', notice: m.stalls_rejected_notice({ club: String(form.get('club') ?? '') }) };
	},
	cancel: async ({ locals, url, params, request }) => {
		const { user } = await requireMarket(locals, url, params.id);
		const form = await request.formData();
		const requestId = String(form.get('requestId') ?? '');
		if (form.get('confirm') !== 'on') return fail(400, { action: 'cancel', requestId, error: m.event_cancel_needs_confirm() });
		const result = await stalls.cancel(runtime.db(), user, requestId, runtime.links(), new Date());
		if (!result.ok) return fail(400, { action: 'cancel', requestId, error: problemMessage(result.problem, String(form.get('club') ?? '')) });
		return { action: 'cancel', notice: m.stalls_cancelled_notice({ club: String(form.get('club') ?? '') }) };
	}
};
