// What a database holds, read the same way from SQLite and PostgreSQL: its schema (to compare two
// databases migrated differently) and its tables' rows (to compare contents row by row).
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../src/lib/server/db/connect';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Tables, columns, indexes and constraints, sorted; nothing that depends on when they were made. */
export async function schemaOf(db: AnyDb, dialect: Dialect): Promise<string[]> {
	if (dialect === 'sqlite') {
		const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
			select type, name, sql from sqlite_master where name not like 'sqlite_%' order by type, name`.execute(db);
		return rows.map((r) => `${r.type} ${r.name}: ${r.sql ?? ''}`);
	}
	const columns = await sql<{ line: string }>`
		select table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as line
		from information_schema.columns where table_schema = 'public'`.execute(db);
	const indexes = await sql<{ line: string }>`select indexdef as line from pg_indexes where schemaname = 'public'`.execute(db);
	const constraints = await sql<{ line: string }>`
		select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) as line
		from pg_constraint where connamespace = 'public'::regnamespace`.execute(db);
	return [...columns.rows, ...indexes.rows, ...constraints.rows].map((r) => r.line).sort();
}

/** The app's tables (not the migration bookkeeping), each with its columns' types. */
export async function tablesOf(db: AnyDb): Promise<Map<string, Map<string, string>>> {
	const tables = await db.introspection.getTables();
	return new Map(tables.filter((t) => !t.name.startsWith('kysely_')).map((t) => [t.name, new Map(t.columns.map((c) => [c.name, c.dataType]))]));
}

export async function rowsOf(db: AnyDb, table: string): Promise<Record<string, unknown>[]> {
	return db.selectFrom(table).selectAll().execute();
}
