/** Date and time in the reader's language and the place's time zone, e.g. "23.11.2026, 18:00". */
export function formatDateTime(value: Date | string, locale: string, timeZone = 'Europe/Vienna'): string {
	return new Intl.DateTimeFormat(locale === 'de' ? 'de-AT' : 'en-GB', {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone
	}).format(new Date(value));
}
