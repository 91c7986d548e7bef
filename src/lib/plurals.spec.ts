import { describe, expect, it } from 'vitest';
import * as m from './paraglide/messages';

// Numbers before nouns take the language's plural forms (CLDR): German and English one/other,
// Arabic zero/one/two/few/many/other, Ukrainian one/few/many.
describe('plural forms', () => {
	it('say "one person" and "3 people", not "1 Personen"', () => {
		expect(m.lead_anonymous({ count: 1 }, { locale: 'de' })).toContain('eine weitere Person');
		expect(m.lead_anonymous({ count: 3 }, { locale: 'de' })).toContain('3 Personen');
		expect(m.lead_anonymous({ count: 1 }, { locale: 'en' })).toMatch(/^One more person would/);
		expect(m.alerts_rate_limited({ minutes: 1 }, { locale: 'de' })).toContain('in einer Minute');
		expect(m.alerts_rate_limited({ minutes: 15 }, { locale: 'en' })).toContain('in 15 minutes');
	});

	it('follow the Arabic and Ukrainian categories', () => {
		const ar = (places: number) => m.tasks_error_not_enough({ places, left: 0 }, { locale: 'ar' });
		expect(ar(1)).toContain('لشخص واحد');
		expect(ar(2)).toContain('لشخصين');
		expect(ar(5)).toContain('لـ 5 أشخاص');
		expect(ar(11)).toContain('لـ 11 شخصًا');
		expect(ar(100)).toContain('لـ 100 شخص ');
		const uk = (places: number) => m.tasks_error_not_enough({ places, left: 0 }, { locale: 'uk' });
		expect(uk(1)).toContain('Для 1 особи');
		expect(uk(21)).toContain('Для 21 особи');
		expect(uk(3)).toContain('Для 3 осіб');
		expect(uk(5)).toContain('Для 5 осіб');
		expect(m.tasks_error_not_enough({ places: 1, left: 0 }, { locale: 'de' })).toMatch(/^Für eine Person ist kein Platz mehr frei/);
	});
});
