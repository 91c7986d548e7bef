import type { StallRequestStatus } from '../db/schema';

/** What a coordinator can do with a stall request. */
export type StallAction = 'assign' | 'waitlist' | 'reject' | 'move' | 'cancel';

/**
 * The decisions that apply to a request in its current state. The page offers only these and the
 * service refuses the others, so both read the same rule: an assigned request is moved or taken
 * back, not assigned, waitlisted or rejected again; a closed one (rejected, cancelled) has none.
 */
export function applicableActions(status: StallRequestStatus): StallAction[] {
	switch (status) {
		case 'requested':
			return ['assign', 'waitlist', 'reject'];
		case 'waitlisted':
			return ['assign', 'reject'];
		case 'approved':
			return ['move', 'cancel'];
		default:
			return [];
	}
}

export const canTake = (status: StallRequestStatus, action: StallAction) => applicableActions(status).includes(action);
