import type { Kysely } from 'kysely';
import * as v from 'valibot';
import * as m from '../../paraglide/messages';
import type { Locale } from '../../paraglide/runtime';
import { toDate, type Database, type Db, type MessageAudience } from '../db/schema';
import * as audit from '../audit';
import * as events from '../events';
import * as outbox from '../mail/outbox';
import { renderEmail, toLocale, type RenderedEmail } from '../mail/templates';
import { participantHeaders, participantMail } from '../registrations/mail';
import type { LinkContext } from '../registrations/links';

export const AUDIENCES: readonly MessageAudience[] = ['confirmed', 'waitlisted', 'attended'];

const text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, () => m.error_too_long({ max })));
const required = (max: number) => v.pipe(text(max), v.nonEmpty(() => m.error_required()));

export const messageSchema = v.object({
	subjectDe: required(200),
	bodyDe: required(10_000),
	subjectEn: text(200),
	bodyEn: text(10_000)
});

export interface MessageDraft {
	audiences: MessageAudience[];
	subjectDe: string;
	bodyDe: string;
	/** Empty: English readers get the German text (inside the English frame). */
	subjectEn: string;
	bodyEn: string;
}

/**
 * Coordinators write in German and optionally English. English readers get the English text; readers
 * of any other language get the German text followed by the English one, so that they can pick.
 */
function textFor(draft: MessageDraft, locale: Locale) {
	const english = draft.subjectEn && draft.bodyEn ? { subject: draft.subjectEn, body: draft.bodyEn } : null;
	if (locale === 'en' && english) return english;
	if (locale === 'de' || locale === 'en' || !english) return { subject: draft.subjectDe, body: draft.bodyDe };
	return { subject: draft.subjectDe, body: `${draft.bodyDe}\n\n———\n\n${english.body}` };
}

/** How many people each audience reaches; people who opted out of circulars are counted apart. */
export async function audienceCounts(db: Db, eventId: string): Promise<Record<MessageAudience, number> & { optedOut: number }> {
	const rows = await db
		.selectFrom('registration')
		.innerJoin('person', 'person.id', 'registration.person_id')
		.select(['registration.status', (eb) => eb.fn.countAll<number | string>().as('count'), (eb) => eb.fn.count<number | string>('person.mail_opt_out_at').as('opted_out')])
		.where('registration.event_id', '=', eventId)
		.where('registration.status', 'in', [...AUDIENCES])
		.where('person.anonymised_at', 'is', null)
		.groupBy('registration.status')
		.execute();
	const counts = { confirmed: 0, waitlisted: 0, attended: 0, optedOut: 0 };
	for (const row of rows) {
		counts[row.status as MessageAudience] = Number(row.count) - Number(row.opted_out);
		counts.optedOut += Number(row.opted_out);
	}
	return counts;
}

/** The message as a German and as an English reader would get it, for a sample person. */
export function preview(draft: MessageDraft, event: events.EventDetails, ctx: LinkContext, sampleName: string): Record<'de' | 'en', RenderedEmail> {
	const mail = participantMail(ctx, event, 'preview', sampleName);
	const render = (locale: Locale) =>
		renderEmail('coordinator-message', { ...mail, ...textFor(draft, locale), unsubscribeUrl: `${ctx.origin}/manage/preview/unsubscribe` }, locale);
	return { de: render('de'), en: render('en') };
}

/**
 * Sends the message to the chosen audiences through the outbox, one email per person in their
 * language. `messageId` comes from the form, so submitting twice sends once.
 */
export async function send(
	db: Kysely<Database>,
	messageId: string,
	eventId: string,
	draft: MessageDraft,
	actorUserId: string,
	ctx: LinkContext,
	now: Date
): Promise<{ recipients: number; alreadySent: boolean } | null> {
	return db.transaction().execute(async (trx) => {
		const event = await events.get(trx, eventId);
		if (!event) return null;
		const previous = await trx.selectFrom('coordinator_message').select(['event_id', 'recipient_count']).where('id', '=', messageId).executeTakeFirst();
		if (previous) return previous.event_id === eventId ? { recipients: previous.recipient_count, alreadySent: true } : null;

		const people = await trx
			.selectFrom('registration')
			.innerJoin('person', 'person.id', 'registration.person_id')
			.select(['registration.id', 'person.email', 'person.name', 'person.locale'])
			.where('registration.event_id', '=', eventId)
			.where('registration.status', 'in', draft.audiences)
			.where('person.anonymised_at', 'is', null)
			.where('person.mail_opt_out_at', 'is', null)
			.execute();
		await trx
			.insertInto('coordinator_message')
			.values({
				id: messageId,
				event_id: eventId,
				audiences: JSON.stringify(draft.audiences),
				subject_de: draft.subjectDe,
				body_de: draft.bodyDe,
				subject_en: draft.subjectEn,
				body_en: draft.bodyEn,
				sent_by: actorUserId,
				recipient_count: people.length,
				created_at: now.toISOString()
			})
			.execute();
		for (const person of people) {
			const locale = toLocale(person.locale);
			const headers = participantHeaders(ctx, event, person.id, locale);
			await outbox.enqueue(
				trx,
				{
					idempotencyKey: `message:${messageId}:${person.id}`,
					recipient: person.email,
					locale,
					template: 'coordinator-message',
					payload: { ...participantMail(ctx, event, person.id, person.name, locale), ...textFor(draft, locale), unsubscribeUrl: headers.listUnsubscribe! },
					headers,
					municipalityId: event.hosts[0]?.id,
					eventId,
					registrationId: person.id
				},
				now
			);
		}
		for (const host of event.hosts) {
			await audit.record(trx, { actorUserId, action: 'event.message_sent', entityType: 'event', entityId: eventId, municipalityId: host.id, details: { audiences: draft.audiences, recipients: people.length } }, now);
		}
		return { recipients: people.length, alreadySent: false };
	});
}

export interface SentMessage {
	id: string;
	subject: string;
	audiences: MessageAudience[];
	recipients: number;
	sentAt: Date;
}

/** Messages already sent about an event, newest first. */
export async function listSent(db: Db, eventId: string): Promise<SentMessage[]> {
	const rows = await db
		.selectFrom('coordinator_message')
		.select(['id', 'subject_de', 'audiences', 'recipient_count', 'created_at'])
		.where('event_id', '=', eventId)
		.orderBy('created_at', 'desc')
		.limit(50)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		subject: r.subject_de,
		audiences: JSON.parse(r.audiences) as MessageAudience[],
		recipients: r.recipient_count,
		sentAt: toDate(r.created_at)
	}));
}
