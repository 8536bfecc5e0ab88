import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMunicipality, createStaff, type TestMunicipality } from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';

let t: TestApp;
let m: TestMunicipality;
let admin: Session;
let adminId: string;

beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db);
  const a = await createStaff(t.db, m, 'administrator');
  adminId = a.id;
  admin = await login(t.app, a.username, a.password);
});
afterAll(() => t.close());

const as = (opts: Parameters<typeof call>[2]) => call(t.app, admin, opts);

describe('administration', () => {
  it('creates a unit under a parent, and answers a stale edit with 409 and the current unit', async () => {
    const created = await as({
      method: 'POST',
      url: '/api/admin/units',
      payload: { name: 'Team Syd', kind: 'team', parentId: m.units.provider, providerType: null },
    });
    expect(created.statusCode).toBe(201);
    const unit = created.json();
    const body = { name: 'Team Syd og Vest', kind: 'team', parentId: m.units.provider, active: true };
    expect(
      (
        await as({ method: 'PUT', url: `/api/admin/units/${unit.id}`, payload: { ...body, version: 1 } })
      ).json(),
    ).toMatchObject({
      name: 'Team Syd og Vest',
      version: 2,
    });
    const stale = await as({
      method: 'PUT',
      url: `/api/admin/units/${unit.id}`,
      payload: { ...body, name: 'X', version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current).toMatchObject({ name: 'Team Syd og Vest' });
    const self = await as({
      method: 'PUT',
      url: `/api/admin/units/${unit.id}`,
      payload: { ...body, parentId: unit.id, version: 2 },
    });
    expect(self.statusCode).toBe(422);
  });

  it('creates a user with a role who can then log in, and refuses a taken username', async () => {
    const payload = {
      username: 'Ny.Kollega',
      displayName: 'Ny Kollega',
      password: 'en-lang-adgangskode',
      roles: [{ role: 'leder', unitId: m.units.authority }],
    };
    const res = await as({ method: 'POST', url: '/api/admin/users', payload });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      username: 'ny.kollega',
      roles: [{ role: 'leder', unitId: m.units.authority }],
    });
    const s = await login(t.app, 'ny.kollega', 'en-lang-adgangskode');
    expect((await call(t.app, s, { method: 'GET', url: '/api/auth/session' })).json().permissions).toContain(
      'audit.read',
    );
    const again = await as({ method: 'POST', url: '/api/admin/users', payload });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('username_taken');
    const weak = await as({
      method: 'POST',
      url: '/api/admin/users',
      payload: { ...payload, username: 'svag', password: 'kort' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].field).toBe('password');
  });

  it('ends a user’s sessions when a role is removed or the password is reset', async () => {
    const u = await createStaff(t.db, m, 'sagsbehandler');
    const s1 = await login(t.app, u.username, u.password);
    const [grant] = (await as({ method: 'GET', url: '/api/admin/users' }))
      .json()
      .items.find((x: { id: string }) => x.id === u.id).roles;
    expect(
      (await as({ method: 'DELETE', url: `/api/admin/users/${u.id}/roles/${grant.id}` })).statusCode,
    ).toBe(200);
    expect((await call(t.app, s1, { method: 'GET', url: '/api/auth/session' })).statusCode).toBe(401);
    const s2 = await login(t.app, u.username, u.password);
    expect(
      (
        await as({
          method: 'POST',
          url: `/api/admin/users/${u.id}/password`,
          payload: { password: 'helt-ny-adgangskode' },
        })
      ).statusCode,
    ).toBe(204);
    expect((await call(t.app, s2, { method: 'GET', url: '/api/auth/session' })).statusCode).toBe(401);
    await login(t.app, u.username, 'helt-ny-adgangskode');
  });

  it('keeps an administrator from locking themselves out', async () => {
    const me = (await as({ method: 'GET', url: '/api/admin/users' }))
      .json()
      .items.find((x: { id: string }) => x.id === adminId);
    const off = await as({
      method: 'PUT',
      url: `/api/admin/users/${adminId}`,
      payload: { displayName: me.displayName, email: null, active: false, version: me.version },
    });
    expect(off.statusCode).toBe(409);
    expect(off.json().code).toBe('self_lockout');
    const drop = await as({ method: 'DELETE', url: `/api/admin/users/${adminId}/roles/${me.roles[0].id}` });
    expect(drop.statusCode).toBe(409);
    expect((await as({ method: 'GET', url: '/api/auth/session' })).statusCode).toBe(200);
  });

  it('cannot reach another municipality’s users or units', async () => {
    const other = await createMunicipality(t.db);
    const stranger = await createStaff(t.db, other, 'sagsbehandler');
    const list = (await as({ method: 'GET', url: '/api/admin/users' }))
      .json()
      .items.map((x: { id: string }) => x.id);
    expect(list).not.toContain(stranger.id);
    const grant = await as({
      method: 'POST',
      url: `/api/admin/users/${stranger.id}/roles`,
      payload: { role: 'leder', unitId: m.units.authority },
    });
    expect(grant.statusCode).toBeGreaterThanOrEqual(400);
    expect(grant.statusCode).toBeLessThan(500);
    const edit = await as({
      method: 'PUT',
      url: `/api/admin/units/${other.units.authority}`,
      payload: { name: 'Overtaget', kind: 'myndighed', active: true, version: 1 },
    });
    expect(edit.statusCode).toBe(404);
  });
});
