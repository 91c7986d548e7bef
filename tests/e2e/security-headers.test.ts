import { expect, test, type Page } from '@playwright/test';
import { cliSignInLink, confirmSignInLink, COORDINATOR, manageTokenOf, snapshotMail, waitForNewMail } from './helpers';

// Issue 18: the Content-Security-Policy (kit.csp, hashes), Permissions-Policy and framing headers,
// and pages that work under them: Chromium reports no violation on the pages with forms, enhanced
// forms, the language switch, QR codes, JSON-LD, the printed record and the mail previews.

const MARKET = 'Markt der Möglichkeiten Imst';

/**
 * Collects what Chromium says about the policies: `securitypolicyviolation` events (in every
 * frame the init script runs in) and console messages about them (also from sandboxed frames,
 * where no script runs).
 */
function watchPolicies(page: Page): () => Promise<string[]> {
	const messages: string[] = [];
	page.on('console', (message) => {
		if (/Content Security Policy|Content-Security-Policy|Permissions-Policy|Permissions policy/i.test(message.text())) messages.push(`${message.type()}: ${message.text()}`);
	});
	void page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) => {
			const seen = ((window as unknown as { cspViolations?: string[] }).cspViolations ??= []);
			seen.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${location.pathname}`);
		});
	});
	return async () => {
		const inPage = await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);
		return [...messages, ...inPage];
	};
}

/** Checks that nothing was blocked so far (each caller has waited for what it needed to see). */
async function expectClean(page: Page, violations: () => Promise<string[]>, label: string) {
	// 'load', not 'networkidle': once, on a busy machine, the outbox message page never went idle.
	await page.waitForLoadState('load');
	expect(await violations(), `policy violations up to ${label}`).toEqual([]);
}

test.describe('security headers', () => {
	test('pages carry the policy: hashes for scripts, no framing, no plugins, forms only to this site', async ({ request }) => {
		// A page with JavaScript (the home page has none: it is server-rendered only).
		const response = await request.get('/de/sign-in');
		expect(response.status()).toBe(200);
		const headers = response.headers();
		const csp = Object.fromEntries(
			headers['content-security-policy']!.split(';').map((d) => {
				const [name, ...values] = d.trim().split(/\s+/);
				return [name!, values];
			})
		);
		expect(csp['default-src']).toEqual(["'self'"]);
		expect(csp['script-src']![0]).toBe("'self'");
		// Kit's inline start-up script is allowed by its hash, nothing else inline.
		expect(csp['script-src']!.slice(1).length).toBeGreaterThan(0);
		for (const source of csp['script-src']!.slice(1)) expect(source).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
		expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(csp['frame-ancestors']).toEqual(["'none'"]);
		expect(csp['object-src']).toEqual(["'none'"]);
		expect(csp['base-uri']).toEqual(["'self'"]);
		expect(csp['form-action']).toEqual(["'self'"]);
		expect(csp['img-src']).toEqual(["'self'", 'data:']);
		expect(headers).toMatchObject({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' });
		expect(headers['permissions-policy']).toContain('camera=()');
		expect(headers['permissions-policy']).toContain('microphone=()');
		expect(headers['permissions-policy']).toContain('geolocation=()');

		// A public page's render is kept for a second and served again with its headers: the hashes
		// fit the same HTML, where a nonce would have been shared by everyone in that second.
		const first = await request.get('/de/einsaetze');
		const again = await request.get('/de/einsaetze');
		expect(again.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
		expect(again.headers()['content-security-policy']).toBe(first.headers()['content-security-policy']);
	});

	test('every response names its request; a sane incoming id is kept, anything else replaced', async ({ request }) => {
		const own = (await request.get('/de/clubs')).headers()['x-request-id'];
		expect(own).toMatch(/^[0-9a-f-]{36}$/);
		const passed = await request.get('/healthz', { headers: { 'x-request-id': 'proxy-7f3a.42' } });
		expect(passed.headers()['x-request-id']).toBe('proxy-7f3a.42');
		const odd = await request.get('/healthz', { headers: { 'x-request-id': 'a b"c' } });
		expect(odd.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
	});

	test('a resident registers, confirms, switches language and prints a record without a violation', async ({ page }) => {
		const violations = watchPolicies(page);
		await page.goto('/de/', { waitUntil: 'networkidle' });
		await expectClean(page, violations, 'home');
		await page.getByRole('link', { name: MARKET }).first().click();
		await expect(page.getByRole('heading', { level: 1, name: MARKET })).toBeVisible();
		// Structured data is a data block, which script-src does not govern: present, and no violation.
		expect(await page.locator('script[type="application/ld+json"]').count()).toBeGreaterThan(0);
		await expectClean(page, violations, 'event page');

		// The registration form, enhanced.
		const email = 'csp-test@example.org';
		const before = await snapshotMail();
		await page.getByLabel('Ihr Name').fill('Clara Sicher');
		await page.getByLabel('E-Mail-Adresse').fill(email);
		await page.getByLabel(/Datenschutzhinweise gelesen/).check();
		await page.getByRole('button', { name: 'Teilnehmen' }).click();
		await expect(page.getByRole('heading', { name: 'Fast geschafft!' })).toBeVisible();
		await expectClean(page, violations, 'registration sent');
		const confirmMail = await waitForNewMail(email, before);
		const beforeConfirm = await snapshotMail();
		await page.goto(/https?:\/\/\S+\/confirm\/\S+/.exec(confirmMail.parsed.text ?? '')![0]);
		await page.getByRole('button', { name: 'Jetzt bestätigen' }).click();
		// The check-in QR code is a data: image.
		await expect(page.getByRole('img', { name: /QR-Code für den Einlass/ })).toBeVisible();
		expect(await page.getByRole('img', { name: /QR-Code für den Einlass/ }).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
		await expectClean(page, violations, 'confirmed');
		const confirmation = await waitForNewMail(email, beforeConfirm);
		await page.goto(/https?:\/\/\S+\/manage\/[a-z2-7.]+/.exec(confirmation.parsed.text ?? '')![0]);
		await expect(page.getByRole('img', { name: /QR-Code für den Einlass/ })).toBeVisible();
		await expectClean(page, violations, 'manage page');

		// The language switch (a link through /language, which sets the one cookie).
		await page.goto('/de/clubs', { waitUntil: 'networkidle' });
		await page.getByRole('banner').getByRole('list', { name: 'Sprache' }).filter({ visible: true }).getByRole('link', { name: 'English' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await page.getByRole('link', { name: 'Tarrenzer Tafel' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Tarrenzer Tafel' })).toBeVisible();
		await expectClean(page, violations, 'club page in English');
		await page.goto('/de/einsaetze', { waitUntil: 'networkidle' });
		await expectClean(page, violations, 'Einsätze');

		// The printed record: created with a form, shown with a QR code.
		const token = manageTokenOf('Sophie Lang');
		await page.goto(`/de/manage/${token}/nachweis`, { waitUntil: 'networkidle' });
		await page.getByRole('button', { name: 'Nachweis erstellen' }).click();
		await expect(page.getByRole('status')).toContainText('Ihr Nachweis ist erstellt.');
		await page.getByRole('link', { name: /^Nachweis vom .* öffnen und drucken$/ }).click();
		await expect(page.getByRole('img', { name: 'QR-Code mit dem Prüflink dieses Nachweises' })).toBeVisible();
		await page.emulateMedia({ media: 'print' });
		await expectClean(page, violations, 'printed record');
	});

	test('the back office under the policy: outbox with its state and mail preview, check-in, message preview', async ({ page }) => {
		const violations = watchPolicies(page);
		await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
		await page.goto('/de/admin', { waitUntil: 'networkidle' });
		await expectClean(page, violations, 'admin home');

		await page.goto('/de/admin/outbox', { waitUntil: 'networkidle' });
		const state = page.getByRole('region', { name: 'Zustand des Systems' });
		await expect(state.getByText('Datenbank', { exact: true })).toBeVisible();
		await expect(state.getByText('erreichbar', { exact: true })).toBeVisible();
		await expect(state.getByText('Mailversand', { exact: true })).toBeVisible();
		// The e2e server writes mail to files, which always works.
		await expect(state.getByText('läuft', { exact: true })).toBeVisible();
		await expectClean(page, violations, 'outbox');
		await page.locator('table a').first().click();
		// Mail HTML is styled inline; the preview frame inherits the page's policy, which allows that.
		const body = page.frameLocator('iframe.mail').locator('body');
		await expect(body).toBeVisible();
		expect(await body.evaluate((element) => getComputedStyle(element).lineHeight)).not.toBe('normal');
		await expectClean(page, violations, 'outbox message');

		await page.goto('/de/');
		await page.getByRole('link', { name: MARKET }).first().click();
		const eventPath = `/de/admin/events/${/\/events\/([a-z2-7]{24})/.exec(page.url())![1]}`;
		await page.goto(`${eventPath}/registrations`, { waitUntil: 'networkidle' });
		await expectClean(page, violations, 'registrations');
		await page.goto(`${eventPath}/check-in`, { waitUntil: 'networkidle' });
		await expectClean(page, violations, 'check-in');
		await page.goto(`${eventPath}/message`, { waitUntil: 'networkidle' });
		await page.getByLabel('Betreff (Deutsch)').fill('Hinweis');
		await page.getByLabel('Text (Deutsch)').fill('Liebe Gäste,\n\nbis bald.');
		await page.getByRole('button', { name: 'Vorschau anzeigen' }).click();
		await expect(page.frameLocator('iframe.mail').first().getByText('bis bald.')).toBeVisible();
		await expectClean(page, violations, 'message preview');
	});
});
