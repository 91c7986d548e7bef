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

	it('lists a club\'s people by round, with addresses only where given, and says when nobody comes any more', () => {
		const event = { title: 'Markt', startsAt: '2026-05-02T08:00:00.000Z', endsAt: '2026-05-02T12:00:00.000Z', timeZone: 'Europe/Vienna', where: 'Stadtsaal' };
		const schedule = {
			club: 'Chor <Imst>',
			event,
			kind: 'market',
			update: false,
			place: 'A1',
			url: 'https://x.example/club/c1/matching/e1',
			rounds: [
				{ round: 1, startsAt: '2026-05-02T08:20:00.000Z', endsAt: '2026-05-02T08:40:00.000Z', people: [{ name: 'Anna', email: 'anna@example.org', reasons: ['Gemeinsame Sprache: Deutsch'] }, { name: 'Ben', email: null, reasons: [] }] }
			]
		};
		const de = renderEmail('club-schedule', schedule, 'de');
		expect(de.subject).toBe('Wer zu Ihnen kommt: Markt');
		expect(de.text).toContain('Runde 2, 10:20–10:40');
		expect(de.text).toContain('Anna · anna@example.org — Warum: Gemeinsame Sprache: Deutsch');
		expect(de.text).toContain('Ben · – (keine Einwilligung)');
		expect(de.text).toContain('Ihr Platz: Stand A1');
		expect(de.html).toContain('Chor &lt;Imst&gt;');
		const none = renderEmail('club-schedule', { ...schedule, update: true, rounds: [] }, 'de');
		expect(none.subject).toBe('Der Gesprächsplan hat sich geändert: Markt');
		expect(none.text).toContain('niemand mehr');
		expect(renderEmail('club-schedule', { ...schedule, rounds: [{ ...schedule.rounds[0]!, round: null }] }, 'en').text).toContain('Throughout the event:');
		expect(renderEmail('club-schedule', schedule, 'ar').html).toContain('dir="rtl"');
	});
});
