// `npm run match -- --input problem.json`: runs the matching core on a JSON problem and prints
// the JSON result. The format is described in the README ("Matching from the command line").
// Exit codes: 0 done, 2 unreadable or invalid input (the message says where).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { planMarket, type MarketProblem } from '../src/lib/matching/market';
import { monthsFromPresence } from '../src/lib/matching/presence';
import { scoreValue, type MatchPerson } from '../src/lib/matching/scoring';
import { seatTables } from '../src/lib/matching/tables';

const usage = 'Usage: npm run match -- --input <problem.json | -> [--compact]';

const id = v.pipe(v.union([v.string(), v.number()]), v.transform(String), v.minLength(1, 'must not be empty'));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const pair = v.tuple([id, id]);
const strings = v.optional(v.array(v.string()), []);
const months = v.optional(v.array(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12))), []);

const personProfile = v.object({
	id,
	residency: v.optional(v.string(), 'resident'),
	/** Tag → weight, or a list of tags in order of importance. */
	interests: v.optional(v.union([v.record(v.string(), v.pipe(v.number(), v.minValue(0))), v.array(v.string())]), {}),
	availability: strings,
	presentMonths: v.optional(v.array(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12)))),
	/** Free text such as "Mai bis September", read when presentMonths is missing. */
	presence: v.optional(v.string(), ''),
	languages: strings,
	homePlace: v.optional(v.string(), ''),
	secondPlace: v.optional(v.string(), ''),
	/** Competence slugs the person brings. */
	competences: v.optional(v.array(v.string()))
});
const offer = v.object({
	id,
	title: v.optional(v.string(), ''),
	tags: strings,
	commitment: v.optional(v.picklist(['one_off', 'occasional', 'regular']), 'occasional'),
	onWeekdays: v.optional(v.boolean(), false),
	onWeekends: v.optional(v.boolean(), false),
	inEvenings: v.optional(v.boolean(), false),
	months,
	isRemote: v.optional(v.boolean(), false),
	languages: strings,
	suitsMultilocal: v.optional(v.boolean(), false),
	/** Competence slugs the offer asks for. */
	competences: v.optional(v.array(v.string()))
});
const seats = { seatsPerRound: v.optional(count), capacity: v.optional(count) };
const clubProfile = v.object({ id, municipality: v.optional(v.string(), ''), tags: strings, offers: v.optional(v.array(offer), []), ...seats });
const common = {
	k: v.optional(count, 3),
	rounds: v.optional(count),
	pins: v.optional(v.array(pair), []),
	bans: v.optional(v.array(pair), [])
};
const table = v.object({ id, hostClub: id, seats: count });

const scoresSchema = v.object({
		...common,
	scores: v.array(v.tuple([id, id, count])),
	people: v.optional(v.array(v.union([id, v.object({ id, multilocal: v.optional(v.boolean(), false) })]))),
	clubs: v.array(v.object({ id, ...seats })),
	tables: v.optional(v.array(table))
});
const profilesSchema = v.object({ ...common, people: v.array(personProfile), clubs: v.array(clubProfile), tables: v.optional(v.array(table)) });
type Problem = v.InferOutput<typeof scoresSchema> | v.InferOutput<typeof profilesSchema>;

function fail(message: string): never {
	console.error(`match: ${message}\n${usage}`);
	process.exit(2);
}

function toPerson(person: v.InferOutput<typeof personProfile>): MatchPerson {
	const interests = Array.isArray(person.interests)
		? Object.fromEntries(person.interests.map((tag, i, all) => [tag, all.length - i]))
		: person.interests;
	return { ...person, interests, presentMonths: person.presentMonths ?? monthsFromPresence(person.presence) };
}

function run(problem: Problem) {
	if (problem.tables) return runTables(problem, problem.tables);
	const market: MarketProblem =
		'scores' in problem
			? { ...problem, people: problem.people?.map((p) => (typeof p === 'string' ? p : p.id)), scores: problem.scores }
			: { ...problem, people: problem.people.map(toPerson) };
	return planMarket(market);
}

/** A Gesprächsrunde: people sit at host-club tables for `rounds` rounds. A ban removes a pair; a pin makes it the best fit. */
function runTables(problem: Problem, tables: v.InferOutput<typeof table>[]) {
	const rounds = problem.rounds ?? 1;
	let people: { id: string; multilocal: boolean }[];
	let scores: [string, string, number][];
	if ('scores' in problem) {
		people = (problem.people ?? [...new Set(problem.scores.map(([p]) => p))]).map((p) =>
			typeof p === 'string' ? { id: p, multilocal: false } : p
		);
		scores = problem.scores;
	} else {
		const profiles = problem.people.map(toPerson);
		people = profiles.map((p) => ({ id: p.id, multilocal: p.residency === 'incoming' || p.residency === 'outgoing' }));
		scores = profiles.flatMap((person) =>
			problem.clubs.map((club): [string, string, number] => [person.id, club.id, scoreValue(person, club)]).filter(([, , value]) => value >= 0)
		);
	}
	const key = (p: string, c: string) => `${p}\u0000${c}`;
	const banned = new Set(problem.bans.map(([p, c]) => key(p, c)));
	const pinned = new Set(problem.pins.map(([p, c]) => key(p, c)));
	const fit = new Map(scores.filter(([p, c]) => !banned.has(key(p, c))).map(([p, c, value]): [string, [string, string, number]] => [key(p, c), [p, c, value]]));
	for (const [p, c] of problem.pins) if (pinned.has(key(p, c)) && !banned.has(key(p, c))) fit.set(key(p, c), [p, c, 1000]);
	return seatTables({ rounds, tables, people, scores: [...fit.values()] });
}

const { values } = parseArgs({ options: { input: { type: 'string' }, compact: { type: 'boolean', default: false } } });
if (!values.input) fail('--input is required.');
let text: string;
try {
	text = readFileSync(values.input === '-' ? 0 : values.input, 'utf8');
} catch (error) {
	fail(`cannot read ${values.input}: ${(error as Error).message}`);
}
let json: unknown;
try {
	json = JSON.parse(text);
} catch (error) {
	fail(`${values.input} is not valid JSON: ${(error as Error).message}`);
}
// Explicit scores or profiles: choosing the schema first gives messages that point at the field.
const withScores = typeof json === 'object' && json !== null && 'scores' in json;
const parsed = v.safeParse(withScores ? scoresSchema : profilesSchema, json);
if (!parsed.success) {
	const issues = v.flatten(parsed.issues);
	const where = Object.entries(issues.nested ?? {}).map(([path, messages]) => `  ${path}: ${messages?.join('; ')}`);
	fail(`invalid problem:\n${[...(issues.root ?? []).map((m) => `  ${m}`), ...where].join('\n')}`);
}
try {
	console.log(JSON.stringify(run(parsed.output), null, values.compact ? undefined : 2));
} catch (error) {
	// The core throws on contradictions it cannot plan around (duplicate ids, a pin that is also a ban).
	fail((error as Error).message);
}
