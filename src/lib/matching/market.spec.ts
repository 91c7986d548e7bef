import { describe, expect, it } from 'vitest';
import { planMarket, type MarketProblem } from './market';
import type { MatchClub, MatchPerson } from './scoring';

const person = (id: string, extra: Partial<MatchPerson> = {}): MatchPerson => ({
	id,
	residency: 'resident',
	interests: { naturschutz: 1 },
	availability: [],
	presentMonths: [],
	languages: ['de'],
	homePlace: 'Imst',
	secondPlace: '',
	...extra
});
const club = (id: string, seatsPerRound: number, extra: Partial<MatchClub> = {}): MatchClub & { seatsPerRound: number } => ({
	id,
	municipality: 'Imst',
	tags: ['naturschutz'],
	offers: [],
	seatsPerRound,
	...extra
});

describe('planMarket', () => {
	it('plans a small market: reasons on every pair, rounds without clashes', () => {
		const plan = planMarket({
			k: 2,
			rounds: 2,
			people: [person('anna'), person('ben', { interests: { kultur: 1 } })],
			clubs: [club('alpenverein', 1), club('chor', 1, { tags: ['kultur'] })]
		});
		expect(plan.coverage).toEqual([2, 2]);
		expect(plan.unplaced).toEqual([]);
		for (const name of ['anna', 'ben']) {
			const rounds = plan.pairs.filter((p) => p.person === name).map((p) => p.round);
			expect(new Set(rounds).size).toBe(rounds.length);
		}
		const annaAlpenverein = plan.pairs.find((p) => p.person === 'anna' && p.club === 'alpenverein');
		expect(annaAlpenverein?.reasons).toContainEqual({ code: 'interests', tags: ['naturschutz'] });
		expect(plan.load).toEqual([
			{ club: 'alpenverein', assigned: 2, capacity: 2, seatsPerRound: 1 },
			{ club: 'chor', assigned: 2, capacity: 2, seatsPerRound: 1 }
		]);
	});

	it('still plans empty events and events without clubs', () => {
		expect(planMarket({ k: 3, rounds: 6, people: [], clubs: [club('a', 2)] })).toMatchObject({ pairs: [], coverage: [0, 0, 0], unplaced: [] });
		const noClubs = planMarket({ k: 3, rounds: 6, people: [person('anna')], clubs: [] });
		expect(noClubs.unplaced).toEqual([{ person: 'anna', reason: 'no_clubs' }]);
	});

	it('names why people got nothing: language, time, bans, clubs without seats, full clubs', () => {
		const problem: MarketProblem = {
			k: 1,
			rounds: 1,
			people: [
				person('ukrainian', { languages: ['uk'] }),
				person('summer', { presentMonths: [7] }),
				person('banned'),
				person('seatless', { interests: { kultur: 1 } }),
				person('first'),
				person('second')
			],
			clubs: [
				club('bergrettung', 1, {
					offers: [
						{
							id: 'o',
							title: 'Winterdienst',
							tags: ['naturschutz'],
							commitment: 'regular',
							onWeekdays: false,
							onWeekends: true,
							inEvenings: false,
							months: [12, 1, 2],
							isRemote: false,
							languages: ['de'],
							suitsMultilocal: false
						}
					]
				})
			],
			bans: [['banned', 'bergrettung']]
		};
		const plan = planMarket(problem);
		const reasons = Object.fromEntries(plan.unplaced.map((u) => [u.person, u.reason]));
		expect(reasons).toMatchObject({ ukrainian: 'no_common_language', summer: 'no_time_overlap', banned: 'banned' });
		// Three people fit the one seat; the two who did not get it are told the club is full.
		expect(plan.pairs).toHaveLength(1);
		expect(Object.values(reasons).filter((r) => r === 'capacity')).toHaveLength(2);

		const noSeats = planMarket({ k: 1, rounds: 2, people: [person('anna')], clubs: [club('a', 0)] });
		expect(noSeats.unplaced).toEqual([{ person: 'anna', reason: 'no_seats' }]);
	});

	it('honours pins and reports contradictory or impossible ones instead of failing', () => {
		const plan = planMarket({
			k: 1,
			rounds: 1,
			people: [person('anna'), person('ben')],
			clubs: [club('a', 1), club('b', 1)],
			pins: [
				['anna', 'b'],
				['anna', 'a'],
				['ben', 'b'],
				['ben', 'a']
			],
			bans: [['ben', 'a']]
		});
		expect(plan.pairs.map((p) => [p.person, p.club])).toEqual([['anna', 'b']]);
		expect(plan.rejectedPins).toEqual([
			{ person: 'anna', club: 'a', reason: 'person_full' },
			{ person: 'ben', club: 'b', reason: 'club_full' },
			{ person: 'ben', club: 'a', reason: 'banned' }
		]);
		expect(plan.unplaced).toEqual([{ person: 'ben', reason: 'capacity' }]);
	});

	it('spreads more demand than seats over as many people as possible, one club each first', () => {
		const people = Array.from({ length: 30 }, (_, i) => person(`p${i}`));
		const plan = planMarket({ k: 3, rounds: 3, people, clubs: [club('a', 4), club('b', 3)] });
		// 21 seats: 21 people get one club before anyone gets a second.
		expect(plan.coverage).toEqual([21, 0, 0]);
		expect(plan.unplaced.every((u) => u.reason === 'capacity')).toBe(true);
		expect(plan.unscheduled).toEqual([]);
	});

	it('accepts explicit scores and a total capacity spread over the rounds', () => {
		const plan = planMarket({
			k: 2,
			rounds: 2,
			clubs: [{ id: 'x', capacity: 3 }, { id: 'y', seatsPerRound: 1 }],
			scores: [
				['a', 'x', 5],
				['a', 'y', 9],
				['b', 'x', 7],
				['c', 'x', 1]
			]
		});
		expect(plan.coverage).toEqual([3, 1]);
		expect(plan.totalScore).toBe(5 + 9 + 7 + 1);
		expect(plan.load.find((l) => l.club === 'x')).toEqual({ club: 'x', assigned: 3, capacity: 3, seatsPerRound: 2 });
	});
});
