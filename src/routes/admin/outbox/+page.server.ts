import { queryParams } from '$lib/server/forms';
import * as v from 'valibot';
import { requireCoordinator } from '$lib/server/auth/guards';
import { mailHealth } from '$lib/server/mail/health';
import * as outbox from '$lib/server/mail/outbox';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 25;
const statuses = ['pending', 'sending', 'sent', 'failed'] as const;
const querySchema = v.object({
	status: v.optional(v.picklist(statuses)),
	page: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1)), '1')
});

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireCoordinator(locals, url);
	const parsed = v.safeParse(querySchema, queryParams(url));
	// Unknown filters fall back to the full first page rather than an error.
	const status = parsed.success ? parsed.output.status : undefined;
	const page = parsed.success ? Number(parsed.output.page) : 1;
	const { items, total } = await outbox.list(runtime.db(), user, { status, page, pageSize: PAGE_SIZE });
	// The page loads only with the database answering (else the 503 page), so it is reachable here.
	const mail = await mailHealth(runtime.db(), new Date());
	return { items, status: status ?? '', page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), statuses, mail };
};
