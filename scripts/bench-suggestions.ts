// `npm run bench:suggestions`: ranks 5,000 seeded offers against one profile with the scoring core
// (src/lib/matching/ranking.ts), cold (fresh objects, as after a database load) and warm, and
// side by side a baseline that only counts shared tags in a plain loop. Prints JSON with the
// median times and the ratio to the baseline. The budget: under 50 ms for 5,000 offers.
import { parseArgs } from 'node:util';
import { rankItems, type RankItem } from '../src/lib/matching/ranking';
import { randomMarket, seededRandom } from '../src/lib/matching/random-instances';
import type { MatchPerson } from '../src/lib/matching/scoring';
import { shiftTimes } from '../src/lib/server/tasks/match';

const { values } = parseArgs({ options: { offers: { type: 'string', default: '5000' }, runs: { type: 'string', default: '21' } } });
const OFFERS = Number(values.offers);
const RUNS = Number(values.runs);
const COMPETENCES = ['erste-hilfe', 'handwerk', 'uebersetzen', 'it', 'fahrerlaubnis'];

function instance(seed: number): { person: MatchPerson; items: RankItem[] } {
	const rng = seededRandom(seed);
	const { people, clubs } = randomMarket(rng, { people: 1, clubs: Math.ceil(OFFERS / 1.5), seatsPerRound: [1, 1] });
	const items = clubs
		.flatMap((c) => c.offers.map((o): RankItem => ({ kind: 'offer', id: o.id, municipality: c.municipality, match: { ...o, competences: rng.next() < 0.3 ? [COMPETENCES[rng.int(0, 4)] as string] : [] } })))
		.slice(0, OFFERS)
		// Every fifth item an Einsatz: its shifts' times stand for an offer's days, evenings and months.
		.map((item, i): RankItem => (i % 5 === 0 ? { ...item, kind: 'task', match: { ...item.match, ...shiftTimes(shifts(rng).map((at) => ({ at, timeZone: 'Europe/Vienna' }))) } } : item));
	const base = people[0] as MatchPerson;
	// A person most offers can take (German, any time), so nearly every offer is scored and explained.
	const person = { ...base, residency: 'incoming', interests: { tag0: 3, tag1: 2, tag5: 1 }, languages: ['de', 'tr'], availability: [], presentMonths: [5, 6, 7, 8], homePlace: 'Gemeinde 3', competences: ['erste-hilfe', 'it'] };
	return { person, items };
}

/** One to three shifts within the next year. */
function shifts(rng: ReturnType<typeof seededRandom>): Date[] {
	return Array.from({ length: rng.int(1, 3) }, () => new Date(Date.UTC(2027, rng.int(0, 11), rng.int(1, 28), rng.int(6, 20))));
}

function baseline(person: MatchPerson, items: RankItem[]): { id: string; value: number }[] {
	const interests = new Set(Object.keys(person.interests));
	const out: { id: string; value: number }[] = [];
	for (const item of items) {
		let shared = 0;
		for (const tag of item.match.tags) if (interests.has(tag)) shared++;
		out.push({ id: item.id, value: shared });
	}
	return out.sort((a, b) => b.value - a.value);
}

function median(times: number[]): number {
	const sorted = [...times].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] as number;
}

function measure(run: (i: number) => void): number {
	const times: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const started = performance.now();
		run(i);
		times.push(performance.now() - started);
	}
	return median(times);
}

const round = (ms: number) => Math.round(ms * 100) / 100;

// Fresh objects per run: what a request sees after loading offers from the database.
const cold = Array.from({ length: RUNS }, (_, i) => instance(1000 + i));
const warm = instance(42);
rankItems(warm.person, warm.items); // JIT warm-up
baseline(warm.person, warm.items);

let kept = 0;
const coldMs = measure((i) => {
	const { person, items } = cold[i] as (typeof cold)[number];
	kept = rankItems(person, items, { limit: 50 }).length;
});
const warmMs = measure(() => rankItems(warm.person, warm.items, { limit: 50 }));
let rankedAll = 0;
const warmAllMs = measure(() => {
	rankedAll = rankItems(warm.person, warm.items).length;
});
const baselineMs = measure(() => baseline(warm.person, warm.items));

console.log(
	JSON.stringify(
		{
			offers: OFFERS,
			runs: RUNS,
			returned: kept,
			notExcluded: rankedAll,
			rankColdMs: round(coldMs),
			rankWarmMs: round(warmMs),
			rankWarmAllReasonsMs: round(warmAllMs),
			baselineTagOverlapMs: round(baselineMs),
			ratioColdToBaseline: round(coldMs / baselineMs),
			ratioWarmToBaseline: round(warmMs / baselineMs),
			budgetMs: 50,
			withinBudget: coldMs < 50
		},
		null,
		2
	)
);
