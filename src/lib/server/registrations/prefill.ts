import type { Db } from '../db/schema';
import type { Profile } from '../../participant-profile';
import { findByManageToken } from './index';

/** What a registration form takes over from a kept profile. */
export interface Prefill {
	name: string;
	email: string;
	profile: Profile;
	consentIntroductions: boolean;
}

/**
 * The kept profile behind a manage link (`?from=<token>` on an event), to fill in another event's
 * registration form. A forged, dead or erased link gives null — the page then looks exactly as
 * without it, so it tells nothing about the token.
 */
export async function fromManageToken(db: Db, token: string | null): Promise<Prefill | null> {
	if (!token || token.length > 200) return null;
	const registration = await findByManageToken(db, token);
	if (!registration) return null;
	const { person } = registration;
	return { name: person.name, email: person.email, profile: person.profile, consentIntroductions: person.consentIntroductions };
}
