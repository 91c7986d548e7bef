import * as events from '../events';
import type { MailHeaders } from '../mail/outbox';
import type { EventFacts } from '../mail/templates';
import { manageUrl, unsubscribeUrl, type LinkContext } from './links';

export function eventFacts(event: events.EventDetails): EventFacts {
	return {
		title: event.title,
		startsAt: event.startsAt.toISOString(),
		endsAt: event.endsAt.toISOString(),
		timeZone: event.timeZone,
		where: events.venueLine(event.venue, event.place)
	};
}

/** What every email to a registered person carries: their name, the event, their manage link. */
export function participantMail(ctx: LinkContext, event: events.EventDetails, registrationId: string, name: string, locale?: string) {
	return { name, event: eventFacts(event), manageUrl: manageUrl(ctx, registrationId, locale) };
}

/**
 * Mail about an event comes from its (first) host municipality, replies go to the municipality's
 * contact address, and the one-click opt-out stops reminders and circulars (never the messages
 * about the person's own registration).
 */
export function participantHeaders(
	ctx: LinkContext,
	event: Pick<events.EventDetails, 'hosts'>,
	registrationId: string | null,
	locale?: string | null
): MailHeaders {
	const host = event.hosts[0];
	return {
		fromName: host ? `${host.name} · Miteinander` : undefined,
		replyTo: host?.contactEmail ?? undefined,
		listUnsubscribe: registrationId ? unsubscribeUrl(ctx, registrationId, locale) : undefined
	};
}
