// The browser's build of Paraglide (issue 17): messages as data in the page's language, and a
// runtime that only knows the locale. See src/lib/message-data/format.ts for why.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { toMessageData, type MessageData, type SourceVariant } from '../src/lib/message-data/format.ts';

interface Settings {
	baseLocale: string;
	locales: string[];
	'plugin.inlang.messageFormat': { pathPattern: string };
}

const root = fileURLToPath(new URL('..', import.meta.url));
const MESSAGE_MODULE = /[\\/]src[\\/]lib[\\/]paraglide[\\/]messages[\\/](\w+)\.js$/;
const RUNTIME_MODULE = /[\\/]src[\\/]lib[\\/]paraglide[\\/]runtime\.js$/;
/** SvelteKit's generated modules of the app entry and of each route node. */
const LOADING_MODULE = /[\\/]\.svelte-kit[\\/]generated[\\/]client-optimized[\\/](app|nodes[\\/]\d+)\.js$/;
const CLIENT = JSON.stringify(path.join(root, 'src/lib/message-data/client.ts'));

function readSettings(): Settings {
	return JSON.parse(readFileSync(path.join(root, 'project.inlang/settings.json'), 'utf8'));
}

/** Each message's data per locale, and a short key that changes whenever any of its texts does. */
function readMessages(settings: Settings) {
	const sources = new Map<string, Record<string, string | SourceVariant[]>>();
	for (const locale of settings.locales) {
		const file = settings['plugin.inlang.messageFormat'].pathPattern.replace('{locale}', locale);
		sources.set(locale, JSON.parse(readFileSync(path.join(root, file), 'utf8')));
	}
	const base = sources.get(settings.baseLocale)!;
	const messages = new Map<string, { key: string; data: Map<string, MessageData> }>();
	const keys = new Map<string, string>();
	for (const id of Object.keys(base)) {
		if (id.startsWith('$')) continue;
		const data = new Map<string, MessageData>();
		for (const locale of settings.locales) data.set(locale, toMessageData(id, sources.get(locale)![id] ?? base[id]!));
		const key = shortHash(id + JSON.stringify([...data]));
		if (keys.has(key)) throw new Error(`message-data: ${id} and ${keys.get(key)} share the key ${key}`);
		keys.set(key, id);
		messages.set(id, { key, data });
	}
	return messages;
}

/** FNV-1a, in base 36: about six characters. */
function shortHash(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
	return (hash >>> 0).toString(36);
}

/**
 * The client's Paraglide runtime: the page's locale from its address or from what the server rendered.
 * Paraglide's own evaluates URLPatterns and ships their polyfill (6 KB gzipped). Under `vite dev`, the
 * message functions are Paraglide's and import `experimentalStaticLocale` from it.
 */
function leanRuntime(settings: Settings): string {
	return `export const baseLocale = ${JSON.stringify(settings.baseLocale)};
export const locales = ${JSON.stringify(settings.locales)};
export const isLocale = (locale) => locales.includes(locale);
export function getLocale() {
	const prefix = location.pathname.split('/', 2)[1];
	if (isLocale(prefix)) return prefix;
	const rendered = document.documentElement.lang;
	return isLocale(rendered) ? rendered : baseLocale;
}
export function overwriteGetLocale() {}
export const experimentalStaticLocale = undefined;
`;
}

/**
 * In the browser, Paraglide's runtime gives way to one that reads the locale (build and dev); in the
 * build, each message function becomes `message(key, inputs)` and every route node and the app entry
 * first await their texts. Next to each of their files goes one JSON file per locale with the texts
 * its modules use that the app entry and the root layout (always loaded first) do not already hold.
 */
export function clientMessageData(): Plugin {
	const settings = readSettings();
	let messages: ReturnType<typeof readMessages> | undefined;
	let isBuild = false;
	return {
		name: 'client-message-data',
		enforce: 'pre',
		configResolved(config) {
			isBuild = config.command === 'build';
		},
		load(id) {
			if (this.environment.config.consumer === 'client' && RUNTIME_MODULE.test(id)) return leanRuntime(settings);
		},
		transform(code, id) {
			if (!isBuild || this.environment.config.consumer !== 'client') return;
			const messageId = MESSAGE_MODULE.exec(id)?.[1];
			if (messageId && messageId !== '_index') {
				messages ??= readMessages(settings);
				const message = messages.get(messageId);
				// Not a message: a locale module that `vite dev` compiled (Paraglide's layout there differs).
				if (!message) return;
				return {
					code: `import { message } from ${CLIENT};\nexport const ${messageId} = (inputs) => message(${JSON.stringify(message.key)}, inputs);\n`,
					map: null
				};
			}
			if (LOADING_MODULE.test(id)) {
				return { code: `import { loadMessages } from ${CLIENT};\nawait loadMessages(import.meta.url);\n${code}`, map: null };
			}
		},
		generateBundle(_, bundle) {
			if (this.environment.config.consumer !== 'client' || !messages) return;
			const idOfKey = new Map([...messages].map(([id, m]) => [m.key, id]));
			const keyOfModule = (moduleId: string) => {
				const id = MESSAGE_MODULE.exec(moduleId)?.[1];
				return id && id !== '_index' ? messages!.get(id)?.key : undefined;
			};
			const chunks = new Map(Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])));
			const keysOf = (fileName: string, seen = new Set<string>()): Set<string> => {
				const keys = new Set<string>();
				if (seen.has(fileName)) return keys;
				seen.add(fileName);
				const chunk = chunks.get(fileName)!;
				for (const [moduleId, info] of Object.entries(chunk.modules)) {
					const key = info.renderedLength > 0 ? keyOfModule(moduleId) : undefined;
					if (key) keys.add(key);
				}
				for (const imported of chunk.imports) for (const key of keysOf(imported, seen)) keys.add(key);
				return keys;
			};
			const entries = [...chunks.values()].flatMap((chunk) => {
				const kind = chunk.facadeModuleId ? LOADING_MODULE.exec(chunk.facadeModuleId)?.[1]?.replace('\\', '/') : undefined;
				return kind ? [{ kind, fileName: chunk.fileName }] : [];
			});
			const app = entries.find((e) => e.kind === 'app');
			const layout = entries.find((e) => e.kind === 'nodes/0');
			if (!app || !layout) this.error('message-data: the build has no app entry or root layout');
			const appKeys = keysOf(app.fileName);
			const layoutKeys = keysOf(layout.fileName);
			for (const entry of entries) {
				const loadedBefore = entry === app ? [] : entry === layout ? [appKeys] : [appKeys, layoutKeys];
				const keys = [...keysOf(entry.fileName)].filter((key) => !loadedBefore.some((set) => set.has(key))).sort();
				for (const locale of settings.locales) {
					const texts = Object.fromEntries(keys.map((key) => [key, messages!.get(idOfKey.get(key)!)!.data.get(locale)]));
					this.emitFile({ type: 'asset', fileName: entry.fileName.replace(/\.js$/, `.${locale}.json`), source: JSON.stringify(texts) });
				}
			}
		}
	};
}
