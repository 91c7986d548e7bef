import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as foundation from '../../../../migrations/2026-11-23T01-foundation';
import * as eventsRegistrations from '../../../../migrations/2026-11-23T02-events-registrations';
import * as mailRemindersMessages from '../../../../migrations/2026-11-23T03-mail-reminders-messages';
import * as clubsOffers from '../../../../migrations/2026-11-23T04-clubs-offers';
import * as stalls from '../../../../migrations/2026-11-23T05-stalls';
import * as matching from '../../../../migrations/2026-11-23T06-matching';
import * as feedbackLeads from '../../../../migrations/2026-11-23T07-feedback-leads';
import * as stallOpeningFeedbackHiding from '../../../../migrations/2026-12-05T02-stall-opening-feedback-hiding';
import * as offerContacts from '../../../../migrations/2026-12-05T10-offer-contacts';
import * as competences from '../../../../migrations/2026-12-05T11-competences';
import * as tasksShifts from '../../../../migrations/2026-12-06T20-tasks-shifts';
import * as alerts from '../../../../migrations/2026-12-06T22-alerts';
import * as records from '../../../../migrations/2026-12-06T23-records';
import * as taskPublishedAt from '../../../../migrations/2026-12-06T24-task-published-at';
import * as publicQueryIndexes from '../../../../migrations/2026-12-07T01-public-query-indexes';
import * as rateLimitWindows from '../../../../migrations/2026-12-07T02-rate-limit-windows';

// In-code provider: the built app has no .ts files to read at run time. Order is by name.
const migrations: Record<string, Migration> = {
	'2026-11-23T01-foundation': foundation,
	'2026-11-23T02-events-registrations': eventsRegistrations,
	'2026-11-23T03-mail-reminders-messages': mailRemindersMessages,
	'2026-11-23T04-clubs-offers': clubsOffers,
	'2026-11-23T05-stalls': stalls,
	'2026-11-23T06-matching': matching,
	'2026-11-23T07-feedback-leads': feedbackLeads,
	'2026-12-05T02-stall-opening-feedback-hiding': stallOpeningFeedbackHiding,
	'2026-12-05T10-offer-contacts': offerContacts,
	'2026-12-05T11-competences': competences,
	'2026-12-06T20-tasks-shifts': tasksShifts,
	'2026-12-06T22-alerts': alerts,
	'2026-12-06T23-records': records,
	'2026-12-06T24-task-published-at': taskPublishedAt,
	'2026-12-07T01-public-query-indexes': publicQueryIndexes,
	'2026-12-07T02-rate-limit-windows': rateLimitWindows
};

const provider: MigrationProvider = {
	async getMigrations() {
		return migrations;
	}
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>) {
	const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
	if (error) throw error;
	return results ?? [];
}

/** Migrates up or down until `name` is the last applied migration (rollback tests use it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateTo(db: Kysely<any>, name: string) {
	const { error } = await new Migrator({ db, provider }).migrateTo(name);
	if (error) throw error;
}
