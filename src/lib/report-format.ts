import * as m from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { formatNumber } from './format';
import { RESIDENCIES } from './participant-profile';

// Client-safe names and labels of the report figures, shared by the pages, the CSV and the charts.

/** Counts of people from 1 to 4 could identify someone in a small town: they are shown as this. */
export const SUPPRESSED = '< 5';
/** A count that is not small but would reveal a suppressed one next to the total (secondary suppression). */
export const HIDDEN = 'hidden';
/** A count of people as it may be shown: the number, SUPPRESSED or HIDDEN. */
export type Figure = number | typeof SUPPRESSED | typeof HIDDEN;

export const isNumber = (value: Figure): value is number => typeof value === 'number';

export const RESIDENCY_KEYS = [...RESIDENCIES, 'unknown'] as const;
export type ResidencyKey = (typeof RESIDENCY_KEYS)[number];

export const FUNNEL_STEPS = ['registered', 'attended', 'matched', 'talked', 'lead', 'joined'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export function residencyLabel(key: ResidencyKey, locale?: Locale): string {
	const o = locale ? { locale } : undefined;
	const labels: Record<ResidencyKey, () => string> = {
		resident: () => m.report_residency_resident({}, o),
		incoming: () => m.report_residency_incoming({}, o),
		outgoing: () => m.report_residency_outgoing({}, o),
		new_in_town: () => m.report_residency_new_in_town({}, o),
		guest: () => m.report_residency_guest({}, o),
		unknown: () => m.report_residency_unknown({}, o)
	};
	return labels[key]();
}

export function funnelStepLabel(step: FunnelStep, locale?: Locale): string {
	const o = locale ? { locale } : undefined;
	const labels: Record<FunnelStep, () => string> = {
		registered: () => m.funnel_step_registered({}, o),
		attended: () => m.funnel_step_attended({}, o),
		matched: () => m.funnel_step_matched({}, o),
		talked: () => m.funnel_step_talked({}, o),
		lead: () => m.funnel_step_lead({}, o),
		joined: () => m.funnel_step_joined({}, o)
	};
	return labels[step]();
}

/** A figure for reading: the number in the reader's format, "< 5" or "verdeckt". */
export function formatFigure(value: Figure, locale: Locale): string {
	if (value === SUPPRESSED) return SUPPRESSED;
	if (value === HIDDEN) return m.report_hidden({}, { locale });
	return formatNumber(value, locale);
}
