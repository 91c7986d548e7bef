import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPETENCES, defaultCompetenceLabel } from './competences';
import { vocabularyLabel } from './vocabulary';

describe('vocabulary labels', () => {
	const sport = { de: 'Sport und Bewegung', en: 'Sport and exercise' };

	it('takes the stored German and English labels', () => {
		expect(vocabularyLabel('tag', 'sport', sport, 'de')).toBe('Sport und Bewegung');
		expect(vocabularyLabel('tag', 'sport', sport, 'en')).toBe('Sport and exercise');
	});

	it('translates the seeded interests and competences into the other languages', () => {
		expect(vocabularyLabel('tag', 'sport', sport, 'tr')).toBe('Spor ve hareket');
		expect(vocabularyLabel('tag', 'kinder-jugend', { de: 'Kinder und Jugend', en: 'Children and youth' }, 'ar')).toBe('الأطفال والشباب');
		expect(defaultCompetenceLabel('erste-hilfe', 'uk')).toBe('Перша допомога');
		expect(defaultCompetenceLabel('erste-hilfe', 'bs')).toBe('Prva pomoć');
		for (const locale of ['tr', 'ar', 'uk', 'bs']) {
			for (const c of DEFAULT_COMPETENCES) expect(defaultCompetenceLabel(c.slug, locale), `${c.slug} in ${locale}`).not.toBe(c.en);
		}
	});

	it('shows the English label of an entry a coordinator renamed or added, which has no translation', () => {
		const renamed = { de: 'Sport, Spiel und Spaß', en: 'Sport and games' };
		expect(vocabularyLabel('tag', 'sport', renamed, 'tr')).toBe('Sport and games');
		expect(vocabularyLabel('competence', 'imkerei', { de: 'Imkerei', en: 'Beekeeping' }, 'ar')).toBe('Beekeeping');
		expect(vocabularyLabel('competence', 'imkerei', { de: 'Imkerei', en: '' }, 'uk')).toBe('Imkerei');
	});
});
