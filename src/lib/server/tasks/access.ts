import type { Db } from '../db/schema';
import type { Viewer } from '../auth/users';
import { loadAccess, canEdit, canView, type ClubAccess } from '../clubs/access';

// Who may manage or see an Einsatz: one check for every task module (texts, shifts, helpers).

type TaskOwner = { municipality_id: string; club_id: string | null };

/**
 * Whether the viewer holds the right to a task: for a club's Einsatz the club access `allows`
 * (editing to manage, viewing to see the helpers, which reviewing coordinators may); for a
 * municipality's own Einsatz its coordinators.
 */
async function hasTaskRight(db: Db, viewer: Viewer | null, task: TaskOwner, allows: (access: ClubAccess) => boolean): Promise<boolean> {
	if (!viewer) return false;
	if (task.club_id) {
		const access = await loadAccess(db, viewer, task.club_id);
		return !!access && allows(access);
	}
	return viewer.isPlatformAdmin || viewer.municipalityIds.includes(task.municipality_id);
}

export const mayManage = (db: Db, viewer: Viewer | null, task: TaskOwner) => hasTaskRight(db, viewer, task, canEdit);
export const mayView = (db: Db, viewer: Viewer | null, task: TaskOwner) => hasTaskRight(db, viewer, task, canView);

/** The task row, with its municipality's time zone (the zone its new shifts are entered in). */
export async function taskRow(db: Db, taskId: string) {
	return db
		.selectFrom('task')
		.innerJoin('municipality', 'municipality.id', 'task.municipality_id')
		.selectAll('task')
		.select('municipality.time_zone')
		.where('task.id', '=', taskId)
		.executeTakeFirst();
}
