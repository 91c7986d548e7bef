import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { score, scoreValue, WEIGHTS, type MatchClub, type MatchOffer, type MatchPerson, type Reason } from './scoring';

function person(overrides: Partial<MatchPerson> = {}): MatchPerson {
	return {
		id: 'p',
		residency: 'resident',
		interests: {},
		availability: [],
		presentMonths: [],
		languages: [],
		homePlace: '',
		secondPlace: '',
		...overrides
	};
}

function offer(overrides: Partial<MatchOffer> = {}): MatchOffer {
	return {
		id: 'o',
		title: 'Mithelfen',
		tags: [],
		commitment: 'one_off',
		onWeekdays: false,
		onWeekends: false,
		inEvenings: false,
		months: [],
		isRemote: false,
		languages: [],
		suitsMultilocal: false,
		...overrides
	};
}

function club(offers: Partial<MatchOffer>[] = [{}], overrides: Partial<MatchClub> = {}): MatchClub {
	return {
		id: 'c',
		municipality: 'Irgendwo',
		tags: [],
		offers: offers.map((o, i) => offer({ id: `o${i + 1}`, ...o })),
		...overrides
	};
}

const codes = (reasons: Reason[]) => reasons.map((r) => r.code);
const reason = <C extends Reason['code']>(reasons: Reason[], code: C) =>
	reasons.find((r): r is Extract<Reason, { code: C }> => r.code === code);

// With nothing said on either side and a one-off offer: days 30 + season 120 + language 30.
const BASE = 180;

describe('score: interests', () => {
	it('gives the full interest weight when every interest is shared', () => {
		const s = score(person({ interests: { garten: 1 } }), club([{ tags: ['garten'] }]));
		expect(s).toEqual({ value: BASE + 600, reasons: [{ code: 'interests', tags: ['garten'] }], offerId: 'o1' });
	});

	it('weighs shared interests by the square root of their share of the person’s weight', () => {
		const s = score(person({ interests: { garten: 3, musik: 1 } }), club([{ tags: ['garten'] }]));
		expect(s.value).toBe(Math.round(BASE + 600 * Math.sqrt(3 / 4)));
	});

	it('ranks clubs with more shared interests higher, and heavier ones above lighter ones', () => {
		const p = person({ interests: { sport: 3, kinder: 2, umwelt: 1 } });
		const values = [[], ['umwelt'], ['kinder'], ['sport'], ['sport', 'umwelt'], ['sport', 'kinder', 'umwelt']].map((tags) =>
			scoreValue(p, club([{ tags }]))
		);
		expect(values).toEqual([...values].sort((a, b) => a - b));
		expect(new Set(values).size).toBe(values.length);
	});

	it('names the shared tags by the person’s weight, then in the person’s order', () => {
		const p = person({ interests: { lesen: 1, sport: 3, kinder: 2, umwelt: 1 } });
		const s = score(p, club([{ tags: ['umwelt', 'fremd', 'kinder', 'lesen', 'sport'] }]));
		expect(reason(s.reasons, 'interests')?.tags).toEqual(['sport', 'kinder', 'lesen', 'umwelt']);
	});

	it('gives someone without interests a small positive value from time, language and place', () => {
		const p = person({ languages: ['de'], availability: ['evenings'], homePlace: 'Irgendwo' });
		const s = score(p, club([{ tags: ['sport'], languages: ['de'], inEvenings: true }]));
		expect(s.value).toBe(60 + 120 + 60 + 100);
		expect(s.value).toBeLessThan(WEIGHTS.interests);
		expect(codes(s.reasons)).toEqual(['time', 'place', 'language']);
	});

	it('lets one shared interest outweigh a perfect fit in everything else', () => {
		const p = person({ interests: { a: 1, b: 1, c: 1, d: 1, e: 1 }, languages: ['de'], availability: ['weekends'], homePlace: 'Irgendwo' });
		const everythingElse = club([{ languages: ['de'], onWeekends: true }]);
		const oneInterest = club([{ tags: ['a'] }], { municipality: 'Anderswo' });
		expect(scoreValue(p, oneInterest)).toBeGreaterThan(scoreValue(p, everythingElse));
	});
});

describe('score: time', () => {
	it('excludes when both name days and they are disjoint', () => {
		const s = score(person({ availability: ['weekends'] }), club([{ onWeekdays: true, tags: ['x'] }]));
		expect(s).toEqual({ value: 0, reasons: [], offerId: null, excluded: 'no_time_overlap' });
	});

	it('lets daytime fit weekday or weekend offers, but not evening-only ones', () => {
		const p = person({ availability: ['daytime'] });
		expect(score(p, club([{ onWeekdays: true }])).excluded).toBeUndefined();
		expect(score(p, club([{ onWeekends: true }])).excluded).toBeUndefined();
		expect(score(p, club([{ inEvenings: true }])).excluded).toBe('no_time_overlap');
		expect(score(p, club([{ onWeekdays: true, inEvenings: true }])).excluded).toBe('no_time_overlap');
	});

	it('reads the person’s days and times together: weekday evenings fit a weekday-evening offer', () => {
		const p = person({ availability: ['weekdays', 'evenings'] });
		const s = score(p, club([{ onWeekdays: true, onWeekends: true, inEvenings: true }]));
		expect(s.value).toBe(BASE + 30);
		expect(s.reasons).toEqual([{ code: 'time', when: ['weekdays', 'evenings'], months: [] }]);
		expect(score(p, club([{ onWeekends: true }])).excluded).toBe('no_time_overlap');
	});

	it('counts days half when either side says nothing, and gives no time reason then', () => {
		const stated = score(person({ availability: ['weekends'] }), club([{ onWeekends: true }]));
		const personSilent = score(person(), club([{ onWeekends: true }]));
		const offerSilent = score(person({ availability: ['weekends'] }), club([{}]));
		expect(stated.value).toBe(BASE + 30);
		expect(personSilent).toMatchObject({ value: BASE, reasons: [] });
		expect(offerSilent).toMatchObject({ value: BASE, reasons: [] });
	});

	it('excludes when both name months and they are disjoint, but not when either is all year', () => {
		const summer = person({ residency: 'incoming', presentMonths: [6, 7, 8] });
		expect(score(summer, club([{ months: [12, 1] }])).excluded).toBe('no_time_overlap');
		expect(score(summer, club([{ months: [] }])).excluded).toBeUndefined();
		expect(score(person(), club([{ months: [12] }])).excluded).toBeUndefined();
	});

	it('still needs common time for remote offers', () => {
		const p = person({ availability: ['weekends'], presentMonths: [7] });
		expect(score(p, club([{ isRemote: true, onWeekdays: true }])).excluded).toBe('no_time_overlap');
		expect(score(p, club([{ isRemote: true, months: [1] }])).excluded).toBe('no_time_overlap');
	});

	it('lists the common months when the person named theirs', () => {
		const p = person({ residency: 'outgoing', presentMonths: [5, 6, 7, 8, 9] });
		const s = score(p, club([{ commitment: 'regular', months: [6, 7, 8, 12] }]));
		expect(reason(s.reasons, 'time')).toEqual({ code: 'time', when: [], months: [6, 7, 8] });
	});
});

describe('score: commitment and multilocal people', () => {
	const mayToSeptember = person({ residency: 'incoming', presentMonths: [5, 6, 7, 8, 9] });

	it('fits a part-year person to one-off better than occasional, and occasional better than regular', () => {
		const value = (commitment: MatchOffer['commitment']) => scoreValue(mayToSeptember, club([{ commitment }]));
		expect(value('one_off')).toBe(BASE);
		expect(value('occasional')).toBe(Math.round(60 + 120 * (1 + 5 / 12) / 2));
		expect(value('regular')).toBe(Math.round(60 + (120 * 5) / 12));
		expect(value('one_off')).toBeGreaterThan(value('occasional'));
		expect(value('occasional')).toBeGreaterThan(value('regular'));
	});

	it('does not praise the months of a regular all-year offer to someone here five months', () => {
		const s = score(mayToSeptember, club([{ commitment: 'regular' }]));
		expect(reason(s.reasons, 'time')).toBeUndefined();
		expect(reason(score(mayToSeptember, club([{ commitment: 'occasional' }])).reasons, 'time')?.months).toEqual([5, 6, 7, 8, 9]);
	});

	it('fits a regular offer that runs only while the person is here as well as a one-off', () => {
		expect(scoreValue(mayToSeptember, club([{ commitment: 'regular', months: [6, 7, 8] }]))).toBe(BASE);
	});

	it('does not let commitment matter for residents, but for multilocals who name no months', () => {
		const resident = person();
		const incoming = person({ residency: 'incoming' });
		expect(scoreValue(resident, club([{ commitment: 'regular' }]))).toBe(BASE);
		expect(scoreValue(incoming, club([{ commitment: 'regular' }]))).toBe(BASE - 60);
		expect(scoreValue(incoming, club([{ commitment: 'one_off' }]))).toBe(BASE);
	});

	it('gives incomings and outgoings a bonus for offers that suit multilocals', () => {
		for (const residency of ['incoming', 'outgoing']) {
			const s = score(person({ residency }), club([{ suitsMultilocal: true }]));
			expect(s).toMatchObject({ value: BASE + 60, reasons: [{ code: 'multilocal' }] });
		}
		for (const residency of ['resident', 'new_in_town', 'guest']) {
			expect(score(person({ residency }), club([{ suitsMultilocal: true }]))).toMatchObject({ value: BASE, reasons: [] });
		}
	});

	it('prefers, for a multilocal person, the offer that suits them over a regular one of the same club', () => {
		const p = person({ residency: 'outgoing', interests: { chor: 1 } });
		const c = club([
			{ id: 'probe', tags: ['chor'], commitment: 'regular' },
			{ id: 'konzert', tags: ['chor'], commitment: 'occasional', suitsMultilocal: true }
		]);
		expect(score(p, c)).toMatchObject({ offerId: 'konzert', reasons: [{ code: 'interests' }, { code: 'multilocal' }] });
	});
});

describe('score: language', () => {
	it('excludes when both name languages and share none', () => {
		const s = score(person({ languages: ['uk'] }), club([{ languages: ['de'] }]));
		expect(s).toEqual({ value: 0, reasons: [], offerId: null, excluded: 'no_common_language' });
	});

	it('counts a common language fully and names the common ones in the person’s order', () => {
		const s = score(person({ languages: ['EN', 'tr', 'de'] }), club([{ languages: ['de', 'en'] }]));
		expect(s).toMatchObject({ value: BASE + 30, reasons: [{ code: 'language', languages: ['en', 'de'] }] });
	});

	it('counts language half when either side says nothing', () => {
		expect(score(person(), club([{ languages: ['de'] }]))).toMatchObject({ value: BASE, reasons: [] });
		expect(score(person({ languages: ['de'] }), club([{ languages: [] }]))).toMatchObject({ value: BASE, reasons: [] });
	});

	it('reports the language when an offer fails on both language and time', () => {
		const p = person({ languages: ['ar'], availability: ['weekends'] });
		expect(score(p, club([{ languages: ['de'], onWeekdays: true }])).excluded).toBe('no_common_language');
	});
});

describe('score: place', () => {
	it('matches the home place case- and accent-insensitively', () => {
		const s = score(person({ homePlace: ' Sankt  Pölten ' }), club([{}], { municipality: 'sankt polten' }));
		expect(s).toMatchObject({ value: BASE + 100, reasons: [{ code: 'place', place: 'Sankt  Pölten', which: 'home' }] });
	});

	it('matches the second place', () => {
		const s = score(person({ homePlace: 'Wien', secondPlace: 'Gmünd' }), club([{}], { municipality: 'Gmünd' }));
		expect(s).toMatchObject({ value: BASE + 100, reasons: [{ code: 'place', place: 'Gmünd', which: 'second' }] });
	});

	it('counts a remote offer a little below a local one, and not both', () => {
		const away = person({ homePlace: 'Wien' });
		expect(score(away, club([{ isRemote: true }]))).toMatchObject({ value: BASE + 70, reasons: [{ code: 'remote' }] });
		const local = score(person({ homePlace: 'Irgendwo' }), club([{ isRemote: true }]));
		expect(local.value).toBe(BASE + 100);
		expect(codes(local.reasons)).toEqual(['place', 'remote']);
	});

	it('never matches empty places', () => {
		expect(score(person(), club([{}], { municipality: '' })).reasons).toEqual([]);
	});
});

describe('score: clubs and offers', () => {
	it('scores a club without offers on its own tags with time and language neutral', () => {
		const p = person({ interests: { sport: 1 }, languages: ['uk'], availability: ['weekends'], presentMonths: [7] });
		const s = score(p, club([], { tags: ['sport'], municipality: 'Irgendwo' }));
		expect(s).toEqual({ value: 600 + 90 + 30, reasons: [{ code: 'interests', tags: ['sport'] }], offerId: null });
	});

	it('takes the best offer, skipping excluded ones', () => {
		const p = person({ interests: { sport: 1, kinder: 1 }, languages: ['de'] });
		const c = club([
			{ id: 'english', tags: ['sport', 'kinder'], languages: ['en'] },
			{ id: 'half', tags: ['sport'] },
			{ id: 'full', tags: ['sport', 'kinder'] }
		]);
		expect(score(p, c)).toMatchObject({ offerId: 'full', value: BASE + 600 });
		expect(scoreValue(p, c)).toBe(BASE + 600);
	});

	it('keeps the first of equally good offers', () => {
		expect(score(person(), club([{ id: 'first' }, { id: 'second' }])).offerId).toBe('first');
	});

	it('excludes a club only when every offer is excluded, for language only if all fail on language', () => {
		const p = person({ languages: ['de'], availability: ['weekends'] });
		expect(score(p, club([{ languages: ['en'] }, { languages: ['fr'] }])).excluded).toBe('no_common_language');
		expect(score(p, club([{ languages: ['en'] }, { onWeekdays: true }])).excluded).toBe('no_time_overlap');
		expect(score(p, club([{ languages: ['en'] }, { onWeekends: true }])).offerId).toBe('o2');
		expect(scoreValue(p, club([{ languages: ['en'] }]))).toBe(-1);
	});

	it('orders reasons best first', () => {
		const p = person({
			residency: 'incoming',
			interests: { sport: 2, musik: 1 },
			availability: ['weekends'],
			presentMonths: [6, 7, 8],
			languages: ['de'],
			homePlace: 'Irgendwo'
		});
		const s = score(p, club([{ tags: ['musik'], onWeekends: true, months: [7], languages: ['de'], isRemote: true, suitsMultilocal: true }]));
		expect(s.reasons).toEqual([
			{ code: 'interests', tags: ['musik'] },
			{ code: 'time', when: ['weekends'], months: [7] },
			{ code: 'place', place: 'Irgendwo', which: 'home' },
			{ code: 'remote' },
			{ code: 'language', languages: ['de'] },
			{ code: 'multilocal' }
		]);
		expect(s.value).toBe(Math.round(600 * Math.sqrt(1 / 3) + 60 + 120 + 60 + 100 + 60));
	});

	it('notices when a club is given new offers', () => {
		const c = club([{ tags: [] }]);
		const p = person({ interests: { sport: 1 } });
		expect(scoreValue(p, c)).toBe(BASE);
		c.offers = [offer({ tags: ['sport'] })];
		expect(scoreValue(p, c)).toBe(BASE + 600);
	});
});

// ---- Properties -----------------------------------------------------------------------------

const TAGS = ['sport', 'kinder', 'umwelt', 'musik', 'kultur', 'senioren', 'garten', 'lesen'];
const tagArb = fc.constantFrom(...TAGS);
const monthsArb = fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { maxLength: 5 });
const languagesArb = fc.uniqueArray(fc.constantFrom('de', 'en', 'tr', 'uk'), { maxLength: 2 });
const placeArb = fc.constantFrom('', 'Irgendwo', 'irgendwo', 'Anderswo', 'Gmünd');
const weightArb = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.double({ min: 0.01, max: 10, noNaN: true }));

const personArb: fc.Arbitrary<MatchPerson> = fc.record({
	id: fc.constant('p'),
	residency: fc.constantFrom('resident', 'incoming', 'outgoing', 'new_in_town', 'guest'),
	interests: fc.dictionary(tagArb, weightArb, { maxKeys: 5 }),
	availability: fc.uniqueArray(fc.constantFrom('weekdays', 'weekends', 'evenings', 'daytime'), { maxLength: 3 }),
	presentMonths: monthsArb,
	languages: languagesArb,
	homePlace: placeArb,
	secondPlace: placeArb
});

const offerArb = (id: string): fc.Arbitrary<MatchOffer> =>
	fc.record({
		id: fc.constant(id),
		title: fc.constant(id),
		tags: fc.uniqueArray(tagArb, { maxLength: 4 }),
		commitment: fc.constantFrom('one_off' as const, 'occasional' as const, 'regular' as const),
		onWeekdays: fc.boolean(),
		onWeekends: fc.boolean(),
		inEvenings: fc.boolean(),
		months: monthsArb,
		isRemote: fc.boolean(),
		languages: languagesArb,
		suitsMultilocal: fc.boolean()
	});

const clubArb: fc.Arbitrary<MatchClub> = fc.record({
	id: fc.constant('c'),
	municipality: placeArb,
	tags: fc.uniqueArray(tagArb, { maxLength: 4 }),
	offers: fc.tuple(offerArb('o1'), offerArb('o2'), offerArb('o3')).chain((all) =>
		fc.integer({ min: 0, max: 3 }).map((n) => all.slice(0, n))
	)
});

const normalise = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

describe('score: properties', () => {
	it('gives an integer in 0..1000, and exactly 0 with no reasons when excluded', () => {
		fc.assert(
			fc.property(personArb, clubArb, (p, c) => {
				const s = score(p, c);
				expect(Number.isInteger(s.value)).toBe(true);
				expect(s.value).toBeGreaterThanOrEqual(0);
				expect(s.value).toBeLessThanOrEqual(1000);
				if (s.excluded) {
					expect(s).toEqual({ value: 0, reasons: [], offerId: null, excluded: s.excluded });
				} else {
					expect(s.value).toBeGreaterThan(0);
				}
				expect(scoreValue(p, c)).toBe(s.excluded ? -1 : s.value);
			}),
			{ numRuns: 1000 }
		);
	});

	it('scores a club as its best offer', () => {
		fc.assert(
			fc.property(personArb, clubArb, (p, c) => {
				fc.pre(c.offers.length > 0);
				const single = c.offers.map((o) => score(p, { ...c, offers: [o] }));
				const kept = single.filter((s) => !s.excluded);
				const s = score(p, c);
				if (kept.length === 0) {
					expect(s.excluded).toBeDefined();
				} else {
					expect(s.value).toBe(Math.max(...kept.map((k) => k.value)));
					expect(kept.filter((k) => k.value === s.value).map((k) => k.offerId)).toContain(s.offerId);
				}
			}),
			{ numRuns: 500 }
		);
	});

	it('excludes exactly the hard mismatches', () => {
		fc.assert(
			fc.property(personArb, offerArb('o'), (p, o) => {
				const s = score(p, club([], { offers: [o] }));
				const noLanguage = p.languages.length > 0 && o.languages.length > 0 && !p.languages.some((l) => o.languages.includes(l));
				const personDays = p.availability.filter((a) => a === 'weekdays' || a === 'weekends');
				const offerDays = [o.onWeekdays && 'weekdays', o.onWeekends && 'weekends'].filter(Boolean);
				const disjointDays = personDays.length > 0 && offerDays.length > 0 && !personDays.some((d) => offerDays.includes(d));
				const onlyDaytime = p.availability.includes('daytime') && !p.availability.includes('evenings');
				const disjointTimes = onlyDaytime && o.inEvenings;
				const disjointMonths = p.presentMonths.length > 0 && o.months.length > 0 && !p.presentMonths.some((m) => o.months.includes(m));
				const expected = noLanguage
					? 'no_common_language'
					: disjointDays || disjointTimes || disjointMonths
						? 'no_time_overlap'
						: undefined;
				expect(s.excluded).toBe(expected);
			}),
			{ numRuns: 1000 }
		);
	});

	it('never lowers the value when the person adds an interest the chosen offer has', () => {
		fc.assert(
			fc.property(personArb, clubArb, tagArb, weightArb, (p, c, extra, weight) => {
				const before = score(p, c);
				const chosen = before.offerId === null ? c.tags : (c.offers.find((o) => o.id === before.offerId)?.tags ?? []);
				fc.pre(chosen.includes(extra) && !(extra in p.interests));
				const after = score({ ...p, interests: { ...p.interests, [extra]: weight } }, c);
				expect(after.excluded).toBe(before.excluded);
				expect(after.value).toBeGreaterThanOrEqual(before.value);
			}),
			{ numRuns: 1000 }
		);
	});

	it('never lowers the value when a new interest is added to both the person and the chosen offer', () => {
		fc.assert(
			fc.property(personArb, clubArb, weightArb, (p, c, weight) => {
				const before = score(p, c);
				const withNew = (tags: string[]) => [...tags, 'neu'];
				const grown: MatchClub =
					before.offerId === null
						? { ...c, tags: withNew(c.tags) }
						: { ...c, offers: c.offers.map((o) => (o.id === before.offerId ? { ...o, tags: withNew(o.tags) } : o)) };
				const after = score({ ...p, interests: { ...p.interests, neu: weight } }, grown);
				expect(after.excluded).toBe(before.excluded);
				expect(after.value).toBeGreaterThanOrEqual(before.value);
				if (!before.excluded) expect(reason(after.reasons, 'interests')?.tags).toContain('neu');
			}),
			{ numRuns: 1000 }
		);
	});

	it('gives only reasons that hold on both sides', () => {
		fc.assert(
			fc.property(personArb, clubArb, (p, c) => {
				const s = score(p, c);
				const o = c.offers.find((x) => x.id === s.offerId);
				expect(new Set(codes(s.reasons)).size).toBe(s.reasons.length);
				for (const r of s.reasons) {
					switch (r.code) {
						case 'interests':
							expect(r.tags.length).toBeGreaterThan(0);
							for (const tag of r.tags) {
								expect(p.interests[tag]).toBeGreaterThan(0);
								expect(o ? o.tags : c.tags).toContain(tag);
							}
							expect(r.tags.map((t) => p.interests[t] ?? 0)).toEqual(r.tags.map((t) => p.interests[t] ?? 0).sort((a, b) => b - a));
							break;
						case 'time':
							expect(o).toBeDefined();
							expect(r.when.length + r.months.length).toBeGreaterThan(0);
							if (r.when.length > 0) expect(p.availability.length).toBeGreaterThan(0);
							if (r.when.includes('weekdays')) expect(o?.onWeekdays || p.availability.includes('weekdays')).toBe(true);
							if (r.when.includes('weekends')) expect(o?.onWeekends || p.availability.includes('weekends')).toBe(true);
							if (r.when.includes('evenings')) expect(o?.inEvenings || p.availability.includes('evenings')).toBe(true);
							if (r.when.includes('daytime')) expect(p.availability).toContain('daytime');
							if (r.when.includes('daytime')) expect(o?.inEvenings).toBe(false);
							for (const m of r.months) {
								expect(p.presentMonths).toContain(m);
								if (o && o.months.length > 0) expect(o.months).toContain(m);
							}
							break;
						case 'language':
							for (const l of r.languages) {
								expect(p.languages).toContain(l);
								expect(o?.languages).toContain(l);
							}
							break;
						case 'place': {
							const mine = r.which === 'home' ? p.homePlace : p.secondPlace;
							expect(r.place).toBe(mine.trim());
							expect(normalise(mine)).toBe(normalise(c.municipality));
							expect(mine.trim()).not.toBe('');
							break;
						}
						case 'remote':
							expect(o?.isRemote).toBe(true);
							break;
						case 'multilocal':
							expect(['incoming', 'outgoing']).toContain(p.residency);
							expect(o?.suitsMultilocal).toBe(true);
							break;
					}
				}
			}),
			{ numRuns: 1000 }
		);
	});

	it('gives a person without interests a positive value wherever they are not excluded', () => {
		fc.assert(
			fc.property(personArb, clubArb, (p, c) => {
				const s = score({ ...p, interests: {} }, c);
				if (!s.excluded) expect(s.value).toBeGreaterThan(0);
				expect(reason(s.reasons, 'interests')).toBeUndefined();
			})
		);
	});
});

describe('score: competences', () => {
	it('adds the competence weight when the person brings every competence the offer asks for', () => {
		const s = score(person({ competences: ['erste-hilfe', 'kochen'] }), club([{ competences: ['erste-hilfe'] }]));
		expect(s).toEqual({ value: BASE + WEIGHTS.competences, reasons: [{ code: 'competences', competences: ['erste-hilfe'] }], offerId: 'o1' });
	});

	it('weighs by the share of the wanted competences the person brings', () => {
		const s = score(person({ competences: ['handwerk'] }), club([{ competences: ['erste-hilfe', 'handwerk'] }]));
		expect(s.value).toBe(BASE + WEIGHTS.competences / 2);
		expect(reason(s.reasons, 'competences')).toEqual({ code: 'competences', competences: ['handwerk'] });
	});

	it('changes nothing when either side names no competences or none are shared', () => {
		const plain = score(person(), club([{}])).value;
		expect(plain).toBe(BASE);
		expect(score(person({ competences: ['it'] }), club([{}])).value).toBe(plain);
		expect(score(person(), club([{ competences: ['it'] }])).value).toBe(plain);
		const unshared = score(person({ competences: ['kochen'] }), club([{ competences: ['it'] }]));
		expect(unshared.value).toBe(plain);
		expect(reason(unshared.reasons, 'competences')).toBeUndefined();
	});

	it('lets the wanted competence decide between otherwise equal offers', () => {
		const s = score(person({ competences: ['fahrerlaubnis-b'] }), club([{}, { competences: ['fahrerlaubnis-b'] }]));
		expect(s.offerId).toBe('o2');
		expect(scoreValue(person({ competences: ['fahrerlaubnis-b'] }), club([{}, { competences: ['fahrerlaubnis-b'] }]))).toBe(s.value);
	});

	it('never goes above 1000 and never lowers the value when the person adds a wanted competence', () => {
		fc.assert(
			fc.property(
				personArb,
				clubArb,
				fc.uniqueArray(fc.constantFrom('erste-hilfe', 'it', 'kochen'), { minLength: 1, maxLength: 3 }),
				(p, c, wanted) => {
					const asking: MatchClub = { ...c, offers: c.offers.map((o) => ({ ...o, competences: wanted })) };
					const before = score(p, asking);
					const after = score({ ...p, competences: [wanted[0] as string] }, asking);
					expect(after.value).toBeLessThanOrEqual(1000);
					if (!before.excluded) expect(after.value).toBeGreaterThanOrEqual(before.value);
					expect(after.excluded).toBe(before.excluded);
				}
			),
			{ numRuns: 500 }
		);
	});
});
