import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRows,
  createCitizen,
  createMunicipality,
  createServiceFor,
  createStaff,
  fictionalCpr,
  type TestMunicipality,
} from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';

let t: TestApp;
let m: TestMunicipality;
let cw: Session;
let cwId: string;

beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db);
  const u = await createStaff(t.db, m, 'sagsbehandler');
  cwId = u.id;
  cw = await login(t.app, u.username, u.password);
});
afterAll(() => t.close());

const as = (s: Session, opts: Parameters<typeof call>[2]) => call(t.app, s, opts);
const countAudit = async () => (await auditRows(t.db, m)).length;

async function newCitizen(extra: Record<string, unknown> = {}) {
  const res = await as(cw, {
    method: 'POST',
    url: '/api/citizens',
    payload: {
      cpr: fictionalCpr(),
      firstName: 'Ida',
      lastName: 'Skov',
      responsibleUnitId: m.units.provider,
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('create, read, search', () => {
  it('creates a citizen and writes exactly one create event', async () => {
    const before = await countAudit();
    const c = await newCitizen({ phone: '+45 12 34 56 78', responsibleCaseworkerId: cwId });
    expect(c).toMatchObject({ firstName: 'Ida', lastName: 'Skov', version: 1, cprMasked: false });
    const rows = await auditRows(t.db, m);
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({
      action: 'create',
      citizen_id: c.id,
      actor_user_id: cwId,
      actor_role: 'sagsbehandler',
      outcome: 'success',
    });
  });

  it('validates CPR and says which field is wrong, without echoing the number', async () => {
    const res = await as(cw, {
      method: 'POST',
      url: '/api/citizens',
      payload: { cpr: '3113851234', firstName: 'A', lastName: 'B' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation', errors: [{ field: 'cpr' }] });
    expect(res.body).not.toContain('3113851234');
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a second citizen with the same CPR with 409', async () => {
    const cpr = fictionalCpr();
    await newCitizen({ cpr });
    const res = await as(cw, {
      method: 'POST',
      url: '/api/citizens',
      payload: { cpr, firstName: 'X', lastName: 'Y' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('cpr_exists');
  });

  it('reads with one audit event; the response is no-store', async () => {
    const c = await newCitizen();
    const before = await countAudit();
    const res = await as(cw, { method: 'GET', url: `/api/citizens/${c.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const rows = await auditRows(t.db, m);
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({
      action: 'read',
      citizen_id: c.id,
      outcome: 'success',
      request_id: res.headers['x-request-id'],
    });
  });

  it('searches by name, by CPR in the body, and "mine"; each search is one event with its criteria', async () => {
    const cpr = fictionalCpr();
    const c = await newCitizen({
      firstName: 'Søren',
      lastName: 'Kierkegaard',
      cpr,
      responsibleCaseworkerId: cwId,
    });
    const byName = await as(cw, {
      method: 'POST',
      url: '/api/citizens/search',
      payload: { name: 'søren kierk' },
    });
    expect(byName.json().items.map((x: { id: string }) => x.id)).toContain(c.id);
    const before = await countAudit();
    const byCpr = await as(cw, {
      method: 'POST',
      url: '/api/citizens/search',
      payload: { cpr: `${cpr.slice(0, 6)}-${cpr.slice(6)}` },
    });
    expect(byCpr.json().items).toHaveLength(1);
    const rows = await auditRows(t.db, m);
    expect(rows.length).toBe(before + 1);
    const criteria = rows.at(-1)!.criteria as Record<string, unknown>;
    expect(criteria).toMatchObject({ cpr: `${cpr.slice(0, 6)}-xxxx`, resultCount: 1, resultIds: [c.id] });
    expect(JSON.stringify(criteria)).not.toContain(cpr.slice(6));
    const mine = await as(cw, { method: 'POST', url: '/api/citizens/search', payload: { mine: true } });
    expect(mine.json().items.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  it('records search criteria exactly, quotes and backslashes included', async () => {
    const name = "O'Brien \\ ''; drop table citizens; --";
    const res = await as(cw, { method: 'POST', url: '/api/citizens/search', payload: { name } });
    expect(res.statusCode).toBe(200);
    expect((await auditRows(t.db, m)).at(-1)!.criteria).toMatchObject({ name, resultCount: 0 });
  });

  it('treats % and _ in a name search as text, not wildcards', async () => {
    const res = await as(cw, { method: 'POST', url: '/api/citizens/search', payload: { name: '%' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([]);
  });

  it('requires some criterion', async () => {
    const res = await as(cw, { method: 'POST', url: '/api/citizens/search', payload: {} });
    expect(res.statusCode).toBe(400);
  });
});

describe('optimistic concurrency: nothing is lost', () => {
  it('answers a stale save with 409 and both versions stay available', async () => {
    const c = await newCitizen();
    const body = (first: string, version: number) => ({
      cpr: c.cpr.replace('-', ''),
      firstName: first,
      lastName: c.lastName,
      version,
    });
    const ok = await as(cw, { method: 'PUT', url: `/api/citizens/${c.id}`, payload: body('Anna', 1) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().version).toBe(2);
    const stale = await as(cw, { method: 'PUT', url: `/api/citizens/${c.id}`, payload: body('Hanna', 1) });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      code: 'version_conflict',
      current: { firstName: 'Anna', version: 2 },
    });
    const now = await as(cw, { method: 'GET', url: `/api/citizens/${c.id}` });
    expect(now.json().firstName).toBe('Anna');
    const last = (await auditRows(t.db, m)).filter((r) => r.citizen_id === c.id && r.action === 'update');
    expect(last.map((r) => r.outcome)).toEqual(['success', 'error']);
  });
});

describe("the citizen's own words", () => {
  it('keeps every version of hopes, wishes and dreams with who wrote it', async () => {
    const c = await newCitizen();
    const save = (body: string, writtenBy: string, baseVersion: number) =>
      as(cw, {
        method: 'PUT',
        url: `/api/citizens/${c.id}/narratives/hopes`,
        payload: { body, writtenBy, baseVersion },
      });
    expect((await save('Jeg vil have en hund.', 'citizen', 0)).json()).toMatchObject({
      version: 1,
      writtenBy: 'citizen',
    });
    expect((await save('Jeg vil have en hund og et job.', 'staff_on_behalf', 1)).json()).toMatchObject({
      version: 2,
    });
    const stale = await save('Noget andet', 'citizen', 1);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current).toMatchObject({ version: 2, body: 'Jeg vil have en hund og et job.' });
    const history = await as(cw, { method: 'GET', url: `/api/citizens/${c.id}/narratives/hopes/history` });
    expect(
      history.json().items.map((v: { version: number; writtenBy: string }) => [v.version, v.writtenBy]),
    ).toEqual([
      [2, 'staff_on_behalf'],
      [1, 'citizen'],
    ]);
    const read = await as(cw, { method: 'GET', url: `/api/citizens/${c.id}` });
    expect(read.json().narratives.hopes).toMatchObject({ version: 2, authorName: expect.any(String) });
    expect(read.json().narratives.resources).toBeNull();
  });

  it('keeps the network with relation, help and consent, and revisions on change and removal', async () => {
    const c = await newCitizen();
    const added = await as(cw, {
      method: 'POST',
      url: `/api/citizens/${c.id}/network`,
      payload: {
        name: 'Birthe',
        relation: 'Mor',
        helpsWith: 'Indkøb',
        contactConsent: 'yes',
        writtenBy: 'citizen',
      },
    });
    expect(added.statusCode).toBe(201);
    const member = added.json();
    const upd = await as(cw, {
      method: 'PUT',
      url: `/api/citizens/${c.id}/network/${member.id}`,
      payload: {
        name: 'Birthe',
        relation: 'Mor',
        helpsWith: 'Indkøb og tøj',
        contactConsent: 'no',
        writtenBy: 'citizen',
        baseRevision: 1,
      },
    });
    expect(upd.json()).toMatchObject({ revision: 2, contactConsent: 'no' });
    const stale = await as(cw, {
      method: 'PUT',
      url: `/api/citizens/${c.id}/network/${member.id}`,
      payload: { name: 'B', relation: 'Mor', contactConsent: 'no', writtenBy: 'citizen', baseRevision: 1 },
    });
    expect(stale.statusCode).toBe(409);
    const removed = await as(cw, {
      method: 'PUT',
      url: `/api/citizens/${c.id}/network/${member.id}`,
      payload: {
        name: 'Birthe',
        relation: 'Mor',
        contactConsent: 'no',
        writtenBy: 'staff_on_behalf',
        baseRevision: 2,
        removed: true,
      },
    });
    expect(removed.statusCode).toBe(200);
    expect((await as(cw, { method: 'GET', url: `/api/citizens/${c.id}` })).json().network).toEqual([]);
    const history = await as(cw, {
      method: 'GET',
      url: `/api/citizens/${c.id}/network/${member.id}/history`,
    });
    expect(history.json().items.map((r: { revision: number }) => r.revision)).toEqual([3, 2, 1]);
  });
});

describe('who sees what', () => {
  it('masks CPR for a manager and a provider worker, shows it to the caseworker', async () => {
    const c = await newCitizen();
    await createServiceFor(t.db, m, c.id, m.units.provider);
    const leader = await createStaff(t.db, m, 'leder');
    const worker = await createStaff(t.db, m, 'udfoerer');
    for (const u of [leader, worker]) {
      const s = await login(t.app, u.username, u.password);
      const res = await as(s, { method: 'GET', url: `/api/citizens/${c.id}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ cprMasked: true, cpr: `${c.cpr.slice(0, 6)}-xxxx` });
    }
    expect((await as(cw, { method: 'GET', url: `/api/citizens/${c.id}` })).json().cprMasked).toBe(false);
  });

  it('limits a provider worker to citizens their unit delivers a service to: 404 and a denied event otherwise', async () => {
    const other = await createCitizen(t.db, m, {
      responsibleUnitId: m.units.provider,
      lastName: 'Egenenhed',
    });
    await createServiceFor(t.db, m, other.id, m.units.otherProvider);
    const own = await createCitizen(t.db, m, {
      responsibleUnitId: m.units.otherProvider,
      lastName: 'Egenenhed',
    });
    await createServiceFor(t.db, m, own.id, m.units.provider);
    // An ended service no longer opens the door.
    const former = await createCitizen(t.db, m, { responsibleUnitId: null, lastName: 'Egenenhed' });
    await createServiceFor(t.db, m, former.id, m.units.provider, 'ended');
    const worker = await createStaff(t.db, m, 'udfoerer');
    const s = await login(t.app, worker.username, worker.password);
    expect((await as(s, { method: 'GET', url: `/api/citizens/${own.id}` })).statusCode).toBe(200);
    expect((await as(s, { method: 'GET', url: `/api/citizens/${other.id}` })).statusCode).toBe(404);
    expect((await as(s, { method: 'GET', url: `/api/citizens/${former.id}` })).statusCode).toBe(404);
    const denied = (await auditRows(t.db, m)).filter((r) => r.citizen_id === other.id);
    expect(denied.map((r) => r.outcome)).toEqual(['denied']);
    const found = await as(s, {
      method: 'POST',
      url: '/api/citizens/search',
      payload: { name: 'Egenenhed' },
    });
    expect(found.json().items.map((x: { id: string }) => x.id)).toEqual([own.id]);
    const hopes = await as(s, {
      method: 'PUT',
      url: `/api/citizens/${own.id}/narratives/hopes`,
      payload: { body: 'Skrevet sammen med borgeren', writtenBy: 'staff_on_behalf', baseVersion: 0 },
    });
    expect(hopes.statusCode).toBe(200);
  });
});

describe('delete', () => {
  it('deletes with the right version, audited; afterwards it is gone', async () => {
    const c = await newCitizen();
    expect((await as(cw, { method: 'DELETE', url: `/api/citizens/${c.id}?version=9` })).statusCode).toBe(409);
    expect((await as(cw, { method: 'DELETE', url: `/api/citizens/${c.id}?version=1` })).statusCode).toBe(204);
    expect((await as(cw, { method: 'GET', url: `/api/citizens/${c.id}` })).statusCode).toBe(404);
    const events = (await auditRows(t.db, m))
      .filter((r) => r.citizen_id === c.id)
      .map((r) => `${r.action}:${r.outcome}`);
    expect(events).toEqual(['create:success', 'delete:error', 'delete:success', 'read:denied']);
  });
});

describe('fail closed', () => {
  it('returns no data when the audit write fails', async () => {
    const c = await newCitizen({ firstName: 'Hemmelig' });
    await t.db.execute(
      sql`create function audit_fail() returns trigger language plpgsql as $$ begin raise exception 'audit store down'; end $$`,
    );
    await t.db.execute(
      sql`create trigger audit_fail before insert on audit_events for each row execute function audit_fail()`,
    );
    try {
      const res = await as(cw, { method: 'GET', url: `/api/citizens/${c.id}` });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('Hemmelig');
      expect(res.body).not.toContain('audit store down');
      expect(res.json().code).toBe('internal');
      const search = await as(cw, {
        method: 'POST',
        url: '/api/citizens/search',
        payload: { name: 'Hemmelig' },
      });
      expect(search.statusCode).toBe(500);
      expect(search.body).not.toContain('Hemmelig');
    } finally {
      await t.db.execute(sql`drop trigger audit_fail on audit_events`);
      await t.db.execute(sql`drop function audit_fail()`);
    }
  });
});
