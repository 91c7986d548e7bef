import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as m from '$lib/paraglide/messages';
import { locales, type Locale } from '$lib/paraglide/runtime';
import { renderMessage, toMessageData, type SourceVariant } from './format';

type Source = string | SourceVariant[];
const sources = Object.fromEntries(
	locales.map((locale) => [locale, JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, Source>])
);
const messages = m as unknown as Record<string, (inputs: Record<string, unknown>, options: { locale: Locale }) => string>;

/** The inputs a message names: its placeholders and the inputs of its plural selectors. */
function inputNames(source: Source): string[] {
	const text = JSON.stringify(source);
	const placeholders = Array.from(text.matchAll(/\{(\w+)\}/g), (match) => match[1]!);
	const declared = Array.from(text.matchAll(/input (\w+)/g), (match) => match[1]!);
	return [...new Set([...placeholders, ...declared])];
}

// Counts that reach every plural category of the six languages (Arabic's zero, two, few and many,
// the Slavic few and many), and a text input.
const SAMPLES: unknown[] = [0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 100, 101, 102, 111, 1.5, 'Anna'];

describe('messages as data render as Paraglide renders them', () => {
	for (const locale of locales) {
		it(`every message in ${locale}`, () => {
			let compared = 0;
			for (const [id, source] of Object.entries(sources[locale]!)) {
				if (id.startsWith('$')) continue;
				const data = toMessageData(id, source);
				const names = inputNames(source);
				for (const sample of names.length === 0 ? [undefined] : SAMPLES) {
					const inputs = Object.fromEntries(names.map((name, i) => [name, typeof sample === 'number' ? sample + i : sample]));
					expect(renderMessage(data, inputs, locale) ?? id, `${id} in ${locale} with ${JSON.stringify(inputs)}`).toBe(
						messages[id]!(inputs, { locale })
					);
					compared++;
				}
			}
			expect(compared).toBeGreaterThan(1700);
		});
	}

	it('refuses a message form it cannot render the same way', () => {
		const ordinal: SourceVariant[] = [
			{ declarations: ['input n', 'local nOrdinal = n: plural type=ordinal'], selectors: ['nOrdinal'], match: { 'nOrdinal=one': '{n}st' } }
		];
		expect(() => toMessageData('ordinal', ordinal)).toThrow(/unsupported declaration/);
	});
});
