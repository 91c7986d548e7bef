import type { Reason } from './matching/scoring';
import * as m from './paraglide/messages';
import type { Locale } from './paraglide/runtime';
import { dateTimeFormat } from './format';
import { reasonText } from './match-format';

// Reasons on "Passt zu mir" speak to the person about an offer: "Sie sprechen Türkisch – gesucht",
// "Abends möglich". Everything else reads as on the match plan.

type Message = (inputs: object, options: { locale: Locale }) => string;

function label(key: string, locale: Locale, fallback: string): string {
	const message = (m as unknown as Record<string, Message | undefined>)[key];
	return message ? message({}, { locale }) : fallback;
}

function monthName(month: number, locale: Locale): string {
	return dateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, 1)));
}

const capitalise = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

export function suggestionReasonText(
	reason: Reason,
	locale: Locale,
	tagLabel: (slug: string) => string,
	competenceLabel: (slug: string) => string
): string {
	if (reason.code === 'language') {
		const languages = reason.languages.map((code) => label(`language_${code}`, locale, code)).join(', ');
		return m.suggestions_reason_language({ languages }, { locale });
	}
	if (reason.code === 'time' && (reason.when.length > 0 || reason.months.length > 0)) {
		const when = [...reason.when.map((w) => label(`availability_${w}`, locale, w)), ...reason.months.map((mo) => monthName(mo, locale))].join(', ');
		return capitalise(m.suggestions_reason_time({ when }, { locale }));
	}
	return reasonText(reason, locale, tagLabel, 'person', competenceLabel);
}
