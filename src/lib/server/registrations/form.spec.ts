import { describe, expect, it } from 'vitest';
import { parseDetails } from './form';

function formData(entries: [string, string][]): FormData {
	const form = new FormData();
	for (const [key, value] of entries) form.append(key, value);
	return form;
}

const valid: [string, string][] = [
	['name', '  Anna <script>alert(1)</script> '],
	['email', ' Anna@Example.org '],
	['residency', 'incoming'],
	['homePlace', 'Wien'],
	['secondPlace', 'Imst'],
	['interests', 'sport'],
	['interests', 'kultur'],
	['availability', 'weekends'],
	['languages', 'de'],
	['languages', 'uk'],
	['presence', 'Mai bis September'],
	['accessibilityNeeds', ''],
	['consentIntroductions', 'on'],
	['consentPrivacy', 'on']
];

describe('registration form', () => {
	it('accepts a complete form, trims, lower-cases the address and keeps markup as plain text', () => {
		const parsed = parseDetails(formData(valid), ['sport', 'kultur'], { withEmail: true });
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.email).toBe('anna@example.org');
		expect(parsed.name).toBe('Anna <script>alert(1)</script>');
		expect(parsed.profile).toMatchObject({ residency: 'incoming', interests: ['sport', 'kultur'], languages: ['de', 'uk'], availability: ['weekends'] });
		expect(parsed.consentIntroductions).toBe(true);
	});

	it('reports every problem in field order and hands back what was typed', () => {
		const bad = formData([
			['name', ''],
			['email', 'not-an-address'],
			['residency', 'martian'],
			['homePlace', 'x'.repeat(121)],
			['interests', 'unknown-tag'],
			['consentPrivacy', '']
		]);
		const parsed = parseDetails(bad, ['sport'], { withEmail: true });
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(Object.keys(parsed.errors)).toEqual(['name', 'email', 'residency', 'homePlace', 'interests', 'consentPrivacy']);
		expect(parsed.errors.name).toBe('Bitte füllen Sie dieses Feld aus.');
		expect(parsed.values.email).toBe('not-an-address');
		expect(parsed.values.homePlace).toHaveLength(121);
	});

	it('does not ask for the address or consent on the manage form', () => {
		const withoutEmail = valid.filter(([key]) => key !== 'email' && key !== 'consentPrivacy');
		expect(parseDetails(formData(withoutEmail), ['sport', 'kultur'], { withEmail: false }).ok).toBe(true);
	});
});

describe('registration form: competences', () => {
	it('keeps the competences offered by the hosts and refuses others', () => {
		const withFirstAid = parseDetails(formData([...valid, ['competences', 'erste-hilfe']]), ['sport', 'kultur'], {
			withEmail: true,
			competenceSlugs: ['erste-hilfe', 'kochen']
		});
		expect(withFirstAid.ok && withFirstAid.profile.competences).toEqual(['erste-hilfe']);
		const none = parseDetails(formData(valid), ['sport', 'kultur'], { withEmail: true, competenceSlugs: ['erste-hilfe'] });
		expect(none.ok && none.profile.competences).toEqual([]);
		const unknown = parseDetails(formData([...valid, ['competences', 'zauberei']]), ['sport', 'kultur'], { withEmail: true, competenceSlugs: ['erste-hilfe'] });
		expect(unknown.ok).toBe(false);
		if (!unknown.ok) expect(Object.keys(unknown.errors)).toEqual(['competences']);
	});
});
