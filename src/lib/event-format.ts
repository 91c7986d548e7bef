import * as m from '$lib/paraglide/messages';

export { formatEventTime } from './format';

export function kindLabel(kind: string): string {
	if (kind === 'shift') return m.kind_shift();
	return kind === 'market' ? m.kind_market() : m.kind_round_table();
}

export function eventStatusLabel(status: string): string {
	if (status === 'draft') return m.event_status_draft();
	if (status === 'cancelled') return m.event_status_cancelled();
	return m.event_status_published();
}

export function residencyLabel(residency: string): string {
	const labels: Record<string, () => string> = {
		resident: m.residency_resident,
		incoming: m.residency_incoming,
		outgoing: m.residency_outgoing,
		new_in_town: m.residency_new_in_town,
		guest: m.residency_guest
	};
	return labels[residency]?.() ?? residency;
}
