import { generateId } from './ids';
import type { Viewer } from './auth/users';
import { toDate, type Db } from './db/schema';

export interface AuditEntry {
	actorUserId: string | null;
	action: string;
	entityType: string;
	entityId?: string | null;
	municipalityId?: string | null;
	details?: Record<string, unknown>;
}

export async function record(db: Db, entry: AuditEntry, now: Date): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			id: generateId(),
			at: now.toISOString(),
			actor_user_id: entry.actorUserId,
			action: entry.action,
			entity_type: entry.entityType,
			entity_id: entry.entityId ?? null,
			municipality_id: entry.municipalityId ?? null,
			details: entry.details ? JSON.stringify(entry.details) : null
		})
		.execute();
}

/** The latest entries the viewer may see: all for platform admins, else their municipalities' and their own. */
export async function recent(db: Db, viewer: Viewer, limit: number) {
	let query = db
		.selectFrom('audit_log')
		.leftJoin('user', 'user.id', 'audit_log.actor_user_id')
		.select(['audit_log.id', 'audit_log.at', 'audit_log.action', 'audit_log.entity_type', 'user.name as actor']);
	if (!viewer.isPlatformAdmin) {
		query = query.where((eb) =>
			eb.or([
				eb('audit_log.actor_user_id', '=', viewer.id),
				...(viewer.municipalityIds.length > 0
					? [eb('audit_log.municipality_id', 'in', viewer.municipalityIds)]
					: [])
			])
		);
	}
	const rows = await query.orderBy('audit_log.at', 'desc').limit(limit).execute();
	return rows.map((r) => ({ id: r.id, at: toDate(r.at), action: r.action, entityType: r.entity_type, actor: r.actor }));
}
