import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';
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
import * as matchJobs from '../../../../migrations/2026-12-07T03-match-jobs';

// In-code list: the built app has no .ts files to read at run time. Applied in name order.
export const migrations: Record<string, Migration> = {
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
	'2026-12-07T02-rate-limit-windows': rateLimitWindows,
	'2026-12-07T03-match-jobs': matchJobs
};

export interface MigrationStep {
	migrationName: string;
	direction: 'Up' | 'Down';
	status: 'Success';
}

/** A migration that threw; its transaction was rolled back, the ones before it stay applied. */
export class MigrationError extends Error {
	constructor(
		readonly migrationName: string,
		cause: unknown
	) {
		super(`migration ${migrationName} failed and was rolled back: ${(cause as Error)?.message ?? cause}`, { cause });
	}
}

// Kysely's table, so databases migrated by its Migrator (all earlier versions) carry on as they are.
const MIGRATION_TABLE = 'kysely_migration';
// The key of Kysely's own PostgreSQL migration lock: an earlier version of the app starting beside
// this one (its Migrator takes the same advisory lock) waits too.
const POSTGRES_LOCK_KEY = 3853314791062309107n;
// A second SQLite process waits this long for the write lock held by one migration (a table rebuild
// of a database kept for years can take longer than the app's 5 s busy timeout).
const SQLITE_MIGRATION_BUSY_MS = 10 * 60 * 1000;

/**
 * Applies every pending migration, each in a transaction of its own (DDL included: both databases
 * roll DDL back), so a failing migration leaves the database at the one before it. Concurrent
 * callers (two instances starting together) apply each migration exactly once; see `withLock`.
 * `available` is for tests; the app passes nothing.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, available = migrations): Promise<MigrationStep[]> {
	return migrate(db, available, Object.keys(available).sort().at(-1));
}

/** Migrates up or down until `name` is the last applied migration (rollback and upgrade tests use it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateTo(db: Kysely<any>, name: string, available = migrations): Promise<MigrationStep[]> {
	if (!(name in available)) throw new Error(`unknown migration ${name}`);
	return migrate(db, available, name);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;
type InTransaction = <T>(work: (trx: Db) => Promise<T>) => Promise<T>;

async function migrate(db: Db, available: Record<string, Migration>, target: string | undefined): Promise<MigrationStep[]> {
	const names = Object.keys(available).sort();
	const targetCount = target === undefined ? 0 : names.indexOf(target) + 1;
	return withLock(db, async (inTransaction) => {
		await inTransaction((trx) =>
			trx.schema
				.createTable(MIGRATION_TABLE)
				.ifNotExists()
				.addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
				.addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
				.execute()
		);
		const steps: MigrationStep[] = [];
		for (;;) {
			// Read again in every transaction: on SQLite another process may have applied the next one.
			const step = await inTransaction(async (trx) => {
				const applied = await appliedMigrations(trx, names);
				if (applied.length === targetCount) return undefined;
				const direction = applied.length < targetCount ? 'Up' : 'Down';
				const name = direction === 'Up' ? names[applied.length]! : applied.at(-1)!;
				const migration = available[name]!;
				try {
					if (direction === 'Up') await migration.up(trx);
					else if (migration.down) await migration.down(trx);
					else throw new Error('it has no down migration');
				} catch (error) {
					throw new MigrationError(name, error);
				}
				if (direction === 'Up') await trx.insertInto(MIGRATION_TABLE).values({ name, timestamp: new Date().toISOString() }).execute();
				else await trx.deleteFrom(MIGRATION_TABLE).where('name', '=', name).execute();
				return { migrationName: name, direction, status: 'Success' } as const;
			});
			if (!step) return steps;
			steps.push(step);
		}
	});
}

/** The applied migrations in order; they must be the first of this version's, without gaps. */
async function appliedMigrations(trx: Db, names: string[]): Promise<string[]> {
	const rows: { name: string }[] = await trx.selectFrom(MIGRATION_TABLE).select('name').execute();
	const applied = rows.map((r) => r.name).sort();
	const unknown = applied.find((name) => !names.includes(name));
	if (unknown) {
		throw new Error(
			`the database has migration ${unknown}, which this version does not know: it was upgraded by a newer version (run that one, or restore the backup made before the upgrade)`
		);
	}
	const gap = applied.findIndex((name, i) => name !== names[i]);
	if (gap !== -1) throw new Error(`migration ${names[gap]} was never applied, but later ones were`);
	return applied;
}

/**
 * Runs `work` so that concurrent migrators take turns, on one connection.
 * PostgreSQL: a session-level advisory lock for the whole run; whoever waited finds nothing to do.
 * SQLite: the database's write lock, taken by `BEGIN IMMEDIATE` for each migration's transaction
 * (a lock SQLite releases even when a process dies, unlike a lock row). Between two migrations
 * another process may take a turn; it reads what is applied first, so each runs exactly once.
 */
async function withLock<T>(db: Db, work: (inTransaction: InTransaction) => Promise<T>): Promise<T> {
	if (db.getExecutor().adapter instanceof PostgresAdapter) {
		return db.connection().execute(async (conn) => {
			await sql`select pg_advisory_lock(${sql.lit(POSTGRES_LOCK_KEY)})`.execute(conn);
			try {
				return await work((inner) => conn.transaction().execute(inner));
			} finally {
				// A connection that broke has released the lock with its session; keep the first error.
				await sql`select pg_advisory_unlock(${sql.lit(POSTGRES_LOCK_KEY)})`.execute(conn).catch(() => {});
			}
		});
	}
	return db.connection().execute(async (conn) => {
		const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn);
		await sql.raw(`pragma busy_timeout = ${SQLITE_MIGRATION_BUSY_MS}`).execute(conn);
		try {
			return await work(async (inner) => {
				await sql`begin immediate`.execute(conn);
				try {
					const result = await inner(conn);
					await sql`commit`.execute(conn);
					return result;
				} catch (error) {
					await sql`rollback`.execute(conn);
					throw error;
				}
			});
		} finally {
			await sql.raw(`pragma busy_timeout = ${busy.rows[0]?.timeout ?? 5000}`).execute(conn);
		}
	});
}
