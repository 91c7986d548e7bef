// Forms as the pages render them, and what a person would type into their empty fields.

export interface BaseField {
	name: string;
	value: string;
	/** An unticked checkbox: sent only when the form is "filled in". */
	unticked: boolean;
}

const decode = (text: string) =>
	text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (attrs: string, name: string) => {
	const match = new RegExp(`\\s${name}="([^"]*)"`).exec(attrs);
	return match ? decode(match[1]!) : null;
};

export function formsIn(html: string): { action: string; fields: BaseField[] }[] {
	const forms: { action: string; fields: BaseField[] }[] = [];
	for (const [, attrs, inner] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
		if ((attr(attrs!, 'method') ?? 'get').toLowerCase() !== 'post') continue;
		const target = attr(attrs!, 'action') ?? '';
		const action = target.startsWith('?/') ? target.slice(2) : target === '' ? 'default' : null;
		if (!action) continue;
		const fields: BaseField[] = [];
		const radios = new Set<string>();
		for (const [, a] of inner!.matchAll(/<input\b([^>]*)>/g)) {
			const name = attr(a!, 'name');
			if (!name) continue;
			const type = (attr(a!, 'type') ?? 'text').toLowerCase();
			const value = attr(a!, 'value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : '');
			const checked = /\schecked\b/.test(a!);
			if (type === 'file') continue;
			if (type === 'radio') {
				if (radios.has(name) && !checked) continue;
				radios.add(name);
			}
			fields.push({ name, value, unticked: type === 'checkbox' && !checked });
		}
		for (const [, a, options] of inner!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
			const name = attr(a!, 'name');
			const values = [...options!.matchAll(/<option\b([^>]*)>/g)].map(([, o]) => ({ value: attr(o!, 'value') ?? '', selected: /\sselected\b/.test(o!) }));
			const chosen = values.find((v) => v.selected && v.value !== '') ?? values.find((v) => v.value !== '');
			if (name && chosen) fields.push({ name, value: chosen.value, unticked: false });
		}
		for (const [, a, text] of inner!.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
			const name = attr(a!, 'name');
			if (name) fields.push({ name, value: decode(text!), unticked: false });
		}
		forms.push({ action, fields });
	}
	return forms;
}

const IN_TWO_MONTHS = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);

/** What a person would type into an empty field of that name. */
export function plausible(name: string): string {
	if (/email/i.test(name)) return 'fuzz.neu@example.org';
	if (/Local$|firstRoundAt/.test(name)) return `${IN_TWO_MONTHS}T18:00`;
	if (/^(confirm|consent)/.test(name)) return 'on';
	if (/^(count|from|tables|chairs|talks|newVolunteers|capacity|rounds|k|tableSeats|roundMinutes|durationMinutes|months|minimumAge)$/.test(name)) return '2';
	if (name === 'prefix') return 'F';
	if (name === 'reminderDays') return '1,3';
	if (name === 'reminderTime') return '09:00';
	if (name === 'contactPhone') return '+43 5412 1';
	if (name === 'website') return 'https://fuzz.example';
	if (/title|name|Name|place|Place|reason|subject|body|description|comment|changes|staff|notes|zone/.test(name)) return `Fuzz ${name}`;
	return '';
}
