import { describe, expect, it } from 'vitest';
import { eventJsonLd, excerpt, isoWithOffset, jsonLdScript, organizationJsonLd, serializeJsonLd, type EventLdInput } from './seo';

const event: EventLdInput = {
	name: 'Gesprächsrunde Imst',
	description: 'Vereine stellen sich vor.',
	startsAt: new Date('2026-12-10T17:00:00Z'),
	endsAt: new Date('2026-12-10T19:00:00Z'),
	timeZone: 'Europe/Vienna',
	status: 'published',
	venue: { name: 'Stadtsaal', street: 'Hauptplatz 1', postalCode: '6460', city: 'Imst' },
	url: 'https://example.org/de/events/e1',
	organizers: [{ name: 'Imst', url: 'https://example.org/de?municipality=imst' }],
	seatsLeft: 20,
	capacity: 30,
	registrationOpensAt: new Date('2026-11-10T08:00:00Z'),
	inLanguage: 'de',
	country: 'AT'
};

describe('isoWithOffset', () => {
	it('writes local wall time with the zone offset, winter and summer', () => {
		expect(isoWithOffset(new Date('2026-12-10T17:00:00Z'), 'Europe/Vienna')).toBe('2026-12-10T18:00:00+01:00');
		expect(isoWithOffset(new Date('2026-07-01T16:30:00Z'), 'Europe/Vienna')).toBe('2026-07-01T18:30:00+02:00');
		expect(isoWithOffset(new Date('2026-07-01T16:30:00Z'), 'America/New_York')).toBe('2026-07-01T12:30:00-04:00');
		expect(isoWithOffset(new Date('2026-07-01T16:30:00Z'), 'UTC')).toBe('2026-07-01T16:30:00+00:00');
	});
});

describe('eventJsonLd', () => {
	it('has what Google requires for an event: name, startDate, a location with an address', () => {
		const ld = eventJsonLd(event);
		expect(ld).toMatchObject({
			'@context': 'https://schema.org',
			'@type': 'Event',
			name: 'Gesprächsrunde Imst',
			startDate: '2026-12-10T18:00:00+01:00',
			endDate: '2026-12-10T20:00:00+01:00',
			eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
			eventStatus: 'https://schema.org/EventScheduled',
			location: {
				'@type': 'Place',
				name: 'Stadtsaal',
				address: { '@type': 'PostalAddress', streetAddress: 'Hauptplatz 1', postalCode: '6460', addressLocality: 'Imst', addressCountry: 'AT' }
			},
			organizer: { '@type': 'Organization', name: 'Imst', url: 'https://example.org/de?municipality=imst' },
			offers: {
				'@type': 'Offer',
				price: 0,
				priceCurrency: 'EUR',
				availability: 'https://schema.org/InStock',
				validFrom: '2026-11-10T09:00:00+01:00',
				url: 'https://example.org/de/events/e1'
			},
			inLanguage: 'de'
		});
	});

	it('marks a cancelled date EventCancelled', () => {
		expect(eventJsonLd({ ...event, status: 'cancelled' }).eventStatus).toBe('https://schema.org/EventCancelled');
	});

	it('says SoldOut with no seats left, LimitedAvailability with few', () => {
		const offers = (e: Partial<EventLdInput>) => eventJsonLd({ ...event, ...e }).offers as { availability: string };
		expect(offers({ seatsLeft: 0 }).availability).toBe('https://schema.org/SoldOut');
		expect(offers({ seatsLeft: 2 }).availability).toBe('https://schema.org/LimitedAvailability');
		expect(offers({ seatsLeft: 4, capacity: 100 }).availability).toBe('https://schema.org/LimitedAvailability');
		expect(offers({ seatsLeft: 11, capacity: 100 }).availability).toBe('https://schema.org/InStock');
	});

	it('lists several hosts as organizers and leaves out what it does not know', () => {
		const ld = eventJsonLd({ ...event, organizers: [event.organizers[0]!, { name: 'Tarrenz', url: 'https://example.org/de?municipality=tarrenz' }], venue: null, registrationOpensAt: null, description: '' });
		expect(ld.organizer).toHaveLength(2);
		expect(ld).not.toHaveProperty('location');
		expect(ld).not.toHaveProperty('description');
		expect(ld.offers).not.toHaveProperty('validFrom');
	});
});

describe('organizationJsonLd', () => {
	it('describes a club with its logo, locality and website', () => {
		const ld = organizationJsonLd({ name: 'Tarrenzer Tafel', description: 'Wir retten Lebensmittel.', url: 'https://example.org/de/clubs/tarrenz/tafel', logo: 'https://example.org/clubs/logo/c1?v=1', municipality: 'Tarrenz', country: 'AT', website: 'https://tafel.example' });
		expect(ld).toEqual({
			'@context': 'https://schema.org',
			'@type': 'Organization',
			name: 'Tarrenzer Tafel',
			description: 'Wir retten Lebensmittel.',
			url: 'https://example.org/de/clubs/tarrenz/tafel',
			logo: 'https://example.org/clubs/logo/c1?v=1',
			address: { '@type': 'PostalAddress', addressLocality: 'Tarrenz', addressCountry: 'AT' },
			sameAs: ['https://tafel.example']
		});
	});

	it('leaves out logo, website and an empty description', () => {
		const ld = organizationJsonLd({ name: 'Bergrettung', description: '', url: 'https://example.org/de/clubs/imst/bergrettung', logo: null, municipality: 'Imst', country: 'AT', website: null });
		expect(Object.keys(ld)).toEqual(['@context', '@type', 'name', 'url', 'address']);
	});
});

describe('serializeJsonLd', () => {
	it('cannot be closed by what a user typed, and parses back to the same text', () => {
		const name = 'Abend</script><script>alert(1)</script> & <!-- mehr -->\u2028';
		const json = serializeJsonLd(eventJsonLd({ ...event, name }));
		expect(json).not.toMatch(/[<>&\u2028]/);
		expect(JSON.parse(json).name).toBe(name);
		const script = jsonLdScript({ name });
		expect(script.match(/<\/script/gi)).toHaveLength(1);
		expect(script.endsWith('</script>')).toBe(true);
	});
});

describe('excerpt', () => {
	it('keeps short text, collapses whitespace and cuts long text at a word', () => {
		expect(excerpt('  Kurz\n\nund  gut ')).toBe('Kurz und gut');
		const long = 'Wort '.repeat(60);
		const cut = excerpt(long, 40);
		expect(cut.length).toBeLessThanOrEqual(40);
		expect(cut).toBe('Wort Wort Wort Wort Wort Wort Wort Wort…');
		expect(excerpt('Ein sehr langes Wortungetüm', 20)).toBe('Ein sehr langes…');
	});
});
