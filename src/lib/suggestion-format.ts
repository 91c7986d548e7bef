import type { Reason } from './matching/scoring';
import * as m from './paraglide/messages';
import type { Locale } from './paraglide/runtime';
import { dateTimeFormat } from './format';
import { languageName } from './language-names';
import { reasonText } from './match-format';

// Reasons on "Passt zu mir" speak to the person about an offer: "Sie sprechen Türkisch – gesucht",
// "Abends möglich". Everything else reads as on the match plan.

const availability: Record<string, (inputs: object, options: { locale: Locale }) => string> = {
	weekdays: m.availability_weekdays,
	weekends: m.availability_weekends,
	evenings: m.availability_evenings,
	daytime: m.availability_daytime
};

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
		const languages = reason.languages.map((code) => languageName(code, locale)).join(', ');
		return m.suggestions_reason_language({ languages }, { locale });
	}
	if (reason.code === 'time' && (reason.when.length > 0 || reason.months.length > 0)) {
		const when = [...reason.when.map((w) => availability[w]?.({}, { locale }) ?? w), ...reason.months.map((mo) => monthName(mo, locale))].join(', ');
		return capitalise(m.suggestions_reason_time({ when }, { locale }));
	}
	return reasonText(reason, locale, tagLabel, 'person', competenceLabel);
}
