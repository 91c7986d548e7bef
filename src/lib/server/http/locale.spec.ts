import { describe, expect, it } from 'vitest';
import { chooseEncoding } from './compress';
import { localeOfHref } from '$lib/i18n';
import { localeFromAcceptLanguage, localeFromCookie } from './locale';

describe('request locale', () => {
	it('takes the prefix only as a whole path segment', () => {
		expect(localeOfHref('/ar/events/5')).toBe('ar');
		expect(localeOfHref('/en')).toBe('en');
		expect(localeOfHref('/english')).toBeUndefined();
		expect(localeOfHref('/events/5')).toBeUndefined();
		expect(localeOfHref('/tr?page=2')).toBe('tr');
	});

	it('ranks Accept-Language by q and falls back from a region to its language', () => {
		expect(localeFromAcceptLanguage('fr-FR, tr;q=0.5, en;q=0.8')).toBe('en');
		expect(localeFromAcceptLanguage('uk-UA,uk;q=0.9')).toBe('uk');
		expect(localeFromAcceptLanguage('en;q=0, ar')).toBe('ar');
		expect(localeFromAcceptLanguage('fr, it')).toBeUndefined();
		expect(localeFromAcceptLanguage(null)).toBeUndefined();
	});

	it('reads only a known locale from the cookie', () => {
		expect(localeFromCookie('a=1; PARAGLIDE_LOCALE=bs; b=2')).toBe('bs');
		expect(localeFromCookie('PARAGLIDE_LOCALE=xx')).toBeUndefined();
		expect(localeFromCookie(null)).toBeUndefined();
	});
});

describe('response encoding', () => {
	it('prefers brotli, takes gzip, and honours q=0', () => {
		expect(chooseEncoding('gzip, deflate, br')).toBe('br');
		expect(chooseEncoding('gzip, br;q=0')).toBe('gzip');
		expect(chooseEncoding('identity')).toBeUndefined();
		expect(chooseEncoding(null)).toBeUndefined();
	});
});
