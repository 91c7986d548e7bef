import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as matching from '$lib/server/matching';
import { manageUrl } from '$lib/server/registrations/links';
import * as runtime from '$lib/server/runtime';
import type { RequestHandler } from './$types';
import { findOr404 } from '../registration';

/** The person's published conversations as calendar entries, with the same UIDs as the mailed invites. */
export const GET: RequestHandler = async ({ params }) => {
	const registration = await findOr404(params.token);
	const { event, person } = registration;
	const plan = await matching.personPlan(runtime.db(), event.id, person.id);
	if (!plan || plan.slots.length === 0) error(404, m.manage_plan_none());
	const links = runtime.links();
	const content = await matching.personCalendar(runtime.db(), event, person, plan.slots, { origin: links.origin, manageUrl: manageUrl(links, registration.id) });
	return new Response(content, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': 'attachment; filename="gespraeche.ics"',
			'cache-control': 'no-store'
		}
	});
};
