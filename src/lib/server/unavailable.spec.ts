import { describe, expect, it } from 'vitest';
import { isConflict } from './db/conflicts';
import { describeFailure, isDatabaseUnavailable } from './unavailable';

const failure = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('what counts as the database being away', () => {
	it('recognises lost connections, a server shutting down and SQLite busy or failing its file', () => {
		for (const code of ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_IOERR_WRITE', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN']) {
			expect(isDatabaseUnavailable(failure(code)), code).toBe(true);
		}
		expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
		expect(isDatabaseUnavailable(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
	});

	it('leaves bugs and bad data as what they are', () => {
		for (const code of ['23505', '42P01', '22P02', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR']) {
			expect(isDatabaseUnavailable(failure(code)), code).toBe(false);
		}
		expect(isDatabaseUnavailable(new TypeError('Cannot read properties of undefined'))).toBe(false);
		expect(isDatabaseUnavailable(null)).toBe(false);
	});

	it('describes a failure in one line', () => {
		expect(describeFailure(failure('57P01', 'terminating connection due to administrator command'))).toBe('57P01: terminating connection due to administrator command');
		expect(describeFailure('plain')).toBe('plain');
	});
});

describe('what counts as losing a race', () => {
	it('is a unique key taken or PostgreSQL giving up a transaction, on both databases', () => {
		for (const code of ['23505', '40001', '40P01', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']) expect(isConflict(failure(code)), code).toBe(true);
		for (const code of ['23503', 'SQLITE_CONSTRAINT_FOREIGNKEY', 'ECONNREFUSED']) expect(isConflict(failure(code)), code).toBe(false);
	});
});

describe('logging an outage', () => {
	it('reports at most every few seconds, with the count of the unreported', async () => {
		const { logUnavailable } = await import('./unavailable');
		const lines: string[] = [];
		const warn = console.warn;
		console.warn = (line: string) => lines.push(line);
		try {
			const cause = failure('57P01', 'terminating connection');
			logUnavailable('GET /a', cause, 1_000_000);
			for (let i = 0; i < 99; i++) logUnavailable('GET /b', cause, 1_000_000 + i * 10);
			logUnavailable('POST /c', cause, 1_000_000 + 6000);
		} finally {
			console.warn = warn;
		}
		expect(lines).toEqual([
			'[db] unavailable: GET /a answered 503: 57P01: terminating connection',
			'[db] unavailable: POST /c answered 503: 57P01: terminating connection (and 99 more since the last report)'
		]);
	});
});
