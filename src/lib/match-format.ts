import type { Reason } from './matching/scoring';
import * as m from './paraglide/messages';
import type { Locale } from './paraglide/runtime';
import { dateTimeFormat } from './format';
import { defaultCompetenceLabel } from './competences';
import { languageName } from './language-names';

// Labels for matching results, shared by pages (reader's locale) and mail (recipient's locale).

type Message = (inputs: object, options: { locale: Locale }) => string;

const availability: Record<string, Message> = {
	weekdays: m.availability_weekdays,
	weekends: m.availability_weekends,
	evenings: m.availability_evenings,
	daytime: m.availability_daytime
};

function monthName(month: number, locale: Locale): string {
	return dateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, 1)));
}

/** One reason from the matching core as a sentence; `tagLabel` turns a tag slug into its label. */
/**
 * One reason in words. The person reads "Ihre Zeit"; coordinators and clubs (`reader: 'staff'`)
 * read about the person in the third person.
 */
export function reasonText(
	reason: Reason,
	locale: Locale,
	tagLabel: (slug: string) => string,
	reader: 'person' | 'staff' = 'person',
	competenceLabel: (slug: string) => string = (slug) => defaultCompetenceLabel(slug, locale)
): string {
	const staff = reader === 'staff';
	switch (reason.code) {
		case 'interests':
			return m.match_reason_interests({ tags: reason.tags.map(tagLabel).join(', ') }, { locale });
		case 'time': {
			const parts = [
				...reason.when.map((w) => availability[w]?.({}, { locale }) ?? w),
				...reason.months.map((month) => monthName(month, locale))
			];
			if (parts.length === 0) return (staff ? m.match_reason_time_any_staff : m.match_reason_time_any)({}, { locale });
			return (staff ? m.match_reason_time_staff : m.match_reason_time)({ when: parts.join(', ') }, { locale });
		}
		case 'language':
			return m.match_reason_language({ languages: reason.languages.map((c) => languageName(c, locale)).join(', ') }, { locale });
		case 'place':
			if (reason.which === 'home') return (staff ? m.match_reason_place_home_staff : m.match_reason_place_home)({ place: reason.place }, { locale });
			return (staff ? m.match_reason_place_second_staff : m.match_reason_place_second)({ place: reason.place }, { locale });
		case 'remote':
			return m.match_reason_remote({}, { locale });
		case 'multilocal':
			return m.match_reason_multilocal({}, { locale });
		case 'competences': {
			const competences = reason.competences.map(competenceLabel).join(', ');
			return (staff ? m.match_reason_competences_staff : m.match_reason_competences)({ competences }, { locale });
		}
	}
}

const unplaced: Record<string, Message> = {
	no_clubs: m.match_unplaced_no_clubs,
	no_common_language: m.match_unplaced_no_common_language,
	no_time_overlap: m.match_unplaced_no_time_overlap,
	banned: m.match_unplaced_banned,
	capacity: m.match_unplaced_capacity,
	no_round: m.match_unplaced_no_round,
	no_seat_left: m.match_unplaced_capacity,
	no_fitting_table: m.match_unplaced_no_fitting_table,
	no_seats: m.match_unplaced_no_seats,
	no_candidates: m.match_unplaced_no_candidates
};

/** Why a person got no club, for the coordinator's preview. */
export function unplacedReasonLabel(reason: string, locale: Locale): string {
	return unplaced[reason]?.({}, { locale }) ?? reason;
}

const rejected: Record<string, Message> = {
	banned: m.match_pin_rejected_banned,
	club_full: m.match_pin_rejected_club_full,
	person_full: m.match_pin_rejected_person_full,
	not_in_event: m.match_pin_rejected_not_in_event
};

export function rejectedPinLabel(reason: string, locale: Locale): string {
	return rejected[reason]?.({}, { locale }) ?? reason;
}

/**
 * A fit score (0..1000) in words. Shared interests weigh 600 points (see WEIGHTS in scoring.ts),
 * so "very good" needs them and most of the rest; below 300 little more than time or place fits.
 */
export function fitLabel(score: number, locale: Locale): string {
	if (score >= 700) return m.match_fit_very_good({}, { locale });
	if (score >= 500) return m.match_fit_good({}, { locale });
	if (score >= 300) return m.match_fit_partly({}, { locale });
	return m.match_fit_little({}, { locale });
}

/** "Stand A1" at a market, "Tisch 2" at a Gesprächsrunde. */
export function placeLabel(kind: string, label: string, locale: Locale): string {
	if (!label) return '';
	return kind === 'market' ? m.match_place_stall({ number: label }, { locale }) : m.match_place_table({ number: label }, { locale });
}

/** "10:15–10:30 Uhr" in the event's zone, in the language's own range pattern ("10:15–10:30 ص"). */
export function slotTime(startsAt: Date | string | null, endsAt: Date | string | null, timeZone: string, locale: Locale): string {
	if (!startsAt || !endsAt) return '';
	return dateTimeFormat(locale, { timeStyle: 'short', timeZone }).formatRange(new Date(startsAt), new Date(endsAt));
}
