import { formatMonth } from '$lib/format';
import { languageName } from '$lib/language-names';
import * as m from '$lib/paraglide/messages';

// Labels for the club area's enumerations, in the reader's language (client-safe).

export function offerStatusLabel(status: string): string {
	const labels: Record<string, () => string> = {
		draft: m.clubarea_offer_status_draft,
		published: m.clubarea_offer_status_published,
		paused: m.clubarea_offer_status_paused,
		archived: m.clubarea_offer_status_archived
	};
	return labels[status]?.() ?? status;
}

export function clubStatusLabel(status: string): string {
	const labels: Record<string, () => string> = {
		pending: m.clubarea_status_pending,
		approved: m.clubarea_status_approved,
		rejected: m.clubarea_status_rejected
	};
	return labels[status]?.() ?? status;
}

export function roleLabel(role: string): string {
	return role === 'admin' ? m.clubarea_role_admin() : m.clubarea_role_member();
}

export function commitmentLabel(commitment: string): string {
	const labels: Record<string, () => string> = {
		one_off: m.clubarea_commitment_one_off,
		occasional: m.clubarea_commitment_occasional,
		regular: m.clubarea_commitment_regular
	};
	return labels[commitment]?.() ?? commitment;
}

export function languageLabel(code: string): string {
	return languageName(code);
}

export function monthLabel(month: number, locale: string): string {
	return formatMonth(month, locale);
}
