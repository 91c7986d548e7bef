// Messages as data for the browser (issue 17). Paraglide compiles every message into a function
// holding all six languages, so a page's JavaScript carried each of its texts six times. The client
// build (scripts/vite-message-data.ts) instead ships one short key per message and hands the texts
// of the page's language over as JSON in this compact form; `renderMessage` does what Paraglide's
// compiled function does. The server keeps Paraglide's functions.

/** A message in one language: a pattern with `{input}` placeholders, or plural cases. */
export type MessageData = string | PluralMessage;
/** The inputs whose plural categories select a case, then the cases in order: categories (or `*`) and pattern. */
export type PluralMessage = [inputs: string[], cases: [categories: string[], pattern: string][]];

/** One variant of an inlang message-format message with plurals, as it stands in messages/<locale>.json. */
export interface SourceVariant {
	declarations: string[];
	selectors: string[];
	match: Record<string, string>;
}

const PLURAL_DECLARATION = /^local (\w+) = (\w+): plural$/;

/** Turns a message of messages/<locale>.json into its data form; refuses what it cannot render the same. */
export function toMessageData(id: string, source: string | SourceVariant[]): MessageData {
	if (typeof source === 'string') return source;
	const variant = source.length === 1 ? source[0] : undefined;
	if (!variant) throw new Error(`message ${id}: expected one variant, got ${source.length}`);
	const inputOf = new Map<string, string>();
	for (const declaration of variant.declarations) {
		if (declaration.startsWith('input ')) continue;
		const plural = PLURAL_DECLARATION.exec(declaration);
		if (!plural) throw new Error(`message ${id}: unsupported declaration "${declaration}"`);
		inputOf.set(plural[1]!, plural[2]!);
	}
	const inputs = variant.selectors.map((selector) => {
		const input = inputOf.get(selector);
		if (!input) throw new Error(`message ${id}: selector ${selector} is not a plural of an input`);
		return input;
	});
	const cases = Object.entries(variant.match).map(([key, pattern]): [string[], string] => {
		const byName = new Map(key.split(',').map((part) => part.trim().split('=') as [string, string]));
		return [variant.selectors.map((selector) => byName.get(selector) ?? '*'), pattern];
	});
	return [inputs, cases];
}

const pluralRules = new Map<string, Intl.PluralRules>();

function pluralCategory(locale: string, input: unknown): string {
	let rules = pluralRules.get(locale);
	if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
	return rules.select(Number(input));
}

/** The message's text for `inputs`, as Paraglide's compiled function for `locale` returns it. */
export function renderMessage(data: MessageData, inputs: Record<string, unknown> | undefined, locale: string): string | undefined {
	let pattern: string | undefined;
	if (typeof data === 'string') pattern = data;
	else {
		const [names, cases] = data;
		const categories = names.map((name) => pluralCategory(locale, inputs?.[name]));
		pattern = cases.find(([keys]) => keys.every((key, i) => key === '*' || key === categories[i]))?.[1];
	}
	return pattern?.replace(/\{(\w+)\}/g, (_, name: string) => `${inputs?.[name]}`);
}
