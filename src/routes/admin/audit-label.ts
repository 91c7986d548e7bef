import * as m from '$lib/paraglide/messages';

const labels: Record<string, () => string> = {
	'sign_in_link.requested': m.audit_sign_in_link_requested,
	'session.created': m.audit_session_created,
	'session.revoked_all': m.audit_session_revoked_all,
	'outbox.retried': m.audit_outbox_retried,
	'coordinator.added': m.audit_coordinator_added,
	'series.created': m.audit_series_created,
	'event.created': m.audit_event_created,
	'event.updated': m.audit_event_updated,
	'event.moved': m.audit_event_moved,
	'event.cancelled': m.audit_event_cancelled,
	'event.reminders_set': m.audit_event_reminders_set,
	'event.message_sent': m.audit_event_message_sent,
	'registration.confirmed': m.audit_registration_confirmed,
	'registration.waitlisted': m.audit_registration_waitlisted,
	'registration.promoted': m.audit_registration_promoted,
	'registration.cancelled': m.audit_registration_cancelled,
	'registration.cancelled_by_person': m.audit_registration_cancelled_by_person,
	'registration.attended': m.audit_registration_attended,
	'registration.no_show': m.audit_registration_no_show,
	'registration.check_in_undone': m.audit_registration_check_in_undone,
	'person.updated': m.audit_person_updated,
	'person.erased': m.audit_person_erased,
	'person.retention_erased': m.audit_person_retention_erased,
	'municipality.retention_changed': m.audit_municipality_retention_changed,
	'stalls.added': m.audit_stalls_added,
	'stall.requested': m.audit_stall_requested,
	'stall.approved': m.audit_stall_approved,
	'stall.waitlisted': m.audit_stall_waitlisted,
	'stall.rejected': m.audit_stall_rejected,
	'stall.cancelled': m.audit_stall_cancelled,
	'stalls.booking_opened': m.audit_stalls_booking_opened,
	'stalls.booking_closed': m.audit_stalls_booking_closed,
	'stalls.opening_date_set': m.audit_stalls_opening_date_set,
	'feedback.hidden': m.audit_feedback_hidden,
	'club.registered': m.audit_club_registered,
	'club.approved': m.audit_club_approved,
	'club.rejected': m.audit_club_rejected,
	'club.member_invited': m.audit_club_member_invited,
	'club.member_joined': m.audit_club_member_joined,
	'club.member_role_changed': m.audit_club_member_role_changed,
	'club.invitation_revoked': m.audit_club_invitation_revoked,
	'offer.created': m.audit_offer_created,
	'offer.updated': m.audit_offer_updated,
	'offer.status_changed': m.audit_offer_status_changed
};

/** A readable sentence for an audit action; unknown actions show their code. */
export function auditLabel(action: string): string {
	return labels[action]?.() ?? action;
}
