import { expect, test } from '@playwright/test';
import { cliSignInLink, CLUB_MEMBER, confirmSignInLink, COORDINATOR, expectNoAxeViolations, ORIGIN, withServices } from './helpers';

const MARKET = 'Markt der Möglichkeiten Imst';

/** The demo club (Tarrenzer Tafel) asks for a stall with power, as its member would. */
function requestStallWithPower(): { ok: boolean; problem?: string } {
	return withServices(
		`const user = await users.findUserByEmail(db, input.email);
		const viewer = await users.findSessionUser(db, user.id);
		const club = await db.selectFrom('club').select('id').where('name', '=', 'Tarrenzer Tafel').executeTakeFirstOrThrow();
		const event = await db.selectFrom('event').select('id').where('title', '=', input.market).executeTakeFirstOrThrow();
		return stalls.request(db, viewer, club.id, event.id, { size: 1, needsPower: true, needsAccessible: false, tables: 2, chairs: 4, staff: 'Josef', notes: 'Kühlschrank' }, { origin: '${ORIGIN}' }, now);`,
		{ email: CLUB_MEMBER.email, market: MARKET }
	);
}

test('the coordinator plans the stalls of a market: inventory, requests, assignment by need, hall plan', async ({ page }) => {
	// Booking is closed at first: a request is refused and nothing is written.
	expect(requestStallWithPower()).toEqual({ ok: false, problem: 'booking_closed' });

	await confirmSignInLink(page, cliSignInLink(COORDINATOR.email));
	await page.goto('/de/admin/events');
	await page.getByRole('link', { name: MARKET }).first().click();
	await page.getByRole('link', { name: 'Stände', exact: true }).click();
	await page.waitForLoadState('networkidle');
	await expect(page.getByRole('heading', { level: 1, name: 'Stände und Standanfragen' })).toBeVisible();
	await expect(page.getByText('Noch keine Standanfragen.')).toBeVisible();
	await expectNoAxeViolations(page, 'stalls page, empty');

	// Bad input: nothing is added, the typed values stay.
	await page.getByLabel('Anzahl').fill('0');
	await page.getByLabel('Bereich').fill('Foyer');
	await page.getByRole('button', { name: 'Stände anlegen' }).click();
	await expect(page.getByRole('alert')).toContainText('Bitte geben Sie eine ganze Zahl von 1 bis 200 ein.');
	await expect(page.getByLabel('Bereich')).toHaveValue('Foyer');
	await page.getByLabel('Anzahl').fill('3');
	await page.getByRole('button', { name: 'Stände anlegen' }).click();
	await expect(page.getByRole('status')).toContainText('3 Stände angelegt.');
	// The same numbers again: refused, nothing added.
	await page.getByLabel('Erste Nummer').fill('1');
	await page.getByRole('button', { name: 'Stände anlegen' }).click();
	await expect(page.getByRole('alert')).toContainText('Eine dieser Nummern gibt es schon.');
	await expect(page.getByRole('heading', { name: 'Stände (3)' })).toBeVisible();

	// An announced opening date: refused in the past, then shown to clubs with whom to ask.
	const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
	await page.getByLabel('Standanfragen öffnen am').fill(`${day(-1)}T09:00`);
	await page.getByRole('button', { name: 'Datum speichern' }).click();
	await expect(page.getByRole('alert')).toContainText('Dieser Zeitpunkt ist schon vorbei.');
	await page.getByLabel('Standanfragen öffnen am').fill(`${day(2)}T09:00`);
	await page.getByRole('button', { name: 'Datum speichern' }).click();
	await expect(page.getByRole('status')).toContainText(/Standanfragen öffnen am \d{2}\.\d{2}\.\d{4}, 09:00\./);
	await expect(page.locator('#booking-state')).toContainText('Standanfragen sind geschlossen und öffnen am');
	await expect(page.getByLabel('Standanfragen öffnen am')).toHaveValue(`${day(2)}T09:00`);
	await expectNoAxeViolations(page, 'stalls page with an opening date');
	const waitingContext = await page.context().browser()!.newContext({ locale: 'de-DE' });
	const waiting = await waitingContext.newPage();
	await confirmSignInLink(waiting, cliSignInLink(CLUB_MEMBER.email));
	await waiting.goto('/de/club');
	await waiting.getByRole('link', { name: 'Stände bei Märkten' }).click();
	await expect(waiting.getByText('Gerade nimmt kein Markt Standanfragen an.')).toBeVisible();
	const announced = waiting.getByRole('listitem').filter({ hasText: MARKET });
	await expect(announced).toContainText(/Standanfragen ab \d{2}\.\d{2}\.\d{4}, 09:00\./);
	await expect(announced).toContainText('Fragen beantwortet');
	await expect(announced.getByRole('link', { name: /@/ }).first()).toBeVisible();
	await expectNoAxeViolations(waiting, 'club stalls page, booking closed');
	await waitingContext.close();

	await page.getByRole('button', { name: 'Standanfragen öffnen' }).click();
	await expect(page.getByRole('status')).toContainText('Vereine können jetzt Stände anfragen.');
	// The club asks in its own area.
	const clubContext = await page.context().browser()!.newContext({ locale: 'de-DE' });
	const club = await clubContext.newPage();
	await confirmSignInLink(club, cliSignInLink(CLUB_MEMBER.email));
	await club.goto('/de/club');
	await club.getByRole('link', { name: 'Stände bei Märkten' }).click();
	await club.waitForLoadState('networkidle');
	await expect(club.getByLabel('Markt')).toContainText(MARKET);
	await club.getByLabel('braucht Strom').check();
	await club.getByLabel('Tische').fill('99');
	await club.getByRole('button', { name: 'Stand anfragen' }).click();
	await expect(club.getByRole('alert')).toContainText('Bitte geben Sie eine ganze Zahl von 0 bis 20 ein.');
	await club.getByLabel('Tische').fill('2');
	await club.getByLabel('Wer betreut den Stand?').fill('Josef');
	await club.getByRole('button', { name: 'Stand anfragen' }).click();
	await expect(club.getByRole('status')).toContainText('Ihre Anfrage ist eingegangen.');
	await expect(club.getByText(`${MARKET}: angefragt`)).toBeVisible();
	await expectNoAxeViolations(club, 'club stalls page');
	// A second request for the same market is refused.
	expect(requestStallWithPower()).toEqual({ ok: false, problem: 'already_requested' });

	// No stall has power: the request waits with that reason.
	await page.reload({ waitUntil: 'networkidle' });
	await expect(page.getByRole('rowheader', { name: 'Tarrenzer Tafel' })).toBeVisible();
	await page.getByRole('button', { name: 'Zuteilen' }).click();
	await expect(page.getByRole('status')).toContainText('Tarrenzer Tafel: kein passender Stand frei (kein freier Stand hat Strom)');
	await expectNoAxeViolations(page, 'stalls page with a waiting request');
	const tafelRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Tarrenzer Tafel' }) }).first();
	// Waiting already: no second "put on the waiting list".
	await expect(tafelRow.getByRole('button', { name: 'Zuteilen' })).toBeVisible();
	await expect(tafelRow.getByRole('button', { name: /Warteliste/ })).toHaveCount(0);

	// A stall with power: the waiting club gets it at once.
	await page.getByLabel('Kennbuchstabe').fill('S');
	await page.getByLabel('Erste Nummer').fill('1');
	await page.getByLabel('Anzahl').fill('1');
	await page.getByLabel('Bereich').fill('Bühne');
	await page.getByLabel('mit Stromanschluss').check();
	await page.getByRole('button', { name: 'Stände anlegen' }).click();
	await expect(page.getByRole('status')).toContainText('Ein Stand angelegt.');
	const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Tarrenzer Tafel' }) }).first();
	await expect(row).toContainText('zugeteilt');
	await expect(row).toContainText('S1');
	// Assigned: only a move or a cancellation is offered, and the server refuses the rest.
	await expect(row.getByRole('button', { name: 'Zuteilen' })).toHaveCount(0);
	await expect(row.getByRole('button', { name: /Warteliste/ })).toHaveCount(0);
	await expect(row.getByRole('button', { name: 'Ablehnen' })).toHaveCount(0);
	await expect(row.getByRole('button', { name: 'Stand wechseln' })).toBeVisible();
	await expect(row.getByRole('button', { name: 'Stornieren' })).toBeVisible();
	const requestId = await row.locator('input[name="requestId"]').first().inputValue();
	for (const action of ['approve', 'waitlist', 'reject']) {
		const refused = await page.request.post(`${page.url().split('?')[0]}?/${action}`, {
			form: { requestId, club: 'Tarrenzer Tafel', reason: 'zu spät' },
			headers: { origin: ORIGIN, accept: 'application/json', 'x-sveltekit-action': 'true' }
		});
		expect(await refused.text(), action).toContain('Tarrenzer Tafel hat schon einen Stand.');
	}
	await page.reload();
	await expect(row).toContainText('zugeteilt');
	await expect(row).toContainText('S1');
	await row.getByLabel('Anderer Stand für Tarrenzer Tafel').selectOption({ index: 0 });
	const target = (await row.getByLabel('Anderer Stand für Tarrenzer Tafel').locator('option').first().textContent())!.split(' ')[0]!;
	await row.getByRole('button', { name: 'Stand wechseln' }).click();
	await expect(page.getByRole('status')).toContainText(`Tarrenzer Tafel: jetzt Stand ${target}.`);
	await expect(row).toContainText(target);
	await expectNoAxeViolations(page, 'stalls page with an assigned request');
	// Back to S1, which the rest of the journey expects.
	const moveSelect = row.getByLabel('Anderer Stand für Tarrenzer Tafel');
	await moveSelect.selectOption((await moveSelect.locator('option', { hasText: /^S1 / }).getAttribute('value'))!);
	await row.getByRole('button', { name: 'Stand wechseln' }).click();
	await expect(row).toContainText('S1');

	await page.getByRole('link', { name: 'Hallenplan drucken' }).click();
	await expect(page.getByRole('heading', { level: 1, name: `Hallenplan: ${MARKET}` })).toBeVisible();
	await expect(page.getByRole('row').filter({ hasText: 'S1' }).first()).toContainText('Tarrenzer Tafel');
	await expectNoAxeViolations(page, 'hall plan');

	await club.reload();
	await expect(club.getByText(`${MARKET}: zugeteilt, Stand S1`)).toBeVisible();
	await clubContext.close();
});

test('stall pages are closed to anonymous visitors and club members', async ({ page, request }) => {
	const eventId = withServices<string>(`return (await db.selectFrom('event').select('id').where('title', '=', input.market).executeTakeFirstOrThrow()).id;`, { market: MARKET });
	const anonymous = await request.get(`/de/admin/events/${eventId}/stalls`, { maxRedirects: 0 });
	expect(anonymous.status()).toBe(303);
	await confirmSignInLink(page, cliSignInLink(CLUB_MEMBER.email));
	const member = await page.goto(`/de/admin/events/${eventId}/stalls/plan`);
	expect(member?.status()).toBe(403);
});
