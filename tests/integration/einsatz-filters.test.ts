import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser, type Viewer } from '../../src/lib/server/auth/users';
import * as municipalities from '../../src/lib/server/municipalities';
import * as tasks from '../../src/lib/server/tasks';
import { periodRange } from '../../src/lib/server/tasks/public-filter';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

// Monday 2027-03-08, 09:00 in Vienna/Berlin.
const now = new Date('2027-03-08T08:00:00.000Z');
const origin = 'https://miteinander.example';
const day = (date: string, places: number) => ({ startsAt: new Date(`${date}T08:00:00.000Z`), endsAt: new Date(`${date}T12:00:00.000Z`), places });
const base = { description: '', place: 'Treffpunkt', minAge: null, languages: ['de'], accessibility: '', competences: [] as string[] };

describe.each(dialects)('public Einsätze filters on %s', (dialect) => {
	let test: TestDatabase;
	const ids: Record<string, string> = {};
	const titles = (result: { items: { title: string }[] }) => result.items.map((t) => t.title);
	const list = (filter: Partial<tasks.PublicTaskFilter> = {}) => tasks.listPublished(test.db, { now, limit: 20, offset: 0, ...filter });

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		const imst = (await municipalities.findBySlugOrName(test.db, 'imst')) ?? (await municipalities.create(test.db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, now));
		const tarrenz = (await municipalities.findBySlugOrName(test.db, 'tarrenz')) ?? (await municipalities.create(test.db, { name: 'Tarrenz', country: 'AT', timeZone: 'Europe/Vienna' }, now));
		const user = await ensureUser(test.db, { email: 'koordination@example.org', name: 'Koordination' }, now);
		const viewer: Viewer = { id: user.id, isPlatformAdmin: false, municipalityIds: [imst.id, tarrenz.id] };
		const make = async (key: string, municipalityId: string, tags: string[], shifts: ReturnType<typeof day>[], status: 'draft' | 'published' = 'published') => {
			const created = await tasks.create(test.db, viewer, { municipalityId }, { ...base, title: key, tags, status }, shifts, origin, now);
			if (!created.ok) throw new Error(created.problem);
			ids[key] = created.id;
		};
		const fill = (taskId: string, startsAt: string) =>
			test.db.updateTable('event').set((eb) => ({ confirmed_count: eb.ref('capacity') })).where('task_id', '=', taskId).where('starts_at', '=', new Date(`${startsAt}T08:00:00.000Z`).toISOString()).execute();
		// Sortieren: Wednesday this week (full), Saturday next week (free).
		await make('Sortieren', imst.id, ['soziales'], [day('2027-03-10', 2), day('2027-03-20', 3)]);
		await fill(ids.Sortieren!, '2027-03-10');
		// Dorffest: Thursday this week (full), Saturday this week (free).
		await make('Dorffest', tarrenz.id, ['kultur'], [day('2027-03-11', 1), day('2027-03-13', 5)]);
		await fill(ids.Dorffest!, '2027-03-11');
		await make('Uferputz', imst.id, ['umwelt'], [day('2027-05-01', 4)]);
		await make('Vorbei', imst.id, ['soziales'], [day('2027-03-01', 4)]);
		await make('Entwurf', imst.id, ['soziales'], [day('2027-03-12', 4)], 'draft');
	});
	afterAll(() => test.destroy());

	it('without filters: published Einsätze with a shift to come, the soonest first', async () => {
		const all = await list();
		expect(titles(all)).toEqual(['Sortieren', 'Dorffest', 'Uferputz']);
		expect(all.total).toBe(3);
		expect(all.items[0]!.shifts.map((s) => s.seatsLeft)).toEqual([0, 3]);
	});

	it('by municipality and by interest tag, and both together', async () => {
		expect(titles(await list({ municipalitySlug: 'tarrenz' }))).toEqual(['Dorffest']);
		expect(titles(await list({ tag: 'soziales' }))).toEqual(['Sortieren']);
		expect(titles(await list({ tag: 'umwelt', municipalitySlug: 'imst' }))).toEqual(['Uferputz']);
		expect(await list({ tag: 'soziales', municipalitySlug: 'tarrenz' })).toEqual({ items: [], total: 0 });
	});

	it('by period: only shifts inside it, listed with the task', async () => {
		const week = await list(periodRange('week', now, 'Europe/Vienna'));
		expect(titles(week)).toEqual(['Sortieren', 'Dorffest']);
		expect(week.items[0]!.shifts.map((s) => s.startsAt.toISOString().slice(0, 10))).toEqual(['2027-03-10']);
		const weekend = await list(periodRange('weekend', now, 'Europe/Vienna'));
		expect(titles(weekend)).toEqual(['Dorffest']);
		expect(weekend.items[0]!.shifts.map((s) => s.startsAt.toISOString().slice(0, 10))).toEqual(['2027-03-13']);
		expect(titles(await list(periodRange('month', now, 'Europe/Vienna')))).toEqual(['Sortieren', 'Dorffest']);
	});

	it('only free places: ordered by the first free shift; period and free places must hold for the same shift', async () => {
		const free = await list({ freeOnly: true });
		expect(titles(free)).toEqual(['Dorffest', 'Sortieren', 'Uferputz']);
		expect(free.items[1]!.shifts.map((s) => s.seatsLeft)).toEqual([3]);
		// Sortieren has a shift this week (full) and a free one next week: not a match for "this week, free places".
		expect(titles(await list({ ...periodRange('week', now, 'Europe/Vienna'), freeOnly: true }))).toEqual(['Dorffest']);
	});

	it('pages keep the total and the order', async () => {
		const second = await list({ limit: 2, offset: 2 });
		expect(titles(second)).toEqual(['Uferputz']);
		expect(second.total).toBe(3);
		const filteredSecond = await list({ freeOnly: true, limit: 1, offset: 1 });
		expect(titles(filteredSecond)).toEqual(['Sortieren']);
		expect(filteredSecond.total).toBe(3);
	});
});
