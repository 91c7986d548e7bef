import { describe, expect, it } from 'vitest';
import { rankItems, type RankItem } from './ranking';
import { score, scoreOffer, scoreOfferValue, type MatchOffer, type MatchPerson } from './scoring';
import { randomMarket, seededRandom } from './random-instances';

function person(overrides: Partial<MatchPerson> = {}): MatchPerson {
	return { id: 'p', residency: 'resident', interests: {}, availability: [], presentMonths: [], languages: [], homePlace: '', secondPlace: '', ...overrides };
}

function item(id: string, match: Partial<MatchOffer> = {}, municipality = 'Imst'): RankItem {
	return {
		kind: 'offer',
		id,
		municipality,
		match: {
			id,
			title: id,
			tags: [],
			commitment: 'one_off',
			onWeekdays: false,
			onWeekends: false,
			inEvenings: false,
			months: [],
			isRemote: false,
			languages: [],
			suitsMultilocal: false,
			...match
		}
	};
}

describe('rankItems', () => {
	it('puts the offer with shared interests first and says why', () => {
		const p = person({ interests: { garten: 3, musik: 1 } });
		const ranked = rankItems(p, [item('chor', { tags: ['musik'] }), item('beet', { tags: ['garten'] }), item('nix')]);
		expect(ranked.map((r) => r.item.id)).toEqual(['beet', 'chor', 'nix']);
		expect(ranked[0]?.reasons[0]).toEqual({ code: 'interests', tags: ['garten'] });
		expect(ranked[0]!.value).toBeGreaterThan(ranked[1]!.value);
	});

	it('scores each item exactly as the markets score a club with that one offer', () => {
		const p = person({ interests: { garten: 1 }, languages: ['tr'], availability: ['evenings'], homePlace: 'Imst', competences: ['erste-hilfe'] });
		const it1 = item('o1', { tags: ['garten'], languages: ['de', 'tr'], inEvenings: true, competences: ['erste-hilfe', 'it'] });
		const [ranked] = rankItems(p, [it1]);
		const expected = score(p, { id: 'c', municipality: 'Imst', tags: [], offers: [it1.match] });
		expect(ranked?.value).toBe(expected.value);
		expect(ranked?.reasons).toEqual(expected.reasons);
		expect(ranked?.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['interests', 'language', 'time', 'place', 'competences']));
		expect(ranked?.reasons.find((r) => r.code === 'language')).toEqual({ code: 'language', languages: ['tr'] });
		expect(ranked?.reasons.find((r) => r.code === 'time')).toEqual({ code: 'time', when: ['evenings'], months: [] });
	});

	it('leaves out items the person cannot join (no common language, no time overlap)', () => {
		const p = person({ languages: ['de'], availability: ['weekends'] });
		const ranked = rankItems(p, [item('turkish', { languages: ['tr'] }), item('weekdays', { onWeekdays: true }), item('ok')]);
		expect(ranked.map((r) => r.item.id)).toEqual(['ok']);
	});

	it('keeps the input order on ties and honours limit and minValue', () => {
		const p = person({ interests: { garten: 1 } });
		const items = [item('a'), item('b', { tags: ['garten'] }), item('c'), item('d', { tags: ['garten'] })];
		expect(rankItems(p, items).map((r) => r.item.id)).toEqual(['b', 'd', 'a', 'c']);
		expect(rankItems(p, items, { limit: 3 }).map((r) => r.item.id)).toEqual(['b', 'd', 'a']);
		expect(rankItems(p, items, { minValue: 500 }).map((r) => r.item.id)).toEqual(['b', 'd']);
		expect(rankItems(p, [])).toEqual([]);
	});

	it('ranks tasks alongside offers by the same rule', () => {
		const p = person({ interests: { sport: 1 } });
		const task: RankItem = { ...item('lauf', { tags: ['sport'] }), kind: 'task' };
		const ranked = rankItems(p, [item('o'), task]);
		expect(ranked.map((r) => `${r.item.kind}:${r.item.id}`)).toEqual(['task:lauf', 'offer:o']);
	});

	it('matches the place by the item’s municipality, not by the person alone', () => {
		const p = person({ homePlace: 'Tarrenz' });
		const ranked = rankItems(p, [item('imst', {}, 'Imst'), item('tarrenz', {}, 'Tarrenz')]);
		expect(ranked[0]?.item.id).toBe('tarrenz');
		expect(ranked[0]?.reasons).toContainEqual({ code: 'place', place: 'Tarrenz', which: 'home' });
	});

	it('is sorted best first for a seeded market of offers', () => {
		const { people, clubs } = randomMarket(seededRandom(7), { people: 20, clubs: 300, seatsPerRound: [1, 3] });
		const items = clubs.flatMap((c) => c.offers.map((o): RankItem => ({ kind: 'offer', id: o.id, municipality: c.municipality, match: o })));
		for (const p of people) {
			const ranked = rankItems(p, items);
			for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.value).toBeGreaterThanOrEqual(ranked[i]!.value);
			for (const r of ranked) expect(r.value).toBe(score(p, { id: 'x', municipality: r.item.municipality, tags: [], offers: [r.item.match] }).value);
		}
	});

	it('rates an item exactly as the markets rate a club with only that offer: value, reasons and exclusion', () => {
		const { people, clubs } = randomMarket(seededRandom(11), { people: 30, clubs: 200, seatsPerRound: [1, 3] });
		let excluded = 0;
		for (const p of people) {
			for (const c of clubs) {
				for (const o of c.offers) {
					const alone = score(p, { id: 'x', municipality: c.municipality, tags: [], offers: [o] });
					expect(scoreOffer(p, o, c.municipality)).toEqual(alone);
					expect(scoreOfferValue(p, o, c.municipality)).toBe(alone.excluded ? -1 : alone.value);
					if (alone.excluded) excluded++;
				}
			}
		}
		expect(excluded).toBeGreaterThan(0); // the random market has hard mismatches too
	});
});
