import * as m from '$lib/paraglide/messages';

const labels: Record<string, () => string> = {
	'sign_in_link.requested': m.audit_sign_in_link_requested,
	'session.created': m.audit_session_created,
	'session.revoked_all': m.audit_session_revoked_all,
	'outbox.retried': m.audit_outbox_retried,
	'coordinator.added': m.audit_coordinator_added
};

/** A readable sentence for an audit action; unknown actions show their code. */
export function auditLabel(action: string): string {
	return labels[action]?.() ?? action;
}
