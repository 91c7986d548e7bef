// Completeness and syntax of the message files (messages/<locale>.json, inlang message format).
// Used by `npm run i18n` for the translation status and by src/lib/messages.spec.ts, which fails
// on any problem. The parser is strict on purpose and covers only what our messages use: text with
// {name} placeholders (\{ \} \\ escape), and variants chosen by `plural` selectors.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {{ inputs: string[], plurals: string[], errors: string[], empty: boolean }} ParsedMessage
 * @typedef {{ locale: string, file: string, messages: Record<string, unknown> | null }} LocaleFile
 * @typedef {{ locale: string, total: number, present: number, missing: string[], empty: string[], extra: string[], problems: string[] }} LocaleStatus
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The locales and message files of the inlang project: the settings are the one list of languages.
 * @param {string} root
 * @returns {{ baseLocale: string, files: LocaleFile[] }}
 */
export function readProject(root) {
	const settings = JSON.parse(readFileSync(join(root, 'project.inlang/settings.json'), 'utf8'));
	/** @type {string} */
	const pattern = settings['plugin.inlang.messageFormat'].pathPattern;
	/** @type {string[]} */
	const locales = settings.locales;
	const files = locales.map((locale) => {
		const file = join(root, pattern.replace('{locale}', locale));
		const messages = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
		return { locale, file, messages };
	});
	return { baseLocale: settings.baseLocale, files };
}

/**
 * Placeholders of one pattern, or syntax errors.
 * @param {string} text
 * @returns {{ names: string[], errors: string[] }}
 */
export function parsePattern(text) {
	/** @type {string[]} */
	const names = [];
	/** @type {string[]} */
	const errors = [];
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (char === '\\') {
			const next = text[i + 1];
			if (next === '{' || next === '}' || next === '\\') i++;
			continue;
		}
		if (char === '}') errors.push(`unmatched "}" at ${i}`);
		if (char !== '{') continue;
		const end = text.indexOf('}', i);
		if (end < 0) {
			errors.push(`unclosed "{" at ${i}`);
			break;
		}
		const name = text.slice(i + 1, end).trim();
		if (!IDENTIFIER.test(name)) errors.push(`"{${name}}" is not a plain {name} placeholder`);
		else names.push(name);
		i = end;
	}
	return { names, errors };
}

/**
 * Parses one message value for a locale: its inputs, the inputs it chooses plural forms by, and errors.
 * @param {unknown} value
 * @param {string} locale
 * @returns {ParsedMessage}
 */
export function parseMessage(value, locale) {
	if (typeof value === 'string') {
		const { names, errors } = parsePattern(value);
		return { inputs: [...new Set(names)].sort(), plurals: [], errors, empty: value.trim() === '' };
	}
	if (!Array.isArray(value) || value.length !== 1 || typeof value[0] !== 'object' || value[0] === null) {
		return { inputs: [], plurals: [], errors: ['neither a string nor a list with one variant message'], empty: true };
	}
	/** @type {{ declarations?: unknown, selectors?: unknown, match?: unknown }} */
	const message = value[0];
	/** @type {string[]} */
	const errors = [];
	for (const key of Object.keys(message)) if (!['declarations', 'selectors', 'match'].includes(key)) errors.push(`unknown field "${key}"`);
	const declarations = Array.isArray(message.declarations) ? message.declarations : [];
	const selectors = Array.isArray(message.selectors) ? message.selectors : [];
	const match = typeof message.match === 'object' && message.match !== null && !Array.isArray(message.match) ? /** @type {Record<string, unknown>} */ (message.match) : {};
	if (!Array.isArray(message.declarations)) errors.push('"declarations" must be a list');
	if (!Array.isArray(message.selectors) || selectors.length === 0) errors.push('"selectors" must be a non-empty list');

	const inputs = new Set();
	/** @type {Map<string, string>} local name → the input it takes the plural of */
	const locals = new Map();
	for (const declaration of declarations) {
		const input = typeof declaration === 'string' ? /^input ([A-Za-z_]\w*)$/.exec(declaration) : null;
		const local = typeof declaration === 'string' ? /^local ([A-Za-z_]\w*) = ([A-Za-z_]\w*): plural$/.exec(declaration) : null;
		if (input?.[1]) inputs.add(input[1]);
		else if (local?.[1] && local[2]) {
			if (!inputs.has(local[2])) errors.push(`"${declaration}" refers to an undeclared input`);
			locals.set(local[1], local[2]);
		} else errors.push(`unsupported declaration ${JSON.stringify(declaration)}`);
	}
	for (const selector of selectors) if (!locals.has(selector)) errors.push(`selector "${selector}" is not a declared plural`);

	const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
	/** @type {string[][]} */
	const keys = [];
	let empty = Object.keys(match).length === 0;
	if (empty) errors.push('"match" has no variants');
	for (const [key, pattern] of Object.entries(match)) {
		const parts = key.split(',').map((part) => part.trim().split('='));
		const names = parts.map((p) => p[0] ?? '');
		if (parts.some((p) => p.length !== 2) || names.join() !== selectors.join()) {
			errors.push(`variant "${key}" does not name the selectors ${selectors.join(', ')} in order`);
			continue;
		}
		const values = parts.map((p) => p[1] ?? '');
		for (const v of values) if (v !== '*' && !categories.includes(/** @type {Intl.LDMLPluralRule} */ (v))) errors.push(`variant "${key}": "${v}" is no plural category of ${locale} (${categories.join(', ')})`);
		keys.push(values);
		if (typeof pattern !== 'string') {
			errors.push(`variant "${key}" is not a string`);
			continue;
		}
		if (pattern.trim() === '') empty = true;
		const parsed = parsePattern(pattern);
		errors.push(...parsed.errors.map((e) => `variant "${key}": ${e}`));
		// As in the plugin, a placeholder without a declaration is an input of its own.
		for (const name of parsed.names) if (!locals.has(name)) inputs.add(name);
	}
	// Every plural form the language has must reach a variant, or the message renders as its key.
	for (const combination of combinations(selectors.length, categories)) {
		if (!keys.some((k) => k.every((v, i) => v === '*' || v === combination[i]))) errors.push(`no variant for ${selectors.map((s, i) => `${s}=${combination[i]}`).join(', ')}`);
	}
	return { inputs: [...inputs].sort(), plurals: [...new Set(locals.values())].sort(), errors, empty };
}

/**
 * Placeholders that stand before a noun in a German text: "{count} Personen", "{count} neue
 * Angebote". German capitalises nouns, so a placeholder followed by lowercase inflected adjectives
 * (-e, -en, -er, -es; no articles) and then a capitalised word counts that noun. Abbreviations such as "Std."
 * stay the same for every number and are left out. Such a number needs plural forms in German
 * ("1 Personen") and in the languages with more forms, whatever the translations look like.
 * @param {string} text
 * @returns {{ name: string, noun: string }[]}
 */
export function numbersBeforeNouns(text) {
	const found = [];
	for (const hit of text.matchAll(/\{([A-Za-z_]\w*)\}((?:\s+(?!de[mnrs]\b|die\b|das\b)[a-zäöüß]+e[nrs]?)*)\s+([A-ZÄÖÜ][\wäöüßÄÖÜ-]*)(\.?)/g)) {
		const [, name, , noun, dot] = hit;
		if (!name || !noun || (dot && noun.length <= 4)) continue;
		found.push({ name, noun });
	}
	return found;
}

/**
 * Messages whose number before a noun is no plain number, with the reason.
 * @type {Record<string, string>}
 */
export const NOT_COUNTED = {
	// A report figure, already formatted: below the privacy threshold it reads "weniger als 5".
	'report_offer_leads:leads': 'formatted figure',
	'reminders_rule:time': 'time of day ("18:00 Uhr")',
	'reminders_rule_same_day:time': 'time of day ("18:00 Uhr")',
	'nachweis_print_issued:date': 'a date',
	// TODO: a second selector by max. Arabic puts max last and Ukrainian "з {max} символів" fits every
	// limit in use (60 to 10000), but Bosnian needs "od 254 znaka" where it says "znakova".
	'field_chars_left:max': 'second number of the counter'
};

/**
 * Problems of a base-language message that puts a number before a noun without choosing plural
 * forms by that number.
 * @param {string} key
 * @param {unknown} value
 * @param {ParsedMessage} parsed
 * @returns {string[]}
 */
export function missingPlurals(key, value, parsed) {
	const texts = typeof value === 'string' ? [value] : Array.isArray(value) && typeof value[0]?.match === 'object' ? Object.values(value[0].match ?? {}) : [];
	const problems = new Set();
	for (const text of texts) {
		if (typeof text !== 'string') continue;
		for (const { name, noun } of numbersBeforeNouns(text)) {
			if (parsed.plurals.includes(name) || `${key}:${name}` in NOT_COUNTED) continue;
			problems.add(`${key}: {${name}} stands before "${noun}" but the message has no plural forms by ${name}`);
		}
	}
	return [...problems];
}

/**
 * @param {number} length
 * @param {string[]} values
 * @returns {string[][]}
 */
function combinations(length, values) {
	/** @type {string[][]} */
	let result = [[]];
	for (let i = 0; i < length; i++) result = result.flatMap((prefix) => values.map((v) => [...prefix, v]));
	return length === 0 ? [] : result;
}

/**
 * Status of every locale against the base locale: missing, empty and extra keys, parameter
 * differences and syntax errors.
 * @param {{ baseLocale: string, files: LocaleFile[] }} project
 * @returns {LocaleStatus[]}
 */
export function checkProject(project) {
	const base = project.files.find((f) => f.locale === project.baseLocale);
	const baseMessages = base?.messages ?? {};
	const keys = Object.keys(baseMessages).filter((k) => k !== '$schema');
	const baseParsed = new Map(keys.map((k) => [k, parseMessage(baseMessages[k], project.baseLocale)]));
	return project.files.map(({ locale, messages }) => {
		/** @type {LocaleStatus} */
		const status = { locale, total: keys.length, present: 0, missing: [], empty: [], extra: [], problems: [] };
		if (!messages) {
			status.missing = [...keys];
			status.problems.push(`no message file for ${locale}`);
			return status;
		}
		for (const key of keys) {
			if (!(key in messages)) {
				status.missing.push(key);
				continue;
			}
			const parsed = locale === project.baseLocale ? baseParsed.get(key) : parseMessage(messages[key], locale);
			const reference = baseParsed.get(key);
			if (!parsed || !reference) continue;
			if (parsed.empty) status.empty.push(key);
			else status.present++;
			for (const error of parsed.errors) status.problems.push(`${key}: ${error}`);
			if (locale === project.baseLocale) status.problems.push(...missingPlurals(key, messages[key], parsed));
			if (parsed.inputs.join() !== reference.inputs.join()) status.problems.push(`${key}: parameters {${parsed.inputs.join('}, {')}} differ from ${project.baseLocale} {${reference.inputs.join('}, {')}}`);
			if (parsed.plurals.join() !== reference.plurals.join()) status.problems.push(`${key}: plural by [${parsed.plurals.join(', ')}], ${project.baseLocale} by [${reference.plurals.join(', ')}]`);
		}
		status.extra = Object.keys(messages).filter((k) => k !== '$schema' && !baseParsed.has(k));
		return status;
	});
}

/**
 * One line per language for `npm run i18n`.
 * @param {LocaleStatus[]} statuses
 * @returns {string}
 */
export function formatStatus(statuses) {
	const lines = ['Translation status (messages present / total):'];
	for (const s of statuses) {
		const notes = [
			s.missing.length ? `${s.missing.length} missing` : '',
			s.empty.length ? `${s.empty.length} empty` : '',
			s.extra.length ? `${s.extra.length} not in the base language` : '',
			s.problems.length ? `${s.problems.length} with errors` : ''
		].filter(Boolean);
		lines.push(`  ${s.locale.padEnd(6)} ${String(s.present).padStart(5)} / ${s.total}  ${notes.length ? notes.join(', ') : 'complete'}`);
	}
	return lines.join('\n');
}
