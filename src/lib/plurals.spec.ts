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

describe('plural forms by places, capacity, days and limits', () => {
	it('count team places and capacity', () => {
		expect(m.tasks_places_left({ count: 1, capacity: 1 }, { locale: 'de' })).toBe('Noch 1 von einem Platz frei');
		expect(m.tasks_places_left({ count: 2, capacity: 5 }, { locale: 'de' })).toBe('Noch 2 von 5 Plätzen frei');
		expect(m.admintasks_filled({ filled: 0, capacity: 1 }, { locale: 'en' })).toBe('0 of 1 place taken');
		const uk = (capacity: number) => m.admintasks_filled({ filled: 0, capacity }, { locale: 'uk' });
		expect(uk(1)).toBe('Зайнято 0 з 1 місця');
		expect(uk(21)).toBe('Зайнято 0 з 21 місця');
		expect(uk(2)).toBe('Зайнято 0 з 2 місць');
		expect(uk(5)).toBe('Зайнято 0 з 5 місць');
		expect(uk(11)).toBe('Зайнято 0 з 11 місць');
		expect(m.email_team_places({ places: 2 }, { locale: 'de' })).toBe('Angemeldet als Team mit 2 Plätzen.');
		expect(m.email_team_places({ places: 21 }, { locale: 'bs' })).toBe('Prijavili ste se kao tim; broj mjesta: 21.');
		const bs = (capacity: number) => m.venue_capacity({ capacity }, { locale: 'bs' });
		expect([bs(1), bs(2), bs(5), bs(11), bs(21)]).toEqual(['do 1 osobe', 'do 2 osobe', 'do 5 osoba', 'do 11 osoba', 'do 21 osobe']);
	});

	it('count days, years and characters in Arabic, Ukrainian and Bosnian', () => {
		const ar = (days: number) => m.clubarea_invite_hint({ days }, { locale: 'ar' });
		expect(ar(1)).toContain('لمدة يوم واحد');
		expect(ar(2)).toContain('لمدة يومين');
		expect(ar(7)).toContain('لمدة 7 أيام');
		expect(ar(11)).toContain('لمدة 11 يومًا');
		expect(ar(100)).toContain('لمدة 100 يوم.');
		expect(m.clubarea_invite_hint({ days: 1 }, { locale: 'de' })).toContain('der einen Tag gilt');
		expect(m.email_club_invitation_body({ inviter: 'A', club: 'B', days: 21 }, { locale: 'bs' })).toContain('vrijedi 21 dan.');
		expect(m.email_club_invitation_body({ inviter: 'A', club: 'B', days: 7 }, { locale: 'bs' })).toContain('vrijedi 7 dana.');
		const years = (age: number) => m.directory_minimum_age_value({ age }, { locale: 'uk' });
		expect([years(1), years(3), years(16), years(21)]).toEqual(['від 1 року', 'від 3 років', 'від 16 років', 'від 21 року']);
		const chars = (max: number) => m.field_max_chars({ max }, { locale: 'uk' });
		expect([chars(21), chars(254), chars(120), chars(5000)]).toEqual(['Щонайбільше 21 символ.', 'Щонайбільше 254 символи.', 'Щонайбільше 120 символів.', 'Щонайбільше 5000 символів.']);
		expect(m.error_too_long({ max: 254 }, { locale: 'bs' })).toBe('Molimo najviše 254 znaka.');
		expect(m.error_too_long({ max: 60 }, { locale: 'ar' })).toBe('60 حرفًا على الأكثر من فضلكم.');
		expect(m.error_too_long({ max: 10 }, { locale: 'ar' })).toBe('10 أحرف على الأكثر من فضلكم.');
		expect(m.error_too_long({ max: 200 }, { locale: 'ar' })).toBe('200 حرف على الأكثر من فضلكم.');
	});
});
