import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { env } from '$lib/server/env';
import * as contact from '$lib/server/leads/contact';
import { parseContact, readContactValues } from '$lib/server/leads/contact-form';
import * as rateLimit from '$lib/server/rate-limit';
import * as runtime from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

async function findOr404(params: { municipality: string; club: string; offerId: string }) {
	const offer = await contact.findOffer(runtime.db(), params.municipality, params.club, params.offerId);
	if (!offer) error(404, m.error_404());
	return offer;
}

export const load: PageServerLoad = async ({ params }) => {
	const offer = await findOr404(params);
	return { offer: { title: offer.title, club: offer.club, clubPath: offer.clubPath }, messageMax: contact.MESSAGE_MAX };
};

export const actions: Actions = {
	default: async ({ params, request, getClientAddress }) => {
		const offer = await findOr404(params);
		const db = runtime.db();
		const form = await request.formData();
		const parsed = parseContact(form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });

		const config = env();
		const now = new Date();
		const windowMs = config.signInLimitWindowMinutes * 60_000;
		if (!(await rateLimit.consume(db, `contact:ip:${getClientAddress()}`, config.registrationLimitPerIp, windowMs, now))) {
			return fail(429, { errors: { form: m.contact_rate_limited({ minutes: config.signInLimitWindowMinutes }) }, values: readContactValues(form) });
		}
		await contact.request(db, offer, { name: parsed.name, email: parsed.email, message: parsed.message, locale: getLocale() }, runtime.links(), now);
		return { sent: true, email: parsed.email };
	}
};
