import { toDate, toDateOrNull, type ClubRole, type ClubStatus, type Db, type NewClub } from '../db/schema';
import { ensureUser, type Viewer } from '../auth/users';
import { createLoginToken, signInUrl } from '../auth/login-token';
import { generateId } from '../ids';
import * as audit from '../audit';
import * as outbox from '../mail/outbox';
import { toLocale } from '../mail/templates';
import { slugify } from '../municipalities';
import { checkLogo, type LogoProblem } from './logo';
import {
	authorize,
	canEdit,
	canManageMembers,
	canReview,
	canView,
	inTransaction,
	loadAccess,
	searchable,
	type Denied
} from './access';
import { paths } from './paths';

export { paths };
export type { ClubRole, ClubStatus };

export interface ClubProfile {
	name: string;
	description: string;
	contactEmail: string;
	contactPhone: string;
	/** An http(s) URL or ''. */
	website: string;
	/** Tag slugs from the interest vocabulary. */
	tags: string[];
}

export interface ClubDetails extends ClubProfile {
	id: string;
	slug: string;
	municipality: { id: string; slug: string; name: string };
	status: ClubStatus;
	rejectionReason: string | null;
	/** The SHA-256 of the logo, to version its URL; null without a logo. */
	logoVersion: string | null;
	createdAt: Date;
	approvedAt: Date | null;
	/** What the viewer may do here, for the UI (every service checks again). */
	viewer: { role: ClubRole | null; canEdit: boolean; canManageMembers: boolean; canReview: boolean };
}

/** Spaces and capitals do not make a different club: "Tarrenzer Tafel" = "tarrenzer  TAFEL". */
export function normalizeClubName(name: string): string {
	return name.normalize('NFKC').toLocaleLowerCase('de').replaceAll('ß', 'ss').replace(/\s+/g, '');
}

function tidyName(name: string): string {
	return name.trim().replace(/\s+/g, ' ');
}

/** Tag ids for the slugs, or null if any slug is not in the vocabulary. */
export async function resolveTags(db: Db, slugs: string[]): Promise<string[] | null> {
	const unique = [...new Set(slugs)];
	if (unique.length === 0) return [];
	const rows = await db.selectFrom('tag').select('id').where('slug', 'in', unique).execute();
	return rows.length === unique.length ? rows.map((r) => r.id) : null;
}

async function isNameTaken(db: Db, municipalityId: string, nameKey: string, exceptClubId?: string): Promise<boolean> {
	let query = db
		.selectFrom('club')
		.select('id')
		.where('municipality_id', '=', municipalityId)
		.where('name_key', '=', nameKey);
	if (exceptClubId) query = query.where('id', '!=', exceptClubId);
	return (await query.executeTakeFirst()) !== undefined;
}

async function freeSlug(db: Db, municipalityId: string, base: string): Promise<string> {
	const taken = new Set(
		(
			await db
				.selectFrom('club')
				.select('slug')
				.where('municipality_id', '=', municipalityId)
				.where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
				.execute()
		).map((r) => r.slug)
	);
	let slug = base;
	for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
	return slug;
}

/**
 * Inserts the club under a free slug; null if the name is taken in the municipality. ON CONFLICT
 * DO NOTHING covers a concurrent registration of the same name or slug without aborting the
 * transaction: the name is checked again and, if it was only the slug, another one is tried.
 */
async function insertClub(db: Db, values: Omit<NewClub, 'slug'>): Promise<string | null> {
	const base = slugify(values.name) || 'verein';
	for (let attempt = 0; attempt < 5; attempt++) {
		if (await isNameTaken(db, values.municipality_id, values.name_key)) return null;
		const slug = await freeSlug(db, values.municipality_id, base);
		const result = await db
			.insertInto('club')
			.values({ ...values, slug })
			.onConflict((oc) => oc.doNothing())
			.executeTakeFirst();
		if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1) return slug;
	}
	throw new Error(`No free slug for club "${values.name}"`);
}

async function replaceTags(db: Db, clubId: string, tagIds: string[]): Promise<void> {
	await db.deleteFrom('club_tag').where('club_id', '=', clubId).execute();
	if (tagIds.length > 0) {
		await db
			.insertInto('club_tag')
			.values(tagIds.map((tag_id) => ({ club_id: clubId, tag_id })))
			.execute();
	}
}

function profileColumns(profile: ClubProfile) {
	const name = tidyName(profile.name);
	return {
		name,
		name_key: normalizeClubName(name),
		description: profile.description,
		contact_email: profile.contactEmail,
		contact_phone: profile.contactPhone,
		website: profile.website,
		search_text: searchable(name, profile.description)
	};
}

/** Tells the municipality's coordinators that a club waits for their decision. */
async function notifyReviewers(
	db: Db,
	club: { id: string; name: string; municipalityId: string },
	ctx: { origin: string },
	now: Date
): Promise<void> {
	const municipality = await db
		.selectFrom('municipality')
		.select('name')
		.where('id', '=', club.municipalityId)
		.executeTakeFirstOrThrow();
	const coordinators = await db
		.selectFrom('coordinator')
		.innerJoin('user', 'user.id', 'coordinator.user_id')
		.select(['user.id', 'user.email', 'user.name', 'user.locale'])
		.where('coordinator.municipality_id', '=', club.municipalityId)
		.execute();
	for (const coordinator of coordinators) {
		await outbox.enqueue(
			db,
			{
				// A resubmitted club asks again, hence the time in the key.
				idempotencyKey: `club-submitted:${club.id}:${coordinator.id}:${now.toISOString()}`,
				recipient: coordinator.email,
				locale: toLocale(coordinator.locale),
				template: 'club-submitted',
				payload: {
					name: coordinator.name,
					club: club.name,
					municipality: municipality.name,
					url: new URL(paths.review, ctx.origin).href
				},
				municipalityId: club.municipalityId,
				userId: coordinator.id
			},
			now
		);
	}
}

async function clubAdmins(db: Db, clubId: string) {
	return db
		.selectFrom('club_member')
		.innerJoin('user', 'user.id', 'club_member.user_id')
		.select(['user.id', 'user.email', 'user.name', 'user.locale'])
		.where('club_member.club_id', '=', clubId)
		.where('club_member.role', '=', 'admin')
		.execute();
}

export interface RegisterInput extends ClubProfile {
	municipalityId: string;
	/** The uploaded file's bytes; its type is decided by its content. */
	logo: Uint8Array | null;
	/** Who registers the club and becomes its first admin (the signed-in user, or a new account). */
	representative: { email: string; name: string; locale: string };
}

export type RegisterProblem = 'duplicate_name' | 'unknown_municipality' | 'unknown_tag' | LogoProblem;
export type RegisterResult =
	| { ok: true; clubId: string; slug: string; adminUserId: string; createdAccount: boolean }
	| { ok: false; problem: RegisterProblem };

/**
 * Registers a club as pending: the representative gets (or keeps) an account, becomes the club's
 * admin and is mailed a sign-in link; the municipality's coordinators are asked to review it.
 * Public registration: the route must rate-limit it.
 */
export async function register(db: Db, input: RegisterInput, ctx: { origin: string }, now: Date): Promise<RegisterResult> {
	let logo = null;
	if (input.logo) {
		const checked = checkLogo(input.logo);
		if (!checked.ok) return checked;
		logo = checked.logo;
	}
	return inTransaction(db, async (trx): Promise<RegisterResult> => {
		const municipality = await trx
			.selectFrom('municipality')
			.select(['id', 'name'])
			.where('id', '=', input.municipalityId)
			.executeTakeFirst();
		if (!municipality) return { ok: false, problem: 'unknown_municipality' };
		const tagIds = await resolveTags(trx, input.tags);
		if (!tagIds) return { ok: false, problem: 'unknown_tag' };

		// The club row first, so a duplicate name leaves nothing behind (not even a new account).
		const clubId = generateId();
		const columns = profileColumns(input);
		const slug = await insertClub(trx, {
			id: clubId,
			municipality_id: municipality.id,
			...columns,
			status: 'pending',
			logo: logo?.base64 ?? null,
			logo_content_type: logo?.contentType ?? null,
			logo_sha256: logo?.sha256 ?? null,
			rejection_reason: null,
			created_by: null,
			approved_by: null,
			approved_at: null,
			created_at: now.toISOString(),
			updated_at: now.toISOString()
		});
		if (!slug) return { ok: false, problem: 'duplicate_name' };

		const admin = await ensureUser(trx, input.representative, now);
		await trx.updateTable('club').set({ created_by: admin.id }).where('id', '=', clubId).execute();
		await replaceTags(trx, clubId, tagIds);
		await trx
			.insertInto('club_member')
			.values({ club_id: clubId, user_id: admin.id, role: 'admin', joined_at: now.toISOString() })
			.execute();
		await audit.record(
			trx,
			{
				actorUserId: admin.id,
				action: 'club.registered',
				entityType: 'club',
				entityId: clubId,
				municipalityId: municipality.id,
				details: { name: columns.name, createdAccount: admin.created }
			},
			now
		);

		const user = await trx.selectFrom('user').select(['email', 'name', 'locale']).where('id', '=', admin.id).executeTakeFirstOrThrow();
		const token = await createLoginToken(trx, admin.id, now);
		await outbox.enqueue(
			trx,
			{
				idempotencyKey: `club-registered:${clubId}`,
				recipient: user.email,
				locale: toLocale(user.locale),
				template: 'club-registered',
				payload: {
					name: user.name,
					club: columns.name,
					municipality: municipality.name,
					signInUrl: signInUrl(ctx.origin, token, paths.clubArea, user.locale)
				},
				// No municipality: coordinators can read their municipality's mail, and this one signs in.
				userId: admin.id
			},
			now
		);
		await notifyReviewers(trx, { id: clubId, name: columns.name, municipalityId: municipality.id }, ctx, now);
		return { ok: true, clubId, slug, adminUserId: admin.id, createdAccount: admin.created };
	});
}

export type ReviewResult = { ok: true } | Denied | { ok: false; problem: 'not_pending' };

/** A coordinator of the club's municipality (or a platform admin) makes a pending club public. */
export async function approve(db: Db, viewer: Viewer | null, clubId: string, ctx: { origin: string }, now: Date): Promise<ReviewResult> {
	return inTransaction(db, async (trx): Promise<ReviewResult> => {
		const auth = await authorize(trx, viewer, clubId, canReview);
		if (!auth.ok) return auth;
		const result = await trx
			.updateTable('club')
			.set({
				status: 'approved',
				approved_by: auth.viewer.id,
				approved_at: now.toISOString(),
				rejection_reason: null,
				updated_at: now.toISOString()
			})
			.where('id', '=', clubId)
			.where('status', '=', 'pending')
			.executeTakeFirst();
		if (Number(result.numUpdatedRows) !== 1) return { ok: false, problem: 'not_pending' };
		await audit.record(
			trx,
			{ actorUserId: auth.viewer.id, action: 'club.approved', entityType: 'club', entityId: clubId, municipalityId: auth.access.municipalityId },
			now
		);
		for (const admin of await clubAdmins(trx, clubId)) {
			await outbox.enqueue(
				trx,
				{
					idempotencyKey: `club-approved:${clubId}:${admin.id}`,
					recipient: admin.email,
					locale: toLocale(admin.locale),
					template: 'club-approved',
					payload: { name: admin.name, club: auth.access.name, url: new URL(paths.clubArea, ctx.origin).href },
					municipalityId: auth.access.municipalityId,
					userId: admin.id
				},
				now
			);
		}
		return { ok: true };
	});
}

/** Turns a pending registration down with a reason the club's admins are told; they may resubmit. */
export async function reject(
	db: Db,
	viewer: Viewer | null,
	clubId: string,
	reason: string,
	ctx: { origin: string },
	now: Date
): Promise<ReviewResult> {
	return inTransaction(db, async (trx): Promise<ReviewResult> => {
		const auth = await authorize(trx, viewer, clubId, canReview);
		if (!auth.ok) return auth;
		const result = await trx
			.updateTable('club')
			.set({ status: 'rejected', rejection_reason: reason.trim() || null, updated_at: now.toISOString() })
			.where('id', '=', clubId)
			.where('status', '=', 'pending')
			.executeTakeFirst();
		if (Number(result.numUpdatedRows) !== 1) return { ok: false, problem: 'not_pending' };
		await audit.record(
			trx,
			{
				actorUserId: auth.viewer.id,
				action: 'club.rejected',
				entityType: 'club',
				entityId: clubId,
				municipalityId: auth.access.municipalityId,
				details: { reason: reason.trim() }
			},
			now
		);
		for (const admin of await clubAdmins(trx, clubId)) {
			await outbox.enqueue(
				trx,
				{
					idempotencyKey: `club-rejected:${clubId}:${admin.id}:${now.toISOString()}`,
					recipient: admin.email,
					locale: toLocale(admin.locale),
					template: 'club-rejected',
					payload: { name: admin.name, club: auth.access.name, reason: reason.trim(), url: new URL(paths.clubArea, ctx.origin).href },
					municipalityId: auth.access.municipalityId,
					userId: admin.id
				},
				now
			);
		}
		return { ok: true };
	});
}

export type UpdateResult =
	| { ok: true; resubmitted: boolean }
	| Denied
	| { ok: false; problem: 'duplicate_name' | 'unknown_tag' };

/**
 * A member changes the club's profile. The slug stays, so links to the club page keep working.
 * Saving a rejected club submits it for review again.
 */
export async function update(
	db: Db,
	viewer: Viewer | null,
	clubId: string,
	profile: ClubProfile,
	ctx: { origin: string },
	now: Date
): Promise<UpdateResult> {
	return inTransaction(db, async (trx): Promise<UpdateResult> => {
		const auth = await authorize(trx, viewer, clubId, canEdit);
		if (!auth.ok) return auth;
		const tagIds = await resolveTags(trx, profile.tags);
		if (!tagIds) return { ok: false, problem: 'unknown_tag' };
		const columns = profileColumns(profile);
		if (await isNameTaken(trx, auth.access.municipalityId, columns.name_key, clubId)) {
			return { ok: false, problem: 'duplicate_name' };
		}
		const resubmitted = auth.access.status === 'rejected';
		await trx
			.updateTable('club')
			.set({
				...columns,
				...(resubmitted ? { status: 'pending' as const, rejection_reason: null } : {}),
				updated_at: now.toISOString()
			})
			.where('id', '=', clubId)
			.execute();
		await replaceTags(trx, clubId, tagIds);
		await audit.record(
			trx,
			{
				actorUserId: auth.viewer.id,
				action: resubmitted ? 'club.resubmitted' : 'club.updated',
				entityType: 'club',
				entityId: clubId,
				municipalityId: auth.access.municipalityId
			},
			now
		);
		if (resubmitted) {
			await notifyReviewers(trx, { id: clubId, name: columns.name, municipalityId: auth.access.municipalityId }, ctx, now);
		}
		return { ok: true, resubmitted };
	});
}

export type LogoResult = { ok: true } | Denied | { ok: false; problem: LogoProblem };

/** Replaces the logo; `bytes` null removes it. */
export async function setLogo(db: Db, viewer: Viewer | null, clubId: string, bytes: Uint8Array | null, now: Date): Promise<LogoResult> {
	return inTransaction(db, async (trx): Promise<LogoResult> => {
		const auth = await authorize(trx, viewer, clubId, canEdit);
		if (!auth.ok) return auth;
		let logo = null;
		if (bytes) {
			const checked = checkLogo(bytes);
			if (!checked.ok) return checked;
			logo = checked.logo;
		}
		await trx
			.updateTable('club')
			.set({
				logo: logo?.base64 ?? null,
				logo_content_type: logo?.contentType ?? null,
				logo_sha256: logo?.sha256 ?? null,
				updated_at: now.toISOString()
			})
			.where('id', '=', clubId)
			.execute();
		await audit.record(
			trx,
			{
				actorUserId: auth.viewer.id,
				action: logo ? 'club.logo_changed' : 'club.logo_removed',
				entityType: 'club',
				entityId: clubId,
				municipalityId: auth.access.municipalityId
			},
			now
		);
		return { ok: true };
	});
}

/** The logo image: public for approved clubs, otherwise only for those who may see the club. */
export async function getLogo(
	db: Db,
	viewer: Viewer | null,
	clubId: string
): Promise<{ contentType: string; bytes: Uint8Array; sha256: string } | null> {
	const row = await db
		.selectFrom('club')
		.select(['status', 'logo', 'logo_content_type', 'logo_sha256'])
		.where('id', '=', clubId)
		.executeTakeFirst();
	if (!row?.logo || !row.logo_content_type || !row.logo_sha256) return null;
	if (row.status !== 'approved') {
		const access = await loadAccess(db, viewer, clubId);
		if (!access || !canView(access)) return null;
	}
	return { contentType: row.logo_content_type, bytes: new Uint8Array(Buffer.from(row.logo, 'base64')), sha256: row.logo_sha256 };
}

const detailColumns = [
	'club.id',
	'club.name',
	'club.slug',
	'club.description',
	'club.contact_email',
	'club.contact_phone',
	'club.website',
	'club.status',
	'club.rejection_reason',
	'club.logo_sha256',
	'club.created_at',
	'club.approved_at',
	'municipality.id as municipality_id',
	'municipality.slug as municipality_slug',
	'municipality.name as municipality_name'
] as const;

export async function tagSlugsOf(db: Db, clubIds: string[]): Promise<Map<string, string[]>> {
	const byClub = new Map<string, string[]>();
	if (clubIds.length === 0) return byClub;
	const rows = await db
		.selectFrom('club_tag')
		.innerJoin('tag', 'tag.id', 'club_tag.tag_id')
		.select(['club_tag.club_id', 'tag.slug'])
		.where('club_tag.club_id', 'in', clubIds)
		.orderBy('tag.slug')
		.execute();
	for (const row of rows) byClub.set(row.club_id, [...(byClub.get(row.club_id) ?? []), row.slug]);
	return byClub;
}

/** The club with its non-public details, for its members and reviewers; null for anyone else. */
export async function find(db: Db, viewer: Viewer | null, clubId: string): Promise<ClubDetails | null> {
	const access = await loadAccess(db, viewer, clubId);
	if (!access || !canView(access)) return null;
	const row = await db
		.selectFrom('club')
		.innerJoin('municipality', 'municipality.id', 'club.municipality_id')
		.select([...detailColumns])
		.where('club.id', '=', clubId)
		.executeTakeFirstOrThrow();
	return {
		id: row.id,
		name: row.name,
		slug: row.slug,
		description: row.description,
		contactEmail: row.contact_email,
		contactPhone: row.contact_phone,
		website: row.website,
		tags: (await tagSlugsOf(db, [row.id])).get(row.id) ?? [],
		municipality: { id: row.municipality_id, slug: row.municipality_slug, name: row.municipality_name },
		status: row.status,
		rejectionReason: row.rejection_reason,
		logoVersion: row.logo_sha256,
		createdAt: toDate(row.created_at),
		approvedAt: toDateOrNull(row.approved_at),
		viewer: { role: access.role, canEdit: canEdit(access), canManageMembers: canManageMembers(access), canReview: canReview(access) }
	};
}

export interface ReviewListItem {
	id: string;
	name: string;
	slug: string;
	municipality: { id: string; name: string };
	status: ClubStatus;
	contactEmail: string;
	createdAt: Date;
}

/** Clubs of the viewer's municipalities (all for platform admins), pending first. */
export async function listForReview(db: Db, viewer: Viewer | null, filter: { status?: ClubStatus } = {}): Promise<ReviewListItem[]> {
	if (!viewer || (!viewer.isPlatformAdmin && viewer.municipalityIds.length === 0)) return [];
	let query = db
		.selectFrom('club')
		.innerJoin('municipality', 'municipality.id', 'club.municipality_id')
		.select([
			'club.id',
			'club.name',
			'club.slug',
			'club.status',
			'club.contact_email',
			'club.created_at',
			'municipality.id as municipality_id',
			'municipality.name as municipality_name'
		]);
	if (!viewer.isPlatformAdmin) query = query.where('club.municipality_id', 'in', viewer.municipalityIds);
	if (filter.status) query = query.where('club.status', '=', filter.status);
	const rows = await query
		.orderBy((eb) => eb.case().when('club.status', '=', 'pending').then(0).else(1).end())
		.orderBy('club.created_at')
		.orderBy('club.id')
		.limit(1000)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		slug: r.slug,
		municipality: { id: r.municipality_id, name: r.municipality_name },
		status: r.status,
		contactEmail: r.contact_email,
		createdAt: toDate(r.created_at)
	}));
}
