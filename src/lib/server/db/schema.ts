import type { ColumnType, Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';

/** PostgreSQL returns Date for timestamptz, SQLite returns the ISO text we wrote; always write ISO text. */
export type Timestamp = ColumnType<Date | string, string, string>;
/** 0/1 on both databases: better-sqlite3 cannot bind booleans. */
export type Flag = ColumnType<number, number | undefined, number>;

export interface MunicipalityTable {
	id: string;
	slug: string;
	name: string;
	country: string;
	time_zone: string;
	retention_months: ColumnType<number, number | undefined, number>;
	/** Replies to participants' mail go here; NULL means mail has no Reply-To. */
	contact_email: ColumnType<string | null, string | null | undefined, string | null>;
	created_at: Timestamp;
	/** Volunteer hours per year that qualify for the Ehrenamtskarte (hours export). */
	hours_threshold: ColumnType<number, number | undefined, number>;
}

export interface VenueTable {
	id: string;
	municipality_id: string;
	name: string;
	street: string;
	postal_code: string;
	city: string;
	capacity: number | null;
	accessibility_notes: ColumnType<string, string | undefined, string>;
	created_at: Timestamp;
}

export interface UserTable {
	id: string;
	email: string;
	name: string;
	locale: ColumnType<string, string | undefined, string>;
	is_platform_admin: Flag;
	created_at: Timestamp;
	last_sign_in_at: Timestamp | null;
}

export interface SessionTable {
	id: string;
	user_id: string;
	secret_hash: string;
	created_at: Timestamp;
	expires_at: Timestamp;
}

export interface LoginTokenTable {
	id: string;
	user_id: string;
	secret_hash: string;
	created_at: Timestamp;
	expires_at: Timestamp;
	used_at: Timestamp | null;
}

export interface CoordinatorTable {
	user_id: string;
	municipality_id: string;
	created_at: Timestamp;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxTable {
	id: string;
	idempotency_key: string;
	recipient: string;
	locale: string;
	template: string;
	subject: string;
	text_body: string;
	html_body: string;
	/** JSON array of { filename, contentType, content } */
	attachments: string | null;
	municipality_id: string | null;
	user_id: string | null;
	status: OutboxStatus;
	attempts: ColumnType<number, number | undefined, number>;
	next_attempt_at: Timestamp;
	lease_owner: string | null;
	lease_until: Timestamp | null;
	last_error: string | null;
	sent_at: Timestamp | null;
	message_id: string | null;
	created_at: Timestamp;
	/** JSON MailHeaders: sender name, Reply-To, List-Unsubscribe. */
	headers: ColumnType<string | null, string | null | undefined, string | null>;
	event_id: ColumnType<string | null, string | null | undefined, string | null>;
	registration_id: ColumnType<string | null, string | null | undefined, string | null>;
	/** Not sent after this time (a reminder for an event that has begun). */
	expires_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
}

export interface AuditLogTable {
	id: string;
	at: Timestamp;
	actor_user_id: string | null;
	action: string;
	entity_type: string;
	entity_id: string | null;
	municipality_id: string | null;
	/** JSON object */
	details: string | null;
}

/** One row per rate-limited key: its current fixed window and the attempts counted in it. */
export interface RateLimitTable {
	key: string;
	window_start: Timestamp;
	hits: number;
}

export interface TagTable {
	id: string;
	slug: string;
	label_de: string;
	label_en: string;
	created_at: Timestamp;
}

export type EventKind = 'round_table' | 'market' | 'shift';
export type EventStatus = 'draft' | 'published' | 'cancelled';

export interface SeriesTable {
	id: string;
	kind: EventKind;
	title: string;
	description: ColumnType<string, string | undefined, string>;
	time_zone: string;
	venue_id: string | null;
	capacity: number;
	duration_minutes: number;
	rrule: string | null;
	/** Wall time of the first occurrence in the series' time zone, e.g. 2027-04-08T18:00. */
	first_start_local: string | null;
	/** JSON ReminderRule[]; NULL = the default rules, [] = no reminders. */
	reminder_rules: ColumnType<string | null, string | null | undefined, string | null>;
	created_by: string | null;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export interface SeriesHostTable {
	series_id: string;
	municipality_id: string;
}

export interface EventTable {
	id: string;
	series_id: string | null;
	kind: EventKind;
	title: string;
	description: ColumnType<string, string | undefined, string>;
	starts_at: Timestamp;
	ends_at: Timestamp;
	time_zone: string;
	venue_id: string | null;
	capacity: number;
	confirmed_count: ColumnType<number, number | undefined, number>;
	waitlist_seq: ColumnType<number, number | undefined, number>;
	status: EventStatus;
	registration_opens_at: Timestamp | null;
	registration_closes_at: Timestamp | null;
	ical_uid: string;
	ical_sequence: ColumnType<number, number | undefined, number>;
	/** JSON ReminderRule[]; NULL = as the series, [] = no reminders. */
	reminder_rules: ColumnType<string | null, string | null | undefined, string | null>;
	stall_booking_open: Flag;
	/** When stall booking is planned to open; shown to clubs while it is closed. */
	stall_booking_opens_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
	/** Hours after the end before feedback requests go out. */
	feedback_delay_hours: ColumnType<number, number | undefined, number>;
	created_at: Timestamp;
	updated_at: Timestamp;
	/** The Einsatz a shift belongs to (kind 'shift' only). */
	task_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface EventHostTable {
	event_id: string;
	municipality_id: string;
}

export interface PersonTable {
	id: string;
	email: string;
	name: string;
	locale: ColumnType<string, string | undefined, string>;
	/** JSON, see registrations/profile.ts */
	profile: ColumnType<string, string | undefined, string>;
	consent_introductions: Flag;
	created_at: Timestamp;
	updated_at: Timestamp;
	anonymised_at: Timestamp | null;
	/** Set when the person asked for no reminders or coordinator messages (List-Unsubscribe). */
	mail_opt_out_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
}

export interface PersonTagTable {
	person_id: string;
	tag_id: string;
}

export type RegistrationStatus =
	| 'pending'
	| 'confirmed'
	| 'waitlisted'
	| 'cancelled'
	| 'expired'
	| 'attended'
	| 'no_show';

export interface RegistrationTable {
	id: string;
	event_id: string;
	person_id: string;
	status: RegistrationStatus;
	waitlist_position: number | null;
	submitted_profile: string | null;
	manage_secret_hash: string;
	confirm_secret_hash: string | null;
	confirm_expires_at: Timestamp | null;
	created_at: Timestamp;
	updated_at: Timestamp;
	confirmed_at: Timestamp | null;
	cancelled_at: Timestamp | null;
	checked_in_at: Timestamp | null;
	/** Places held: more than 1 for a team sign-up. */
	places: ColumnType<number, number | undefined, number>;
}

export type MessageAudience = 'confirmed' | 'waitlisted' | 'attended';

export interface CoordinatorMessageTable {
	id: string;
	event_id: string;
	/** JSON MessageAudience[] */
	audiences: string;
	subject_de: string;
	body_de: string;
	subject_en: string;
	body_en: string;
	sent_by: string | null;
	recipient_count: number;
	created_at: Timestamp;
}

export type ClubStatus = 'pending' | 'approved' | 'rejected';
export type ClubRole = 'admin' | 'member';

export interface ClubTable {
	id: string;
	municipality_id: string;
	name: string;
	/** The name lower-cased without spaces; unique per municipality. */
	name_key: string;
	slug: string;
	description: ColumnType<string, string | undefined, string>;
	contact_email: string;
	contact_phone: ColumnType<string, string | undefined, string>;
	website: ColumnType<string, string | undefined, string>;
	status: ClubStatus;
	/** Lower-cased name and description for searching (SQLite's lower() folds only ASCII). */
	search_text: ColumnType<string, string | undefined, string>;
	/** base64 of the image bytes, checked by their magic bytes. */
	logo: string | null;
	logo_content_type: string | null;
	logo_sha256: string | null;
	rejection_reason: string | null;
	created_by: string | null;
	approved_by: string | null;
	approved_at: Timestamp | null;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export interface ClubTagTable {
	club_id: string;
	tag_id: string;
}

export interface ClubMemberTable {
	club_id: string;
	user_id: string;
	role: ClubRole;
	joined_at: Timestamp;
}

export interface ClubInvitationTable {
	id: string;
	club_id: string;
	email: string;
	secret_hash: string;
	invited_by: string | null;
	created_at: Timestamp;
	expires_at: Timestamp;
	accepted_at: Timestamp | null;
	accepted_by: string | null;
}

export type OfferCommitment = 'one_off' | 'occasional' | 'regular';
export type OfferStatus = 'draft' | 'published' | 'paused' | 'archived';

export interface OfferTable {
	id: string;
	club_id: string;
	title: string;
	description: ColumnType<string, string | undefined, string>;
	commitment: OfferCommitment;
	on_weekdays: Flag;
	on_weekends: Flag;
	in_evenings: Flag;
	/** JSON number[] of months 1–12; [] = all year. */
	months: ColumnType<string, string | undefined, string>;
	place: ColumnType<string, string | undefined, string>;
	is_remote: Flag;
	/** JSON string[] of language codes. */
	languages: ColumnType<string, string | undefined, string>;
	minimum_age: number | null;
	suits_multilocal: Flag;
	/** New people the club can take on; null = no fixed limit. */
	capacity: number | null;
	status: OfferStatus;
	/** Lower-cased title, description and place for searching. */
	search_text: ColumnType<string, string | undefined, string>;
	created_by: string | null;
	created_at: Timestamp;
	updated_at: Timestamp;
	/** When the offer was first published (alerts tell people about offers new since they subscribed). */
	published_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
}

/** A municipality's competence (Kompetenz); the slug stays when it is renamed. */
export interface CompetenceTable {
	id: string;
	municipality_id: string;
	slug: string;
	label_de: string;
	label_en: string;
	created_at: Timestamp;
}

export interface OfferCompetenceTable {
	offer_id: string;
	competence_id: string;
}

export interface OfferTagTable {
	offer_id: string;
	tag_id: string;
}

export interface StallTable {
	id: string;
	event_id: string;
	number: string;
	zone: ColumnType<string, string | undefined, string>;
	/** 1 small, 2 medium, 3 large */
	size: number;
	has_power: Flag;
	indoor: Flag;
	accessible: Flag;
	created_at: Timestamp;
}

export type StallRequestStatus = 'requested' | 'approved' | 'waitlisted' | 'rejected' | 'cancelled';

export interface StallRequestTable {
	id: string;
	event_id: string;
	club_id: string;
	status: StallRequestStatus;
	size: number;
	needs_power: Flag;
	needs_accessible: Flag;
	tables: number;
	chairs: number;
	staff: ColumnType<string, string | undefined, string>;
	notes: ColumnType<string, string | undefined, string>;
	stall_id: ColumnType<string | null, string | null | undefined, string | null>;
	reason: ColumnType<string | null, string | null | undefined, string | null>;
	requested_by: string | null;
	decided_by: ColumnType<string | null, string | null | undefined, string | null>;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export interface MatchSettingTable {
	event_id: string;
	k: ColumnType<number, number | undefined, number>;
	rounds: ColumnType<number, number | undefined, number>;
	round_minutes: ColumnType<number, number | undefined, number>;
	/** NULL: the first round starts with the event. */
	first_round_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
	table_seats: ColumnType<number, number | undefined, number>;
	updated_at: Timestamp;
}

export type MatchRuleKind = 'pin' | 'ban';

export interface MatchRuleTable {
	id: string;
	event_id: string;
	person_id: string;
	club_id: string;
	kind: MatchRuleKind;
	created_by: string | null;
	created_at: Timestamp;
}

export type MatchPlanStatus = 'draft' | 'published' | 'superseded';

export interface MatchPlanTable {
	id: string;
	event_id: string;
	status: MatchPlanStatus;
	created_by: string | null;
	created_at: Timestamp;
	published_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
	/** JSON PlanFigures, see matching/index.ts */
	figures: string;
}

export interface MatchSlotTable {
	id: string;
	plan_id: string;
	person_id: string;
	club_id: string;
	round: number | null;
	stall_id: string | null;
	/** Stall number or table label as it was when the plan was made. */
	place_label: ColumnType<string, string | undefined, string>;
	starts_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
	ends_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
	score: number;
	/** JSON Reason[] */
	reasons: string;
}

export type MatchJobMode = 'fresh' | 'update';
export type MatchJobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export type MatchJobStage = 'loading' | 'scoring' | 'assigning' | 'rounds' | 'saving';

type NullableTimestamp = ColumnType<Date | string | null, string | null | undefined, string | null>;

/** A matching run off the request thread (matching/jobs.ts). */
export interface MatchJobTable {
	id: string;
	event_id: string;
	/** The event's id while queued or running, else null: unique, so one job per event at a time. */
	active_event_id: string | null;
	mode: MatchJobMode;
	status: MatchJobStatus;
	stage: MatchJobStage | null;
	/** 0..100 */
	progress: ColumnType<number, number | undefined, number>;
	requested_by: string | null;
	requested_at: Timestamp;
	started_at: NullableTimestamp;
	heartbeat_at: NullableTimestamp;
	finished_at: NullableTimestamp;
	/** The worker running it (WORKER_ID). */
	owner: string | null;
	attempts: ColumnType<number, number | undefined, number>;
	cancel_requested: ColumnType<number, number | undefined, number>;
	plan_id: string | null;
	error: string | null;
}

export type FeedbackRespondent = 'person' | 'club';

export interface FeedbackTable {
	id: string;
	event_id: string;
	respondent: FeedbackRespondent;
	/** NULL for clubs, and after the person's data was erased (the answers still count). */
	person_id: string | null;
	club_id: string | null;
	/** 1–5, person only. */
	usefulness: number | null;
	/** JSON string[] of club ids. */
	talked_to: ColumnType<string, string | undefined, string>;
	/** JSON string[] of club ids; each becomes a lead when the person consents to introductions. */
	wants_to_try: ColumnType<string, string | undefined, string>;
	talks: number | null;
	new_volunteers: number | null;
	changes: ColumnType<string, string | undefined, string>;
	comment: ColumnType<string, string | undefined, string>;
	requested_at: Timestamp;
	reminded_at: Timestamp | null;
	answered_at: Timestamp | null;
	updated_at: Timestamp | null;
	editable_until: Timestamp;
	/** Set when a coordinator hid the entry's free text: not shown again, not exported. */
	hidden_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
	hidden_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export type LeadStatus = 'new' | 'contacted' | 'trying' | 'joined' | 'not_a_fit';

export type LeadSource = 'event' | 'offer';

export interface LeadTable {
	id: string;
	/** null for a lead from an offer's contact form. */
	event_id: string | null;
	/** NULL after the person's data was erased (the lead still counts). */
	person_id: string | null;
	club_id: string;
	status: LeadStatus;
	created_at: Timestamp;
	updated_at: Timestamp;
	updated_by: string | null;
	source: ColumnType<LeadSource, LeadSource | undefined, LeadSource>;
	offer_id: ColumnType<string | null, string | null | undefined, string | null>;
	/** The confirmed contact request holding name, address and message (source 'offer'). */
	contact_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** "Ich möchte mitmachen" on an offer; pending until the address is confirmed. */
export interface OfferContactTable {
	id: string;
	offer_id: string;
	club_id: string;
	name: string;
	email: string;
	message: ColumnType<string, string | undefined, string>;
	locale: ColumnType<string, string | undefined, string>;
	confirm_secret_hash: string | null;
	confirm_expires_at: Timestamp | null;
	manage_secret_hash: string;
	created_at: Timestamp;
	confirmed_at: Timestamp | null;
	withdrawn_at: Timestamp | null;
}

/** A signed Ehrenamtsnachweis: a snapshot, so later changes to events do not alter what was issued. */
export interface VolunteerRecordTable {
	id: string;
	person_id: string;
	person_name: string;
	/** First and last day (YYYY-MM-DD) of the entries. */
	period_from: string;
	period_to: string;
	/** JSON RecordEntry[] as signed. */
	entries: string;
	total_minutes: number;
	issued_at: Timestamp;
	revoked_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
	/** HMAC-SHA-256 (base64url) over the canonical serialisation; see records/signature.ts. */
	signature: string;
}

export type AlertFrequency = 'weekly' | 'daily';
export type AlertItemKind = 'offer' | 'task';

/** A person's opt-in to a digest of new offers that fit their profile (double opt-in). */
export interface AlertSubscriptionTable {
	id: string;
	person_id: string;
	municipality_id: string;
	frequency: AlertFrequency;
	locale: ColumnType<string, string | undefined, string>;
	confirm_secret_hash: string | null;
	confirm_expires_at: Timestamp | null;
	unsubscribe_secret_hash: string;
	confirmed_at: Timestamp | null;
	last_sent_at: Timestamp | null;
	created_at: Timestamp;
}

/** Every item a person was alerted to, once. */
export interface AlertSentTable {
	person_id: string;
	item_kind: AlertItemKind;
	item_id: string;
	sent_at: Timestamp;
}

export interface Database {
	municipality: MunicipalityTable;
	venue: VenueTable;
	user: UserTable;
	session: SessionTable;
	login_token: LoginTokenTable;
	coordinator: CoordinatorTable;
	outbox: OutboxTable;
	audit_log: AuditLogTable;
	rate_limit: RateLimitTable;
	tag: TagTable;
	series: SeriesTable;
	series_host: SeriesHostTable;
	event: EventTable;
	event_host: EventHostTable;
	person: PersonTable;
	person_tag: PersonTagTable;
	registration: RegistrationTable;
	coordinator_message: CoordinatorMessageTable;
	club: ClubTable;
	club_tag: ClubTagTable;
	club_member: ClubMemberTable;
	club_invitation: ClubInvitationTable;
	offer: OfferTable;
	offer_tag: OfferTagTable;
	competence: CompetenceTable;
	offer_competence: OfferCompetenceTable;
	stall: StallTable;
	stall_request: StallRequestTable;
	match_setting: MatchSettingTable;
	match_rule: MatchRuleTable;
	match_plan: MatchPlanTable;
	match_slot: MatchSlotTable;
	match_job: MatchJobTable;
	feedback: FeedbackTable;
	lead: LeadTable;
	offer_contact: OfferContactTable;
	task: TaskTable;
	task_tag: TaskTagTable;
	task_competence: TaskCompetenceTable;
	volunteer_record: VolunteerRecordTable;
	alert_subscription: AlertSubscriptionTable;
	alert_sent: AlertSentTable;
}

/** Write functions accept either, so callers can compose them inside one transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

export type MunicipalityRow = Selectable<MunicipalityTable>;
export type NewMunicipality = Insertable<MunicipalityTable>;
export type VenueRow = Selectable<VenueTable>;
export type NewVenue = Insertable<VenueTable>;
export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type NewOutbox = Insertable<OutboxTable>;
export type ClubRow = Selectable<ClubTable>;
export type NewClub = Insertable<ClubTable>;
export type ClubUpdate = Updateable<ClubTable>;
export type OfferRow = Selectable<OfferTable>;
export type NewOffer = Insertable<OfferTable>;
export type OfferUpdate = Updateable<OfferTable>;

/** The one mapper for timestamps read from either database. */
export function toDate(value: Date | string): Date {
	return value instanceof Date ? value : new Date(value);
}

export function toDateOrNull(value: Date | string | null): Date | null {
	return value === null ? null : toDate(value);
}

export type TaskStatus = 'draft' | 'published' | 'cancelled';

export interface TaskTable {
	id: string;
	municipality_id: string;
	club_id: string | null;
	title: string;
	description: ColumnType<string, string | undefined, string>;
	place: ColumnType<string, string | undefined, string>;
	min_age: number | null;
	/** JSON array of language codes. */
	languages: ColumnType<string, string | undefined, string>;
	accessibility: ColumnType<string, string | undefined, string>;
	status: TaskStatus;
	created_by: string | null;
	created_at: Timestamp;
	updated_at: Timestamp;
	/** When it first became public; null while a draft. */
	published_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
}

export interface TaskTagTable {
	task_id: string;
	tag_id: string;
}

export interface TaskCompetenceTable {
	task_id: string;
	competence_id: string;
}
