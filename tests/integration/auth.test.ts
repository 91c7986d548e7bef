import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginToken, checkLoginToken, redeemLoginToken, LOGIN_TOKEN_LIFETIME_MS } from '../../src/lib/server/auth/login-token';
import { createSession, invalidateUserSessions, SESSION_LIFETIME_MS, validateSessionToken } from '../../src/lib/server/auth/session';
import { landingPath, listWorkplaces } from '../../src/lib/server/auth/landing';
import { requestSignInLink } from '../../src/lib/server/auth/sign-in';
import { addCoordinator, ensureUser, findSessionUser, isCoordinator } from '../../src/lib/server/auth/users';
import { toDate } from '../../src/lib/server/db/schema';
import { sha256Hex } from '../../src/lib/server/ids';
import * as clubs from '../../src/lib/server/clubs';
import * as municipalities from '../../src/lib/server/municipalities';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const DAY = 24 * 60 * 60 * 1000;
const limits = { perEmail: 3, perIp: 5, windowMs: 15 * 60_000 };

describe.each(dialects)('accounts and sessions on %s', (dialect) => {
	let test: TestDatabase;
	let userId: string;
	const t0 = new Date('2026-11-23T09:00:00.000Z');

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		userId = (await ensureUser(test.db, { email: 'Koordination@Imst.example ', name: 'Maria' }, t0)).id;
	});
	afterAll(() => test.destroy());

	it('stores emails normalised and knows roles', async () => {
		const user = await findSessionUser(test.db, userId);
		expect(user?.email).toBe('koordination@imst.example');
		expect(isCoordinator(user)).toBe(false);
		const imst = await municipalities.create(test.db, { name: 'Imst', country: 'AT', timeZone: 'Europe/Vienna' }, t0);
		await addCoordinator(test.db, userId, imst.id, t0);
		await addCoordinator(test.db, userId, imst.id, t0); // idempotent
		const again = await findSessionUser(test.db, userId);
		expect(again?.municipalityIds).toEqual([imst.id]);
		expect(isCoordinator(again)).toBe(true);
	});

	it('sign-in links are single use, expire after 15 minutes and store only a hash', async () => {
		const token = await createLoginToken(test.db, userId, t0);
		const [id, secret] = token.split('.');
		const row = await test.db.selectFrom('login_token').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
		expect(row.secret_hash).toBe(sha256Hex(secret!));
		expect(JSON.stringify(row)).not.toContain(secret!);

		expect(await checkLoginToken(test.db, token, t0)).toEqual({ ok: true, userId });
		const late = new Date(t0.getTime() + LOGIN_TOKEN_LIFETIME_MS);
		expect(await redeemLoginToken(test.db, token, late)).toEqual({ ok: false, problem: 'expired' });

		const fresh = await createLoginToken(test.db, userId, t0);
		expect(await redeemLoginToken(test.db, fresh, t0)).toEqual({ ok: true, userId });
		expect(await redeemLoginToken(test.db, fresh, t0)).toEqual({ ok: false, problem: 'used' });
	});

	it('rejects forged links: wrong secret, unknown id, garbage', async () => {
		const token = await createLoginToken(test.db, userId, t0);
		const [id] = token.split('.');
		expect(await redeemLoginToken(test.db, `${id}.${'a'.repeat(24)}`, t0)).toEqual({ ok: false, problem: 'invalid' });
		expect(await redeemLoginToken(test.db, `${'b'.repeat(24)}.${'a'.repeat(24)}`, t0)).toEqual({ ok: false, problem: 'invalid' });
		expect(await redeemLoginToken(test.db, "' or 1=1 --", t0)).toEqual({ ok: false, problem: 'invalid' });
		// The forged attempts did not spend the real token.
		expect(await redeemLoginToken(test.db, token, t0)).toEqual({ ok: true, userId });
	});

	it('of many concurrent redemptions of one link exactly one succeeds', async () => {
		const token = await createLoginToken(test.db, userId, t0);
		const results = await Promise.all(Array.from({ length: 10 }, () => redeemLoginToken(test.db, token, t0)));
		expect(results.filter((r) => r.ok)).toHaveLength(1);
	});

	it('sessions validate, slide their expiry and end everywhere', async () => {
		const { token, session } = await createSession(test.db, userId, t0);
		expect(session.expiresAt.getTime() - t0.getTime()).toBe(SESSION_LIFETIME_MS);
		const stored = await test.db.selectFrom('session').selectAll().where('id', '=', session.id).executeTakeFirstOrThrow();
		expect(stored.secret_hash).not.toBe(token.split('.')[1]);

		const day1 = await validateSessionToken(test.db, token, new Date(t0.getTime() + DAY));
		expect(day1?.user.id).toBe(userId);
		expect(day1?.session.expiresAt.getTime()).toBe(session.expiresAt.getTime()); // not yet renewed

		const day20 = new Date(t0.getTime() + 20 * DAY);
		const renewed = await validateSessionToken(test.db, token, day20);
		expect(renewed?.session.expiresAt.getTime()).toBe(day20.getTime() + SESSION_LIFETIME_MS);
		const row = await test.db.selectFrom('session').select('expires_at').where('id', '=', session.id).executeTakeFirstOrThrow();
		expect(toDate(row.expires_at).getTime()).toBe(day20.getTime() + SESSION_LIFETIME_MS);

		expect(await validateSessionToken(test.db, `${session.id}.${'a'.repeat(24)}`, day20)).toBeNull();
		expect(await validateSessionToken(test.db, 'not-a-token', day20)).toBeNull();

		const other = await createSession(test.db, userId, day20);
		expect(await invalidateUserSessions(test.db, userId)).toBeGreaterThanOrEqual(2);
		expect(await validateSessionToken(test.db, token, day20)).toBeNull();
		expect(await validateSessionToken(test.db, other.token, day20)).toBeNull();
	});

	it('expired sessions are rejected and removed', async () => {
		const { token, session } = await createSession(test.db, userId, t0);
		expect(await validateSessionToken(test.db, token, new Date(t0.getTime() + SESSION_LIFETIME_MS))).toBeNull();
		const row = await test.db.selectFrom('session').select('id').where('id', '=', session.id).executeTakeFirst();
		expect(row).toBeUndefined();
	});

	it('requesting a link answers the same for unknown addresses but mails only known ones', async () => {
		const now = new Date('2026-11-23T12:00:00.000Z');
		const input = { ip: '10.0.0.1', locale: 'de' as const, origin: 'https://miteinander.example', limits };
		expect(await requestSignInLink(test.db, { ...input, email: 'nobody@example.org' }, now)).toBe('sent');
		expect(await requestSignInLink(test.db, { ...input, email: 'KOORDINATION@imst.example', redirectTo: '/admin/outbox' }, now)).toBe('sent');

		const mails = await test.db.selectFrom('outbox').selectAll().where('created_at', '=', now.toISOString()).execute();
		expect(mails.map((m) => m.recipient)).toEqual(['koordination@imst.example']);
		const mail = mails[0]!;
		expect(mail.subject).toBe('Ihr Login-Link für Miteinander');
		const link = /https:\/\/miteinander\.example\/de\/sign-in\/link\?token=([a-z2-7.]+)&redirectTo=%2Fadmin%2Foutbox/.exec(mail.text_body);
		expect(link).not.toBeNull();
		expect(await checkLoginToken(test.db, link![1]!, now)).toEqual({ ok: true, userId });
		expect(mail.user_id).toBe(userId);
		const audit = await test.db.selectFrom('audit_log').select('action').where('actor_user_id', '=', userId).execute();
		expect(audit.map((a) => a.action)).toContain('sign_in_link.requested');
	});

	it('rate-limits per address and per IP', async () => {
		const now = new Date('2026-11-24T12:00:00.000Z');
		const base = { locale: 'en' as const, origin: 'https://x.example', limits };
		const perEmail = [];
		for (let i = 0; i < 4; i++) {
			perEmail.push(await requestSignInLink(test.db, { ...base, email: 'koordination@imst.example', ip: `10.1.0.${i}` }, now));
		}
		expect(perEmail).toEqual(['sent', 'sent', 'sent', 'rate_limited']);
		// Only three mails went out for the address in this window.
		const mails = await test.db.selectFrom('outbox').select('id').where('created_at', '=', now.toISOString()).execute();
		expect(mails).toHaveLength(3);

		const perIp = [];
		for (let i = 0; i < 6; i++) {
			perIp.push(await requestSignInLink(test.db, { ...base, email: `someone${i}@example.org`, ip: '10.2.0.1' }, now));
		}
		expect(perIp).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'rate_limited']);

		const later = new Date(now.getTime() + limits.windowMs + 1000);
		expect(await requestSignInLink(test.db, { ...base, email: 'koordination@imst.example', ip: '10.1.0.9' }, later)).toBe('sent');
	});

	it('sign-in lands where the person works: coordination, their club, or the account page as a chooser', async () => {
		const now = new Date('2026-11-25T08:00:00.000Z');
		const reutte = await municipalities.create(test.db, { name: 'Reutte', country: 'AT', timeZone: 'Europe/Vienna' }, now);
		const places = async (id: string) => listWorkplaces(test.db, (await findSessionUser(test.db, id))!);

		const nobody = (await ensureUser(test.db, { email: 'niemand@reutte.example', name: 'Nora' }, now)).id;
		expect(await places(nobody)).toEqual([]);
		expect(landingPath(await places(nobody))).toBe('/account');

		const coordinator = (await ensureUser(test.db, { email: 'koordination@reutte.example', name: 'Kurt' }, now)).id;
		await addCoordinator(test.db, coordinator, reutte.id, now);
		expect(landingPath(await places(coordinator))).toBe('/admin');
		const platformAdmin = (await ensureUser(test.db, { email: 'plattform@reutte.example', name: 'Paula', isPlatformAdmin: true }, now)).id;
		expect(landingPath(await places(platformAdmin))).toBe('/admin');

		const registered = await clubs.register(
			test.db,
			{
				name: 'Musikkapelle Reutte',
				description: '',
				contactEmail: 'kapelle@reutte.example',
				contactPhone: '',
				website: '',
				tags: [],
				municipalityId: reutte.id,
				logo: null,
				representative: { email: 'obfrau@reutte.example', name: 'Olga', locale: 'de' }
			},
			{ origin: 'https://x.example' },
			now
		);
		if (!registered.ok) throw new Error(registered.problem);
		// A club admin (even of a club still waiting for approval) lands in the club area and sees the role.
		const clubAdmin = await places(registered.adminUserId);
		expect(clubAdmin).toEqual([
			{ kind: 'club', path: `/club?club=${registered.clubId}`, clubId: registered.clubId, clubName: 'Musikkapelle Reutte', role: 'admin' }
		]);
		expect(landingPath(clubAdmin)).toBe('/club');

		// Coordinator and club member at once: the account page lists both, coordination first.
		await test.db.insertInto('club_member').values({ club_id: registered.clubId, user_id: coordinator, role: 'member', joined_at: now.toISOString() }).execute();
		const both = await places(coordinator);
		expect(both.map((p) => [p.kind, p.path])).toEqual([
			['coordination', '/admin'],
			['club', `/club?club=${registered.clubId}`]
		]);
		expect(landingPath(both)).toBe('/account');
	});
});
