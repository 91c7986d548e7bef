import { describe, expect, it } from 'vitest';
import type { Reason } from './matching/scoring';
import { reasonText, slotTime } from './match-format';

const tag = (slug: string) => slug;

describe('reasons in words', () => {
	it('speak to the person on their own pages and about the person to coordinators and clubs', () => {
		const time: Reason = { code: 'time', when: ['weekends'], months: [] };
		const home: Reason = { code: 'place', which: 'home', place: 'Imst' };
		const second: Reason = { code: 'place', which: 'second', place: 'Wien' };
		expect(reasonText(time, 'de', tag)).toBe('Passt zu Ihrer Zeit: am Wochenende');
		expect(reasonText(time, 'de', tag, 'staff')).toBe('Passt zur angegebenen Zeit: am Wochenende');
		expect(reasonText(home, 'de', tag)).toBe('In Ihrem Wohnort Imst');
		expect(reasonText(home, 'de', tag, 'staff')).toBe('Im Wohnort der Person: Imst');
		expect(reasonText(second, 'en', tag, 'staff')).toBe('In their second home: Wien');
		for (const reason of [time, home, second]) expect(reasonText(reason, 'de', tag, 'staff')).not.toMatch(/\bIhre[mr]?\b/);
	});

	it('name the competences a person brings that an offer asks for', () => {
		const competences: Reason = { code: 'competences', competences: ['erste-hilfe', 'gebaerdensprache'] };
		expect(reasonText(competences, 'de', tag)).toBe('Sie bringen mit: Erste Hilfe, gebaerdensprache – gesucht');
		expect(reasonText(competences, 'de', tag, 'staff')).toBe('Bringt mit: Erste Hilfe, gebaerdensprache – gesucht');
		expect(reasonText(competences, 'en', tag, 'person', (slug) => slug.toUpperCase())).toBe('You bring ERSTE-HILFE, GEBAERDENSPRACHE, which is wanted');
	});
});

describe('conversation times', () => {
	it('follow the language\'s own range pattern', () => {
		const [start, end] = ['2027-05-08T08:15:00Z', '2027-05-08T08:30:00Z'];
		expect(slotTime(start, end, 'Europe/Vienna', 'en')).toBe('10:15–10:30');
		expect(slotTime(start, end, 'Europe/Vienna', 'ar')).toBe('10:15–10:30 ص');
		expect(slotTime(null, end, 'Europe/Vienna', 'ar')).toBe('');
	});
});
