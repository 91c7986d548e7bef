import * as m from '$lib/paraglide/messages';
import type { OutboxStatus } from '$lib/server/db/schema';

export function statusLabel(status: OutboxStatus): string {
	return {
		pending: m.outbox_status_pending,
		sending: m.outbox_status_sending,
		sent: m.outbox_status_sent,
		failed: m.outbox_status_failed
	}[status]();
}
