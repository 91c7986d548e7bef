import fs from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { simpleParser, type ParsedMail } from 'mailparser';

/** Must match DATA_DIR in playwright.config.ts (relative to the repository root). */
export const MAIL_DIR = path.resolve(import.meta.dirname, '../../.e2e-data/mail');

export const COORDINATOR = { email: 'koordination@imst.example', name: 'Maria Koordinatorin' };
export const CLUB_MEMBER = { email: 'verein@tarrenz.example', name: 'Josef Vereinsmitglied' };

/**
 * Runs axe-core on the current page (all default rules) and fails with a readable list
 * of every violation, its impact and the offending elements.
 */
export async function expectNoAxeViolations(page: Page, label?: string): Promise<void> {
	const results = await new AxeBuilder({ page }).analyze();
	const report = results.violations.map((v) => ({
		id: v.id,
		impact: v.impact,
		help: v.help,
		targets: v.nodes.map((n) => n.target.join(' ')),
		summary: v.nodes[0]?.failureSummary
	}));
	if (report.length > 0) {
		console.log(`axe violations on ${label ?? page.url()}:\n${JSON.stringify(report, null, 2)}`);
	}
	expect(report, `axe violations on ${label ?? page.url()}`).toEqual([]);
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
	await page.getByRole('button', { name: 'Anmeldelink senden' }).click();
	await expect(page.getByRole('heading', { name: 'Bitte sehen Sie in Ihr Postfach' })).toBeVisible();
}

/** Requests a sign-in link on /de/sign-in (or the given sign-in URL) and returns the mailed link. */
export async function requestSignInLink(page: Page, email: string, signInUrl = '/de/sign-in'): Promise<string> {
	const before = await snapshotMail();
	await page.goto(signInUrl);
	await submitSignInForm(page, email);
	return signInLinkFrom(await waitForNewMail(email, before));
}

/** Opens a mailed sign-in link and confirms it with "Jetzt anmelden". */
export async function confirmSignInLink(page: Page, link: string): Promise<void> {
	await page.goto(link);
	await expect(page).toHaveURL(/\/de\/sign-in\/link\?token=/);
	await page.getByRole('button', { name: 'Jetzt anmelden' }).click();
	await expect(page).not.toHaveURL(/\/sign-in\/link/);
}

/** The whole sign-in: request the link, read it from the written mail, confirm it. */
export async function signIn(page: Page, email: string): Promise<string> {
	const link = await requestSignInLink(page, email);
	await confirmSignInLink(page, link);
	return link;
}
