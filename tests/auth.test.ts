import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../src/server/db/schema';
import { asOwner } from '../src/server/db/seed/owner';
import { hashPassword } from '../src/server/platform/auth/passwords';
import { rowsOf } from '../src/server/platform/tenancy';
import { createMunicipality, createStaff, createUser, type TestMunicipality } from './factories';
import { call, createTestApp, login, type TestApp } from './helpers';

let t: TestApp;
let m: TestMunicipality;

beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db);
});
afterAll(() => t.close());

const MIN = 60_000;
const session = (s: { cookie: string; csrf: string } | null) =>
  call(t.app, s, { method: 'GET', url: '/api/auth/session' });
const tryLogin = (username: string, password: string, ip = '10.0.0.1', cookie?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { 'x-csrf-token': '1', ...(cookie ? { cookie } : {}) },
    remoteAddress: ip,
    payload: { username, password },
  });

describe('passwords', () => {
  it('stores argon2id with m >= 19 MiB, t >= 2, p >= 1', async () => {
    const phc = await hashPassword('en lang nok adgangskode');
    const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThanOrEqual(19456);
    expect(Number(match![2])).toBeGreaterThanOrEqual(2);
    expect(Number(match![3])).toBeGreaterThanOrEqual(1);
  });

  it('re-hashes a weaker stored hash at the next successful login', async () => {
    const { hash } = await import('@node-rs/argon2');
    const weak = await hash('test-password-123', {
      algorithm: 2,
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    });
    const u = await createUser(t.db, m, [['sagsbehandler', m.units.authority]], { passwordHash: weak });
    await login(t.app, u.username, u.password);
    const [row] = await asOwner(t.db, m.id, (tx) =>
      tx.select({ h: users.passwordHash }).from(users).where(eq(users.id, u.id)),
    );
    expect(row!.h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

describe('sessions', () => {
  it('sets a __Host- cookie that is Secure, HttpOnly and SameSite=Lax, with a 256-bit token', async () => {
    const u = await createStaff(t.db, m, 'sagsbehandler');
    const res = await tryLogin(u.username, u.password, '10.0.1.1');
    const [cookie, device] = res.headers['set-cookie'] as string[];
    expect(cookie).toMatch(
      /^__Host-retning_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(cookie).not.toMatch(/Domain=/i);
    // The device cookie (login throttling) names no user and carries only an expiry, a nonce and a MAC.
    expect(device).toMatch(
      /^__Host-retning_device=\d+\.[A-Za-z0-9_-]{16}\.[0-9a-f]{64}; Path=\/; HttpOnly; Secure; SameSite=Strict; Max-Age=\d+$/,
    );
    expect(device).not.toContain(u.username);
  });

  it('issues a new session id at every login and ends the one the browser carried', async () => {
    const u = await createStaff(t.db, m, 'sagsbehandler');
    const first = await login(t.app, u.username, u.password);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-csrf-token': '1', cookie: first.cookie },
      payload: { username: u.username, password: u.password },
    });
    const second = String(res.headers['set-cookie']).split(';')[0]!;
    expect(second).not.toBe(first.cookie);
    expect((await session(first)).statusCode).toBe(401);
    expect((await session({ cookie: second, csrf: res.json().csrfToken })).statusCode).toBe(200);
  });

  it('ends the session at logout; the old cookie then gets 401', async () => {
    const u = await createStaff(t.db, m, 'leder');
    const s = await login(t.app, u.username, u.password);
    expect((await call(t.app, s, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect((await session(s)).statusCode).toBe(401);
  });

  it('expires after 30 idle minutes, measured on the server', async () => {
    const u = await createStaff(t.db, m, 'leder');
    const s = await login(t.app, u.username, u.password);
    t.clock.advance(29 * MIN);
    expect((await session(s)).statusCode).toBe(200);
    t.clock.advance(29 * MIN);
    expect((await session(s)).statusCode).toBe(200);
    t.clock.advance(31 * MIN);
    const res = await session(s);
    expect(res.statusCode).toBe(401);
    expect(res.json().reason).toBe('expired');
  });

  it('expires 10 hours after login even when in constant use', async () => {
    const u = await createStaff(t.db, m, 'leder');
    const s = await login(t.app, u.username, u.password);
    for (let h = 0; h < 30; h++) {
      t.clock.advance(20 * MIN);
      expect((await session(s)).statusCode).toBe(200);
    }
    t.clock.advance(20 * MIN + 1000);
    expect((await session(s)).statusCode).toBe(401);
  });

  it('ends the sessions of a deactivated user at the next request', async () => {
    const admin = await createStaff(t.db, m, 'administrator');
    const u = await createStaff(t.db, m, 'sagsbehandler');
    const sa = await login(t.app, admin.username, admin.password);
    const su = await login(t.app, u.username, u.password);
    const list = await call(t.app, sa, { method: 'GET', url: '/api/admin/users' });
    const target = list.json().items.find((x: { id: string }) => x.id === u.id);
    const upd = await call(t.app, sa, {
      method: 'PUT',
      url: `/api/admin/users/${u.id}`,
      payload: { displayName: target.displayName, email: null, active: false, version: target.version },
    });
    expect(upd.statusCode).toBe(200);
    expect((await session(su)).statusCode).toBe(401);
    expect((await tryLogin(u.username, u.password, '10.0.2.1')).statusCode).toBe(401);
  });

  it('ends a session when a role is removed, even behind the admin screen’s back', async () => {
    const u = await createUser(t.db, m, [
      ['sagsbehandler', m.units.authority],
      ['leder', m.units.authority],
    ]);
    const s = await login(t.app, u.username, u.password);
    expect((await session(s)).statusCode).toBe(200);
    await asOwner(t.db, m.id, (tx) =>
      tx.execute(sql`delete from role_assignments where user_id = ${u.id} and role = 'leder'`),
    );
    const res = await session(s);
    expect(res.statusCode).toBe(401);
    expect(res.json().reason).toBe('revoked');
  });

  it('hands out unique tokens', async () => {
    const { newToken } = await import('../src/server/platform/auth/tokens');
    const seen = new Set(Array.from({ length: 10000 }, newToken));
    expect(seen.size).toBe(10000);
  });
});

describe('the readable session marker (issue 15, item 17)', () => {
  it('is set at login, holds no secret, and is cleared at logout and when its session is gone', async () => {
    const u = await createStaff(t.db, m, 'sagsbehandler');
    const res = await tryLogin(u.username, u.password, '10.0.1.9');
    const cookies = res.headers['set-cookie'] as string[];
    expect(cookies[2]).toBe('retning_logget_ind=1; Path=/; Secure; SameSite=Lax');
    // Only the marker, no session: 401, and the stale marker is cleared so the page stops asking.
    const stale = await t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: 'retning_logget_ind=1' },
    });
    expect(stale.statusCode).toBe(401);
    expect(String(stale.headers['set-cookie'])).toContain(
      'retning_logget_ind=; Path=/; Secure; SameSite=Lax; Max-Age=0',
    );
    // Without any cookie nothing is set.
    const none = await t.app.inject({ method: 'GET', url: '/api/auth/session' });
    expect(none.headers['set-cookie']).toBeUndefined();
    const s = { cookie: cookies[0]!.split(';')[0]!, csrf: res.json().csrfToken };
    const out = await call(t.app, s, { method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain(
      'retning_logget_ind=; Path=/; Secure; SameSite=Lax; Max-Age=0',
    );
  });
});

describe('CSRF', () => {
  it('refuses a state change without the token, with a wrong one, or from another origin', async () => {
    const u = await createStaff(t.db, m, 'sagsbehandler');
    const s = await login(t.app, u.username, u.password);
    const body = { name: 'x' };
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/citizens/search',
      headers: { cookie: s.cookie },
      payload: body,
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe('csrf');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/citizens/search',
      headers: { cookie: s.cookie, 'x-csrf-token': 'forkert' },
      payload: body,
    });
    expect(wrong.statusCode).toBe(403);
    const evil = await call(t.app, s, {
      method: 'POST',
      url: '/api/citizens/search',
      headers: { origin: 'https://evil.example' },
      payload: body,
    });
    expect(evil.statusCode).toBe(403);
    const crossSite = await call(t.app, s, {
      method: 'POST',
      url: '/api/citizens/search',
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: body,
    });
    expect(crossSite.statusCode).toBe(403);
    const ok = await call(t.app, s, {
      method: 'POST',
      url: '/api/citizens/search',
      headers: { origin: 'http://localhost:80', host: 'localhost:80' },
      payload: body,
    });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a login without the custom header', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'a', password: 'b' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('registers no state-changing handler on GET or HEAD', () => {
    const gets = t.app.routeInventory.filter((r) => r.method === 'GET' || r.method === 'HEAD');
    for (const r of gets) expect(r.url).not.toMatch(/logout|create|delete|update|save/);
  });
});

describe('login throttling and enumeration', () => {
  it('answers unknown and known usernames alike', async () => {
    const u = await createStaff(t.db, m, 'sagsbehandler');
    const known = await tryLogin(u.username, 'forkert-adgangskode', '10.0.3.1');
    const unknown = await tryLogin('findes.ikke', 'forkert-adgangskode', '10.0.3.2');
    expect(known.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(known.body).toBe(unknown.body);
  });

  it('locks a username+IP after 5 failures with 429 and Retry-After, refuses the right password, then expires', async () => {
    const u = await createStaff(t.db, m, 'sagsbehandler');
    for (let i = 0; i < 5; i++)
      expect((await tryLogin(u.username, 'forkert', '10.0.4.1')).statusCode).toBe(401);
    const locked = await tryLogin(u.username, u.password, '10.0.4.1');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    // Another IP is not locked out by this attacker.
    expect((await tryLogin(u.username, u.password, '10.0.4.2')).statusCode).toBe(200);
    t.clock.advance(15 * MIN + 1000);
    expect((await tryLogin(u.username, u.password, '10.0.4.1')).statusCode).toBe(200);
  });

  it('locks an IP that tries many usernames', async () => {
    for (let i = 0; i < 50; i++) await tryLogin(`gaet${i}`, 'forkert', '10.0.5.1');
    const u = await createStaff(t.db, m, 'sagsbehandler');
    expect((await tryLogin(u.username, u.password, '10.0.5.1')).statusCode).toBe(429);
  });

  it('locks an account guessed at from many addresses, for one window, but not on the user’s own device', async () => {
    const u = await createStaff(t.db, m, 'sagsbehandler');
    // The real user logged in from their own browser before: it holds a device cookie.
    const own = await tryLogin(u.username, u.password, '10.0.6.250');
    const device = (own.headers['set-cookie'] as string[])[1]!.split(';')[0]!;
    // An attacker spreads 20 guesses over 20 addresses: no address reaches its own limit.
    for (let i = 0; i < 20; i++)
      expect((await tryLogin(u.username, `gaet-${i}`, `10.0.6.${i + 1}`)).statusCode).toBe(401);
    // Now the account is locked from any new address, the right password included …
    const locked = await tryLogin(u.username, u.password, '10.0.6.100');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    // … but not from the real user's own browser, and another user is untouched.
    expect((await tryLogin(u.username, u.password, '10.0.6.250', device)).statusCode).toBe(200);
    const other = await createStaff(t.db, m, 'sagsbehandler');
    expect((await tryLogin(other.username, other.password, '10.0.6.100')).statusCode).toBe(200);
    // A forged or another user's device cookie does not help the attacker.
    const forged = device.replace(/[0-9a-f]{8}$/, '00000000');
    expect((await tryLogin(u.username, u.password, '10.0.6.101', forged)).statusCode).toBe(429);
    const foreign = (
      (await tryLogin(other.username, other.password, '10.0.6.102')).headers['set-cookie'] as string[]
    )[1]!;
    expect((await tryLogin(u.username, u.password, '10.0.6.101', foreign.split(';')[0]!)).statusCode).toBe(
      429,
    );
    // The lock lasts one window, then the real user logs in from anywhere.
    t.clock.advance(15 * MIN + 1000);
    expect((await tryLogin(u.username, u.password, '10.0.6.103')).statusCode).toBe(200);
  });

  it('stores throttle keys as keyed hashes, never usernames or IPs', async () => {
    const keys = rowsOf<{ key: string }>(await t.db.execute(sql`select key from login_throttle`));
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k.key).toMatch(/^(u|ip|a):[0-9a-f]{64}$/);
  });
});
