import { describe, expect, it } from 'vitest';
import { deLocalizeHref, localizeHref } from './i18n';

describe('locale prefixes', () => {
	it('adds the locale prefix to local paths', () => {
		expect(localizeHref('/', { locale: 'de' })).toBe('/de');
		expect(localizeHref('/admin/events', { locale: 'en' })).toBe('/en/admin/events');
		expect(localizeHref('/?kind=market', { locale: 'de' })).toBe('/de?kind=market');
		expect(localizeHref('/de/admin', { locale: 'en' })).toBe('/en/admin');
	});

	it('leaves other links alone', () => {
		expect(localizeHref('https://example.org/x', { locale: 'de' })).toBe('https://example.org/x');
		expect(localizeHref('//evil.example', { locale: 'de' })).toBe('//evil.example');
	});

	it('removes a prefix only when it is a whole segment', () => {
		expect(deLocalizeHref('/de/admin')).toBe('/admin');
		expect(deLocalizeHref('/en')).toBe('/');
		expect(deLocalizeHref('/de?x=1')).toBe('/?x=1');
		expect(deLocalizeHref('/design')).toBe('/design');
		expect(deLocalizeHref('/admin')).toBe('/admin');
	});
});
