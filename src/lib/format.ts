const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are expensive to build (a measurable share of a page render): keep one per shape. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const tag = locale === 'de' ? 'de-AT' : 'en-GB';
	const key = `${tag}|${JSON.stringify(options)}`;
	let formatter = formatters.get(key);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat(tag, options);
		formatters.set(key, formatter);
	}
	return formatter;
}

/** Date and time in the reader's language and the place's time zone, e.g. "23.11.2026, 18:00". */
export function formatDateTime(value: Date | string, locale: string, timeZone = 'Europe/Vienna'): string {
	return dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(value));
}

/** "Donnerstag, 8. April 2027, 18:00–20:30" in the reader's language and the event's zone. */
export function formatEventTime(startsAt: Date, endsAt: Date, timeZone: string, locale: string): string {
	const date = dateTimeFormat(locale, { dateStyle: 'full', timeZone }).format(startsAt);
	const time = dateTimeFormat(locale, { timeStyle: 'short', timeZone });
	return `${date}, ${time.format(startsAt)}–${time.format(endsAt)}`;
}
