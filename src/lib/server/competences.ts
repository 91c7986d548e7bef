import type { Viewer } from './auth/users';
import type { Db } from './db/schema';
import { generateId } from './ids';
import * as audit from './audit';
import { vocabularyLabel } from '../vocabulary';
import { slugify } from './municipalities';
import { DEFAULT_COMPETENCES } from '../competences';

// Competences (Kompetenzen): what a person can bring. Each municipality keeps its own list, edited
// by its coordinators; offers ask for entries of their club's municipality; people's profiles keep
// slugs, so the same competence matches across municipalities that share the default list.

export interface Competence {
	id: string;
	municipalityId: string;
	slug: string;
	/** In the reader's language. */
	label: string;
	labelDe: string;
	labelEn: string;
}

export interface CompetenceLabels {
	labelDe: string;
	/** '' = the German label. */
	labelEn: string;
}

export type CompetenceProblem = 'not_found' | 'forbidden' | 'duplicate';
/** On success the German label (the new one after a rename). */
export type CompetenceResult = { ok: true; id: string; label: string } | { ok: false; problem: CompetenceProblem };

function toCompetence(
	row: { id: string; municipality_id: string; slug: string; label_de: string; label_en: string },
	locale: string
): Competence {
	return {
		id: row.id,
		municipalityId: row.municipality_id,
		slug: row.slug,
		label: vocabularyLabel('competence', row.slug, { de: row.label_de, en: row.label_en }, locale),
		labelDe: row.label_de,
		labelEn: row.label_en
	};
}

/** The lists of the given municipalities, each sorted by label in the reader's language. */
export async function list(db: Db, municipalityIds: string[], locale: string): Promise<Competence[]> {
	if (municipalityIds.length === 0) return [];
	const rows = await db
		.selectFrom('competence')
		.select(['id', 'municipality_id', 'slug', 'label_de', 'label_en'])
		.where('municipality_id', 'in', municipalityIds)
		.execute();
	return rows.map((r) => toCompetence(r, locale)).sort((a, b) => a.label.localeCompare(b.label, locale) || a.id.localeCompare(b.id));
}

/**
 * The choices across several municipalities (an event's hosts), one per slug; the first
 * municipality's label wins when two name the same slug differently.
 */
export async function choices(db: Db, municipalityIds: string[], locale: string): Promise<{ slug: string; label: string }[]> {
	const seen = new Map<string, string>();
	const all = await list(db, municipalityIds, locale);
	for (const id of municipalityIds) for (const c of all) if (c.municipalityId === id && !seen.has(c.slug)) seen.set(c.slug, c.label);
	return [...seen].map(([slug, label]) => ({ slug, label })).sort((a, b) => a.label.localeCompare(b.label, locale));
}

/** Gives a new municipality the default list. */
export async function seedDefaults(db: Db, municipalityId: string, now: Date): Promise<void> {
	await db
		.insertInto('competence')
		.values(
			DEFAULT_COMPETENCES.map((c) => ({
				id: generateId(),
				municipality_id: municipalityId,
				slug: c.slug,
				label_de: c.de,
				label_en: c.en,
				created_at: now.toISOString()
			}))
		)
		.execute();
}

function mayEdit(viewer: Viewer, municipalityId: string): boolean {
	return viewer.isPlatformAdmin || viewer.municipalityIds.includes(municipalityId);
}

const labelKey = (label: string) => label.trim().toLocaleLowerCase('de');

async function isLabelTaken(db: Db, municipalityId: string, labelDe: string, exceptId?: string): Promise<boolean> {
	const rows = await db.selectFrom('competence').select(['id', 'label_de']).where('municipality_id', '=', municipalityId).execute();
	return rows.some((r) => r.id !== exceptId && labelKey(r.label_de) === labelKey(labelDe));
}

/** A coordinator adds a competence to one of their municipalities' lists. */
export async function add(db: Db, viewer: Viewer, municipalityId: string, labels: CompetenceLabels, now: Date): Promise<CompetenceResult> {
	const municipality = await db.selectFrom('municipality').select('id').where('id', '=', municipalityId).executeTakeFirst();
	if (!municipality) return { ok: false, problem: 'not_found' };
	if (!mayEdit(viewer, municipalityId)) return { ok: false, problem: 'forbidden' };
	if (await isLabelTaken(db, municipalityId, labels.labelDe)) return { ok: false, problem: 'duplicate' };
	// A renamed entry keeps its slug, so a new label may slugify to a taken one: number it.
	const taken = new Set(
		(await db.selectFrom('competence').select('slug').where('municipality_id', '=', municipalityId).execute()).map((r) => r.slug)
	);
	const base = slugify(labels.labelDe) || 'kompetenz';
	let slug = base;
	for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
	const id = generateId();
	await db
		.insertInto('competence')
		.values({
			id,
			municipality_id: municipalityId,
			slug,
			label_de: labels.labelDe.trim(),
			label_en: labels.labelEn.trim() || labels.labelDe.trim(),
			created_at: now.toISOString()
		})
		.execute();
	await audit.record(
		db,
		{ actorUserId: viewer.id, action: 'competence.added', entityType: 'competence', entityId: id, municipalityId, details: { label: labels.labelDe } },
		now
	);
	return { ok: true, id, label: labels.labelDe.trim() };
}

async function findOwned(db: Db, viewer: Viewer, competenceId: string): Promise<{ municipalityId: string; labelDe: string } | CompetenceResult> {
	const row = await db.selectFrom('competence').select(['municipality_id', 'label_de']).where('id', '=', competenceId).executeTakeFirst();
	if (!row) return { ok: false, problem: 'not_found' };
	if (!mayEdit(viewer, row.municipality_id)) return { ok: false, problem: 'forbidden' };
	return { municipalityId: row.municipality_id, labelDe: row.label_de };
}

/** Renames a competence; its slug stays, so profiles and offers keep it. */
export async function rename(db: Db, viewer: Viewer, competenceId: string, labels: CompetenceLabels, now: Date): Promise<CompetenceResult> {
	const owned = await findOwned(db, viewer, competenceId);
	if ('ok' in owned) return owned;
	if (await isLabelTaken(db, owned.municipalityId, labels.labelDe, competenceId)) return { ok: false, problem: 'duplicate' };
	await db
		.updateTable('competence')
		.set({ label_de: labels.labelDe.trim(), label_en: labels.labelEn.trim() || labels.labelDe.trim() })
		.where('id', '=', competenceId)
		.execute();
	await audit.record(
		db,
		{
			actorUserId: viewer.id,
			action: 'competence.renamed',
			entityType: 'competence',
			entityId: competenceId,
			municipalityId: owned.municipalityId,
			details: { from: owned.labelDe, to: labels.labelDe }
		},
		now
	);
	return { ok: true, id: competenceId, label: labels.labelDe.trim() };
}

/** Removes a competence from the list; offers that asked for it simply no longer do. */
export async function remove(db: Db, viewer: Viewer, competenceId: string, now: Date): Promise<CompetenceResult> {
	const owned = await findOwned(db, viewer, competenceId);
	if ('ok' in owned) return owned;
	// Explicit rather than relying on the cascade alone, which SQLite runs only with foreign_keys on.
	await db.deleteFrom('offer_competence').where('competence_id', '=', competenceId).execute();
	await db.deleteFrom('competence').where('id', '=', competenceId).execute();
	await audit.record(
		db,
		{
			actorUserId: viewer.id,
			action: 'competence.removed',
			entityType: 'competence',
			entityId: competenceId,
			municipalityId: owned.municipalityId,
			details: { label: owned.labelDe }
		},
		now
	);
	return { ok: true, id: competenceId, label: owned.labelDe };
}

/** How many offers ask for each competence (for the removal warning). */
export async function usage(db: Db, competenceIds: string[]): Promise<Map<string, number>> {
	const counts = new Map<string, number>();
	if (competenceIds.length === 0) return counts;
	const rows = await db
		.selectFrom('offer_competence')
		.select(['competence_id', (eb) => eb.fn.countAll<number | string>().as('n')])
		.where('competence_id', 'in', competenceIds)
		.groupBy('competence_id')
		.execute();
	for (const r of rows) counts.set(r.competence_id, Number(r.n));
	return counts;
}

/** The ids of the municipality's competences with these slugs; null if one is not on its list. */
export async function resolve(db: Db, municipalityId: string, slugs: string[]): Promise<string[] | null> {
	const unique = [...new Set(slugs)];
	if (unique.length === 0) return [];
	const rows = await db.selectFrom('competence').select('id').where('municipality_id', '=', municipalityId).where('slug', 'in', unique).execute();
	return rows.length === unique.length ? rows.map((r) => r.id) : null;
}

/** Each offer's wanted competences (slug and label in the reader's language), by label. */
export async function ofOffers(db: Db, offerIds: string[], locale: string): Promise<Map<string, { slug: string; label: string }[]>> {
	const byOffer = new Map<string, { slug: string; label: string }[]>();
	if (offerIds.length === 0) return byOffer;
	const rows = await db
		.selectFrom('offer_competence')
		.innerJoin('competence', 'competence.id', 'offer_competence.competence_id')
		.select(['offer_competence.offer_id', 'competence.slug', 'competence.label_de', 'competence.label_en'])
		.where('offer_competence.offer_id', 'in', offerIds)
		.execute();
	for (const r of rows) {
		const entry = { slug: r.slug, label: vocabularyLabel('competence', r.slug, { de: r.label_de, en: r.label_en }, locale) };
		byOffer.set(r.offer_id, [...(byOffer.get(r.offer_id) ?? []), entry]);
	}
	for (const list of byOffer.values()) list.sort((a, b) => a.label.localeCompare(b.label, locale));
	return byOffer;
}

/** Replaces an offer's wanted competences (ids already resolved against its municipality). */
export async function setForOffer(db: Db, offerId: string, competenceIds: string[]): Promise<void> {
	await db.deleteFrom('offer_competence').where('offer_id', '=', offerId).execute();
	if (competenceIds.length > 0) {
		await db
			.insertInto('offer_competence')
			.values(competenceIds.map((competence_id) => ({ offer_id: offerId, competence_id })))
			.execute();
	}
}
