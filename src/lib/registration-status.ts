import * as m from '$lib/paraglide/messages';

// Apart from event-format.ts: the public pages show no registration status, and a shared module
// would bring these messages (in every language) into their JavaScript (issue 17).
export function statusLabel(status: string): string {
	const labels: Record<string, () => string> = {
		pending: m.status_pending,
		confirmed: m.status_confirmed,
		waitlisted: m.status_waitlisted,
		cancelled: m.status_cancelled,
		expired: m.status_expired,
		attended: m.status_attended,
		no_show: m.status_no_show
	};
	return labels[status]?.() ?? status;
}
