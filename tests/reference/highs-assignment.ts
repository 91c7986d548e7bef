/**
 * A reference for the tiered assignment: the same problem as mixed-integer programs solved by
 * HiGHS (WebAssembly), one objective at a time — first the people with ≥ 1 club, then ≥ 2, …,
 * then (when re-planning) the published pairs kept, then the score — each later stage keeping the
 * earlier optima as constraints. It shares no code with src/lib/matching, so agreement is
 * evidence, not an echo.
 */
import highsLoader from 'highs';
import type { AssignmentProblem } from '../../src/lib/matching/assignment';

export type ReferenceResult = { coverage: number[]; totalScore: number; seconds: number; kept?: number };

type Highs = Awaited<ReturnType<typeof highsLoader>>;
let loaded: Promise<Highs> | undefined;
const highs = () => (loaded ??= highsLoader());

/**
 * Pins given here must be feasible together (pass the pins the assignment accepted). With
 * `published`, the most published pairs are kept after coverage and before score.
 */
export async function solveWithHighs(problem: AssignmentProblem, published?: [string, string][]): Promise<ReferenceResult> {
	const solver = await highs();
	const started = performance.now();
	const personIndex = new Map(problem.people.map((id, i) => [id, i]));
	const clubIndex = new Map(problem.clubs.map((club, i) => [club.id, i]));
	const key = (person: string, club: string) => `${personIndex.get(person)}_${clubIndex.get(club)}`;
	const banned = new Set((problem.bans ?? []).map(([p, c]) => key(p, c)));
	const pinned = new Set((problem.pins ?? []).map(([p, c]) => key(p, c)));

	const score = new Map<string, number>();
	for (const [p, c, value] of problem.scores) if (!banned.has(key(p, c))) score.set(key(p, c), value);
	for (const pin of pinned) if (!score.has(pin)) score.set(pin, 0);
	const pairs = [...score.keys()];
	const x = (pair: string) => `x_${pair}`;
	const y = (p: number, t: number) => `y_${p}_${t}`;
	const personOf = (pair: string) => Number(pair.split('_')[0]);
	const clubOf = (pair: string) => Number(pair.split('_')[1]);

	const rows: string[] = [];
	problem.people.forEach((_, p) => {
		const own = pairs.filter((pair) => personOf(pair) === p).map(x);
		const tiers = Array.from({ length: problem.k }, (_, t) => y(p, t + 1));
		if (own.length > 0) rows.push(`k_${p}: ${own.join(' + ')} <= ${problem.k}`);
		// y_{p,t} = 1 only if the person has at least t clubs.
		if (tiers.length > 0) rows.push(`deg_${p}: ${[...own, ...tiers.map((v) => `- ${v}`)].join(' ') || '0 y_0_1'} >= 0`);
		for (let t = 2; t <= problem.k; t++) rows.push(`mono_${p}_${t}: ${y(p, t)} - ${y(p, t - 1)} <= 0`);
	});
	problem.clubs.forEach((club, c) => {
		const own = pairs.filter((pair) => clubOf(pair) === c).map(x);
		if (own.length > 0) rows.push(`cap_${c}: ${own.join(' + ')} <= ${club.capacity}`);
	});

	const coverage: number[] = [];
	const keptPairs = [...new Set((published ?? []).map(([p, c]) => key(p, c)))].filter((pair) => score.has(pair));
	let kept: number | undefined;
	const tierSum = (t: number) => problem.people.map((_, p) => y(p, t)).join(' + ');
	const bounds = [...pinned].filter((pair) => score.has(pair)).map((pair) => `${x(pair)} = 1`);
	const binaries = [...pairs.map(x), ...problem.people.flatMap((_, p) => Array.from({ length: problem.k }, (_, t) => y(p, t + 1)))];
	const run = (objective: string) => {
		const model = [
			'Maximize',
			` obj: ${objective || '0 dummy'}`,
			'Subject To',
			...rows.map((row) => ` ${row}`),
			...coverage.map((n, t) => ` fixed_${t + 1}: ${tierSum(t + 1)} >= ${n}`),
			...(kept ? [` kept: ${keptPairs.map(x).join(' + ')} >= ${kept}`] : []),
			'Bounds',
			...bounds.map((b) => ` ${b}`),
			...(objective ? [] : [' dummy = 0']),
			'Binary',
			...binaries.map((b) => ` ${b}`),
			'End'
		].join('\n');
		const solution = solver.solve(model, { mip_rel_gap: 0, mip_abs_gap: 0, output_flag: false } as never);
		if (solution.Status !== 'Optimal') throw new Error(`HiGHS: ${solution.Status}`);
		return Math.round(solution.ObjectiveValue);
	};
	for (let t = 1; t <= problem.k; t++) coverage.push(problem.people.length === 0 ? 0 : run(tierSum(t)));
	if (published) kept = keptPairs.length === 0 ? 0 : run(keptPairs.map(x).join(' + '));
	const totalScore = pairs.length === 0 ? 0 : run(pairs.map((pair) => `${score.get(pair)} ${x(pair)}`).join(' + '));
	return { coverage, totalScore, seconds: (performance.now() - started) / 1000, ...(published && { kept }) };
}
