// `npm run bench:matching`: the matching core on seeded markets of 1,000 × 100 and 10,000 × 500
// (k = 3, 6 rounds). Prints JSON per size: time per stage, peak memory, coverage per tier and
// objective for
//   exact   planMarket: bulk scoring (scoreAll), the exact tiered assignment, layRounds;
//   greedy  the baseline, today's greedy pipeline frozen as it was before issue 19: every pair
//           scored on its own (scoreValue), each person in turn takes their best clubs with a
//           seat, layRounds;
//   highs   HiGHS (WebAssembly) on the same candidates (bulk scoring), as a reference optimum;
// and always
//   scoring the same instance scored both ways in one process (bulk scoreAll, then per-pair
//           scoreValue on a fresh copy, so neither finds the other's prepared profiles), checked
//           to agree pair by pair;
//   ratios  exactToGreedy: the pipeline as issue 19 defines it (scoring + assignment + rounds)
//           against the greedy one, which does just these; exactWithExplanationsToGreedy: the
//           whole planMarket call, also explaining every pair and every unplaced person.
// Each run is a child process, so peak memory belongs to that run alone.
// Then, with the app's worker planning a market of --planning-load (10000x500) in its thread, the
// event page's latency under load against a baseline (scripts/bench-planning-load.ts).
// Options: --sizes 1000x100,10000x500 --methods exact,greedy,highs --highs-time-limit 300
//          --planning-load 10000x500 ('' to skip)
import { execFile } from 'node:child_process';
import { parseArgs } from 'node:util';
import highsLoader from 'highs';
import { tierBonuses, type Candidates } from '../src/lib/matching/assignment';
import { planMarket, scoreAll } from '../src/lib/matching/market';
import { randomMarket, seededRandom } from '../src/lib/matching/random-instances';
import { layRounds } from '../src/lib/matching/rounds';
import { scoreValue, type MatchClub, type MatchPerson } from '../src/lib/matching/scoring';

const K = 3;
const ROUNDS = 6;
const SEED = 20_261_123;

const { values } = parseArgs({
	options: {
		worker: { type: 'string' },
		size: { type: 'string' },
		sizes: { type: 'string', default: '1000x100,10000x500' },
		methods: { type: 'string', default: 'exact,greedy,highs' },
		'highs-time-limit': { type: 'string', default: '300' },
		'planning-load': { type: 'string', default: '10000x500' }
	}
});

type Figures = Record<string, unknown>;

/** About two seats per person over all rounds: popular clubs cannot take everyone who wants them. */
function instance(size: string) {
	const [people = 0, clubs = 1] = size.split('x').map(Number);
	const average = (2 * people) / (clubs * ROUNDS);
	const seatsPerRound: [number, number] = [Math.max(1, Math.round(average / 3)), Math.max(1, Math.round((average * 5) / 3))];
	const started = performance.now();
	const market = randomMarket(seededRandom(SEED), { people, clubs, seatsPerRound });
	return { ...market, generateMs: performance.now() - started };
}

const ms = (duration: number) => Math.round(duration);
const peakMemoryMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Coverage per tier and score of chosen candidate indices. */
function objectiveOf(personCount: number, candidates: Candidates, chosen: ArrayLike<number>) {
	const clubsOf = new Int32Array(personCount);
	let totalScore = 0;
	for (let i = 0; i < candidates.value.length; i++) {
		if (chosen[i] !== 1) continue;
		clubsOf[candidates.person[i] ?? 0]!++;
		totalScore += candidates.value[i] ?? 0;
	}
	const coverage = Array.from({ length: K }, (_, t) => clubsOf.filter((n) => n > t).length);
	return { coverage, unplaced: personCount - (coverage[0] ?? 0), totalScore };
}

function runExact(size: string): Figures {
	const { people, clubs, generateMs } = instance(size);
	const started = performance.now();
	const plan = planMarket({ k: K, rounds: ROUNDS, people, clubs });
	return {
		generateMs: ms(generateMs),
		stagesMs: plan.timings,
		pipelineMs: ms(plan.timings.scoring + plan.timings.assignment + plan.timings.rounds),
		// With the reasons for every pair and every unplaced person, which the greedy baseline skips.
		totalMs: ms(performance.now() - started),
		peakMemoryMB: peakMemoryMB(),
		coverage: plan.coverage,
		unplaced: plan.unplaced.length,
		totalScore: plan.totalScore,
		averageScore: plan.averageScore,
		pairs: plan.pairs.length,
		unscheduled: plan.unscheduled.length,
		seats: clubs.reduce((sum, c) => sum + c.seatsPerRound * ROUNDS, 0)
	};
}

/**
 * scoreAll as it was before issue 19, kept here unchanged so that the greedy baseline stays
 * today's pipeline: one scoreValue call per pair, arrays grown as pairs are kept.
 */
function scoreAllPerPair(people: MatchPerson[], clubs: MatchClub[]): Candidates {
	let person: Int32Array<ArrayBuffer> = new Int32Array(1024);
	let club: Int32Array<ArrayBuffer> = new Int32Array(1024);
	let value: Int32Array<ArrayBuffer> = new Int32Array(1024);
	let size = 0;
	people.forEach((personProfile, p) => {
		clubs.forEach((clubProfile, c) => {
			const v = scoreValue(personProfile, clubProfile);
			if (v < 0) return;
			if (size === value.length) {
				person = grow(person);
				club = grow(club);
				value = grow(value);
			}
			person[size] = p;
			club[size] = c;
			value[size] = v;
			size++;
		});
	});
	return { person: person.slice(0, size), club: club.slice(0, size), value: value.slice(0, size) };
}

function grow(list: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
	const bigger = new Int32Array(list.length * 2);
	bigger.set(list);
	return bigger;
}

/** The same seeded instance scored in bulk and pair by pair, each on its own copy (cold caches). */
function runScoring(size: string): Figures {
	const bulkInstance = instance(size);
	const perPairInstance = instance(size);
	const started = performance.now();
	const bulk = scoreAll(bulkInstance.people, bulkInstance.clubs);
	const bulkAt = performance.now();
	const perPair = scoreAllPerPair(perPairInstance.people, perPairInstance.clubs);
	const perPairAt = performance.now();
	const same = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((x, i) => x === b[i]);
	const bulkMs = bulkAt - started;
	const perPairMs = perPairAt - bulkAt;
	return {
		pairs: bulkInstance.people.length * bulkInstance.clubs.length,
		kept: bulk.value.length,
		bulkMs: ms(bulkMs),
		perPairMs: ms(perPairMs),
		speedup: Math.round((perPairMs / bulkMs) * 100) / 100,
		identical: same(bulk.person, perPair.person) && same(bulk.club, perPair.club) && same(bulk.value, perPair.value),
		peakMemoryMB: peakMemoryMB()
	};
}

/** Each person in turn takes their best clubs that still have a seat: the gut-feeling plan. */
function runGreedy(size: string): Figures {
	const { people, clubs, generateMs } = instance(size);
	const started = performance.now();
	const candidates = scoreAllPerPair(people, clubs);
	const scoredAt = performance.now();
	const free = clubs.map((c) => c.seatsPerRound * ROUNDS);
	const chosen = new Uint8Array(candidates.value.length);
	let from = 0;
	while (from < candidates.value.length) {
		const person = candidates.person[from];
		let to = from;
		while (to < candidates.value.length && candidates.person[to] === person) to++;
		const order = Array.from({ length: to - from }, (_, j) => from + j).sort((a, b) => (candidates.value[b] ?? 0) - (candidates.value[a] ?? 0));
		let taken = 0;
		for (const i of order) {
			if (taken === K) break;
			const club = candidates.club[i] ?? 0;
			if ((free[club] ?? 0) > 0) {
				free[club]!--;
				chosen[i] = 1;
				taken++;
			}
		}
		from = to;
	}
	const assignedAt = performance.now();
	const pairs: [string, string][] = [];
	chosen.forEach((c, i) => {
		if (c === 1) pairs.push([people[candidates.person[i] ?? 0]?.id ?? '', clubs[candidates.club[i] ?? 0]?.id ?? '']);
	});
	const laid = layRounds({ rounds: ROUNDS, clubs: clubs.map((c) => ({ id: c.id, seatsPerRound: c.seatsPerRound })), pairs });
	const roundsAt = performance.now();
	const objective = objectiveOf(people.length, candidates, chosen);
	return {
		baseline: "today's greedy pipeline: per-pair scoreValue + person-by-person greedy + layRounds",
		generateMs: ms(generateMs),
		stagesMs: { scoring: ms(scoredAt - started), assignment: ms(assignedAt - scoredAt), rounds: ms(roundsAt - assignedAt) },
		totalMs: ms(roundsAt - started),
		peakMemoryMB: peakMemoryMB(),
		...objective,
		averageScore: Math.round(objective.totalScore / Math.max(1, pairs.length)),
		pairs: pairs.length,
		unscheduled: laid.unscheduled.length
	};
}

/**
 * The same weighted objective as the exact solver (tier bonuses, then score) as one LP for HiGHS.
 * The constraint matrix is a network matrix, so the simplex optimum is integral.
 */
async function runHighs(size: string, timeLimit: number): Promise<Figures> {
	const { people, clubs, generateMs } = instance(size);
	const highs = await highsLoader();
	const started = performance.now();
	const candidates = scoreAll(people, clubs);
	const scoredAt = performance.now();
	const n = candidates.value.length;
	const personCount = people.length;
	const maxScore = candidates.value.reduce((m, v) => Math.max(m, v), 0);
	const bonus = tierBonuses(personCount, clubs.length, K, maxScore);
	// Rows: person p "clubs − tiers ≥ 0" (p), person p "clubs ≤ k" (N + p), club c "≤ seats" (2N + c).
	const numCols = n + personCount * K;
	const numRows = 2 * personCount + clubs.length;
	const starts = new Int32Array(numCols + 1);
	const indices = new Int32Array(3 * n + personCount * K);
	const matrixValues = new Float64Array(3 * n + personCount * K);
	const colCost = new Float64Array(numCols);
	let nonzero = 0;
	for (let i = 0; i < n; i++) {
		starts[i] = nonzero;
		const p = candidates.person[i] ?? 0;
		for (const row of [p, personCount + p, 2 * personCount + (candidates.club[i] ?? 0)]) {
			indices[nonzero] = row;
			matrixValues[nonzero++] = row === p ? 1 : 1;
		}
		colCost[i] = candidates.value[i] ?? 0;
	}
	for (let p = 0; p < personCount; p++) {
		for (let t = 0; t < K; t++) {
			const col = n + p * K + t;
			starts[col] = nonzero;
			indices[nonzero] = p;
			matrixValues[nonzero++] = -1;
			colCost[col] = bonus[t] ?? 0;
		}
	}
	starts[numCols] = nonzero;
	const rowLower = new Float64Array(numRows).fill(-Infinity);
	const rowUpper = new Float64Array(numRows).fill(Infinity);
	for (let p = 0; p < personCount; p++) {
		rowLower[p] = 0;
		rowUpper[personCount + p] = K;
	}
	clubs.forEach((club, c) => (rowUpper[2 * personCount + c] = club.seatsPerRound * ROUNDS));
	const builtAt = performance.now();
	const model = highs.createModel({
		numCols,
		numRows,
		sense: highs.constants.objectiveSense.maximize,
		colCost,
		colLower: new Float64Array(numCols),
		colUpper: new Float64Array(numCols).fill(1),
		rowLower,
		rowUpper,
		matrix: { format: 'csc', numRows, numCols, starts, indices, values: matrixValues }
	});
	model.options.set({ time_limit: timeLimit, output_flag: false });
	model.run();
	const solvedAt = performance.now();
	const status = model.getModelStatus();
	const optimal = status === highs.constants.modelStatus.optimal;
	const solution = optimal ? model.getSolution() : null;
	const chosen = solution ? Uint8Array.from(solution.colValue.subarray(0, n), (x) => (x > 0.5 ? 1 : 0)) : new Uint8Array(n);
	const fractional = solution ? solution.colValue.subarray(0, n).filter((x) => x > 1e-6 && x < 1 - 1e-6).length : null;
	return {
		generateMs: ms(generateMs),
		stagesMs: { scoring: ms(scoredAt - started), modelBuild: ms(builtAt - scoredAt), solve: ms(solvedAt - builtAt) },
		totalMs: ms(solvedAt - started),
		peakMemoryMB: peakMemoryMB(),
		status: optimal ? 'optimal' : `not optimal (HiGHS model status ${status}, time limit ${timeLimit} s)`,
		fractionalValues: fractional,
		...(optimal ? objectiveOf(personCount, candidates, chosen) : {})
	};
}

function ratiosOf(runs: Figures): Figures {
	const figure = (method: string, name: 'totalMs' | 'pipelineMs') => (runs[method] as Record<string, number> | undefined)?.[name];
	const greedy = figure('greedy', 'totalMs');
	const pipeline = figure('exact', 'pipelineMs');
	const whole = figure('exact', 'totalMs');
	if (greedy === undefined || pipeline === undefined || whole === undefined) return {};
	const ratio = (exact: number) => Math.round((exact / greedy) * 100) / 100;
	return { exactToGreedy: ratio(pipeline), exactWithExplanationsToGreedy: ratio(whole) };
}

function child(size: string, method: string): Promise<Figures> {
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			['--import', 'tsx', 'scripts/bench-matching.ts', '--worker', method, '--size', size, '--highs-time-limit', values['highs-time-limit']],
			{ maxBuffer: 1 << 24 },
			(error, stdout, stderr) => {
				// HiGHS reports a C++ exception inside WebAssembly (e.g. out of memory) only as "Aborted()".
				// Node also prints the throwing source line (HiGHS: its whole minified module), so only a line that starts with the error counts.
				const reason = (stderr || error?.message || '').split('\n').find((line) => /^\w*Error\b/.test(line));
				if (error) resolve({ error: reason?.trim() ?? `exit code ${error.code}` });
				else resolve(JSON.parse(stdout) as Figures);
			}
		);
	});
}

if (values.worker) {
	const size = values.size ?? '1000x100';
	const method = values.worker;
	const figures =
		method === 'exact'
			? runExact(size)
			: method === 'greedy'
				? runGreedy(size)
				: method === 'scoring'
					? runScoring(size)
					: await runHighs(size, Number(values['highs-time-limit']));
	console.log(JSON.stringify(figures));
} else {
	const results: Record<string, Figures> = {};
	for (const size of values.sizes.split(',')) {
		const runs: Figures = {};
		for (const method of values.methods.split(',')) {
			process.stderr.write(`${size} ${method}…\n`);
			runs[method] = await child(size, method);
		}
		process.stderr.write(`${size} scoring…\n`);
		const scoring = await child(size, 'scoring');
		const [people, clubs] = size.split('x').map(Number);
		results[size] = { people, clubs, k: K, rounds: ROUNDS, seed: SEED, ...runs, scoring, ratios: ratiosOf(runs) };
	}
	let planningLoad = null;
	if (values['planning-load']) {
		const [people = 0, clubs = 0] = values['planning-load'].split('x').map(Number);
		process.stderr.write(`event page while planning ${values['planning-load']}…\n`);
		// Imported here: the app's modules would weigh on every child's peak memory.
		const { measurePlanningLoad } = await import('./bench-planning-load');
		planningLoad = await measurePlanningLoad({ people, clubs });
	}
	console.log(JSON.stringify({ benchmark: 'matching', node: process.version, results, planningLoad }, null, 2));
}
