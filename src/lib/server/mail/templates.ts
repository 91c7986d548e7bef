import { formatDateTime, formatEventTime, formatTime } from '../../format';
import { placeLabel, slotTime } from '../../match-format';
import * as m from '../../paraglide/messages';
import { isLocale, type Locale } from '../../paraglide/runtime';
import { textDirection } from '../../locale';

export interface RenderedEmail {
	subject: string;
	text: string;
	html: string;
}

/** Every template and the payload it needs. Payloads are stored with the outbox row's rendering. */
/** What every event email says about the event; times are formatted per recipient language. */
export interface EventFacts {
	title: string;
	startsAt: string;
	endsAt: string;
	timeZone: string;
	where: string;
}

interface RegistrationMail {
	name: string;
	event: EventFacts;
	manageUrl: string;
	/** Places of a team sign-up; shown when more than 1. */
	places?: number;
}

export interface TemplatePayloads {
	'sign-in-link': { name: string; url: string };
	'registration-confirm-request': RegistrationMail & { confirmUrl: string; hours: number };
	'registration-confirmed': RegistrationMail & { checkInCid?: string };
	'registration-waitlisted': RegistrationMail & { position: number };
	'registration-promoted': RegistrationMail & { checkInCid?: string };
	'registration-already': RegistrationMail & { status: string };
	'registration-cancelled': RegistrationMail & { byCoordinator: boolean };
	'event-cancelled': RegistrationMail;
	'event-moved': RegistrationMail;
	'event-reminder': RegistrationMail & { unsubscribeUrl: string; matches?: ReminderMatch[] };
	'coordinator-message': RegistrationMail & { unsubscribeUrl: string; subject: string; body: string };
	'club-registered': { name: string; club: string; municipality: string; signInUrl: string };
	'club-submitted': { name: string; club: string; municipality: string; url: string };
	'club-approved': { name: string; club: string; url: string };
	'club-rejected': { name: string; club: string; reason: string; url: string };
	'club-invitation': { name: string; club: string; inviter: string; days: number; url: string };
	'stall-update': { club: string; event: EventFacts; status: string; stall: string | null; zone: string | null; reason: string | null; url: string };
	'match-plan': RegistrationMail & { kind: string; update: boolean; slots: MatchPlanSlot[] };
	'club-schedule': { club: string; event: EventFacts; kind: string; update: boolean; place: string; rounds: ClubScheduleRound[]; url: string };
	'feedback-request': FeedbackMail;
	'feedback-reminder': FeedbackMail;
	'lead-contact': { club: string; title: string; name: string; email: string; url: string };
	'offer-lead-contact': { club: string; offer: string; name: string; email: string; message: string; url: string };
	'contact-confirm-request': { name: string; club: string; offer: string; confirmUrl: string; manageUrl: string; hours: number };
	'thanks-club': { club: string; event: EventFacts; figures: ThanksFigures; threshold: number };
	'thanks-person': { name: string; event: EventFacts; clubs: string[]; recordUrl: string | null };
	'alert-confirm-request': { name: string; confirmUrl: string; hours: number };
	'alert-digest': { name: string; municipality: string; frequency: string; items: AlertDigestItem[]; unsubscribeUrl: string };
}

/** One new offer in an alert digest; reasons already in the recipient's language. */
export interface AlertDigestItem {
	title: string;
	club: string;
	url: string;
	reasons: string[];
	/** An Einsatz's next shift, already written out in the recipient's language. */
	nextShift?: string;
}

/** A feedback request or its reminder; `club` is set when a club is asked. */
export interface FeedbackMail {
	name: string;
	club: string | null;
	event: EventFacts;
	url: string;
	until: string;
}

/** A club's figures after an event; null where fewer than the threshold (it would identify people). */
export interface ThanksFigures {
	matched: number | null;
	talkedTo: number | null;
	wantsToTry: number | null;
	leads: number | null;
	joined: number | null;
}

/** One conversation in a person's published plan; reasons already in the recipient's language. */
export interface MatchPlanSlot {
	club: string;
	/** Stall number or table number. */
	place: string;
	startsAt: string | null;
	endsAt: string | null;
	reasons: string[];
}

/** Who comes to a club in one round (round null: a market without rounds); email only with consent. */
export interface ClubScheduleRound {
	round: number | null;
	startsAt: string | null;
	endsAt: string | null;
	people: { name: string; email: string | null; reasons: string[] }[];
}

/** One conversation from the person's published matching plan (filled in by the matching issue). */
export interface ReminderMatch {
	club: string;
	startsAt: string;
	where: string;
}
export type TemplateName = keyof TemplatePayloads;

export function toLocale(value: string | null | undefined): Locale {
	return value && isLocale(value) ? value : 'de';
}

export function escapeHtml(value: string): string {
	return value
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

type Block = { paragraph: string } | { button: { label: string; url: string } } | { image: { cid: string; alt: string } };

/** One layout for all mail: every block becomes a paragraph in text and escaped HTML. */
function layout(locale: Locale, subject: string, blocks: Block[]): RenderedEmail {
	const footer = m.email_footer({}, { locale });
	const text = [
		...blocks.filter((b) => !('image' in b)).map((b) => ('paragraph' in b ? b.paragraph : 'button' in b ? `${b.button.label}: ${b.button.url}` : '')),
		'--',
		footer
	].join('\n\n');
	const body = blocks
		.map((b) =>
			'paragraph' in b
				? `<p>${escapeHtml(b.paragraph)}</p>`
				: 'image' in b
					? `<p><img src="cid:${escapeHtml(b.image.cid)}" alt="${escapeHtml(b.image.alt)}" width="160" height="160"></p>`
					: `<p><a href="${escapeHtml(b.button.url)}" style="display:inline-block;padding:10px 16px;background:#1d4e89;color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(b.button.label)}</a></p><p style="font-size:12px;color:#555555">${escapeHtml(b.button.url)}</p>`
		)
		.join('\n');
	const html = `<!doctype html>
<html lang="${locale}" dir="${textDirection(locale)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:36em">
${body}
<hr><p style="font-size:12px;color:#555555">${escapeHtml(footer)}</p>
</body></html>`;
	return { subject, text, html };
}

function stallStatusLabel(status: string, locale: Locale): string {
	const labels: Record<string, (i: object, o: { locale: Locale }) => string> = {
		requested: m.stall_status_requested,
		approved: m.stall_status_approved,
		waitlisted: m.stall_status_waitlisted,
		rejected: m.stall_status_rejected,
		cancelled: m.stall_status_cancelled
	};
	return labels[status]?.({}, { locale }) ?? status;
}

/** Waiting reasons are codes; a rejection reason is the coordinator's own text (returns undefined). */
function stallReasonLabel(reason: string, locale: Locale): string | undefined {
	const labels: Record<string, (i: object, o: { locale: Locale }) => string> = {
		no_free_stall: m.stall_reason_no_free_stall,
		no_stall_large_enough: m.stall_reason_no_stall_large_enough,
		no_stall_with_power: m.stall_reason_no_stall_with_power,
		no_accessible_stall: m.stall_reason_no_accessible_stall
	};
	return labels[reason]?.({}, { locale });
}

/** Every email about one event names the same time; formatting a range costs more than the rest of a mail. */
const formattedTimes = new Map<string, string>();

function formatFacts(event: Pick<EventFacts, 'startsAt' | 'endsAt' | 'timeZone'>, locale: Locale): string {
	const key = `${event.startsAt}|${event.endsAt}|${event.timeZone}|${locale}`;
	let formatted = formattedTimes.get(key);
	if (formatted === undefined) {
		formatted = formatEventTime(new Date(event.startsAt), new Date(event.endsAt), event.timeZone, locale);
		if (formattedTimes.size >= 1000) formattedTimes.delete(formattedTimes.keys().next().value!);
		formattedTimes.set(key, formatted);
	}
	return formatted;
}

function eventBlocks(mail: RegistrationMail, locale: Locale, intro: string, withManageLink = true): Block[] {
	const blocks: Block[] = [
		{ paragraph: m.email_greeting({ name: mail.name }, { locale }) },
		{ paragraph: intro },
		{ paragraph: m.email_event_when({ when: formatFacts(mail.event, locale) }, { locale }) },
		{ paragraph: m.email_event_where({ where: mail.event.where }, { locale }) }
	];
	if (mail.places && mail.places > 1) blocks.push({ paragraph: m.email_team_places({ places: mail.places }, { locale }) });
	if (withManageLink) {
		blocks.push({ paragraph: m.email_manage_hint({}, { locale }) });
		blocks.push({ button: { label: m.email_manage_button({}, { locale }), url: mail.manageUrl } });
	}
	return blocks;
}

function unsubscribeBlocks(url: string, locale: Locale): Block[] {
	return [
		{ paragraph: m.email_unsubscribe_hint({}, { locale }) },
		{ button: { label: m.email_unsubscribe_button({}, { locale }), url } }
	];
}

function checkInBlocks(cid: string | undefined, locale: Locale): Block[] {
	if (!cid) return [];
	return [{ paragraph: m.email_check_in_hint({}, { locale }) }, { image: { cid, alt: m.email_check_in_alt({}, { locale }) } }];
}

export function renderEmail<T extends TemplateName>(
	template: T,
	payload: TemplatePayloads[T],
	locale: Locale
): RenderedEmail {
	switch (template) {
		case 'sign-in-link': {
			const { name, url } = payload as TemplatePayloads['sign-in-link'];
			return layout(locale, m.email_sign_in_subject({}, { locale }), [
				{ paragraph: m.email_greeting({ name }, { locale }) },
				{ paragraph: m.email_sign_in_body({}, { locale }) },
				{ button: { label: m.email_sign_in_button({}, { locale }), url } },
				{ paragraph: m.email_sign_in_ignore({}, { locale }) }
			]);
		}
		case 'registration-confirm-request': {
			const mail = payload as TemplatePayloads['registration-confirm-request'];
			const title = mail.event.title;
			return layout(locale, m.email_confirm_request_subject({ title }, { locale }), [
				...eventBlocks(mail, locale, m.email_confirm_request_body({ title, hours: mail.hours }, { locale }), false),
				{ button: { label: m.email_confirm_button({}, { locale }), url: mail.confirmUrl } },
				{ paragraph: m.email_manage_hint({}, { locale }) },
				{ button: { label: m.email_manage_button({}, { locale }), url: mail.manageUrl } }
			]);
		}
		case 'registration-confirmed': {
			const mail = payload as TemplatePayloads['registration-confirmed'];
			const title = mail.event.title;
			return layout(locale, m.email_confirmed_subject({ title }, { locale }), [
				...eventBlocks(mail, locale, m.email_confirmed_body({ title }, { locale })),
				...checkInBlocks(mail.checkInCid, locale)
			]);
		}
		case 'registration-waitlisted': {
			const mail = payload as TemplatePayloads['registration-waitlisted'];
			const title = mail.event.title;
			return layout(
				locale,
				m.email_waitlisted_subject({ title }, { locale }),
				eventBlocks(mail, locale, m.email_waitlisted_body({ title, position: mail.position }, { locale }))
			);
		}
		case 'registration-promoted': {
			const mail = payload as TemplatePayloads['registration-promoted'];
			const title = mail.event.title;
			return layout(locale, m.email_promoted_subject({ title }, { locale }), [
				...eventBlocks(mail, locale, m.email_promoted_body({ title }, { locale })),
				...checkInBlocks(mail.checkInCid, locale)
			]);
		}
		case 'registration-already': {
			const mail = payload as TemplatePayloads['registration-already'];
			const title = mail.event.title;
			return layout(
				locale,
				m.email_already_subject({ title }, { locale }),
				eventBlocks(mail, locale, m.email_already_body({ title, status: mail.status }, { locale }))
			);
		}
		case 'registration-cancelled': {
			const mail = payload as TemplatePayloads['registration-cancelled'];
			const title = mail.event.title;
			const body = mail.byCoordinator
				? m.email_registration_cancelled_by_coordinator_body({ title }, { locale })
				: m.email_cancelled_body({ title }, { locale });
			return layout(locale, m.email_cancelled_subject({ title }, { locale }), eventBlocks(mail, locale, body));
		}
		case 'event-cancelled': {
			const mail = payload as TemplatePayloads['event-cancelled'];
			const title = mail.event.title;
			const when = formatFacts(mail.event, locale);
			return layout(
				locale,
				m.email_event_cancelled_subject({ title }, { locale }),
				eventBlocks(mail, locale, m.email_event_cancelled_body({ title, when }, { locale }))
			);
		}
		case 'event-moved': {
			const mail = payload as TemplatePayloads['event-moved'];
			const title = mail.event.title;
			return layout(locale, m.email_event_moved_subject({ title }, { locale }), eventBlocks(mail, locale, m.email_event_moved_body({ title }, { locale })));
		}
		case 'event-reminder': {
			const mail = payload as TemplatePayloads['event-reminder'];
			const title = mail.event.title;
			const matches: Block[] = mail.matches?.length
				? [
						{ paragraph: m.email_reminder_matches({}, { locale }) },
						...mail.matches.map((match) => ({
							paragraph: m.email_reminder_match_line(
								{ time: formatTime(match.startsAt, locale, mail.event.timeZone), club: match.club, where: match.where },
								{ locale }
							)
						}))
					]
				: [];
			return layout(locale, m.email_reminder_subject({ title }, { locale }), [
				...eventBlocks(mail, locale, m.email_reminder_body({ title }, { locale })),
				...matches,
				...unsubscribeBlocks(mail.unsubscribeUrl, locale)
			]);
		}
		case 'coordinator-message': {
			const mail = payload as TemplatePayloads['coordinator-message'];
			const paragraphs = mail.body
				.split(/\n\s*\n/)
				.map((p) => p.trim())
				.filter(Boolean)
				.map((paragraph) => ({ paragraph }));
			return layout(locale, mail.subject, [
				...eventBlocks(mail, locale, m.email_message_intro({ title: mail.event.title }, { locale })).slice(0, 2),
				...paragraphs,
				...(locale === 'de' || locale === 'en' ? [] : [{ paragraph: m.email_message_original_language({}, { locale }) }]),
				...eventBlocks(mail, locale, '').slice(2),
				...unsubscribeBlocks(mail.unsubscribeUrl, locale)
			]);
		}
		case 'club-registered': {
			const mail = payload as TemplatePayloads['club-registered'];
			return layout(locale, m.email_club_registered_subject({ club: mail.club }, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.name }, { locale }) },
				{ paragraph: m.email_club_registered_body({ club: mail.club, municipality: mail.municipality }, { locale }) },
				{ paragraph: m.email_club_registered_sign_in({}, { locale }) },
				{ button: { label: m.email_sign_in_button({}, { locale }), url: mail.signInUrl } }
			]);
		}
		case 'club-submitted': {
			const mail = payload as TemplatePayloads['club-submitted'];
			return layout(locale, m.email_club_submitted_subject({ club: mail.club }, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.name }, { locale }) },
				{ paragraph: m.email_club_submitted_body({ club: mail.club, municipality: mail.municipality }, { locale }) },
				{ button: { label: m.email_club_review_button({}, { locale }), url: mail.url } }
			]);
		}
		case 'club-approved': {
			const mail = payload as TemplatePayloads['club-approved'];
			return layout(locale, m.email_club_approved_subject({ club: mail.club }, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.name }, { locale }) },
				{ paragraph: m.email_club_approved_body({ club: mail.club }, { locale }) },
				{ button: { label: m.email_club_area_button({}, { locale }), url: mail.url } }
			]);
		}
		case 'club-rejected': {
			const mail = payload as TemplatePayloads['club-rejected'];
			return layout(locale, m.email_club_rejected_subject({ club: mail.club }, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.name }, { locale }) },
				{ paragraph: m.email_club_rejected_body({ club: mail.club }, { locale }) },
				...(mail.reason ? [{ paragraph: m.email_club_rejected_reason({ reason: mail.reason }, { locale }) }] : []),
				{ paragraph: m.email_club_rejected_resubmit({}, { locale }) },
				{ button: { label: m.email_club_area_button({}, { locale }), url: mail.url } }
			]);
		}
		case 'club-invitation': {
			const mail = payload as TemplatePayloads['club-invitation'];
			return layout(locale, m.email_club_invitation_subject({ club: mail.club }, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.name }, { locale }) },
				{ paragraph: m.email_club_invitation_body({ club: mail.club, inviter: mail.inviter, days: mail.days }, { locale }) },
				{ button: { label: m.email_club_invitation_button({}, { locale }), url: mail.url } },
				{ paragraph: m.email_club_invitation_ignore({}, { locale }) }
			]);
		}
		case 'stall-update': {
			const mail = payload as TemplatePayloads['stall-update'];
			const title = mail.event.title;
			const status = stallStatusLabel(mail.status, locale);
			const reason = mail.reason ? (stallReasonLabel(mail.reason, locale) ?? mail.reason) : '';
			const bodies: Record<string, () => string> = {
				requested: () => m.email_stall_requested({ club: mail.club }, { locale }),
				approved: () => m.email_stall_approved({ club: mail.club, stall: mail.stall ?? '', zone: mail.zone ?? '', title }, { locale }),
				waitlisted: () => m.email_stall_waitlisted({ club: mail.club, reason }, { locale }),
				rejected: () => m.email_stall_rejected({ club: mail.club, reason }, { locale }),
				cancelled: () => m.email_stall_cancelled({ club: mail.club }, { locale })
			};
			return layout(locale, m.email_stall_subject({ title, status }, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.club }, { locale }) },
				{ paragraph: bodies[mail.status]?.() ?? status },
				{ paragraph: m.email_event_when({ when: formatFacts(mail.event, locale) }, { locale }) },
				{ paragraph: m.email_event_where({ where: mail.event.where }, { locale }) },
				{ button: { label: m.email_stall_button({}, { locale }), url: mail.url } }
			]);
		}
		case 'match-plan': {
			const mail = payload as TemplatePayloads['match-plan'];
			const title = mail.event.title;
			const subject = mail.update ? m.email_match_changed_subject({ title }, { locale }) : m.email_match_subject({ title }, { locale });
			const intro = mail.slots.length === 0 ? m.email_match_none_body({ title }, { locale }) : mail.update ? m.email_match_changed_body({ title }, { locale }) : m.email_match_body({ title }, { locale });
			const slots: Block[] = mail.slots.flatMap((slot) => [
				{
					paragraph: m.email_match_slot_line(
						{ time: slotTime(slot.startsAt, slot.endsAt, mail.event.timeZone, locale) || '–', club: slot.club, place: placeLabel(mail.kind, slot.place, locale) || '–' },
						{ locale }
					)
				},
				...(slot.reasons.length ? [{ paragraph: m.email_match_slot_reasons({ reasons: slot.reasons.join('; ') }, { locale }) }] : [])
			]);
			const blocks = eventBlocks(mail, locale, intro);
			return layout(locale, subject, [
				...blocks.slice(0, 2),
				...slots,
				...(mail.slots.length ? [{ paragraph: m.email_match_calendar_hint({}, { locale }) }] : []),
				...blocks.slice(2)
			]);
		}
		case 'club-schedule': {
			const mail = payload as TemplatePayloads['club-schedule'];
			const title = mail.event.title;
			const subject = mail.update ? m.email_club_schedule_changed_subject({ title }, { locale }) : m.email_club_schedule_subject({ title }, { locale });
			const intro =
				mail.rounds.length === 0
					? m.email_club_schedule_none_body({ title, club: mail.club }, { locale })
					: mail.update
						? m.email_club_schedule_changed_body({ title, club: mail.club }, { locale })
						: m.email_club_schedule_body({ title, club: mail.club }, { locale });
			const rounds: Block[] = mail.rounds.flatMap((round) => [
				{
					paragraph:
						round.round === null
							? m.email_club_schedule_all_day({}, { locale })
							: m.clubmatch_round_caption({ round: round.round + 1, time: slotTime(round.startsAt, round.endsAt, mail.event.timeZone, locale) || '–' }, { locale })
				},
				...round.people.map((person) => ({
					paragraph: [
						m.email_club_schedule_person({ name: person.name, email: person.email ?? m.clubmatch_no_consent({}, { locale }) }, { locale }),
						...(person.reasons.length ? [m.email_match_slot_reasons({ reasons: person.reasons.join('; ') }, { locale })] : [])
					].join(' — ')
				}))
			]);
			return layout(locale, subject, [
				{ paragraph: m.email_greeting({ name: mail.club }, { locale }) },
				{ paragraph: intro },
				{ paragraph: m.email_event_when({ when: formatFacts(mail.event, locale) }, { locale }) },
				{ paragraph: m.email_event_where({ where: mail.event.where }, { locale }) },
				...(mail.place ? [{ paragraph: m.email_club_schedule_place({ place: placeLabel(mail.kind, mail.place, locale) }, { locale }) }] : []),
				...rounds,
				...(mail.rounds.length ? [{ paragraph: m.clubmatch_consent_hint({}, { locale }) }] : []),
				{ button: { label: m.email_club_schedule_button({}, { locale }), url: mail.url } }
			]);
		}
		case 'feedback-request':
		case 'feedback-reminder': {
			const mail = payload as FeedbackMail;
			const title = mail.event.title;
			const until = formatDateTime(mail.until, locale, mail.event.timeZone);
			const isReminder = template === 'feedback-reminder';
			const body = isReminder
				? m.feedback_reminder_body({ title, until }, { locale })
				: mail.club
					? m.feedback_email_body_club({ title, club: mail.club, until }, { locale })
					: m.feedback_email_body_person({ title, until }, { locale });
			return layout(locale, isReminder ? m.feedback_reminder_subject({ title }, { locale }) : m.feedback_email_subject({ title }, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.name }, { locale }) },
				{ paragraph: body },
				{ button: { label: m.feedback_email_button({}, { locale }), url: mail.url } }
			]);
		}
		case 'lead-contact': {
			const mail = payload as TemplatePayloads['lead-contact'];
			return layout(locale, m.lead_email_subject({ name: mail.name, club: mail.club }, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.club }, { locale }) },
				{ paragraph: m.lead_email_body({ name: mail.name, club: mail.club, title: mail.title }, { locale }) },
				{ paragraph: m.lead_email_contact({ name: mail.name, email: mail.email }, { locale }) },
				{ paragraph: m.lead_email_hint({}, { locale }) },
				{ button: { label: m.lead_email_button({}, { locale }), url: mail.url } }
			]);
		}
		case 'offer-lead-contact': {
			const mail = payload as TemplatePayloads['offer-lead-contact'];
			return layout(locale, m.lead_offer_email_subject({ name: mail.name, club: mail.club }, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.club }, { locale }) },
				{ paragraph: m.lead_offer_email_body({ name: mail.name, club: mail.club, offer: mail.offer }, { locale }) },
				{ paragraph: m.lead_email_contact({ name: mail.name, email: mail.email }, { locale }) },
				...(mail.message ? [{ paragraph: m.lead_offer_email_message({ message: mail.message }, { locale }) }] : []),
				{ paragraph: m.lead_email_hint({}, { locale }) },
				{ button: { label: m.lead_email_button({}, { locale }), url: mail.url } }
			]);
		}
		case 'contact-confirm-request': {
			const mail = payload as TemplatePayloads['contact-confirm-request'];
			return layout(locale, m.email_contact_confirm_subject({ club: mail.club }, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.name }, { locale }) },
				{ paragraph: m.email_contact_confirm_body({ club: mail.club, offer: mail.offer, hours: mail.hours }, { locale }) },
				{ button: { label: m.email_contact_confirm_button({}, { locale }), url: mail.confirmUrl } },
				{ paragraph: m.email_contact_manage_hint({}, { locale }) },
				{ button: { label: m.email_contact_manage_button({}, { locale }), url: mail.manageUrl } }
			]);
		}
		case 'thanks-club': {
			const mail = payload as TemplatePayloads['thanks-club'];
			const title = mail.event.title;
			const value = (n: number | null) => (n === null ? m.thanks_fewer_than({ n: mail.threshold }, { locale }) : String(n));
			const f = mail.figures;
			return layout(locale, m.thanks_club_subject({ title }, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.club }, { locale }) },
				{ paragraph: m.thanks_club_body({ title, club: mail.club }, { locale }) },
				{ paragraph: m.thanks_figure_matched({ value: value(f.matched) }, { locale }) },
				{ paragraph: m.thanks_figure_talked({ value: value(f.talkedTo) }, { locale }) },
				{ paragraph: m.thanks_figure_wants({ value: value(f.wantsToTry) }, { locale }) },
				{ paragraph: m.thanks_figure_leads({ value: value(f.leads) }, { locale }) },
				{ paragraph: m.thanks_figure_joined({ value: value(f.joined) }, { locale }) },
				{ paragraph: m.thanks_privacy({ n: mail.threshold }, { locale }) }
			]);
		}
		case 'thanks-person': {
			const mail = payload as TemplatePayloads['thanks-person'];
			const title = mail.event.title;
			return layout(locale, m.thanks_person_subject({ title }, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.name }, { locale }) },
				{ paragraph: m.thanks_person_body({ title }, { locale }) },
				...(mail.clubs.length ? [{ paragraph: m.thanks_person_clubs({ clubs: mail.clubs.join(', ') }, { locale }) }] : []),
				...(mail.recordUrl
					? ([{ paragraph: m.thanks_person_record({}, { locale }) }, { button: { label: m.thanks_record_button({}, { locale }), url: mail.recordUrl } }] satisfies Block[])
					: [])
			]);
		}
		case 'alert-confirm-request': {
			const mail = payload as TemplatePayloads['alert-confirm-request'];
			return layout(locale, m.alert_email_confirm_subject({}, { locale }), [
				{ paragraph: m.email_greeting({ name: mail.name }, { locale }) },
				{ paragraph: m.alert_email_confirm_body({ hours: mail.hours }, { locale }) },
				{ button: { label: m.alert_email_confirm_button({}, { locale }), url: mail.confirmUrl } },
				{ paragraph: m.alert_email_confirm_ignore({}, { locale }) }
			]);
		}
		case 'alert-digest': {
			const mail = payload as TemplatePayloads['alert-digest'];
			// The subject names what the digest holds: offers, Einsätze (those with a next shift) or both.
			const taskCount = mail.items.filter((item) => item.nextShift).length;
			const subject = (taskCount === 0 ? m.alert_email_digest_subject : taskCount === mail.items.length ? m.alert_email_digest_subject_tasks : m.alert_email_digest_subject_mixed)(
				{ count: mail.items.length, municipality: mail.municipality },
				{ locale }
			);
			return layout(locale, subject, [
				{ paragraph: m.email_greeting({ name: mail.name }, { locale }) },
				{ paragraph: m.alert_email_digest_intro({ municipality: mail.municipality }, { locale }) },
				...mail.items.flatMap((item): Block[] => [
					{ paragraph: m.alert_email_digest_item({ title: item.title, club: item.club }, { locale }) },
					...(item.nextShift ? [{ paragraph: m.alert_digest_task_next_shift({ date: item.nextShift }, { locale }) }] : []),
					...(item.reasons.length ? [{ paragraph: item.reasons.join(' · ') }] : []),
					{ button: { label: m.alert_email_digest_open({ title: item.title }, { locale }), url: item.url } }
				]),
				{ paragraph: (mail.frequency === 'daily' ? m.alert_email_digest_daily : m.alert_email_digest_weekly)({}, { locale }) },
				{ button: { label: m.alert_email_unsubscribe_button({}, { locale }), url: mail.unsubscribeUrl } }
			]);
		}
	}
	throw new Error(`Unknown email template: ${template satisfies never}`);
}
