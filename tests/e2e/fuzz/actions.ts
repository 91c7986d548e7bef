import fs from 'node:fs';
import path from 'node:path';

// The form actions, read from the source tree: a new one is fuzzed without anyone listing it.

const ROOT = path.resolve(import.meta.dirname, '../../..');
const ROUTES = path.join(ROOT, 'src/routes');

export interface Action {
	/** Route id as SvelteKit names it, e.g. `/admin/events/[id]/stalls`. */
	route: string;
	/** `default`, a named action (`?/name`), or for +server.ts the HTTP method. */
	name: string;
	kind: 'page' | 'endpoint';
	/** Field names the route's own files mention (name="…", form.get('…')). */
	fields: string[];
}

function walk(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? walk(full) : [full];
	});
}

const FIELD_PATTERNS = [/name="([A-Za-z_][\w-]*)"/g, /\.(?:get|getAll|has)\('([A-Za-z_][\w-]*)'\)/g];

function fieldNamesIn(text: string): string[] {
	return FIELD_PATTERNS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]!));
}

function routeIdOf(file: string): string {
	const dir = path.relative(ROUTES, path.dirname(file)).split(path.sep);
	// Groups like (public) are not part of the URL.
	return '/' + dir.filter((segment) => segment && !/^\(.*\)$/.test(segment)).join('/');
}

export function discoverActions(): Action[] {
	const found: Action[] = [];
	for (const file of walk(ROUTES)) {
		const base = path.basename(file);
		const source = fs.readFileSync(file, 'utf8');
		const route = routeIdOf(file);
		const local = fs
			.readdirSync(path.dirname(file))
			.filter((f) => /\.(svelte|ts)$/.test(f))
			.flatMap((f) => fieldNamesIn(fs.readFileSync(path.join(path.dirname(file), f), 'utf8')));
		const fields = [...new Set(local)];
		if (base === '+page.server.ts') {
			const start = source.indexOf('export const actions');
			if (start < 0) continue;
			// The actions object's own keys sit one tab in: `\tname: async (…) => {`.
			for (const match of source.slice(start).matchAll(/^\t([A-Za-z_]\w*)\s*:\s*async\b/gm)) {
				found.push({ route, name: match[1]!, kind: 'page', fields });
			}
		} else if (base === '+server.ts') {
			for (const match of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(POST|PUT|PATCH|DELETE)\b/g)) {
				found.push({ route, name: match[1]!, kind: 'endpoint', fields });
			}
		}
	}
	return found;
}

/** Every field name any page or form parser in the app knows, for fields sent to the "wrong" action. */
export function allFieldNames(): string[] {
	const files = walk(path.join(ROOT, 'src')).filter((f) => /\.(svelte|ts)$/.test(f));
	return [...new Set(files.flatMap((f) => fieldNamesIn(fs.readFileSync(f, 'utf8'))))].sort();
}
