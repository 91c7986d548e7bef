import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { E2E_DATABASE_URL } from '../helpers';

// A hash per table of the e2e server's database between requests: its SQLite file read directly
// (read-only), or on PostgreSQL (E2E_DATABASE_URL) one psql call that hashes every table.

/**
 * Columns that change without any request doing something: the worker delivers mail (outbox
 * delivery state) and every signed-in request slides its session's expiry. Rate-limit hits are
 * counted before the form is judged, so a refused request may add one by design.
 */
const IGNORED: Record<string, string[] | '*'> = {
	rate_limit: '*',
	session: ['expires_at'],
	outbox: ['status', 'attempts', 'next_attempt_at', 'lease_owner', 'lease_until', 'last_error', 'sent_at', 'message_id']
};

/**
 * Hashes every table's rows (order-free) in one read transaction: a few milliseconds per take on
 * SQLite. With E2E_DATABASE_URL set, reads that PostgreSQL database instead (`file` is not used).
 */
export class Fingerprint {
	private readonly postgres: Postgres | null = null;
	private readonly db: Database.Database | null = null;
	private readonly statements: { table: string; statement: Database.Statement }[] = [];

	constructor(file: string) {
		if (E2E_DATABASE_URL) {
			this.postgres = new Postgres(E2E_DATABASE_URL);
			return;
		}
		const db = new Database(file, { readonly: true, fileMustExist: true });
		this.db = db;
		const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
		this.statements = tables
			.filter((table) => IGNORED[table] !== '*')
			.map((table) => {
				const ignored = (IGNORED[table] ?? []) as string[];
				const columns = (db.prepare(`pragma table_info("${table}")`).all() as { name: string }[]).map((c) => c.name).filter((c) => !ignored.includes(c));
				return { table, statement: db.prepare(`select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}"`).raw() };
			});
	}

	take(): Map<string, string> {
		if (this.postgres) return this.postgres.take();
		const hashes = new Map<string, string>();
		// One read transaction: all tables as of the same commit.
		this.db!.transaction(() => {
			for (const { table, statement } of this.statements) {
				const rows = (statement.all() as unknown[][]).map((row) => JSON.stringify(row, (_, v) => (Buffer.isBuffer(v) ? createHash('sha1').update(v).digest('hex') : (v as unknown))));
				hashes.set(table, createHash('sha1').update(rows.sort().join('\n')).digest('hex'));
			}
		})();
		return hashes;
	}

	/** Whether every given row is in the table, e.g. a membership that a successful request may have ended. */
	hasRows(table: string, rows: Record<string, unknown>[]): boolean {
		if (this.postgres) return this.postgres.hasRows(table, rows);
		return rows.every((row) => {
			const columns = Object.keys(row);
			const where = columns.map((c) => `"${c}" = ?`).join(' and ');
			return this.db!.prepare(`select 1 from "${table}" where ${where}`).get(...columns.map((c) => row[c])) !== undefined;
		});
	}

	close() {
		this.db?.close();
	}
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (value: unknown) => `'${String(value).replace(/'/g, "''")}'`;

/** The same fingerprint on PostgreSQL, through psql: one process (and one snapshot) per take. */
class Postgres {
	/** One query: a row (table, md5 of its rows as text, sorted) per table. */
	private readonly hashQuery: string;

	constructor(private readonly url: string) {
		const columns = this.query(
			"select table_name, column_name from information_schema.columns where table_schema = 'public' and table_name in " +
				"(select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE') order by table_name, ordinal_position"
		);
		const byTable = new Map<string, string[]>();
		for (const [table, column] of columns) {
			if (IGNORED[table!] === '*' || ((IGNORED[table!] ?? []) as string[]).includes(column!)) continue;
			byTable.set(table!, [...(byTable.get(table!) ?? []), column!]);
		}
		this.hashQuery = [...byTable]
			.map(
				([table, cols]) =>
					`select ${quoteLiteral(table)}, md5(coalesce(string_agg(row_text, E'\\n' order by row_text collate "C"), '')) ` +
					`from (select row(${cols.map(quoteIdent).join(', ')})::text as row_text from ${quoteIdent(table)}) t`
			)
			.join(' union all ');
	}

	/** Rows of `sql`'s result, fields split at tabs (no value here contains one). */
	private query(sql: string): string[][] {
		const output = execFileSync('psql', [this.url, '-X', '-q', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
		return output
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => line.split('\t'));
	}

	take(): Map<string, string> {
		return new Map(this.query(this.hashQuery).map(([table, hash]) => [table!, hash!]));
	}

	hasRows(table: string, rows: Record<string, unknown>[]): boolean {
		if (!rows.length) return true;
		const checks = rows.map((row) => {
			const where = Object.entries(row)
				.map(([column, value]) => (value === null ? `${quoteIdent(column)} is null` : `${quoteIdent(column)} = ${quoteLiteral(value)}`))
				.join(' and ');
			return `exists (select 1 from ${quoteIdent(table)} where ${where})`;
		});
		return this.query(`select ${checks.join(' and ')}`)[0]?.[0] === 't';
	}
}

export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
	return [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t));
}
