// The browser's side of messages as data (see format.ts). Each route node and the app entry await
// `loadMessages` before they evaluate: the texts of the first page come inlined in its HTML (the
// server puts them there, http/message-data.ts), those of a page reached by client-side navigation
// from the JSON file next to its node's JavaScript. Messages render in the page's language.
import { renderMessage, type MessageData } from './format';

/** The id of the inlined block, and the attribute that names the modules whose texts it holds. */
export const INLINE_ID = 'message-data';
export const INLINE_MODULES = 'data-modules';

const texts: Record<string, MessageData> = {};
let inlined: Set<string> | undefined;

const locale = () => document.documentElement.lang;

/** `…/_app/immutable/nodes/5.abc.js` → `nodes/5.abc`: how files and the inlined block name a module. */
export function moduleName(url: string): string | undefined {
	return /\/_app\/immutable\/(.+)\.js$/.exec(new URL(url).pathname)?.[1];
}

function readInlined(): Set<string> {
	const element = document.getElementById(INLINE_ID);
	if (element) Object.assign(texts, JSON.parse(element.textContent ?? '{}'));
	return new Set(element?.getAttribute(INLINE_MODULES)?.split(' '));
}

/** Makes the texts of the module at `url` available, from the page or from its JSON file. */
export async function loadMessages(url: string): Promise<void> {
	inlined ??= readInlined();
	const name = moduleName(url);
	if (!name || inlined.has(name)) return;
	const response = await fetch(new URL(`${url.slice(0, -'.js'.length)}.${locale()}.json`));
	// Fails the navigation; SvelteKit then loads the page from the server.
	if (!response.ok) throw new Error(`messages of ${name}: HTTP ${response.status}`);
	Object.assign(texts, await response.json());
}

/** What a message function of the client build calls. */
export function message(key: string, inputs?: Record<string, unknown>): string {
	const data = texts[key];
	const text = data === undefined ? undefined : renderMessage(data, inputs, locale());
	if (text === undefined) console.error(`message ${key} is missing in the page's texts`);
	return text ?? key;
}
