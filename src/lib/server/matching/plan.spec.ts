import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, planMarket, planTables } from './plan';
import { interestWeights, type Host, type Participant } from './problem';

const start = new Date('2027-05-08T08:00:00.000Z');

function person(id: string, over: Partial<Participant['match']> = {}): Participant {
	return {
		id,
		registrationId: `r-${id}`,
		name: id,
		email: `${id}@example.org`,
		locale: 'de',
		consentIntroductions: false,
		match: { id, residency: 'resident', interests: { sport: 3 }, availability: [], presentMonths: [], languages: ['de'], homePlace: '', secondPlace: '', ...over }
	};
}

function host(id: string, seats: number, languages = ['de']): Host {
	return {
		id,
		name: id,
		stallId: null,
		place: id.toUpperCase(),
		seatsPerRound: seats,
		match: {
			id,
			municipality: 'Imst',
			tags: ['sport'],
			offers: [{ id: `o-${id}`, title: id, tags: ['sport'], commitment: 'occasional', onWeekdays: true, onWeekends: true, inEvenings: false, months: [], isRemote: false, languages, suitsMultilocal: false }]
		}
	};
}

describe('interest weights', () => {
	it('weighs the first interest 3, the second 2, the rest 1, once each', () => {
		expect(interestWeights(['kultur', 'sport', 'umwelt', 'kultur', 'tiere'])).toEqual({ kultur: 3, sport: 2, umwelt: 1, tiere: 1 });
		expect(interestWeights([])).toEqual({});
	});
});

describe('planMarket (app side)', () => {
	it('times rounds from the first round and reports rules about people or clubs no longer there', () => {
		const settings = { ...DEFAULT_SETTINGS, k: 2, rounds: 2, roundMinutes: 10, firstRoundAt: new Date('2027-05-08T09:00:00.000Z') };
		const { slots, figures } = planMarket(
			[person('ana'), person('ben')],
			[host('a', 1), host('b', 1)],
			[
				{ personId: 'gone', clubId: 'a', kind: 'pin' },
				{ personId: 'ana', clubId: 'gone', kind: 'ban' }
			],
			settings,
			start
		);
		expect(figures.rejectedPins).toEqual([{ personId: 'gone', clubId: 'a', reason: 'not_in_event' }]);
		expect(figures.coverage).toEqual([2, 2]);
		expect(slots).toHaveLength(4);
		expect(new Set(slots.map((s) => s.startsAt?.toISOString()))).toEqual(new Set(['2027-05-08T09:00:00.000Z', '2027-05-08T09:10:00.000Z']));
		for (const slot of slots) expect(slot.endsAt!.getTime() - slot.startsAt!.getTime()).toBe(10 * 60_000);
	});
});

describe('planTables (app side)', () => {
	it('seats a pinned pair despite a hard mismatch and never a banned one', () => {
		const settings = { ...DEFAULT_SETTINGS, rounds: 1, tableSeats: 2 };
		const english = person('eve', { languages: ['en'] });
		const { slots, figures } = planTables(
			[english, person('tom')],
			[host('a', 2), host('b', 2)],
			[
				{ personId: 'eve', clubId: 'a', kind: 'pin' },
				{ personId: 'tom', clubId: 'a', kind: 'ban' }
			],
			settings,
			start
		);
		expect(slots.map((s) => [s.personId, s.clubId]).sort()).toEqual([
			['eve', 'a'],
			['tom', 'b']
		]);
		expect(figures.unplaced).toEqual([]);
		expect(figures.tables).not.toBeNull();
		expect(slots.find((s) => s.personId === 'eve')?.score).toBe(0);
	});

	it('reports the pins the core refuses and those about people or clubs no longer there', () => {
		const settings = { ...DEFAULT_SETTINGS, rounds: 1 };
		const { slots, figures } = planTables(
			[person('ana'), person('ben'), person('eve')],
			[host('a', 1), host('b', 2)],
			[
				{ personId: 'ana', clubId: 'a', kind: 'pin' },
				{ personId: 'ana', clubId: 'b', kind: 'pin' },
				{ personId: 'ben', clubId: 'a', kind: 'pin' },
				{ personId: 'eve', clubId: 'b', kind: 'pin' },
				{ personId: 'eve', clubId: 'b', kind: 'ban' },
				{ personId: 'gone', clubId: 'a', kind: 'pin' }
			],
			settings,
			start
		);
		expect(figures.rejectedPins).toEqual([
			{ personId: 'gone', clubId: 'a', reason: 'not_in_event' },
			{ personId: 'ana', clubId: 'b', reason: 'person_full' },
			{ personId: 'ben', clubId: 'a', reason: 'club_full' },
			{ personId: 'eve', clubId: 'b', reason: 'banned' }
		]);
		expect(slots.map((s) => [s.personId, s.clubId]).sort()).toEqual([
			['ana', 'a'],
			['ben', 'b']
		]);
		// Eve still fits a, whose one seat Ana's pin holds.
		expect(figures.unplaced).toEqual([{ personId: 'eve', reason: 'capacity' }]);
	});

	it('updates a published plan: keeps the seats still possible and reports who changed, and why', () => {
		const settings = { ...DEFAULT_SETTINGS, rounds: 2 };
		const hosts = [host('a', 2), host('b', 2)];
		const published = planTables([person('ana'), person('ben'), person('eve')], hosts, [], settings, start);
		const previous = published.slots.map((s) => ({ person: s.personId, club: s.clubId, round: s.round }));
		const { slots, figures } = planTables(
			[person('ana'), person('ben'), person('eve'), person('kim')],
			hosts,
			[{ personId: 'eve', clubId: 'a', kind: 'ban' }],
			settings,
			start,
			undefined,
			previous
		);
		const seatsOf = (personId: string, list: { personId: string; clubId: string; round: number | null }[]) =>
			list.filter((s) => s.personId === personId).map((s) => `${s.clubId}@${s.round}`).sort();
		for (const who of ['ana', 'ben']) expect(seatsOf(who, slots)).toEqual(seatsOf(who, published.slots));
		const changed = new Map(figures.changes?.map((c) => [c.personId, c.reasons]));
		expect(changed.get('kim')).toEqual(['new']);
		expect(changed.get('eve')).toEqual(['rule']);
		expect(changed.has('ana') || changed.has('ben')).toBe(false);
		expect(slots.some((s) => s.personId === 'eve' && s.clubId === 'a')).toBe(false);
	});
});
