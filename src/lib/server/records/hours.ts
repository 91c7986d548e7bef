import { DateTime } from 'luxon';
import * as m from '../../paraglide/messages';
import type { Locale } from '../../paraglide/runtime';
import * as audit from '../audit';
import type { Viewer } from '../auth/users';
import type { Db } from '../db/schema';
import { toCsv } from '../csv';

export const DEFAULT_THRESHOLD = 100;
export const MAX_THRESHOLD = 2000;

const mayView = (viewer: Viewer, municipalityId: string) => viewer.isPlatformAdmin || viewer.municipalityIds.includes(municipalityId);

/** Hours per year that qualify for the Ehrenamtskarte, per municipality the viewer may see. */
export async function thresholds(db: Db, municipalityIds: string[]): Promise<Map<string, number>> {
	if (municipalityIds.length === 0) return new Map();
	const rows = await db.selectFrom('municipality').select(['id', 'hours_threshold']).where('id', 'in', municipalityIds).execute();
	return new Map(rows.map((r) => [r.id, Number(r.hours_threshold)]));
}

export async function setThreshold(db: Db, viewer: Viewer, municipalityId: string, hours: number, now: Date): Promise<boolean> {
	if (!mayView(viewer, municipalityId)) return false;
	const result = await db.updateTable('municipality').set({ hours_threshold: hours }).where('id', '=', municipalityId).executeTakeFirst();
	if (Number(result.numUpdatedRows) === 0) return false;
	await audit.record(db, { actorUserId: viewer.id, action: 'municipality.hours_threshold_changed', entityType: 'municipality', entityId: municipalityId, municipalityId, details: { hours } }, now);
	return true;
}

export interface HoursRow {
	name: string;
	email: string;
	engagements: number;
	minutes: number;
	reachesThreshold: boolean;
}

export interface HoursReport {
	municipality: string;
	from: string;
	to: string;
	threshold: number;
	people: HoursRow[];
}

export interface HoursFilter {
	municipalityId: string;
	/** First and last day, YYYY-MM-DD, in the municipality's time zone. */
	from: string;
	to: string;
}

/**
 * Attended hours per person at the municipality's events in the period (only marked attendance,
 * only events that have ended by `now`). The threshold is per year and compared with the period's
 * hours as they are: the period is meant to be one calendar year (the default).
 */
export async function report(db: Db, viewer: Viewer, filter: HoursFilter, now: Date): Promise<{ ok: true; report: HoursReport } | { ok: false; problem: 'forbidden' }> {
	if (!mayView(viewer, filter.municipalityId)) return { ok: false, problem: 'forbidden' };
	const municipality = await db.selectFrom('municipality').select(['name', 'time_zone', 'hours_threshold']).where('id', '=', filter.municipalityId).executeTakeFirst();
	if (!municipality) return { ok: false, problem: 'forbidden' };
	const start = DateTime.fromISO(filter.from, { zone: municipality.time_zone }).startOf('day').toUTC().toISO()!;
	const end = DateTime.fromISO(filter.to, { zone: municipality.time_zone }).plus({ days: 1 }).startOf('day').toUTC().toISO()!;
	const rows = await db
		.selectFrom('registration')
		.innerJoin('event', 'event.id', 'registration.event_id')
		.innerJoin('event_host', 'event_host.event_id', 'event.id')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.select(['person.id as person_id', 'person.name', 'person.email', 'event.starts_at', 'event.ends_at'])
		.where('event_host.municipality_id', '=', filter.municipalityId)
		.where((eb) => eb.or([eb('registration.status', '=', 'attended'), eb.and([eb('registration.checked_in_at', 'is not', null), eb('registration.status', '!=', 'no_show')])]))
		.where('event.status', '!=', 'cancelled')
		.where('event.starts_at', '>=', start)
		.where('event.starts_at', '<', end)
		.where('event.ends_at', '<=', now.toISOString())
		.where('person.anonymised_at', 'is', null)
		.execute();
	const threshold = Number(municipality.hours_threshold);
	const byPerson = new Map<string, HoursRow>();
	for (const row of rows) {
		const minutes = Math.max(0, Math.round((new Date(row.ends_at).getTime() - new Date(row.starts_at).getTime()) / 60_000));
		const entry = byPerson.get(row.person_id) ?? { name: row.name, email: row.email, engagements: 0, minutes: 0, reachesThreshold: false };
		entry.engagements += 1;
		entry.minutes += minutes;
		byPerson.set(row.person_id, entry);
	}
	const people = [...byPerson.values()]
		.map((p) => ({ ...p, reachesThreshold: p.minutes >= threshold * 60 }))
		.sort((a, b) => b.minutes - a.minutes || a.name.localeCompare(b.name, 'de'));
	return { ok: true, report: { municipality: municipality.name, from: filter.from, to: filter.to, threshold, people } };
}

/** Hours with a decimal comma and two places, as German Excel reads numbers ("12,50"). */
export function decimalHours(minutes: number): string {
	return (minutes / 60).toFixed(2).replace('.', ',');
}

/** The export for German Excel (BOM, `;`, CRLF, decimal comma, formulas neutralised). */
export function csv(report: HoursReport, locale: Locale): string {
	const o = { locale };
	const header = [
		m.hours_col_name({}, o),
		m.hours_col_email({}, o),
		m.hours_col_from({}, o),
		m.hours_col_to({}, o),
		m.hours_col_engagements({}, o),
		m.hours_col_hours({}, o),
		m.hours_col_reaches({ threshold: report.threshold }, o)
	];
	const rows = report.people.map((p) => [
		p.name,
		p.email,
		report.from,
		report.to,
		String(p.engagements),
		decimalHours(p.minutes),
		p.reachesThreshold ? m.hours_yes({}, o) : m.hours_no({}, o)
	]);
	return toCsv([header, ...rows]);
}
