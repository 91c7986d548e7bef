import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { deLocalizeHref, localizeHref } from '$lib/i18n';
import * as events from '../events';
import * as runtime from '../runtime';
import { isCoordinator, type SessionUser } from './users';

/** Anonymous visitors go to sign-in and come back afterwards. */
export function requireUser(locals: App.Locals, url: URL): SessionUser {
	if (!locals.user) {
		// Without the locale prefix, so the link works in whichever language the person signs in.
		const back = deLocalizeHref(url.pathname) + url.search;
		redirect(303, localizeHref(`/sign-in?redirectTo=${encodeURIComponent(back)}`));
	}
	return locals.user;
}

/** Coordinators of at least one municipality, or platform admins; everyone else gets 403. */
export function requireCoordinator(locals: App.Locals, url: URL): SessionUser {
	const user = requireUser(locals, url);
	if (!isCoordinator(user)) error(403, m.error_403());
	return user;
}

/** Only a local path may be a redirect target after sign-in (no open redirects). */
export function safeRedirectTarget(value: string | null): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
	return value;
}

/** A coordinator of one of the event's host municipalities (or a platform admin), with the event. */
export async function requireEventManager(locals: App.Locals, url: URL, eventId: string) {
	const user = requireCoordinator(locals, url);
	const event = await events.get(runtime.db(), eventId);
	if (!event) error(404, m.event_not_found());
	if (!events.canManage(user, event)) error(403, m.error_403());
	return { user, event };
}
