import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { connect } from './connect';

/** The rows the database file holds by itself, without its write-ahead log: what checkpoints put there. */
function rowsInMainFile(file: string, dir: string): number {
	const copy = path.join(dir, `copy-${Date.now()}.sqlite`);
	fs.copyFileSync(file, copy);
	const database = new SQLite(copy, { readonly: true });
	try {
		const table = database.prepare("select count(*) as n from sqlite_master where name = 'item'").get() as { n: number };
		return table.n === 0 ? 0 : (database.prepare('select count(*) as n from item').get() as { n: number }).n;
	} finally {
		database.close();
		fs.rmSync(copy);
	}
}

describe('background checkpoints (SQLite)', () => {
	it('move committed rows from the log into the database file without the app checkpointing', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-checkpoint-'));
		const file = path.join(dir, 'app.sqlite');
		const { db } = connect({ sqlitePath: file, backgroundCheckpoints: true });
		try {
			await sql`create table item (id integer primary key, name text not null)`.execute(db);
			for (let i = 0; i < 50; i++) await sql`insert into item (name) values (${`item ${i}`})`.execute(db);
			// 50 small commits stay far below the app connection's own checkpoint threshold: only the
			// worker's checkpoints bring them into the file.
			const until = Date.now() + 20_000;
			while (rowsInMainFile(file, dir) < 50 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
			expect(rowsInMainFile(file, dir)).toBe(50);
		} finally {
			await db.destroy();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
