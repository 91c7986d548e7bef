import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendar, type CalendarEvent } from './index';

const event: CalendarEvent = {
	uid: 'abc123@miteinander.example',
	sequence: 2,
	title: 'Gesprächsrunde Ehrenamt',
	description: 'Mit Getränken.\nAnmeldung verwalten: https://x.example/manage/t',
	startsAt: new Date('2027-04-08T16:00:00Z'),
	endsAt: new Date('2027-04-08T18:30:00Z'),
	timeZone: 'Europe/Vienna',
	location: 'Stadtsaal Imst, Stadtplatz 1, 6460 Imst',
	url: 'https://x.example/events/abc123',
	cancelled: false
};

function parse(text: string) {
	const component = new ICAL.Component(ICAL.parse(text));
	const vevent = component.getFirstSubcomponent('vevent')!;
	return { component, vevent, start: vevent.getFirstProperty('dtstart')! };
}

describe('iCalendar documents', () => {
	it('writes an invite with method, UID, SEQUENCE, TZID and local wall time', () => {
		const text = calendar([event], {
			method: 'REQUEST',
			name: 'Miteinander',
			organizer: { name: 'Gemeinde Imst', email: 'no-reply@imst.example' },
			attendee: { name: 'Anna', email: 'anna@example.org' }
		});
		const { component, vevent, start } = parse(text);
		expect(component.getFirstPropertyValue('method')).toBe('REQUEST');
		expect(vevent.getFirstPropertyValue('uid')).toBe(event.uid);
		expect(vevent.getFirstPropertyValue('sequence')).toBe(2);
		expect(start.getParameter('tzid')).toBe('Europe/Vienna');
		expect(String(start.getFirstValue())).toBe('2027-04-08T18:00:00');
		expect(vevent.getFirstPropertyValue('location')).toBe(event.location);
		expect(String(vevent.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:no-reply@imst.example');
		expect(String(vevent.getFirstPropertyValue('attendee')).toLowerCase()).toBe('mailto:anna@example.org');
		expect(component.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Europe/Vienna');
		expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
	});

	it('marks cancellations', () => {
		const { component, vevent } = parse(calendar([event], { method: 'CANCEL', name: 'Miteinander' }));
		expect(component.getFirstPropertyValue('method')).toBe('CANCEL');
		expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
	});

	it('keeps local time independent of the process time zone (Berlin in winter)', () => {
		const winter = { ...event, timeZone: 'Europe/Berlin', startsAt: new Date('2027-11-04T18:00:00Z'), endsAt: new Date('2027-11-04T20:00:00Z') };
		const { start } = parse(calendar([winter], { method: 'PUBLISH', name: 'x' }));
		expect(String(start.getFirstValue())).toBe('2027-11-04T19:00:00');
	});
});
