import * as m from '../../paraglide/messages';
import { LANGUAGES } from '../../participant-profile';
import { zonedToUtc } from '../events/recurrence';
import type { ShiftChange, ShiftInput, TaskInput } from './index';

export const SHIFT_ROWS = 3;

export type TaskValues = Record<string, string | string[]>;

export function readTaskValues(form: FormData): TaskValues {
	const values: TaskValues = {};
	for (const key of ['title', 'description', 'place', 'minAge', 'accessibility', 'status']) values[key] = String(form.get(key) ?? '').slice(0, 5000);
	for (const key of ['languages', 'tags', 'competences']) values[key] = form.getAll(key).map(String).slice(0, 50);
	for (let i = 0; i < SHIFT_ROWS; i++) {
		for (const key of [`shiftStart${i}`, `shiftEnd${i}`, `shiftPlaces${i}`]) values[key] = String(form.get(key) ?? '').slice(0, 40);
	}
	return values;
}

export type ParsedTask = { ok: true; data: TaskInput; status: 'draft' | 'published'; shifts: ShiftInput[] } | { ok: false; errors: Record<string, string>; values: TaskValues };

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

function parsePlaces(places: string): number {
	return /^\d{1,5}$/.test(places.trim()) ? Number(places.trim()) : NaN;
}

/** A shift row, its wall times read in the zone of the task's municipality. */
function parseShift(start: string, end: string, places: string, timeZone: string): ShiftInput | null {
	const startsAt = zonedToUtc(start, timeZone);
	const endsAt = zonedToUtc(end, timeZone);
	const n = parsePlaces(places);
	if (!startsAt || !endsAt || endsAt <= startsAt || !(n >= 1 && n <= 10_000)) return null;
	return { startsAt, endsAt, places: n };
}

/**
 * The Einsatz form; `withShifts` reads the shift rows (creating), else only the texts (editing).
 * Shift times are wall times in `timeZone`, the municipality's.
 */
export function parseTask(form: FormData, options: { tagSlugs: string[]; competenceSlugs: string[]; timeZone: string; withShifts: boolean }): ParsedTask {
	const values = readTaskValues(form);
	const one = (key: string) => String(values[key] ?? '').trim();
	const many = (key: string) => [values[key] ?? []].flat();
	const errors: Record<string, string> = {};
	const title = one('title');
	if (!title || title.length > 200) errors.title = m.task_error_title();
	if (one('description').length > 5000) errors.description = m.error_too_long({ max: 5000 });
	if (one('place').length > 200) errors.place = m.error_too_long({ max: 200 });
	if (one('accessibility').length > 1000) errors.accessibility = m.error_too_long({ max: 1000 });
	let minAge: number | null = null;
	if (one('minAge') !== '') {
		minAge = /^\d{1,2}$/.test(one('minAge')) ? Number(one('minAge')) : NaN;
		if (Number.isNaN(minAge)) errors.minAge = m.task_error_min_age();
	}
	const languages = many('languages');
	if (languages.some((l) => !(LANGUAGES as readonly string[]).includes(l))) errors.languages = m.error_invalid_choice();
	const tags = many('tags');
	if (tags.some((t) => !options.tagSlugs.includes(t))) errors.tags = m.error_invalid_choice();
	const competences = many('competences');
	if (competences.some((c) => !options.competenceSlugs.includes(c))) errors.competences = m.task_error_competence();
	const status = one('status') === 'published' ? 'published' : 'draft';
	const shifts: ShiftInput[] = [];
	if (options.withShifts) {
		for (let i = 0; i < SHIFT_ROWS; i++) {
			const [start, end, places] = [one(`shiftStart${i}`), one(`shiftEnd${i}`), one(`shiftPlaces${i}`)];
			if (!start && !end && !places) continue;
			const shift = parseShift(start, end, places, options.timeZone);
			if (shift) shifts.push(shift);
			else errors[`shiftStart${i}`] = m.task_error_shift();
		}
		if (shifts.length === 0 && !Object.keys(errors).some((k) => k.startsWith('shift'))) errors.shiftStart0 = m.task_error_no_shifts();
	}
	if (Object.keys(errors).length > 0) return { ok: false, errors, values };
	return {
		ok: true,
		status,
		shifts,
		data: { title, description: one('description'), place: one('place'), minAge, languages, accessibility: one('accessibility'), tags, competences }
	};
}

/** One shift from the "add a shift" form. */
export function parseOneShift(form: FormData, timeZone: string): ShiftInput | null {
	return parseShift(String(form.get('shiftStart0') ?? ''), String(form.get('shiftEnd0') ?? ''), String(form.get('shiftPlaces0') ?? ''), timeZone);
}

export type ShiftChangeValues = { shiftId: string; startLocal: string; endLocal: string; places: string };

/**
 * The "change a shift" form: the shift's id, its wall times and places. Only the shapes are checked
 * here; whether the times exist in the shift's zone and the end comes later, the service decides.
 */
export function parseShiftChange(form: FormData): { values: ShiftChangeValues; change: ShiftChange | null; errors: Record<string, string> } {
	const read = (key: string) => String(form.get(key) ?? '').trim().slice(0, 40);
	const values = { shiftId: read('shiftId'), startLocal: read('startLocal'), endLocal: read('endLocal'), places: read('places') };
	const errors: Record<string, string> = {};
	if (!LOCAL_TIME.test(values.startLocal)) errors.startLocal = m.task_error_shift_start();
	if (!LOCAL_TIME.test(values.endLocal)) errors.endLocal = m.task_error_shift_end();
	const places = parsePlaces(values.places);
	if (!(places >= 1 && places <= 10_000)) errors.places = m.task_error_shift_places();
	const change = Object.keys(errors).length === 0 ? { startLocal: values.startLocal, endLocal: values.endLocal, places } : null;
	return { values, change, errors };
}

/** Which field a refused shift change names, and how. */
export function shiftChangeError(result: { problem: string; confirmed?: number }): Record<string, string> {
	if (result.problem === 'bad_start') return { startLocal: m.task_error_shift_start() };
	if (result.problem === 'bad_end') return { endLocal: m.task_error_shift_end() };
	if (result.problem === 'bad_places') return { places: m.task_error_shift_places() };
	if (result.problem === 'below_confirmed') return { places: m.task_error_below_confirmed({ count: result.confirmed ?? 0 }) };
	if (result.problem === 'cancelled') return { form: m.task_error_shift_cancelled() };
	if (result.problem === 'last_shift') return { form: m.task_shift_last() };
	return { form: m.task_error_forbidden() };
}

export function problemMessage(problem: string): string {
	if (problem === 'not_approved') return m.task_error_not_approved();
	if (problem === 'unknown_competence') return m.task_error_competence();
	if (problem === 'no_shifts') return m.task_error_no_shifts();
	if (problem === 'bad_shift') return m.task_error_shift();
	return m.task_error_forbidden();
}
