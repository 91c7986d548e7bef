import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { simpleParser, type ParsedMail } from 'mailparser';

/** Must match ORIGIN in playwright.config.ts. */
export const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`;
/**
 * The e2e server's database, as playwright.config.ts passes it: empty is SQLite in .e2e-data, a
 * postgres:// URL runs the server on PostgreSQL (scripts/e2e-postgres.js). CLI runs and snippets use it.
 */
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? '';
/** Must match DATA_DIR in playwright.config.ts (relative to the repository root). */
export const MAIL_DIR = path.resolve(import.meta.dirname, '../../.e2e-data/mail');

// Seeded demo accounts (SEED_DEMO). Sign-in requests are limited to 5 per address per 15 minutes
// (SIGN_IN_LIMIT_PER_EMAIL) and every run starts a fresh server, so the whole suite may request at
// most 5 links per account. Currently: coordinator 4 (sign-in.test.ts 3, accessibility.test.ts 1),
// club member 4 (sign-in.test.ts 2, roles.test.ts 1, no-javascript.test.ts 1).
export const COORDINATOR = { email: 'koordination@imst.example', name: 'Maria Koordinatorin' };
export const CLUB_MEMBER = { email: 'verein@tarrenz.example', name: 'Josef Vereinsmitglied' };

/** The outbox detail page shows stored mail HTML in this sandboxed iframe. */
const MAIL_FRAME = 'iframe.mail';

/** WCAG A/AA rules only, without axe's page-structure best practices. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function axeViolations(page: Page, exclude: string[], tags?: string[]) {
	let builder = new AxeBuilder({ page });
	for (const selector of exclude) builder = builder.exclude(selector);
	if (tags) builder = builder.withTags(tags);
	const results = await builder.analyze();
	return results.violations.map((v) => ({
		id: v.id,
		impact: v.impact,
		help: v.help,
		targets: v.nodes.map((n) => n.target.join(' ')),
		summary: v.nodes[0]?.failureSummary
	}));
}

function expectNone(report: Awaited<ReturnType<typeof axeViolations>>, label: string) {
	if (report.length > 0) console.log(`axe violations on ${label}:\n${JSON.stringify(report, null, 2)}`);
	expect(report, `axe violations on ${label}`).toEqual([]);
}

/**
 * Runs axe-core on the current page (all default rules) and fails with a readable list
 * of every violation, its impact and the offending elements.
 *
 * `excludeMailFrame`: axe cannot inject itself into an iframe with `sandbox=""` (no scripts), and
 * @axe-core/playwright then hangs until the test times out. Pages showing mail HTML exclude that
 * frame; check its HTML with `expectNoAxeViolationsInHtml`.
 */
export async function expectNoAxeViolations(
	page: Page,
	label?: string,
	options: { excludeMailFrame?: boolean } = {}
): Promise<void> {
	expectNone(await axeViolations(page, options.excludeMailFrame ? [MAIL_FRAME] : []), label ?? page.url());
}

/**
 * Runs axe-core on a standalone HTML document (a mail's HTML part) in a scratch page. Mail is not a
 * web page: landmarks and a level-one heading (best-practice rules) don't apply, WCAG A/AA does.
 */
export async function expectNoAxeViolationsInHtml(page: Page, html: string, label: string): Promise<void> {
	const scratch = await page.context().newPage();
	try {
		await scratch.setContent(html);
		expectNone(await axeViolations(scratch, [], WCAG_TAGS), label);
	} finally {
		await scratch.close();
	}
}

export interface WrittenMail {
	file: string;
	parsed: ParsedMail;
}

async function mailFiles(): Promise<string[]> {
	try {
		return (await fs.readdir(MAIL_DIR)).filter((f) => f.endsWith('.eml'));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
}

function recipients(mail: ParsedMail): string[] {
	const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
	return to.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}

/** Every written mail to `recipient`, newest first (file names start with the write time). */
export async function mailsTo(recipient: string): Promise<WrittenMail[]> {
	const found: WrittenMail[] = [];
	for (const file of (await mailFiles()).sort().reverse()) {
		const parsed = await simpleParser(await fs.readFile(path.join(MAIL_DIR, file)));
		if (recipients(parsed).includes(recipient.toLowerCase())) found.push({ file, parsed });
	}
	return found;
}

/** Names of the mail files already written, to tell a new mail from older ones. */
export async function snapshotMail(): Promise<Set<string>> {
	return new Set(await mailFiles());
}

/** Recipients of every mail written since `before`, lower-cased. */
export async function newMailRecipients(before: Set<string>): Promise<string[]> {
	const files = (await mailFiles()).filter((file) => !before.has(file));
	const parsed = await Promise.all(files.map(async (file) => simpleParser(await fs.readFile(path.join(MAIL_DIR, file)))));
	return parsed.flatMap(recipients);
}

/** Waits until the outbox worker has written a new mail to `recipient` (one not in `before`). */
export async function waitForNewMail(recipient: string, before: Set<string>, timeoutMs = 10_000): Promise<WrittenMail> {
	let mail: WrittenMail | undefined;
	await expect
		.poll(
			async () => {
				mail = (await mailsTo(recipient)).find((m) => !before.has(m.file));
				return mail !== undefined;
			},
			{ message: `a new mail to ${recipient} in ${MAIL_DIR}`, timeout: timeoutMs, intervals: [100, 200, 300] }
		)
		.toBe(true);
	return mail!;
}

/** The sign-in link from a mail's (quoted-printable decoded) text part. */
export function signInLinkFrom(mail: WrittenMail): string {
	const match = /https?:\/\/\S+\/sign-in\/link\?token=\S+/.exec(mail.parsed.text ?? '');
	expect(match, `sign-in link in the text of ${mail.file}`).not.toBeNull();
	return match![0];
}

/**
 * Fills and submits the sign-in form on the page that is currently open (any /de/sign-in URL)
 * and waits for the neutral confirmation.
 */
export async function submitSignInForm(page: Page, email: string): Promise<void> {
	await page.getByLabel('E-Mail-Adresse').fill(email);
	await page.getByRole('button', { name: 'Login-Link senden' }).click();
	await expect(page.getByRole('heading', { name: 'Bitte sehen Sie in Ihr Postfach' })).toBeVisible();
}

/** Requests a sign-in link on /de/sign-in (or the given sign-in URL) and returns the mailed link. */
export async function requestSignInLink(page: Page, email: string, signInUrl = '/de/sign-in'): Promise<string> {
	const before = await snapshotMail();
	await page.goto(signInUrl, { waitUntil: 'networkidle' });
	await submitSignInForm(page, email);
	return signInLinkFrom(await waitForNewMail(email, before));
}

/** Opens a mailed sign-in link and confirms it with "Jetzt anmelden". */
export async function confirmSignInLink(page: Page, link: string): Promise<void> {
	await page.goto(link);
	await expect(page).toHaveURL(/\/de\/sign-in\/link\?token=/);
	await page.getByRole('button', { name: 'Jetzt einloggen' }).click();
	await expect(page).not.toHaveURL(/\/sign-in\/link/);
}

/** The whole sign-in: request the link, read it from the written mail, confirm it. */
export async function signIn(page: Page, email: string): Promise<string> {
	const link = await requestSignInLink(page, email);
	await confirmSignInLink(page, link);
	return link;
}

/**
 * A sign-in link from the admin CLI (`npm run admin -- sign-in-link`), written straight into the
 * e2e server's database: for journeys that must not spend the per-address mail limit.
 */
export function cliSignInLink(email: string): string {
	const output = execFileSync('npx', ['tsx', 'scripts/admin.ts', 'sign-in-link', '--email', email], {
		cwd: path.resolve(import.meta.dirname, '../..'),
		env: { ...process.env, DATABASE_URL: E2E_DATABASE_URL, DATA_DIR: '.e2e-data', DATABASE_PATH: '', ORIGIN },
		encoding: 'utf8'
	});
	const match = /https?:\/\/\S+\/sign-in\/link\?token=\S+/.exec(output);
	expect(match, `sign-in link in CLI output: ${output}`).not.toBeNull();
	return match![0];
}

/**
 * Runs `body` against the e2e server's database through the services, as the admin CLI does
 * (cliSignInLink): for setting up what another journey covers (e.g. a club's request) without
 * typing it in again. `db`, `input`, `clubs`, `stalls`, `users` and `now` are in scope.
 */
export function withServices<T>(body: string, input: unknown): T {
	const script = `
		import { connect } from './src/lib/server/db/connect';
		import { env } from './src/lib/server/env';
		import * as clubs from './src/lib/server/clubs';
		import * as stalls from './src/lib/server/stalls';
		import * as users from './src/lib/server/auth/users';
		(async () => {
			const input = JSON.parse(process.env.E2E_INPUT);
			const now = new Date();
			const config = env();
			const { db } = connect({ databaseUrl: config.databaseUrl, sqlitePath: config.databasePath });
			try {
				const result = await (async () => { ${body} })();
				console.log('E2E_RESULT ' + JSON.stringify(result));
			} finally {
				await db.destroy();
			}
		})();`;
	const output = execFileSync('npx', ['tsx', '--eval', script], {
		cwd: path.resolve(import.meta.dirname, '../..'),
		env: { ...process.env, DATABASE_URL: E2E_DATABASE_URL, DATA_DIR: '.e2e-data', DATABASE_PATH: '', ORIGIN, E2E_INPUT: JSON.stringify(input) },
		encoding: 'utf8'
	});
	const line = output.split('\n').find((l) => l.startsWith('E2E_RESULT '));
	expect(line, `result line in: ${output}`).toBeDefined();
	return JSON.parse(line!.slice('E2E_RESULT '.length)) as T;
}

/** Takes an event set up with `withServices` out again, with its people, mail and answers. */
export function deleteEventWithPeople(eventId: string): void {
	withServices(
		`await db.deleteFrom('lead').where('event_id', '=', input.eventId).execute();
		await db.deleteFrom('feedback').where('event_id', '=', input.eventId).execute();
		await db.deleteFrom('outbox').where('event_id', '=', input.eventId).execute();
		const people = await db.selectFrom('registration').select('person_id').where('event_id', '=', input.eventId).execute();
		await db.deleteFrom('registration').where('event_id', '=', input.eventId).execute();
		if (people.length > 0) await db.deleteFrom('person').where('id', 'in', people.map((p) => p.person_id)).execute();
		await db.deleteFrom('stall_request').where('event_id', '=', input.eventId).execute();
		await db.deleteFrom('audit_log').where('entity_id', '=', input.eventId).execute();
		await db.deleteFrom('event_host').where('event_id', '=', input.eventId).execute();
		await db.deleteFrom('event').where('id', '=', input.eventId).execute();
		return true;`,
		{ eventId }
	);
}

/**
 * Opens a folded part of a form (a <details> whose summary starts with `summary`, e.g. the
 * registration form's "Was interessiert Sie?") unless it is open already.
 */
export async function unfold(page: Page, summary: string): Promise<void> {
	const toggle = page.locator('summary').filter({ hasText: summary }).first();
	// An attribute read, not evaluate(): it works with JavaScript turned off too.
	if ((await toggle.locator('xpath=..').getAttribute('open')) === null) await toggle.click();
}

/** Gives the demo person's attended registration a manage link (demo participants have none) and returns its token. */
export function manageTokenOf(name: string): string {
	return withServices<string>(
		`
		const { appSecret } = await import('./src/lib/server/runtime');
		const { manageSecret } = await import('./src/lib/server/registrations/links');
		const { sha256Hex } = await import('./src/lib/server/ids');
		const row = await db.selectFrom('registration').innerJoin('person', 'person.id', 'registration.person_id')
			.select('registration.id').where('person.name', '=', input.name).where('registration.status', '=', 'attended').executeTakeFirstOrThrow();
		const secret = manageSecret(appSecret(), row.id);
		await db.updateTable('registration').set({ manage_secret_hash: sha256Hex(secret) }).where('id', '=', row.id).execute();
		return row.id + '.' + secret;`,
		{ name }
	);
}
