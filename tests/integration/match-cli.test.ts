import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'match-cli-'));

/** Runs `npm run match` the way a user would (through tsx), returning exit code and output. */
function match(problem: string | object, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
	const file = join(dir, `problem-${Math.random().toString(36).slice(2)}.json`);
	writeFileSync(file, typeof problem === 'string' ? problem : JSON.stringify(problem));
	return new Promise((resolve) => {
		execFile('node', ['--import', 'tsx', 'scripts/match.ts', '--input', file, ...args], (error, stdout, stderr) => {
			resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
		});
	});
}

describe('npm run match', () => {
	it('plans people and clubs given as profiles, with reasons and rounds', async () => {
		const { code, stdout } = await match({
			k: 2,
			rounds: 2,
			people: [
				{ id: 'anna', residency: 'incoming', interests: ['naturschutz'], languages: ['de'], presence: 'Mai bis September' },
				{ id: 'ben', interests: { kultur: 2 }, languages: ['de', 'en'] }
			],
			clubs: [
				{ id: 'alpenverein', municipality: 'Imst', tags: ['naturschutz'], seatsPerRound: 1, offers: [{ id: 'o1', tags: ['naturschutz'], onWeekends: true, months: [6, 7] }] },
				{ id: 'chor', municipality: 'Imst', tags: ['kultur'], seatsPerRound: 1 }
			]
		});
		expect(code).toBe(0);
		const plan = JSON.parse(stdout);
		expect(plan.coverage).toEqual([2, 2]);
		expect(plan.pairs.find((p: { person: string; club: string }) => p.person === 'anna' && p.club === 'alpenverein').reasons).toContainEqual({
			code: 'interests',
			tags: ['naturschutz']
		});
		expect(plan.pairs.every((p: { round: number }) => p.round === 0 || p.round === 1)).toBe(true);
	});

	it('accepts explicit pair scores to check the optimiser on its own', async () => {
		const { code, stdout } = await match(
			{
				k: 1,
				clubs: [{ id: 'x', capacity: 1 }, { id: 'y', capacity: 1 }],
				scores: [
					['a', 'x', 10],
					['a', 'y', 9],
					['b', 'x', 8]
				]
			},
			['--compact']
		);
		expect(code).toBe(0);
		expect(stdout.trim().split('\n')).toHaveLength(1);
		const plan = JSON.parse(stdout);
		// Coverage first: b can only go to x, so a takes y although x scores higher for a.
		expect(plan.pairs.map((p: { person: string; club: string }) => `${p.person}/${p.club}`)).toEqual(['a/y', 'b/x']);
		expect(plan.totalScore).toBe(17);
	});

	it('seats a Gesprächsrunde at host tables when tables are given', async () => {
		const { code, stdout } = await match({
			rounds: 2,
			clubs: [{ id: 'x' }, { id: 'y' }],
			people: [{ id: 'a', multilocal: true }, 'b'],
			tables: [
				{ id: 't1', hostClub: 'x', seats: 2 },
				{ id: 't2', hostClub: 'y', seats: 2 }
			],
			scores: [
				['a', 'x', 10],
				['a', 'y', 9],
				['b', 'x', 8],
				['b', 'y', 8]
			]
		});
		expect(code).toBe(0);
		const plan = JSON.parse(stdout);
		expect(plan.seats).toHaveLength(4);
		expect(plan.figures.repeatedHosts).toBe(0);
	});

	it('exits with 2 and a clear message on malformed JSON, invalid fields or contradictions it cannot plan', async () => {
		const broken = await match('{"k": 3, "people": [');
		expect(broken.code).toBe(2);
		expect(broken.stderr).toMatch(/is not valid JSON/);
		expect(broken.stdout).toBe('');

		const invalid = await match({ k: -1, scores: [['a', 'x', 'high']], clubs: [] });
		expect(invalid.code).toBe(2);
		expect(invalid.stderr).toMatch(/k: .*>=0/);
		expect(invalid.stderr).toMatch(/scores\.0\.2: .*number/);

		const unknown = await match({ k: 1, scores: [['a', 'nowhere', 1]], clubs: [{ id: 'x', capacity: 1 }] });
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toMatch(/unknown club nowhere/);
	});

	it('exits with 2 when the input file is missing', async () => {
		const result = await new Promise<number>((resolve) =>
			execFile('node', ['--import', 'tsx', 'scripts/match.ts', '--input', join(dir, 'missing.json')], (error) =>
				resolve(typeof error?.code === 'number' ? error.code : 0)
			)
		);
		expect(result).toBe(2);
	});
});
