import { dateTimeFormat, formatNumber } from './format';

/** Hours from minutes in the reader's language: "2", "1,5" (de) or "1.5" (en). */
export function formatHours(minutes: number, locale: string): string {
	return formatNumber(minutes / 60, locale, { maximumFractionDigits: 2 });
}

/** A calendar day (YYYY-MM-DD) as "7. Mai 2026" / "7 May 2026"; noon UTC keeps the day in every zone. */
export function formatDay(day: string, locale: string): string {
	return dateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}
