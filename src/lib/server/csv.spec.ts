import { describe, expect, it } from 'vitest';
import { cell, csvResponse, toCsv } from './csv';

describe('csv', () => {
	it('quotes every cell and doubles quotes; separators and line breaks stay inside the quotes', () => {
		expect(cell('Zoë')).toBe('"Zoë"');
		expect(cell('A "B"')).toBe('"A ""B"""');
		expect(cell('ä;ö\r\nzwei')).toBe('"ä;ö\r\nzwei"');
		expect(cell('')).toBe('""');
	});

	it.each(['=HYPERLINK("http://evil.example")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('defuses a cell starting like a formula: %j', (value) => {
		expect(cell(value)).toBe(`"'${value.replaceAll('"', '""')}"`);
	});

	it('leaves formula characters alone when they do not start the cell', () => {
		expect(cell('a=b')).toBe('"a=b"');
		expect(cell('anna@example.org')).toBe('"anna@example.org"');
		expect(cell(' 12')).toBe('" 12"');
	});

	it('writes a file German Excel opens: byte-order mark, semicolons, CRLF after every row', () => {
		const csv = toCsv([
			['Name', 'Notiz'],
			['Zoë', '=HYPERLINK("x")'],
			['A "B"', 'ä;ö']
		]);
		expect(csv).toBe('\uFEFF"Name";"Notiz"\r\n"Zoë";"\'=HYPERLINK(""x"")"\r\n"A ""B""";"ä;ö"\r\n');
	});

	it('answers a download no cache keeps, with a header-safe file name', async () => {
		const response = csvResponse(toCsv([['a']]), 'bericht 2026/ä.csv');
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe('attachment; filename="bericht_2026__.csv"');
		expect(response.headers.get('cache-control')).toBe('no-store');
		// text() would drop the byte-order mark while decoding: look at the bytes.
		expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0xef, 0xbb, 0xbf, ...Buffer.from('"a"\r\n')]);
	});
});
