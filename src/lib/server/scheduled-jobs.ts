import type { Db } from './db/schema';
import type { LinkContext } from './registrations/links';
import { deleteStaleLoginTokens } from './auth/login-token';
import { deleteExpiredSessions } from './auth/session';
import * as alerts from './alerts';
import * as feedback from './feedback';
import * as contact from './leads/contact';
import * as rateLimit from './rate-limit';
import * as registrations from './registrations';
import * as retention from './retention';

const HOUSEKEEPING_EVERY_MS = 60 * 60 * 1000;
/** Feedback requests, reminders and thanks are due on the scale of hours: look every few minutes. */
const FEEDBACK_EVERY_MS = 5 * 60 * 1000;
/** Alert digests go out at most daily per person: looking every quarter of an hour is plenty. */
const ALERTS_EVERY_MS = 15 * 60 * 1000;

/**
 * The worker's work besides mail, run after each of its mail passes: unconfirmed registrations
 * expire every pass, feedback every few minutes, housekeeping (sessions, sign-in links, rate
 * limits, retention) hourly. Each job is safe to run in several processes at once.
 */
export function createScheduledJobs(db: Db, links: () => LinkContext) {
	let lastHousekeeping = 0;
	let lastFeedback = 0;
	let lastAlerts = 0;
	return async (now: Date) => {
		if (now.getTime() - lastHousekeeping > HOUSEKEEPING_EVERY_MS) {
			lastHousekeeping = now.getTime();
			await deleteExpiredSessions(db, now);
			await deleteStaleLoginTokens(db, now);
			await rateLimit.deleteOldWindows(db, new Date(now.getTime() - 24 * 60 * 60 * 1000));
			const erased = await retention.apply(db, links(), now);
			if (erased > 0) console.log(`[retention] erased personal data of ${erased} people`);
			const contacts = await retention.eraseOfferContacts(db, now);
			if (contacts > 0) console.log(`[retention] erased ${contacts} contact requests to clubs`);
		}
		await registrations.expirePending(db, now);
		await contact.deleteExpired(db, now);
		await alerts.deleteExpired(db, now);
		if (now.getTime() - lastFeedback > FEEDBACK_EVERY_MS) {
			lastFeedback = now.getTime();
			const done = await feedback.runDue(db, links(), now);
			if (done.requested + done.reminded + done.thanked > 0) console.log(`[feedback] requested ${done.requested}, reminded ${done.reminded}, thanked ${done.thanked}`);
		}
		if (now.getTime() - lastAlerts > ALERTS_EVERY_MS) {
			lastAlerts = now.getTime();
			const sent = await alerts.runDue(db, links(), now);
			if (sent.digests > 0) console.log(`[alerts] sent ${sent.digests} digests with ${sent.items} offers`);
		}
	};
}
