import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Right-to-left languages mirror the layout only if the CSS speaks of start and end, not left and
// right: margin-inline-start, padding-inline-end, border-inline-start, inset-inline-start,
// text-align: start, float: inline-start.
const PHYSICAL = /\b(?:margin|padding|border)-(?:left|right)\b|\btext-align\s*:\s*(?:left|right)\b|\bfloat\s*:\s*(?:left|right)\b|(?:^|[\s;{])(?:left|right)\s*:/g;

/**
 * Deliberate exceptions, as "path: property" with the reason. Something that must not mirror
 * (a QR code's quiet zone, a chart's axis) goes here.
 */
const ALLOWED: Record<string, string> = {};

/** The CSS of a file: all of a .css file; the <style> blocks, style="" attributes and style: directives of a component. */
function cssOf(path: string, text: string): string {
	if (path.endsWith('.css')) return text;
	const blocks = [...text.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
	const attributes = [...text.matchAll(/\bstyle="([^"]*)"/g)].map((m) => m[1] ?? '');
	const directives = [...text.matchAll(/\bstyle:([a-z-]+)/g)].map((m) => `${m[1]}:`);
	return [...blocks, ...attributes, ...directives].join('\n');
}

function physicalProperties(css: string): string[] {
	return [...css.matchAll(PHYSICAL)].map((m) => m[0].replace(/^[\s;{]/, '').replace(/\s+/g, ' ').trim());
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : sourceFiles(path);
		return /\.(svelte|css)$/.test(entry.name) ? [path] : [];
	});
}

describe('logical CSS properties', () => {
	const root = process.cwd();
	const files = sourceFiles(join(root, 'src'));

	it('finds the components and style sheets', () => {
		expect(files.some((f) => f.endsWith('app.css'))).toBe(true);
		expect(files.filter((f) => f.endsWith('.svelte')).length).toBeGreaterThan(20);
	});

	it('no physical left/right property remains in src/ outside the allowed list', () => {
		const found = files.flatMap((file) => {
			const path = relative(root, file);
			return physicalProperties(cssOf(path, readFileSync(file, 'utf8')))
				.map((property) => `${path}: ${property}`)
				.filter((entry) => !(entry in ALLOWED));
		});
		expect(found).toEqual([]);
	});

	it('recognises the physical forms and lets the logical ones pass', () => {
		const css = `.a { margin-left: 1rem; padding-right: 0; border-left-color: red; text-align: right; float:left; }
			.b { position: absolute; left: 0; top: 0 } .c{right:1rem}`;
		expect(physicalProperties(css)).toEqual(['margin-left', 'padding-right', 'border-left', 'text-align: right', 'float:left', 'left:', 'right:']);
		const logical = `.a { margin-inline-start: 1rem; padding-inline-end: 0; border-inline-start: 1px solid; text-align: start; float: inline-start; inset-inline-start: 0; }`;
		expect(physicalProperties(logical)).toEqual([]);
	});

	it('reads the CSS of a component, not its script', () => {
		const component = `<script>const labels = { left: 'links', right: 'rechts' };</script>
			<p style="margin-right: 2px" style:padding-left={x}>x</p>
			<style>.x { border-right: 1px solid; }</style>`;
		expect(physicalProperties(cssOf('x.svelte', component))).toEqual(['border-right', 'margin-right', 'padding-left']);
	});
});
