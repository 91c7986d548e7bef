import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';

/** One dated event as calendars see it; UID and SEQUENCE come from the event row. */
export interface CalendarEvent {
	uid: string;
	sequence: number;
	title: string;
	description: string;
	startsAt: Date;
	endsAt: Date;
	timeZone: string;
	location: string;
	url: string;
	cancelled: boolean;
}

export type CalendarMethod = 'PUBLISH' | 'REQUEST' | 'CANCEL';

const methods = {
	PUBLISH: ICalCalendarMethod.PUBLISH,
	REQUEST: ICalCalendarMethod.REQUEST,
	CANCEL: ICalCalendarMethod.CANCEL
} as const;

/**
 * An iCalendar document. Times carry their TZID with a VTIMEZONE block; Luxon values are passed
 * because ical-generator formats a plain Date in the process time zone (toolchain gotcha 7).
 */
export function calendar(
	events: CalendarEvent[],
	options: {
		method: CalendarMethod;
		name: string;
		organizer?: { name: string; email: string };
		attendee?: { name: string; email: string };
	}
): string {
	const cal = ical({ name: options.name, prodId: { company: 'Miteinander', product: 'events', language: 'DE' } });
	cal.method(methods[options.method]);
	cal.timezone({ name: events[0]?.timeZone ?? 'Europe/Vienna', generator: getVtimezoneComponent });
	for (const event of events) {
		const cancelled = event.cancelled || options.method === 'CANCEL';
		cal.createEvent({
			id: event.uid,
			sequence: event.sequence,
			start: DateTime.fromJSDate(event.startsAt, { zone: event.timeZone }),
			end: DateTime.fromJSDate(event.endsAt, { zone: event.timeZone }),
			timezone: event.timeZone,
			summary: event.title,
			description: event.description,
			location: event.location,
			url: event.url,
			status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
			organizer: options.organizer,
			attendees: options.attendee ? [{ name: options.attendee.name, email: options.attendee.email, rsvp: false }] : []
		});
	}
	return cal.toString();
}
