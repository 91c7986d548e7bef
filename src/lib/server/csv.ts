// The one CSV writer of every export (registrations, reports, hours, feedback, a person's record):
// files that German Excel and LibreOffice open as they are — UTF-8 with a byte-order mark (or the
// umlauts come out wrong), `;` between cells (`,` is the decimal separator there), CRLF lines.

/**
 * A cell starting with one of these is read as a formula by spreadsheet programs ("CSV injection"):
 * `=HYPERLINK(…)` in a name would run when a coordinator opens the export. OWASP's advice: prefix
 * such a cell with `'`, which makes it text. Tab and CR are on the list because some programs drop
 * them and read what follows as the cell's start.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: defused, then quoted (RFC 4180: always in quotes, a quote doubled). */
export function cell(value: string): string {
	const safe = FORMULA_START.test(value) ? `'${value}` : value;
	return `"${safe.replaceAll('"', '""')}"`;
}

/** The whole file: every row's cells joined by `;`, rows by CRLF, after a byte-order mark. */
export function toCsv(rows: readonly (readonly string[])[]): string {
	return '\uFEFF' + rows.map((row) => row.map(cell).join(';')).join('\r\n') + '\r\n';
}

/**
 * The download: personal data, so no cache may keep it. `filename` is ASCII (a header value is
 * Latin-1 only); the translated names in messages/*.json are transliterated for that.
 */
export function csvResponse(body: string, filename: string): Response {
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
			'cache-control': 'no-store'
		}
	});
}
