import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

// A hash per table of the e2e server's SQLite file, read directly (read-only) between requests.

/**
 * Columns that change without any request doing something: the worker delivers mail (outbox
 * delivery state) and every signed-in request slides its session's expiry. Rate-limit hits are
 * counted before the form is judged, so a refused request may add one by design.
 */
const IGNORED: Record<string, string[] | '*'> = {
	rate_limit_hit: '*',
	session: ['expires_at'],
	outbox: ['status', 'attempts', 'next_attempt_at', 'lease_owner', 'lease_until', 'last_error', 'sent_at', 'message_id']
};

/** Hashes every table's rows (order-free) in one read transaction: a few milliseconds per take. */
export class Fingerprint {
	private readonly db: Database.Database;
	private readonly statements: { table: string; statement: Database.Statement }[];

	constructor(file: string) {
		this.db = new Database(file, { readonly: true, fileMustExist: true });
		const tables = this.db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
		this.statements = tables
			.filter((table) => IGNORED[table] !== '*')
			.map((table) => {
				const ignored = (IGNORED[table] ?? []) as string[];
				const columns = (this.db.prepare(`pragma table_info("${table}")`).all() as { name: string }[]).map((c) => c.name).filter((c) => !ignored.includes(c));
				return { table, statement: this.db.prepare(`select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}"`).raw() };
			});
	}

	take(): Map<string, string> {
		const hashes = new Map<string, string>();
		// One read transaction: all tables as of the same commit.
		this.db.transaction(() => {
			for (const { table, statement } of this.statements) {
				const rows = (statement.all() as unknown[][]).map((row) => JSON.stringify(row, (_, v) => (Buffer.isBuffer(v) ? createHash('sha1').update(v).digest('hex') : (v as unknown))));
				hashes.set(table, createHash('sha1').update(rows.sort().join('\n')).digest('hex'));
			}
		})();
		return hashes;
	}

	/** Whether every given row is in the table, e.g. a membership that a successful request may have ended. */
	hasRows(table: string, rows: Record<string, unknown>[]): boolean {
		return rows.every((row) => {
			const columns = Object.keys(row);
			const where = columns.map((c) => `"${c}" = ?`).join(' and ');
			return this.db.prepare(`select 1 from "${table}" where ${where}`).get(...columns.map((c) => row[c])) !== undefined;
		});
	}

	close() {
		this.db.close();
	}
}

export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
	return [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t));
}
