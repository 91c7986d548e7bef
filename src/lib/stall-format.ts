import * as m from '$lib/paraglide/messages';

const statuses: Record<string, () => string> = {
	requested: m.stall_status_requested,
	approved: m.stall_status_approved,
	waitlisted: m.stall_status_waitlisted,
	rejected: m.stall_status_rejected,
	cancelled: m.stall_status_cancelled
};
const reasons: Record<string, () => string> = {
	no_free_stall: m.stall_reason_no_free_stall,
	no_stall_large_enough: m.stall_reason_no_stall_large_enough,
	no_stall_with_power: m.stall_reason_no_stall_with_power,
	no_accessible_stall: m.stall_reason_no_accessible_stall
};
const sizes: Record<number, () => string> = { 1: m.stalls_size_small, 2: m.stalls_size_medium, 3: m.stalls_size_large };

export const stallStatusLabel = (status: string) => statuses[status]?.() ?? status;
/** A waiting reason code, or a coordinator's own rejection text as it is. */
export const stallReasonLabel = (reason: string) => reasons[reason]?.() ?? reason;
export const stallSizeLabel = (size: number) => sizes[size]?.() ?? String(size);
