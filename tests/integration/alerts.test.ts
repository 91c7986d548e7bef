import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { connect } from '../../src/lib/server/db/connect';
import type { Database } from '../../src/lib/server/db/schema';
import { ensureUser, findSessionUser, type SessionUser } from '../../src/lib/server/auth/users';
import * as alerts from '../../src/lib/server/alerts';
import * as clubs from '../../src/lib/server/clubs';
import * as offers from '../../src/lib/server/clubs/offers';
import * as municipalities from '../../src/lib/server/municipalities';
import * as registrations from '../../src/lib/server/registrations';
import * as tasks from '../../src/lib/server/tasks';
import { smtpTransport } from '../../src/lib/server/mail/transport';
import { deliverDue } from '../../src/lib/server/mail/worker';
import { generateId } from '../../src/lib/server/ids';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { offerInput } from './fixtures';
import { startSmtp } from './smtp';

const ctx = { origin: 'https://miteinander.example', secret: 'test-secret', confirmHours: 48 };
const t0 = new Date('2027-03-01T09:00:00.000Z');
const at = (hours: number) => new Date(t0.getTime() + hours * 3600_000);
const DAY = 24;

describe.each(dialects)('alerts on %s', (dialect) => {
	let test: TestDatabase;
	let db: Kysely<Database>;
	let admin: SessionUser;

	/** Each test gets its own municipality and club: subscriptions and offers of others never mix in. */
	async function place(name: string) {
		const municipality = await municipalities.create(db, { name, country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		const key = name.toLowerCase();
		const registered = await clubs.register(
			db,
			{ name: `Verein ${name}`, description: '', contactEmail: `verein@${key}.example`, contactPhone: '', website: '', tags: ['sport'], municipalityId: municipality.id, logo: null, representative: { email: `vorstand@${key}.example`, name: 'Vorstand', locale: 'de' } },
			ctx,
			t0
		);
		if (!registered.ok) throw new Error(registered.problem);
		expect(await clubs.approve(db, admin, registered.clubId, ctx, t0)).toEqual({ ok: true });
		const member = (await findSessionUser(db, registered.adminUserId))!;
		const publish = async (title: string, when: Date, over: Partial<offers.OfferInput> = {}) => {
			const created = await offers.create(db, member, registered.clubId, { ...offerInput({ title, tags: ['sport'], ...over }), status: 'published' }, when);
			if (!created.ok) throw new Error(created.problem);
			return created.offerId;
		};
		const publishTask = async (title: string, when: Date, over: Partial<tasks.TaskInput> = {}, starts: Date[] = [at(10 * DAY)]) => {
			const created = await tasks.create(
				db,
				member,
				{ clubId: registered.clubId },
				{ title, description: '', place: name, minAge: null, languages: ['de'], accessibility: '', tags: ['sport'], competences: [], ...over, status: 'draft' },
				starts.map((startsAt) => ({ startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3600_000), places: 3 })),
				ctx.origin,
				when
			);
			if (!created.ok) throw new Error(created.problem);
			expect(await tasks.publish(db, member, created.id, when)).toEqual({ ok: true, id: created.id });
			return created.id;
		};
		return { municipalityId: municipality.id, publish, publishTask };
	}

	async function person(email: string, profile: { interests?: string[]; languages?: string[] } = { interests: ['sport'] }) {
		const id = generateId();
		await db
			.insertInto('person')
			.values({ id, email, name: email.split('@')[0]!, locale: 'de', profile: JSON.stringify({ residency: 'resident', languages: ['de'], ...profile }), consent_introductions: 0, created_at: t0.toISOString(), updated_at: t0.toISOString() })
			.execute();
		return id;
	}

	async function confirmToken(email: string): Promise<string> {
		const mail = await db.selectFrom('outbox').select('text_body').where('recipient', '=', email).where('template', '=', 'alert-confirm-request').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
		return /\/alerts\/confirm\/([a-z2-7]{24}\.[a-z2-7]{24})/.exec(mail.text_body)![1]!;
	}

	async function subscribed(email: string, municipalityId: string, when: Date, frequency: 'weekly' | 'daily' = 'weekly', profile?: Parameters<typeof person>[1]) {
		const personId = await person(email, profile);
		expect(await alerts.subscribe(db, { personId, municipalityId, frequency, locale: 'de' }, ctx, when)).toEqual({ ok: true, state: 'confirm_sent' });
		expect(await alerts.confirm(db, await confirmToken(email), when)).toEqual({ ok: true, frequency });
		return personId;
	}

	const digests = (email: string) =>
		db.selectFrom('outbox').select(['subject', 'text_body', 'headers', 'idempotency_key']).where('recipient', '=', email).where('template', '=', 'alert-digest').orderBy('created_at').execute();

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = test.db;
		const { id } = await ensureUser(db, { email: 'admin@miteinander.example', name: 'Admin', isPlatformAdmin: true }, t0);
		admin = (await findSessionUser(db, id))!;
	});

	afterAll(async () => {
		await test?.destroy();
	});

	it('asks for confirmation first (double opt-in) and only then sends offers published after it', async () => {
		const { municipalityId, publish } = await place('Imst');
		const email = 'anna@example.org';
		const noProfile = await person('leer@example.org', { interests: [] });
		expect(await alerts.subscribe(db, { personId: noProfile, municipalityId, frequency: 'weekly', locale: 'de' }, ctx, t0)).toEqual({ ok: false, problem: 'no_profile' });

		const personId = await person(email);
		expect(await alerts.subscribe(db, { personId, municipalityId, frequency: 'weekly', locale: 'de' }, ctx, t0)).toEqual({ ok: true, state: 'confirm_sent' });
		const token = await confirmToken(email);
		await publish('Training leiten', at(1));
		expect(await alerts.runDue(db, ctx, at(2))).toEqual({ digests: 0, items: 0 });
		expect(await digests(email)).toHaveLength(0);

		const [id] = token.split('.');
		expect(await alerts.confirm(db, `${id}.${'a'.repeat(24)}`, at(3))).toEqual({ ok: false, problem: 'invalid' });
		expect(await alerts.confirm(db, token, at(3))).toEqual({ ok: true, frequency: 'weekly' });
		// Opening the link again still says yes.
		expect(await alerts.confirm(db, token, at(4))).toEqual({ ok: true, frequency: 'weekly' });
		expect(await alerts.findForPerson(db, personId)).toEqual({ frequency: 'weekly', municipalityId, confirmed: true });

		// Published before the confirmation: not news to this person.
		expect(await alerts.runDue(db, ctx, at(5))).toEqual({ digests: 0, items: 0 });
		await publish('Kinderturnen begleiten', at(6));
		expect(await alerts.runDue(db, ctx, at(7))).toEqual({ digests: 1, items: 1 });
		const [digest] = await digests(email);
		expect(digest!.subject).toBe('Ein neues Angebot in Imst, das zu Ihnen passt');
		expect(digest!.text_body).toContain('„Kinderturnen begleiten“ – Verein Imst');
		expect(digest!.text_body).not.toContain('Training leiten');
		expect(digest!.text_body).toContain('https://miteinander.example/de/clubs/');
	});

	it('an unconfirmed request runs out and goes', async () => {
		const { municipalityId } = await place('Wenns');
		const personId = await person('spaet@example.org');
		await alerts.subscribe(db, { personId, municipalityId, frequency: 'weekly', locale: 'de' }, ctx, t0);
		const token = await confirmToken('spaet@example.org');
		expect(await alerts.confirm(db, token, at(49))).toEqual({ ok: false, problem: 'expired' });
		expect(await alerts.deleteExpired(db, at(49))).toBeGreaterThanOrEqual(1);
		expect(await alerts.findForPerson(db, personId)).toBeNull();
	});

	it('sends each offer exactly once, also when two workers run at the same moment', async () => {
		const { municipalityId, publish } = await place('Tarrenz');
		const emails = ['berta@example.org', 'carl@example.org', 'dora@example.org'];
		for (const email of emails) await subscribed(email, municipalityId, t0);
		await publish('Platzwart am Samstag', at(1));
		await publish('Jugendtraining', at(2));

		// On PostgreSQL a second connection is a second app instance. SQLite serves one process: a
		// second connection in this one would block the thread in its busy wait.
		const other = dialect === 'postgres' ? connect(test.settings).db : db;
		try {
			const runs = await Promise.all([alerts.runDue(db, ctx, at(3)), alerts.runDue(other, ctx, at(3)), alerts.runDue(db, ctx, at(3))]);
			expect(runs.reduce((sum, r) => sum + r.digests, 0)).toBe(3);
			expect(runs.reduce((sum, r) => sum + r.items, 0)).toBe(6);
		} finally {
			if (other !== db) await other.destroy();
		}
		for (const email of emails) {
			const sent = await digests(email);
			expect(sent).toHaveLength(1);
			expect(sent[0]!.subject).toBe('2 neue Angebote in Tarrenz, die zu Ihnen passen');
		}
		// Long after, with nothing new: no second digest.
		expect(await alerts.runDue(db, ctx, at(10 * DAY))).toEqual({ digests: 0, items: 0 });
		const sentRows = await db.selectFrom('alert_sent').select('item_id').where('person_id', 'in', db.selectFrom('alert_subscription').select('person_id').where('municipality_id', '=', municipalityId)).execute();
		expect(sentRows).toHaveLength(6);
	});

	it('waits a week after a digest (or a day when asked) and then sends only what is new', async () => {
		const { municipalityId, publish } = await place('Nassereith');
		await subscribed('weekly@example.org', municipalityId, t0, 'weekly');
		await subscribed('daily@example.org', municipalityId, t0, 'daily');
		await publish('Erstes Angebot', at(1));
		expect(await alerts.runDue(db, ctx, at(2))).toEqual({ digests: 2, items: 2 });

		await publish('Zweites Angebot', at(3));
		expect(await alerts.runDue(db, ctx, at(4))).toEqual({ digests: 0, items: 0 });
		// A day later the daily one hears of it, the weekly one not yet.
		expect(await alerts.runDue(db, ctx, at(2 + DAY))).toEqual({ digests: 1, items: 1 });
		expect(await digests('daily@example.org')).toHaveLength(2);
		expect(await alerts.runDue(db, ctx, at(6 * DAY))).toEqual({ digests: 0, items: 0 });
		expect(await alerts.runDue(db, ctx, at(2 + 7 * DAY))).toEqual({ digests: 1, items: 1 });
		const weekly = await digests('weekly@example.org');
		expect(weekly).toHaveLength(2);
		expect(weekly[1]!.text_body).toContain('Zweites Angebot');
		expect(weekly[1]!.text_body).not.toContain('Erstes Angebot');
	});

	it('tells only of offers that fit: a shared interest and no hard mismatch', async () => {
		const { municipalityId, publish } = await place('Karres');
		await subscribed('sportlich@example.org', municipalityId, t0, 'weekly', { interests: ['sport'], languages: ['de'] });
		await publish('Lauftreff begleiten', at(1), { tags: ['sport'], languages: ['de'] });
		await publish('Chorprobe vorbereiten', at(1), { tags: ['kultur'], languages: ['de'] });
		await publish('Fußball auf Türkisch', at(1), { tags: ['sport'], languages: ['tr'] });
		expect(await alerts.runDue(db, ctx, at(2))).toEqual({ digests: 1, items: 1 });
		const [digest] = await digests('sportlich@example.org');
		expect(digest!.text_body).toContain('Lauftreff begleiten');
		expect(digest!.text_body).toContain('Sport und Bewegung');
		expect(digest!.text_body).not.toContain('Chorprobe');
		expect(digest!.text_body).not.toContain('Türkisch');
	});

	it('tells of new fitting Einsätze with their next shift and a link to sign up, each exactly once', async () => {
		const { municipalityId, publish, publishTask } = await place('Jerzens');
		const email = 'einsatz@example.org';
		const personId = await subscribed(email, municipalityId, t0, 'daily', { interests: ['sport'], languages: ['de'] });
		const before = await publishTask('Schon vorher veröffentlicht', new Date(t0.getTime() - 3600_000));
		const fitting = await publishTask('Sportfest betreuen', at(1), { tags: ['sport'] }, [new Date('2027-03-13T09:00:00.000Z'), new Date('2027-03-20T09:00:00.000Z')]);
		await publishTask('Sportfest auf Ukrainisch', at(1), { tags: ['sport'], languages: ['uk'] });
		await publishTask('Chor begleiten', at(1), { tags: ['kultur'] });
		await publishTask('Schon vorbei', at(1), { tags: ['sport'] }, [at(2)]);
		await publish('Lauftreff begleiten', at(1));

		// On PostgreSQL a second connection is a second app instance.
		const other = dialect === 'postgres' ? connect(test.settings).db : db;
		try {
			const runs = await Promise.all([alerts.runDue(db, ctx, at(3)), alerts.runDue(other, ctx, at(3))]);
			expect(runs.reduce((sum, r) => sum + r.digests, 0)).toBe(1);
			expect(runs.reduce((sum, r) => sum + r.items, 0)).toBe(2);
		} finally {
			if (other !== db) await other.destroy();
		}
		const [digest] = await digests(email);
		expect(digest!.subject).toBe('2 neue Angebote und Einsätze in Jerzens, die zu Ihnen passen');
		expect(digest!.text_body).toContain('Sportfest betreuen');
		expect(digest!.text_body).toContain('Lauftreff begleiten');
		expect(digest!.text_body).toContain(`https://miteinander.example/de/einsaetze/${fitting}`);
		expect(digest!.text_body).toContain('Einsatz – nächste Schicht: 13.03.2027, 10:00');
		expect(digest!.text_body).toContain('Verein Jerzens');
		for (const left of ['Schon vorher', 'Ukrainisch', 'Chor begleiten', 'Schon vorbei']) expect(digest!.text_body).not.toContain(left);
		const sent = await db.selectFrom('alert_sent').select(['item_kind', 'item_id']).where('person_id', '=', personId).where('item_kind', '=', 'task').execute();
		expect(sent).toEqual([{ item_kind: 'task', item_id: fitting }]);
		expect(sent.map((s) => s.item_id)).not.toContain(before);

		// Days later, with a new shift added and the Einsatz edited: not again.
		expect(await alerts.runDue(db, ctx, at(3 * DAY))).toEqual({ digests: 0, items: 0 });
		expect(await digests(email)).toHaveLength(1);
		expect((await alerts.exportFor(db, personId)).tasksSent).toEqual([{ task: 'Sportfest betreuen', sentAt: at(3).toISOString() }]);
	});

	it('counts an offer of a club approved later as new from the approval', async () => {
		const { municipalityId } = await place('Imsterberg');
		await subscribed('spaeter@example.org', municipalityId, t0);
		const registered = await clubs.register(
			db,
			{ name: 'Neuer Verein', description: '', contactEmail: 'neu@verein.example', contactPhone: '', website: '', tags: ['sport'], municipalityId, logo: null, representative: { email: 'vorstand@neu.example', name: 'Vorstand', locale: 'de' } },
			ctx,
			at(1)
		);
		if (!registered.ok) throw new Error(registered.problem);
		const member = (await findSessionUser(db, registered.adminUserId))!;
		const created = await offers.create(db, member, registered.clubId, { ...offerInput({ title: 'Vor der Freigabe veröffentlicht', tags: ['sport'] }), status: 'published' }, at(2));
		if (!created.ok) throw new Error(created.problem);
		// Not public yet: nothing to tell.
		expect(await alerts.runDue(db, ctx, at(3))).toEqual({ digests: 0, items: 0 });
		expect(await clubs.approve(db, admin, registered.clubId, ctx, at(4))).toEqual({ ok: true });
		expect(await alerts.runDue(db, ctx, at(5))).toEqual({ digests: 1, items: 1 });
		expect((await digests('spaeter@example.org'))[0]!.text_body).toContain('Vor der Freigabe veröffentlicht');
	});

	it('unsubscribes with the one-click link of the digest; a forged link does nothing', async () => {
		const { municipalityId, publish } = await place('Roppen');
		const email = 'genug@example.org';
		const personId = await subscribed(email, municipalityId, t0);
		await publish('Vereinsheim putzen', at(1));
		await alerts.runDue(db, ctx, at(2));
		const [digest] = await digests(email);
		const link = (JSON.parse(digest!.headers!) as { listUnsubscribe: string }).listUnsubscribe;
		expect(digest!.text_body).toContain(link);
		const token = /\/alerts\/unsubscribe\/([a-z2-7.]+)$/.exec(link)![1]!;
		const forged = `${token.split('.')[0]}.${'b'.repeat(24)}`;
		expect(await alerts.findByUnsubscribeToken(db, forged)).toBeNull();
		expect(await alerts.unsubscribe(db, forged)).toBe(false);
		expect(await alerts.findByUnsubscribeToken(db, token)).toEqual({ id: token.split('.')[0], email });

		// The digest was sent; the next one is waiting for its week.
		await db.updateTable('outbox').set({ status: 'sent' }).where('recipient', '=', email).execute();
		await publish('Noch ein Angebot', at(3));
		const due = at(2 + 7 * DAY);
		expect(await alerts.runDue(db, ctx, due)).toEqual({ digests: 1, items: 1 });
		await publish('Und noch eines', at(4));
		expect(await alerts.unsubscribe(db, token)).toBe(true);
		expect(await alerts.findForPerson(db, personId)).toBeNull();
		expect(await alerts.unsubscribe(db, token)).toBe(false);
		// The digest not yet sent is dropped, and no further one is built.
		expect(await digests(email)).toHaveLength(1);
		expect(await alerts.runDue(db, ctx, at(30 * DAY))).toEqual({ digests: 0, items: 0 });
		expect(await digests(email)).toHaveLength(1);
	});

	it('anonymising a person ends their alerts and drops a digest not yet sent', async () => {
		const { municipalityId, publish } = await place('Mils');
		const email = 'weg@example.org';
		const personId = await subscribed(email, municipalityId, t0);
		await publish('Flohmarkt aufbauen', at(1));
		await alerts.runDue(db, ctx, at(2));
		expect(await digests(email)).toHaveLength(1);
		// The person's data download names the subscription and what was sent.
		const exported = await alerts.exportFor(db, personId);
		expect(exported.subscription).toMatchObject({ frequency: 'weekly', confirmedAt: t0.toISOString(), lastDigestAt: at(2).toISOString() });
		expect(exported.offersSent).toEqual([{ offer: 'Flohmarkt aufbauen', sentAt: at(2).toISOString() }]);
		await registrations.anonymisePerson(db, personId, ctx, at(3));
		expect(await alerts.findForPerson(db, personId)).toBeNull();
		expect(await db.selectFrom('alert_sent').select('item_id').where('person_id', '=', personId).execute()).toHaveLength(0);
		expect(await digests(email)).toHaveLength(0);
		expect(await alerts.exportFor(db, personId)).toEqual({ subscription: null, offersSent: [], tasksSent: [] });
	});

	it('delivers the digest through SMTP with List-Unsubscribe and one-click headers (RFC 8058)', async () => {
		const { municipalityId, publish } = await place('Arzl');
		const email = 'smtp@example.org';
		await subscribed(email, municipalityId, t0);
		await publish('Hüttendienst', at(1));
		await alerts.runDue(db, ctx, at(2));
		const smtp = await startSmtp();
		const transport = smtpTransport(smtp.url);
		try {
			await db.updateTable('outbox').set({ status: 'sent' }).where((eb) => eb.or([eb('recipient', '!=', email), eb('template', '!=', 'alert-digest')])).where('status', '=', 'pending').execute();
			const report = await deliverDue(db, { transport, from: 'Miteinander <noreply@miteinander.example>', owner: 'alerts-test', maxAttempts: 3, now: at(2) });
			expect(report.sent).toBe(1);
			const mail = smtp.received.find((m) => m.subject === 'Ein neues Angebot in Arzl, das zu Ihnen passt')!;
			expect(mail).toBeDefined();
			// mailparser gathers List-* headers under "list".
			const list = mail.headers.get('list') as Record<string, Record<string, string>>;
			expect(list['unsubscribe-post']?.name).toBe('List-Unsubscribe=One-Click');
			expect(JSON.stringify(list.unsubscribe)).toMatch(/https:\/\/miteinander\.example\/de\/alerts\/unsubscribe\/[a-z2-7]{24}\.[a-z2-7]{24}/);
			expect(mail.text).toContain('Hüttendienst');
		} finally {
			await transport.close();
			await smtp.close();
		}
	});
});
