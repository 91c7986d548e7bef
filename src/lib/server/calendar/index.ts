import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { escape, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
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
	/** When the entry last changed (DTSTAMP); defaults to now. Feeds pass it so unchanged data gives the same bytes. */
	stamp?: Date;
}

export type CalendarMethod = 'PUBLISH' | 'REQUEST' | 'CANCEL';

const methods = {
	PUBLISH: ICalCalendarMethod.PUBLISH,
	REQUEST: ICalCalendarMethod.REQUEST,
	CANCEL: ICalCalendarMethod.CANCEL
} as const;

/**
 * An iCalendar document. Times carry their TZID with one VTIMEZONE block per zone used; Luxon
 * values are passed because ical-generator formats a plain Date in the process time zone
 * (toolchain gotcha 7).
 */
export function calendar(
	events: CalendarEvent[],
	options: {
		method: CalendarMethod;
		name: string;
		organizer?: { name: string; email: string };
		attendee?: { name: string; email: string };
		/** How often subscribers should poll (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
		refreshSeconds?: number;
	}
): string {
	// ical-generator writes the calendar name unescaped: a comma, semicolon or line break would break the file.
	const name = escape(options.name.replace(/\s+/g, ' ').trim(), false);
	const cal = ical({ name, prodId: { company: 'Miteinander', product: 'events', language: 'DE' } });
	cal.method(methods[options.method]);
	// No calendar-wide zone: ical-generator would then write DTSTAMP as a floating local time instead
	// of UTC. The generator alone makes it emit a VTIMEZONE for every event's zone.
	cal.timezone({ name: null, generator: getVtimezoneComponent });
	if (options.refreshSeconds) cal.ttl(options.refreshSeconds);
	for (const event of events) {
		const cancelled = event.cancelled || options.method === 'CANCEL';
		cal.createEvent({
			id: event.uid,
			sequence: event.sequence,
			stamp: event.stamp ?? new Date(),
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
