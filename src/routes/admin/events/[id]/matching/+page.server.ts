import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { requireEventManager } from '$lib/server/auth/guards';
import { utcToZoned, zonedToUtc } from '$lib/server/events/recurrence';
import { formValues, parseForm } from '$lib/server/forms';
import * as matching from '$lib/server/matching';
import * as jobs from '$lib/server/matching/jobs';
import * as runtime from '$lib/server/runtime';
import * as tags from '$lib/server/tags';
import * as competences from '$lib/server/competences';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions, PageServerLoad } from './$types';

/** Rows of the draft's assignments per page; the pickers list at most this many matches. */
const PAGE_SIZE = 50;
const PICKER_SIZE = 20;

/** Case-, accent- and spacing-insensitive: "muller" finds "Müller", "tafel" finds "Tarrenzer Tafel". */
function nameMatcher(query: string): (name: string) => boolean {
	const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('de').replaceAll('ß', 'ss').replace(/\s+/g, ' ').trim();
	const needle = fold(query);
	return (name) => fold(name).includes(needle);
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { user, event } = await requireEventManager(locals, url, params.id);
	const preview = await matching.preview(runtime.db(), user, event.id);
	if (!preview.ok) error(403, m.error_403());
	const { settings } = preview;
	const job = await jobs.latestJob(runtime.db(), event.id);

	// Thousands of people: the pickers and the assignments show what the search finds, a page at a time.
	const personQuery = url.searchParams.get('person')?.trim() ?? '';
	const clubQuery = url.searchParams.get('club')?.trim() ?? '';
	const personMatches = nameMatcher(personQuery);
	const clubMatches = nameMatcher(clubQuery);
	const people = personQuery ? preview.people.filter((p) => personMatches(p.name)) : preview.people;
	const clubs = clubQuery ? preview.clubs.filter((c) => clubMatches(c.name)) : preview.clubs;
	const assignments = personQuery ? preview.assignments.filter((a) => personMatches(a.name)) : preview.assignments;
	const pages = Math.max(1, Math.ceil(assignments.length / PAGE_SIZE));
	const page = Math.min(pages, Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '', 10) || 1));
	return {
		// A job under way, or one that ended without a plan today: the coordinator should know.
		job: job && (jobs.isActive(job) || (job.status !== 'done' && Date.now() - (job.finishedAt?.getTime() ?? 0) < 86_400_000)) ? job : null,
		event: { id: event.id, title: event.title, kind: event.kind, timeZone: event.timeZone },
		settings: {
			k: String(settings.k),
			rounds: String(settings.rounds),
			roundMinutes: String(settings.roundMinutes),
			tableSeats: String(settings.tableSeats),
			firstRoundAt: settings.firstRoundAt ? utcToZoned(settings.firstRoundAt, event.timeZone) : ''
		},
		draft: preview.draft,
		published: preview.published,
		counts: { people: preview.people.length, clubs: preview.clubs.length },
		search: { person: personQuery, club: clubQuery },
		// The pickers: nothing to choose from until a name is searched, unless the list is short anyway.
		people: { found: people.length, shown: personQuery || people.length <= PICKER_SIZE ? people.slice(0, PICKER_SIZE) : [] },
		clubs: { found: clubs.length, shown: clubQuery || clubs.length <= PICKER_SIZE ? clubs.slice(0, PICKER_SIZE) : [] },
		noChairs: preview.clubs.filter((c) => c.seatsPerRound === 0).map((c) => c.name),
		rules: preview.rules,
		assignments: { found: assignments.length, page, pages, rows: assignments.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) },
		names: preview.names,
		tags: await tags.list(runtime.db(), getLocale()),
		competences: await competences.choices(runtime.db(), event.hosts.map((h) => h.id), getLocale())
	};
};

const int = (key: keyof typeof matching.LIMITS) => {
	const { min, max } = matching.LIMITS[key];
	const message = () => m.matching_error_out_of_range({ min, max });
	return v.pipe(v.string(), v.trim(), v.regex(/^\d+$/, message), v.transform(Number), v.minValue(min, message), v.maxValue(max, message));
};
const settingsSchema = v.object({
	k: int('k'),
	rounds: int('rounds'),
	roundMinutes: int('roundMinutes'),
	tableSeats: int('tableSeats'),
	firstRoundAt: v.pipe(v.string(), v.trim(), v.regex(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})?$/, () => m.matching_error_invalid_time()))
});

const ruleProblems: Record<string, () => string> = {
	unknown_person: m.matching_error_unknown_person,
	unknown_club: m.matching_error_unknown_club
};

/** How long the run action waits for the job before answering with its progress instead. */
const FINISHED_WITHIN_MS = 3000;

/** Saves the settings on the form, queues the plan, and answers once it is done or clearly under way. */
async function startPlanning({ locals, url, params, request }: Parameters<Actions[string]>[0], mode: 'fresh' | 'update') {
	const manager = await requireEventManager(locals, url, params.id!);
	const form = await request.formData();
	if (form.has('rounds')) {
		const failed = await saveSettingsForm(manager, form);
		if (failed) return failed;
	}
	const requested = await jobs.requestPlan(runtime.db(), manager.user, manager.event.id, mode, new Date());
	if (!requested.ok) {
		if (requested.problem === 'nothing_published') return fail(400, { action: 'run', errors: { rounds: m.matching_error_no_draft() } as Record<string, string>, values: formValues(form, Object.keys(settingsSchema.entries)) });
		error(403, m.error_403());
	}
	if (requested.joined) return { action: 'run', notice: m.matching_job_joined({ name: requested.job.requestedBy ?? '–' }) };
	runtime.wakePlanner();
	// A small plan is ready within a moment: then the answer shows it, as if planned in the request.
	const job = await jobs.waitForJob(runtime.db(), requested.job.id, FINISHED_WITHIN_MS);
	const figures = job?.status === 'done' && job.planId ? await matching.planFigures(runtime.db(), job.planId) : null;
	if (!figures) return { action: 'run', notice: m.matching_job_running_notice() };
	const { slots, unplaced, rounds } = figures;
	return { action: 'run', notice: `${m.matching_ran({ slots, unplaced: unplaced.length })} ${m.matching_ran_rounds({ rounds })}` };
}

type Manager = Awaited<ReturnType<typeof requireEventManager>>;

/** Saves the settings form; a `fail` to return when it does not validate or save. */
async function saveSettingsForm({ user, event }: Manager, form: FormData) {
	const values = formValues(form, Object.keys(settingsSchema.entries));
	const parsed = parseForm(settingsSchema, form);
	if (!parsed.ok) return fail(400, { action: 'settings', errors: parsed.errors, values });
	const d = parsed.data;
	const firstRoundAt = d.firstRoundAt ? zonedToUtc(d.firstRoundAt, event.timeZone) : null;
	if (d.firstRoundAt && !firstRoundAt) return fail(400, { action: 'settings', errors: { firstRoundAt: m.matching_error_invalid_time() } as Record<string, string>, values });
	const result = await matching.saveSettings(runtime.db(), user, event.id, { k: d.k, rounds: d.rounds, roundMinutes: d.roundMinutes, tableSeats: d.tableSeats, firstRoundAt }, new Date());
	if (result.ok) return null;
	const message = result.problem === 'outside_event' ? m.matching_error_outside_event() : result.problem === 'out_of_range' ? m.matching_error_out_of_range({ min: 1, max: 120 }) : m.error_403();
	return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'settings', errors: { [result.problem === 'outside_event' ? 'firstRoundAt' : 'rounds']: message } as Record<string, string>, values });
}

export const actions: Actions = {
	settings: async ({ locals, url, params, request }) => {
		const manager = await requireEventManager(locals, url, params.id);
		const failed = await saveSettingsForm(manager, await request.formData());
		if (failed) return failed;
		return { action: 'settings', notice: m.matching_settings_saved() };
	},
	/** The run button belongs to the settings form: what the coordinator sees is saved, then used. */
	run: async (event) => startPlanning(event, 'fresh'),
	/** Re-plans the published plan with as few changes as possible. */
	update: async (event) => startPlanning(event, 'update'),
	cancel: async ({ locals, url, params }) => {
		const { user, event } = await requireEventManager(locals, url, params.id);
		const result = await jobs.cancelPlan(runtime.db(), user, event.id, new Date());
		if (!result.ok) error(403, m.error_403());
		return { action: 'cancel', notice: result.cancelled ? m.matching_job_cancel_requested() : m.matching_job_nothing_to_cancel() };
	},
	rule: async ({ locals, url, params, request }) => {
		const { user, event } = await requireEventManager(locals, url, params.id);
		const form = await request.formData();
		const personId = String(form.get('personId') ?? '');
		const clubId = String(form.get('clubId') ?? '');
		const kind = String(form.get('kind') ?? '');
		const remove = form.get('remove') === 'true';
		if (!remove && kind !== 'pin' && kind !== 'ban') return fail(400, { action: 'rule', errors: { kind: m.error_choose_one() } as Record<string, string>, values: { personId, clubId, kind } });
		const result = await matching.setRule(runtime.db(), user, event.id, personId, clubId, remove ? null : (kind as 'pin' | 'ban'), new Date());
		if (!result.ok) {
			const message = ruleProblems[result.problem]?.() ?? m.error_403();
			return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'rule', errors: { [result.problem === 'unknown_club' ? 'clubId' : 'personId']: message } as Record<string, string>, values: { personId, clubId, kind } });
		}
		if (remove) return { action: 'rule', notice: m.matching_rule_removed() };
		return { action: 'rule', notice: m.matching_rule_saved({ person: result.person, club: result.club }) };
	},
	publish: async ({ locals, url, params, request }) => {
		const { user, event } = await requireEventManager(locals, url, params.id);
		if ((await request.formData()).get('confirm') !== 'on') return fail(400, { action: 'publish', errors: { confirm: m.matching_publish_needs_confirm() } as Record<string, string> });
		const result = await matching.publish(runtime.db(), user, event.id, runtime.links(), new Date());
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { action: 'publish', errors: { confirm: result.problem === 'no_draft' ? m.matching_error_no_draft() : m.error_403() } as Record<string, string> });
		const clubs = result.clubsNotified > 0 ? ` ${m.matching_published_clubs({ count: result.clubsNotified })}` : '';
		return { action: 'publish', notice: `${m.matching_published({ count: result.notified })}${clubs}` };
	}
};
