// Hands a page's texts to the browser inside its HTML (see src/lib/message-data): the app entry and
// route nodes the page loads (its start script names them) each have a JSON file per locale in the client build, and their
// contents go into one data block, so that hydration waits for no further request.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INLINE_ID, INLINE_MODULES } from '$lib/message-data/client';

const LOADED_MODULE = /_app\/immutable\/((?:entry\/app|nodes\/\d+)\.[\w-]+)\.js/g;

/** `build/client/_app/immutable` of the production build this server belongs to; none under `vite dev`. */
function findImmutableDir(): string | undefined {
	for (let dir = path.dirname(fileURLToPath(import.meta.url)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const candidate = path.join(dir, 'client', '_app', 'immutable');
		if (fs.existsSync(candidate)) return candidate;
	}
}

const immutableDir = findImmutableDir();
const filesRead = new Map<string, Record<string, unknown> | undefined>();

function textsOf(module: string, locale: string): Record<string, unknown> | undefined {
	const file = `${module}.${locale}.json`;
	if (!filesRead.has(file)) {
		const full = path.join(immutableDir!, file);
		filesRead.set(file, fs.existsSync(full) ? JSON.parse(fs.readFileSync(full, 'utf8')) : undefined);
	}
	return filesRead.get(file);
}

const blocks = new Map<string, string>();

/** The data block for `modules` in `locale`, built once per set. */
function blockOf(modules: string[], locale: string): string {
	const cacheKey = `${locale} ${modules.join(' ')}`;
	let block = blocks.get(cacheKey);
	if (block === undefined) {
		const found = modules.filter((module) => textsOf(module, locale));
		const texts = Object.assign({}, ...found.map((module) => textsOf(module, locale)));
		// `<` escaped, so that no text can end the block.
		const json = JSON.stringify(texts).replace(/</g, '\\u003c');
		block = found.length === 0 ? '' : `<script type="application/json" id="${INLINE_ID}" ${INLINE_MODULES}="${found.join(' ')}">${json}</script>`;
		blocks.set(cacheKey, block);
	}
	return block;
}

/** The page's HTML with the texts of the modules it loads in `locale` before `</head>`. */
export function withMessageData(html: string, locale: string): string {
	const head = html.indexOf('</head>');
	if (!immutableDir || head === -1) return html;
	const modules = [...new Set(Array.from(html.matchAll(LOADED_MODULE), (match) => match[1]!))];
	if (modules.length === 0) return html;
	return html.slice(0, head) + blockOf(modules, locale) + html.slice(head);
}
