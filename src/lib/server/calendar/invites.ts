import type { EventDetails } from '../events';
import { venueLine } from '../events';
import type { Attachment } from '../mail/outbox';
import * as m from '../../paraglide/messages';
import { isLocale } from '../../paraglide/runtime';
import { calendar, type CalendarMethod } from './index';

/** The event as a calendar entry; `extraSequence` lets a personal cancellation outrank the last invite. */
export function calendarEvent(event: EventDetails, origin: string, description: string, extraSequence = 0) {
	return {
		uid: event.icalUid,
		sequence: event.icalSequence + extraSequence,
		title: event.title,
		description,
		startsAt: event.startsAt,
		endsAt: event.endsAt,
		timeZone: event.timeZone,
		location: venueLine(event.venue, event.place),
		url: `${origin}/events/${event.id}`,
		cancelled: event.status === 'cancelled'
	};
}

/**
 * An invite (REQUEST) or cancellation (CANCEL) for one attendee, attached to their email. The
 * organizer is a no-reply address on behalf of the hosting municipality. The title and description
 * stay as the organiser wrote them; the line with the manage link is in the attendee's language.
 */
export function inviteAttachment(
	event: EventDetails,
	attendee: { name: string; email: string },
	method: Exclude<CalendarMethod, 'PUBLISH'>,
	links: { origin: string; manageUrl: string; locale?: string }
): Attachment {
	const host = event.hosts[0]?.name ?? 'Miteinander';
	const locale = links.locale && isLocale(links.locale) ? links.locale : 'de';
	const manageLine = m.invite_manage_line({ url: links.manageUrl }, { locale });
	const content = calendar([calendarEvent(event, links.origin, `${event.description}\n\n${manageLine}`.trim(), method === 'CANCEL' ? 1 : 0)], {
		method,
		name: event.title,
		organizer: { name: host, email: `no-reply@${new URL(links.origin).hostname}` },
		attendee
	});
	return {
		filename: method === 'CANCEL' ? 'absage.ics' : 'einladung.ics',
		contentType: `text/calendar; charset=utf-8; method=${method}`,
		content
	};
}
