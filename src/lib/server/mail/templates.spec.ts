import { describe, expect, it } from 'vitest';
import { escapeHtml, renderEmail, toLocale } from './templates';

describe('email templates', () => {
	const payload = { name: 'Anna "<script>"', url: 'https://x.example/sign-in/link?token=a&b=c' };

	it('renders German and English with a text and an HTML part', () => {
		const de = renderEmail('sign-in-link', payload, 'de');
		const en = renderEmail('sign-in-link', payload, 'en');
		expect(de.subject).toBe('Ihr Login-Link für Miteinander');
		expect(en.subject).toBe('Your sign-in link for Miteinander');
		expect(de.text).toContain('Hallo Anna "<script>",');
		expect(de.text).toContain(payload.url);
		expect(en.html).toContain('<html lang="en" dir="ltr">');
		expect(de.html).toContain('<html lang="de" dir="ltr">');
	});

	it('renders the newcomers\' languages, Arabic right to left', () => {
		const ar = renderEmail('sign-in-link', payload, 'ar');
		expect(ar.html).toContain('<html lang="ar" dir="rtl">');
		expect(ar.subject).toMatch(/[\u0600-\u06ff]/);
		expect(renderEmail('sign-in-link', payload, 'tr').subject).not.toBe(renderEmail('sign-in-link', payload, 'de').subject);
		expect(renderEmail('sign-in-link', payload, 'uk').html).toContain('<html lang="uk" dir="ltr">');
	});

	it('escapes user content in HTML', () => {
		const { html } = renderEmail('sign-in-link', payload, 'de');
		expect(html).not.toContain('<script>');
		expect(html).toContain('Anna &quot;&lt;script&gt;&quot;');
		expect(html).toContain('href="https://x.example/sign-in/link?token=a&amp;b=c"');
	});

	it('falls back to German for unknown locales', () => {
		expect(toLocale('tr')).toBe('tr');
		expect(toLocale('fr')).toBe('de');
		expect(toLocale('en')).toBe('en');
		expect(toLocale(null)).toBe('de');
		expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
	});

	it('names in an alert digest\'s subject what it holds: offers, Einsätze or both', () => {
		const offer = { title: 'Lauftreff', club: 'SV Imst', url: 'https://x.example/o', reasons: [] };
		const task = { ...offer, title: 'Sportfest', nextShift: '13.03.2027, 10:00' };
		const digest = (items: (typeof offer)[], locale: 'de' | 'en') =>
			renderEmail('alert-digest', { name: 'Anna', municipality: 'Imst', frequency: 'weekly', items, unsubscribeUrl: 'https://x.example/u' }, locale).subject;
		expect(digest([offer], 'de')).toBe('Ein neues Angebot in Imst, das zu Ihnen passt');
		expect(digest([task], 'de')).toBe('Ein neuer Einsatz in Imst, der zu Ihnen passt');
		expect(digest([task, task], 'de')).toBe('2 neue Einsätze in Imst, die zu Ihnen passen');
		expect(digest([offer, task], 'de')).toBe('2 neue Angebote und Einsätze in Imst, die zu Ihnen passen');
		expect(digest([offer, task, task], 'en')).toBe('3 new offers and volunteer shifts in Imst that suit you');
	});
});
