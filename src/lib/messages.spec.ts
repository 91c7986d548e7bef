import { describe, expect, it } from 'vitest';
import { checkProject, formatStatus, numbersBeforeNouns, parseMessage, readProject } from '../../scripts/message-check.js';

const plural = (input: string, match: Record<string, string>, extra: string[] = []) => [
	{ declarations: [`input ${input}`, ...extra, `local ${input}Plural = ${input}: plural`], selectors: [`${input}Plural`], match }
];

describe('message files', () => {
	const project = readProject(process.cwd());

	it('are read for every locale of the settings', () => {
		expect(project.files.map((f) => f.locale)).toContain(project.baseLocale);
		expect(project.files.length).toBeGreaterThanOrEqual(2);
	});

	for (const status of checkProject(project)) {
		it(`${status.locale}: every message present, not empty, with the base language's parameters and valid syntax`, () => {
			expect(status.missing, `missing in ${status.locale}`).toEqual([]);
			expect(status.empty, `empty in ${status.locale}`).toEqual([]);
			expect(status.extra, `in ${status.locale} but not in the base language`).toEqual([]);
			expect(status.problems).toEqual([]);
			expect(status.present).toBe(status.total);
		});
	}
});

describe('the message check', () => {
	const files = (de: Record<string, unknown>, other: Record<string, unknown> | null, locale = 'en') => ({
		baseLocale: 'de',
		files: [
			{ locale: 'de', file: 'de.json', messages: de },
			{ locale, file: `${locale}.json`, messages: other }
		]
	});
	const problemsOf = (de: Record<string, unknown>, other: Record<string, unknown> | null, locale = 'en') => checkProject(files(de, other, locale))[1]!;

	it('finds missing, empty and extra messages', () => {
		const status = problemsOf({ a: 'A', b: 'B', c: 'C' }, { a: 'A', b: '  ', d: 'D' });
		expect(status.missing).toEqual(['c']);
		expect(status.empty).toEqual(['b']);
		expect(status.extra).toEqual(['d']);
		expect(status.present).toBe(1);
	});

	it('counts a whole missing file as every message missing', () => {
		const status = problemsOf({ a: 'A', b: 'B' }, null, 'tr');
		expect(status.missing).toEqual(['a', 'b']);
		expect(status.problems).toEqual(['no message file for tr']);
	});

	it('finds parameters that differ between languages', () => {
		const status = problemsOf({ hello: 'Hallo {name}' }, { hello: 'Hello {nmae}' });
		expect(status.problems).toEqual(['hello: parameters {nmae} differ from de {name}']);
	});

	it('finds a plural in one language that the other does not have', () => {
		const status = problemsOf({ left: 'Noch {count}' }, { left: plural('count', { 'countPlural=one': 'one left', 'countPlural=other': '{count} left' }) });
		expect(status.problems).toEqual(['left: plural by [count], de by []']);
	});

	it('rejects placeholders that are not plain names, and unbalanced braces', () => {
		expect(parseMessage('Hallo {na me}', 'de').errors).toEqual(['"{na me}" is not a plain {name} placeholder']);
		expect(parseMessage('Hallo {name', 'de').errors).toEqual(['unclosed "{" at 6']);
		expect(parseMessage('Hallo name}', 'de').errors).toEqual(['unmatched "}" at 10']);
		expect(parseMessage('Klammern \\{wie diese\\}', 'de')).toEqual({ inputs: [], plurals: [], errors: [], empty: false });
	});

	it('rejects plural categories the language does not have, and forms without a variant', () => {
		const german = parseMessage(plural('count', { 'countPlural=one': 'eins', 'countPlural=few': 'einige', 'countPlural=other': '{count}' }), 'de');
		expect(german.errors).toEqual(['variant "countPlural=few": "few" is no plural category of de (one, other)']);
		const arabic = parseMessage(plural('count', { 'countPlural=one': 'واحد', 'countPlural=other': '{count}' }), 'ar');
		expect([...arabic.errors].sort()).toEqual(['no variant for countPlural=few', 'no variant for countPlural=many', 'no variant for countPlural=two', 'no variant for countPlural=zero']);
		const catchAll = parseMessage(plural('count', { 'countPlural=one': 'واحد', 'countPlural=*': '{count}' }), 'ar');
		expect(catchAll.errors).toEqual([]);
	});

	it('rejects broken variant messages', () => {
		expect(parseMessage([{ declarations: ['input count', 'local countPlural = count: number'], selectors: ['countPlural'], match: { 'countPlural=*': 'x' } }], 'de').errors).toEqual([
			'unsupported declaration "local countPlural = count: number"',
			'selector "countPlural" is not a declared plural'
		]);
		expect(parseMessage(plural('count', { 'other=one': 'x', 'countPlural=*': 'y' }), 'de').errors).toEqual(['variant "other=one" does not name the selectors countPlural in order']);
		expect(parseMessage(plural('count', { 'countPlural=one': '', 'countPlural=other': 'x' }), 'de').empty).toBe(true);
		expect(parseMessage(42, 'de').errors).toEqual(['neither a string nor a list with one variant message']);
	});

	it('finds a number before a German noun without plural forms by it', () => {
		expect(numbersBeforeNouns('Noch {count} von {capacity} Plätzen frei')).toEqual([{ name: 'capacity', noun: 'Plätzen' }]);
		expect(numbersBeforeNouns('{count} neue Angebote und Einsätze')).toEqual([{ name: 'count', noun: 'Angebote' }]);
		expect(numbersBeforeNouns('Erinnerungen gespeichert: {count} geplant.')).toEqual([]);
		expect(numbersBeforeNouns('Sie stehen auf Platz {position} der Warteliste.')).toEqual([]);
		expect(numbersBeforeNouns('Schwelle {threshold} Std. erreicht')).toEqual([]);
		const status = checkProject(files({ team: 'Sie haben {places} Plätze für Ihr Team.', chosen: plural('count', { 'countPlural=one': 'eine Person', 'countPlural=other': '{count} Personen' }) }, {}))[0]!;
		expect(status.problems).toEqual(['team: {places} stands before "Plätze" but the message has no plural forms by places']);
	});

	it('prints one status line per language', () => {
		const text = formatStatus(checkProject(files({ a: 'A', b: 'B' }, { a: 'A' })));
		expect(text.split('\n')).toEqual(['Translation status (messages present / total):', '  de         2 / 2  complete', '  en         1 / 2  1 missing']);
	});
});
