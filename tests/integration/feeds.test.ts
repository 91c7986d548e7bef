import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser } from '../../src/lib/server/auth/users';
import { calendar } from '../../src/lib/server/calendar';
import * as feeds from '../../src/lib/server/calendar/feeds';
import { inviteAttachment } from '../../src/lib/server/calendar/invites';
import * as events from '../../src/lib/server/events';
import * as changes from '../../src/lib/server/events/changes';
import * as municipalities from '../../src/lib/server/municipalities';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const REGION = 'Region Imst';
const t0 = new Date('2027-03-01T09:00:00.000Z');
const hours = (n: number) => new Date(t0.getTime() + n * 3600_000);

function parse(text: string) {
	const component = new ICAL.Component(ICAL.parse(text));
	const vevents = component.getAllSubcomponents('vevent');
	const byUid = new Map(vevents.map((v) => [String(v.getFirstPropertyValue('uid')), v]));
	return {
		component,
		vevents,
		uids: vevents.map((v) => String(v.getFirstPropertyValue('uid'))),
		byUid,
		zones: component.getAllSubcomponents('vtimezone').map((z) => String(z.getFirstPropertyValue('tzid')))
	};
}

describe('If-None-Match', () => {
	const etag = 'W/"abc123"';
	it('compares weakly, reads lists and the wildcard', () => {
		expect(feeds.matchesIfNoneMatch('W/"abc123"', etag)).toBe(true);
		expect(feeds.matchesIfNoneMatch('"abc123"', etag)).toBe(true);
		expect(feeds.matchesIfNoneMatch('"other", W/"abc123"', etag)).toBe(true);
		expect(feeds.matchesIfNoneMatch('"oth,er",W/"abc123"', etag)).toBe(true);
		expect(feeds.matchesIfNoneMatch('*', etag)).toBe(true);
		expect(feeds.matchesIfNoneMatch('"other"', etag)).toBe(false);
		expect(feeds.matchesIfNoneMatch('"abc1234"', etag)).toBe(false);
		expect(feeds.matchesIfNoneMatch('abc123', etag)).toBe(false);
		expect(feeds.matchesIfNoneMatch('', etag)).toBe(false);
		expect(feeds.matchesIfNoneMatch(null, etag)).toBe(false);
	});
});

describe('feed addresses and documents', () => {
	it('gives the https URL and the same URL as webcal://', () => {
		expect(feeds.links('https://x.example', { kind: 'municipality', slug: 'imst' })).toEqual({
			https: 'https://x.example/calendar/municipalities/imst.ics',
			webcal: 'webcal://x.example/calendar/municipalities/imst.ics'
		});
		expect(feeds.links('http://127.0.0.1:4173', { kind: 'region' }).webcal).toBe('webcal://127.0.0.1:4173/calendar/region.ics');
	});

	it('writes a VTIMEZONE for every zone, DTSTAMP in UTC, and an escaped name', () => {
		const base = { sequence: 0, description: '', location: '', url: 'https://x.example', cancelled: false, stamp: t0 };
		const text = calendar(
			[
				{ ...base, uid: 'a@x', title: 'Wien', startsAt: new Date('2027-04-08T16:00:00Z'), endsAt: new Date('2027-04-08T18:00:00Z'), timeZone: 'Europe/Vienna' },
				{ ...base, uid: 'b@x', title: 'Berlin', startsAt: new Date('2027-11-04T18:00:00Z'), endsAt: new Date('2027-11-04T20:00:00Z'), timeZone: 'Europe/Berlin' }
			],
			{ method: 'PUBLISH', name: 'Imst, Tarrenz; und\nUmgebung' }
		);
		const { component, byUid, zones } = parse(text);
		expect(zones.sort()).toEqual(['Europe/Berlin', 'Europe/Vienna']);
		expect(String(byUid.get('b@x')!.getFirstPropertyValue('dtstart'))).toBe('2027-11-04T19:00:00');
		expect(String(byUid.get('a@x')!.getFirstPropertyValue('dtstamp'))).toBe('2027-03-01T09:00:00Z');
		expect(text).toContain('X-WR-CALNAME:Imst\\, Tarrenz\\; und Umgebung\r\n');
		expect(component.getFirstPropertyValue('method')).toBe('PUBLISH');
	});
});

describe.each(dialects)('calendar feeds on %s', (dialect) => {
	let test: TestDatabase;
	let actor: string;
	let seriesId: string;
	let seriesDates: string[];
	const ids: Record<'imstOnly' | 'tarrenzOnly' | 'draft' | 'lindau' | 'recent' | 'old', string> = {
		imstOnly: '', tarrenzOnly: '', draft: '', lindau: '', recent: '', old: ''
	};
	let draftSeriesId: string;
	let venueId: string;

	async function create(input: Partial<events.EventInput> & { hostIds: string[]; firstStartLocal: string; rrule?: string }) {
		const created = await events.create(
			test.db,
			{
				kind: 'round_table', title: 'Runde', description: 'Mit Getränken.', venueId: null, capacity: 20,
				timeZone: 'Europe/Vienna', durationMinutes: 120, status: 'published',
				registrationOpensDaysBefore: null, registrationClosesHoursBefore: null,
				...input, rrule: input.rrule ?? null
			},
			actor, ctx.origin, t0
		);
		if (!created.ok) throw new Error(`not created: ${created.problem}`);
		return created;
	}

	const uidsOf = async (eventIds: string[]) => Promise.all(eventIds.map(async (id) => (await events.get(test.db, id))!.icalUid));

	async function feedText(ref: feeds.FeedRef, now = t0) {
		const feed = await feeds.find(test.db, ref, REGION);
		if (!feed) throw new Error('no feed');
		return feeds.render(test.db, feed, ctx.origin, now);
	}

	async function etag(ref: feeds.FeedRef, now = t0) {
		const feed = await feeds.find(test.db, ref, REGION);
		if (!feed) throw new Error('no feed');
		return feeds.version(test.db, feed, ctx.origin, now);
	}

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		const imst = await municipalities.create(test.db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		const tarrenz = await municipalities.create(test.db, { name: 'Tarrenz', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		const lindau = await municipalities.create(test.db, { name: 'Lindau', country: 'DE', timeZone: 'Europe/Berlin' }, t0);
		venueId = (
			await municipalities.createVenue(
				test.db,
				{ municipalityId: imst.id, name: 'Stadtsaal Imst', street: 'Stadtplatz 1', postalCode: '6460', city: 'Imst', capacity: 200, accessibilityNotes: '' },
				t0
			)
		).id;
		actor = (await ensureUser(test.db, { email: 'k@imst.example', name: 'K' }, t0)).id;

		const series = await create({
			title: 'Gesprächsrunde Imst–Tarrenz', hostIds: [imst.id, tarrenz.id], venueId, durationMinutes: 150,
			firstStartLocal: '2027-04-08T18:00', rrule: 'FREQ=MONTHLY;COUNT=3'
		});
		seriesId = series.seriesId!;
		seriesDates = series.eventIds;
		ids.imstOnly = (await create({ title: 'Markt Imst', hostIds: [imst.id], firstStartLocal: '2027-05-20T10:00' })).eventIds[0]!;
		ids.tarrenzOnly = (await create({ title: 'Ankommen in Tarrenz', hostIds: [tarrenz.id], firstStartLocal: '2027-06-01T19:00' })).eventIds[0]!;
		ids.draft = (await create({ title: 'Entwurf', hostIds: [imst.id], status: 'draft', firstStartLocal: '2027-04-20T18:00' })).eventIds[0]!;
		ids.lindau = (await create({ title: 'Lindau', hostIds: [lindau.id], timeZone: 'Europe/Berlin', firstStartLocal: '2027-07-01T19:00' })).eventIds[0]!;
		// 45 days before t0: inside the 90-day window; 151 days before: outside.
		ids.recent = (await create({ title: 'Neulich', hostIds: [imst.id], firstStartLocal: '2027-01-15T18:00' })).eventIds[0]!;
		ids.old = (await create({ title: 'Längst vorbei', hostIds: [imst.id], firstStartLocal: '2026-10-01T18:00' })).eventIds[0]!;
		draftSeriesId = (await create({ title: 'Geheime Reihe', hostIds: [imst.id], status: 'draft', firstStartLocal: '2027-04-01T18:00', rrule: 'FREQ=MONTHLY;COUNT=2' })).seriesId!;
	});
	afterAll(() => test.destroy());

	it('publishes a series with the invite UIDs, stable across fetches, at 18:00 Europe/Vienna', async () => {
		expect(seriesDates).toHaveLength(3);
		const first = await feedText({ kind: 'series', id: seriesId });
		const second = await feedText({ kind: 'series', id: seriesId });
		expect(second).toBe(first);

		const { component, vevents, uids, zones } = parse(first);
		expect(component.getFirstPropertyValue('method')).toBe('PUBLISH');
		expect(component.getFirstPropertyValue('x-wr-calname')).toBe('Gesprächsrunde Imst–Tarrenz');
		expect(String(component.getFirstPropertyValue('refresh-interval'))).toBe('PT1H');
		expect(component.getFirstPropertyValue('x-published-ttl')).toBe('PT1H');
		expect(zones).toEqual(['Europe/Vienna']);
		expect(uids).toEqual(await uidsOf(seriesDates));

		const event = (await events.get(test.db, seriesDates[0]!))!;
		const invite = inviteAttachment(event, { name: 'Anna', email: 'anna@example.org' }, 'REQUEST', { origin: ctx.origin, manageUrl: `${ctx.origin}/manage/x` });
		expect(parse(invite.content).uids).toEqual([uids[0]]);

		const start = vevents[0]!.getFirstProperty('dtstart')!;
		expect(start.getParameter('tzid')).toBe('Europe/Vienna');
		expect(String(start.getFirstValue())).toBe('2027-04-08T18:00:00');
		expect(String(vevents[0]!.getFirstPropertyValue('dtend'))).toBe('2027-04-08T20:30:00');
		expect(vevents[0]!.getFirstPropertyValue('status')).toBe('CONFIRMED');
		expect(vevents[0]!.getFirstPropertyValue('sequence')).toBe(0);
		expect(vevents[0]!.getFirstPropertyValue('location')).toBe('Stadtsaal Imst, Stadtplatz 1, 6460 Imst');
		expect(vevents[0]!.getFirstPropertyValue('url')).toBe(`${ctx.origin}/events/${seriesDates[0]}`);
		expect(String(vevents[0]!.getFirstPropertyValue('dtstamp'))).toBe('2027-03-01T09:00:00Z');
	});

	it('puts every public date of the region in the region feed: no drafts, nothing older than 90 days', async () => {
		const { uids, byUid, zones, component } = parse(await feedText({ kind: 'region' }));
		expect(component.getFirstPropertyValue('x-wr-calname')).toBe(`Miteinander – ${REGION}`);
		expect(new Set(uids)).toEqual(new Set(await uidsOf([...seriesDates, ids.imstOnly, ids.tarrenzOnly, ids.lindau, ids.recent])));
		expect(uids).toHaveLength(7);
		const hidden = await uidsOf([ids.draft, ids.old]);
		expect(uids.filter((uid) => hidden.includes(uid))).toEqual([]);
		expect(zones.sort()).toEqual(['Europe/Berlin', 'Europe/Vienna']);
		const lindau = byUid.get((await uidsOf([ids.lindau]))[0]!)!.getFirstProperty('dtstart')!;
		expect(lindau.getParameter('tzid')).toBe('Europe/Berlin');
		expect(String(lindau.getFirstValue())).toBe('2027-07-01T19:00:00');
	});

	it('puts co-hosted dates in each host municipality feed and nothing of other municipalities', async () => {
		const tarrenz = parse(await feedText({ kind: 'municipality', slug: 'tarrenz' }));
		expect(tarrenz.component.getFirstPropertyValue('x-wr-calname')).toBe('Miteinander – Tarrenz');
		expect(new Set(tarrenz.uids)).toEqual(new Set(await uidsOf([...seriesDates, ids.tarrenzOnly])));
		expect(tarrenz.uids).toHaveLength(4);
		const imst = parse(await feedText({ kind: 'municipality', slug: 'imst' }));
		expect(new Set(imst.uids)).toEqual(new Set(await uidsOf([...seriesDates, ids.imstOnly, ids.recent])));
		expect(imst.uids).toHaveLength(5);
		const lindau = parse(await feedText({ kind: 'municipality', slug: 'lindau' }));
		expect(lindau.uids).toEqual(await uidsOf([ids.lindau]));
	});

	it('has no feed for unknown municipalities and series, nor for a series of drafts only', async () => {
		expect(await feeds.find(test.db, { kind: 'municipality', slug: 'reutte' }, REGION)).toBeNull();
		expect(await feeds.find(test.db, { kind: 'series', id: 'nosuchseries' }, REGION)).toBeNull();
		expect(await feeds.find(test.db, { kind: 'series', id: draftSeriesId }, REGION)).toBeNull();
		expect(await feeds.serve(test.db, { kind: 'series', id: draftSeriesId }, { origin: ctx.origin, regionName: REGION, ifNoneMatch: null, now: t0 })).toBeNull();
		expect(await feeds.find(test.db, { kind: 'series', id: seriesId }, REGION)).not.toBeNull();
	});

	it('keeps the ETag while nothing changes and changes it when a date is moved, cancelled, edited or published', async () => {
		const series = { kind: 'series', id: seriesId } as const;
		const lindau = { kind: 'municipality', slug: 'lindau' } as const;
		const region = { kind: 'region' } as const;
		const before = { series: await etag(series), lindau: await etag(lindau), region: await etag(region) };
		expect(before.series).toMatch(/^W\/"[0-9a-f]{32}"$/);
		expect(await etag(series)).toBe(before.series);
		expect(await etag(series, hours(5))).toBe(before.series);
		expect(new Set(Object.values(before)).size).toBe(3);

		const moved = seriesDates[1]!;
		const edit = (over: Partial<changes.EventChanges>): changes.EventChanges => ({
			title: 'Gesprächsrunde Imst–Tarrenz', description: 'Mit Getränken.', startLocal: '2027-05-08T18:00', durationMinutes: 150,
			venueId, capacity: 20, status: 'published', ...over
		});
		expect(await changes.update(test.db, moved, edit({ startLocal: '2027-05-09T18:00' }), actor, ctx, hours(1))).toMatchObject({ ok: true, moved: true });
		const afterMove = await etag(series);
		expect(afterMove).not.toBe(before.series);
		expect(await etag(region)).not.toBe(before.region);
		expect(await etag(lindau)).toBe(before.lindau);
		const movedEntry = parse(await feedText(series)).byUid.get((await uidsOf([moved]))[0]!)!;
		expect(String(movedEntry.getFirstPropertyValue('dtstart'))).toBe('2027-05-09T18:00:00');
		expect(movedEntry.getFirstPropertyValue('sequence')).toBe(1);

		const cancelled = seriesDates[2]!;
		expect(await changes.cancel(test.db, cancelled, actor, ctx, hours(2))).toMatchObject({ ok: true });
		const afterCancel = await etag(series);
		expect(afterCancel).not.toBe(afterMove);
		const { uids, byUid } = parse(await feedText(series));
		expect(uids).toEqual(await uidsOf(seriesDates));
		const cancelledEntry = byUid.get((await uidsOf([cancelled]))[0]!)!;
		expect(cancelledEntry.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(cancelledEntry.getFirstPropertyValue('sequence')).toBe((await events.get(test.db, cancelled))!.icalSequence);
		expect(cancelledEntry.getFirstPropertyValue('sequence')).toBe(1);

		// A new title moves nothing (same SEQUENCE) but changes the document.
		expect(await changes.update(test.db, moved, edit({ startLocal: '2027-05-09T18:00', title: 'Gesprächsrunde im Mai' }), actor, ctx, hours(3))).toMatchObject({ ok: true, moved: false });
		const afterEdit = await etag(series);
		expect(afterEdit).not.toBe(afterCancel);
		expect(parse(await feedText(series)).byUid.get((await uidsOf([moved]))[0]!)!.getFirstPropertyValue('summary')).toBe('Gesprächsrunde im Mai');

		const regionBeforePublish = await etag(region);
		expect(
			await changes.update(test.db, ids.draft, { title: 'Entwurf', description: 'Mit Getränken.', startLocal: '2027-04-20T18:00', durationMinutes: 120, venueId: null, capacity: 20, status: 'published' }, actor, ctx, hours(4))
		).toMatchObject({ ok: true });
		expect(await etag(region)).not.toBe(regionBeforePublish);
		expect(parse(await feedText(region)).uids).toContain((await uidsOf([ids.draft]))[0]);
	});

	it('changes the ETag when the window moves on to the next day', async () => {
		const region = { kind: 'region' } as const;
		expect(await etag(region, hours(1))).toBe(await etag(region, hours(10)));
		expect(await etag(region, hours(24))).not.toBe(await etag(region, hours(10)));
	});

	it('changes the ETag when a venue used by the feed is renamed or moves, and shows the new place', async () => {
		const series = { kind: 'series', id: seriesId } as const;
		const lindau = { kind: 'municipality', slug: 'lindau' } as const;
		const before = { series: await etag(series), lindau: await etag(lindau) };
		await test.db.updateTable('venue').set({ name: 'Kulturzentrum Imst' }).where('id', '=', venueId).execute();
		const renamed = await etag(series);
		expect(renamed).not.toBe(before.series);
		expect(await etag(lindau)).toBe(before.lindau);
		const location = (text: string) => String(parse(text).byUid.get(parse(text).uids[0]!)!.getFirstPropertyValue('location'));
		expect(location(await feedText(series))).toBe('Kulturzentrum Imst, Stadtplatz 1, 6460 Imst');

		await test.db.updateTable('venue').set({ street: 'Johannesplatz 4' }).where('id', '=', venueId).execute();
		expect(await etag(series)).not.toBe(renamed);
		expect(location(await feedText(series))).toBe('Kulturzentrum Imst, Johannesplatz 4, 6460 Imst');
		expect(await etag(series)).toBe(await etag(series));
	});

	it('answers 304 to a matching If-None-Match and the full calendar otherwise', async () => {
		const serve = (ifNoneMatch: string | null) =>
			feeds.serve(test.db, { kind: 'municipality', slug: 'tarrenz' }, { origin: ctx.origin, regionName: REGION, ifNoneMatch, now: t0 });
		const full = (await serve(null))!;
		expect(full.status).toBe(200);
		expect(full.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		expect(full.headers.get('cache-control')).toBe(`public, max-age=${feeds.MAX_AGE_SECONDS}`);
		const tag = full.headers.get('etag')!;
		expect(tag).toMatch(/^W\/"[0-9a-f]{32}"$/);
		expect(parse(await full.text()).uids).toContain((await uidsOf([ids.tarrenzOnly]))[0]);

		for (const header of [tag, tag.slice(2), `"stale", ${tag}`, '*']) {
			const cached = (await serve(header))!;
			expect(cached.status, header).toBe(304);
			expect(cached.headers.get('etag')).toBe(tag);
			expect(cached.headers.get('cache-control')).toBe(`public, max-age=${feeds.MAX_AGE_SECONDS}`);
			expect(await cached.text()).toBe('');
		}
		const stale = (await serve('W/"0123456789abcdef0123456789abcdef"'))!;
		expect(stale.status).toBe(200);
		expect(stale.headers.get('etag')).toBe(tag);
	});
});
