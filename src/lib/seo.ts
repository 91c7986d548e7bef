/**
 * What search engines and link previews read: schema.org JSON-LD for events and clubs, and short
 * descriptions. Pure and client-safe; the pages pass in absolute URLs and already translated text.
 * The shapes follow schema.org and Google's Event rich result rules (name, startDate and a location
 * with an address are required; the rest is recommended).
 */

export type JsonLd = Record<string, unknown>;

/** Search results cut descriptions at about 155–160 characters. */
export const DESCRIPTION_LENGTH = 155;

/** Whitespace collapsed, cut at a word boundary before `max` characters with an ellipsis. */
export function excerpt(text: string, max = DESCRIPTION_LENGTH): string {
	const plain = text.replace(/\s+/g, ' ').trim();
	if (plain.length <= max) return plain;
	const cut = plain.slice(0, max - 1);
	// A word that runs past the cut goes; one that ends right at it stays.
	const space = plain[max - 1] === ' ' ? cut.length : cut.lastIndexOf(' ');
	return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, '')}…`;
}

/**
 * The instant as local wall time with its UTC offset in `timeZone`, e.g. "2026-12-10T18:00:00+01:00":
 * the form schema.org's Event dates want, so a reader abroad sees the right hour.
 */
export function isoWithOffset(value: Date, timeZone: string): string {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		})
			.formatToParts(value)
			.map((p) => [p.type, p.value])
	);
	const wall = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
	const offsetMinutes = Math.round((Date.parse(`${wall}Z`) - Math.floor(value.getTime() / 1000) * 1000) / 60_000);
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
	return wall + offset;
}

export interface EventLdInput {
	name: string;
	description: string;
	startsAt: Date;
	endsAt: Date;
	timeZone: string;
	status: 'published' | 'cancelled' | 'rescheduled';
	venue: { name: string; street: string; postalCode: string; city: string } | null;
	/** Absolute URL of the event page. */
	url: string;
	/** The hosting municipalities, each with an absolute URL. */
	organizers: { name: string; url: string }[];
	seatsLeft: number;
	capacity: number;
	registrationOpensAt: Date | null;
	inLanguage: string;
	/** ISO 3166 country code of the venue's address. */
	country: string;
}

/** A few seats left (or at most a tenth of them): worth saying so. */
function availability(seatsLeft: number, capacity: number): string {
	if (seatsLeft <= 0) return 'https://schema.org/SoldOut';
	if (seatsLeft <= Math.max(3, Math.ceil(capacity / 10))) return 'https://schema.org/LimitedAvailability';
	return 'https://schema.org/InStock';
}

const EVENT_STATUS = {
	published: 'https://schema.org/EventScheduled',
	cancelled: 'https://schema.org/EventCancelled',
	rescheduled: 'https://schema.org/EventRescheduled'
} as const;

export function eventJsonLd(event: EventLdInput): JsonLd {
	const organizers = event.organizers.map((o) => ({ '@type': 'Organization', name: o.name, url: o.url }));
	return {
		'@context': 'https://schema.org',
		'@type': 'Event',
		name: event.name,
		...(event.description ? { description: excerpt(event.description, 5000) } : {}),
		startDate: isoWithOffset(event.startsAt, event.timeZone),
		endDate: isoWithOffset(event.endsAt, event.timeZone),
		eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
		eventStatus: EVENT_STATUS[event.status],
		...(event.venue
			? {
					location: {
						'@type': 'Place',
						name: event.venue.name,
						address: {
							'@type': 'PostalAddress',
							streetAddress: event.venue.street,
							postalCode: event.venue.postalCode,
							addressLocality: event.venue.city,
							addressCountry: event.country
						}
					}
				}
			: {}),
		...(organizers.length ? { organizer: organizers.length === 1 ? organizers[0] : organizers } : {}),
		offers: {
			'@type': 'Offer',
			price: 0,
			priceCurrency: 'EUR',
			availability: availability(event.seatsLeft, event.capacity),
			...(event.registrationOpensAt ? { validFrom: isoWithOffset(event.registrationOpensAt, event.timeZone) } : {}),
			url: event.url
		},
		inLanguage: event.inLanguage,
		url: event.url
	};
}

export interface OrganizationLdInput {
	name: string;
	description: string;
	/** Absolute URL of the club's page. */
	url: string;
	/** Absolute URL of the logo, when the club has one. */
	logo: string | null;
	municipality: string;
	country: string;
	website: string | null;
}

export function organizationJsonLd(club: OrganizationLdInput): JsonLd {
	return {
		'@context': 'https://schema.org',
		'@type': 'Organization',
		name: club.name,
		...(club.description ? { description: club.description } : {}),
		url: club.url,
		...(club.logo ? { logo: club.logo } : {}),
		address: { '@type': 'PostalAddress', addressLocality: club.municipality, addressCountry: club.country },
		...(club.website ? { sameAs: [club.website] } : {})
	};
}

/**
 * JSON for a `<script type="application/ld+json">`: `<` (and `>`, `&`, the line separators JavaScript
 * once choked on) as \u escapes, so text a club or coordinator typed cannot close the tag or open a comment.
 */
export function serializeJsonLd(data: JsonLd): string {
	return JSON.stringify(data)
		.replace(/</g, '\\u003c')
		.replace(/>/g, '\\u003e')
		.replace(/&/g, '\\u0026')
		.replace(/\u2028/g, '\\u2028')
		.replace(/\u2029/g, '\\u2029');
}

/** The element itself, ready for `{@html}` inside `<svelte:head>`. */
export function jsonLdScript(data: JsonLd): string {
	return `<script type="application/ld+json">${serializeJsonLd(data)}</` + 'script>';
}

/** Open Graph wants language_TERRITORY; our locales are bare languages. */
const OG_LOCALES: Readonly<Record<string, string>> = { de: 'de_AT', en: 'en_GB', tr: 'tr_TR', ar: 'ar_AR', uk: 'uk_UA', bs: 'bs_BA' };

export function ogLocale(locale: string): string {
	return OG_LOCALES[locale] ?? locale.replace('-', '_');
}
