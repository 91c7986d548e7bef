import { intlLocale } from './locale';

/**
 * Every date, time and number a reader sees goes through here: the Paraglide locale becomes an Intl
 * locale (see locale.ts), and times are shown in the event's or municipality's time zone.
 */

/** The region's zone, for instants that belong to no event (a club's sign-up date on the back office). */
export const REGION_TIME_ZONE = 'Europe/Vienna';

const formatters = new Map<string, Intl.DateTimeFormat>();
const numberFormatters = new Map<string, Intl.NumberFormat>();

/** Intl formatters are expensive to build (a measurable share of a page render): keep one per shape. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const tag = intlLocale(locale);
	const key = `${tag}|${JSON.stringify(options)}`;
	let formatter = formatters.get(key);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat(tag, options);
		formatters.set(key, formatter);
	}
	return formatter;
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
	const tag = intlLocale(locale);
	const key = `${tag}|${JSON.stringify(options)}`;
	let formatter = numberFormatters.get(key);
	if (!formatter) {
		formatter = new Intl.NumberFormat(tag, options);
		numberFormatters.set(key, formatter);
	}
	return formatter;
}

/** A number in the reader's format: "1 234,5" (de-AT groups with a no-break space), "1,234.5" (en-GB). */
export function formatNumber(value: number, locale: string, options?: Intl.NumberFormatOptions): string {
	return numberFormat(locale, options).format(value);
}

/** Date and time in the reader's language and the place's time zone, e.g. "23.11.2026, 18:00". */
export function formatDateTime(value: Date | string, locale: string, timeZone = REGION_TIME_ZONE): string {
	return dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(value));
}

/** A day in the reader's language and the place's time zone, e.g. "23.11.2026" / "23 Nov 2026". */
export function formatDate(value: Date | string, locale: string, timeZone = REGION_TIME_ZONE): string {
	return dateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(value));
}

/** A clock time in the reader's language and the place's time zone, e.g. "18:00". */
export function formatTime(value: Date | string, locale: string, timeZone: string): string {
	return dateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(new Date(value));
}

/**
 * "Donnerstag, 8. April 2027, 18:00–20:30 Uhr" in the reader's language and the event's zone. The
 * language's own range pattern places the separators ("الخميس، 8 أبريل 2027، 6:00–8:30 م") and
 * names the end's date when the event runs past midnight.
 */
export function formatEventTime(startsAt: Date, endsAt: Date, timeZone: string, locale: string): string {
	return dateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone }).formatRange(startsAt, endsAt);
}

/** A month's name (1 = January): "Jänner" (de-AT), "January". */
export function formatMonth(month: number, locale: string): string {
	return dateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, 1)));
}
