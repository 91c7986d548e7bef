import type { Kysely } from 'kysely';
import type { Viewer } from '../auth/users';
import * as audit from '../audit';
import type { Denied } from '../clubs/access';
import { toDateOrNull, type Database, type Db } from '../db/schema';
import * as events from '../events';
import { isSmall, THRESHOLD } from '../reports/suppress';

export interface PersonComment {
	id: string;
	text: string;
	usefulness: number | null;
	answeredAt: Date | null;
}

export interface ClubComment {
	id: string;
	club: string;
	text: string;
	talks: number | null;
	newVolunteers: number | null;
}

export interface EventComments {
	event: { id: string; title: string; startsAt: Date; endsAt: Date; timeZone: string };
	/** Answers of people, counted even where their free text is hidden. */
	personAnswers: number;
	/**
	 * People's free text follows the reports' small-number rule: with fewer than THRESHOLD
	 * answers a comment could point at one person in a small town, so none is shown (or exported).
	 */
	personCommentsWithheld: boolean;
	personComments: PersonComment[];
	clubAnswers: number;
	clubComments: ClubComment[];
	hidden: number;
	threshold: number;
}

/** Free-text feedback of one date for its coordinators, without hidden entries. */
export async function forEvent(db: Db, viewer: Viewer | null, eventId: string): Promise<{ ok: true; comments: EventComments } | Denied> {
	const event = await events.get(db, eventId);
	if (!event) return { ok: false, problem: 'not_found' };
	if (!viewer || !events.canManage(viewer, event)) return { ok: false, problem: 'forbidden' };
	const rows = await db
		.selectFrom('feedback')
		.leftJoin('club', 'club.id', 'feedback.club_id')
		.select(['feedback.id', 'feedback.respondent', 'feedback.usefulness', 'feedback.comment', 'feedback.changes', 'feedback.talks', 'feedback.new_volunteers', 'feedback.answered_at', 'feedback.hidden_at', 'club.name as club_name'])
		.where('feedback.event_id', '=', eventId)
		.where('feedback.answered_at', 'is not', null)
		.orderBy('feedback.answered_at')
		.orderBy('feedback.id')
		.execute();
	const people = rows.filter((r) => r.respondent === 'person');
	const clubRows = rows.filter((r) => r.respondent === 'club');
	const withheld = isSmall(people.length);
	const visible = (r: (typeof rows)[number], text: string) => r.hidden_at === null && text.trim() !== '';
	return {
		ok: true,
		comments: {
			event: { id: event.id, title: event.title, startsAt: event.startsAt, endsAt: event.endsAt, timeZone: event.timeZone },
			personAnswers: people.length,
			personCommentsWithheld: withheld,
			personComments: withheld
				? []
				: people.filter((r) => visible(r, r.comment)).map((r) => ({ id: r.id, text: r.comment, usefulness: r.usefulness, answeredAt: toDateOrNull(r.answered_at) })),
			clubAnswers: clubRows.length,
			clubComments: clubRows
				.filter((r) => visible(r, r.changes))
				.map((r) => ({ id: r.id, club: r.club_name ?? '', text: r.changes, talks: r.talks, newVolunteers: r.new_volunteers })),
			hidden: rows.filter((r) => r.hidden_at !== null).length,
			threshold: THRESHOLD
		}
	};
}

/**
 * A coordinator hides an entry's free text (e.g. it names someone or is abusive): it is not shown
 * or exported again; the entry's other answers still count. Recorded in the audit log.
 */
export async function hide(db: Kysely<Database>, viewer: Viewer | null, feedbackId: string, now: Date): Promise<{ ok: true } | Denied | { ok: false; problem: 'already_hidden' }> {
	return db.transaction().execute(async (trx) => {
		const row = await trx.selectFrom('feedback').select(['id', 'event_id', 'hidden_at']).where('id', '=', feedbackId).executeTakeFirst();
		if (!row) return { ok: false, problem: 'not_found' } as const;
		const event = await events.get(trx, row.event_id);
		if (!event || !viewer || !events.canManage(viewer, event)) return { ok: false, problem: 'forbidden' } as const;
		if (row.hidden_at !== null) return { ok: false, problem: 'already_hidden' } as const;
		await trx.updateTable('feedback').set({ hidden_at: now.toISOString(), hidden_by: viewer.id }).where('id', '=', feedbackId).where('hidden_at', 'is', null).execute();
		await audit.record(trx, { actorUserId: viewer.id, action: 'feedback.hidden', entityType: 'feedback', entityId: feedbackId, municipalityId: event.hosts[0]?.id }, now);
		return { ok: true } as const;
	});
}
