import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionPlans, citizenSessions, followUps, goals } from '../src/server/db/schema';
import { asOwner } from '../src/server/db/seed/owner';
import { portalRedirectUri } from '../src/server/modules/portal/portal.login';
import { verifyAuditChain } from '../src/server/platform/audit';
import { startDemoBroker } from '../src/server/platform/auth/mitid-demo';
import type { TestBroker, TestIdentity } from '../src/server/platform/auth/mitid-test-broker';
import { PORTAL_COOKIE } from '../src/server/platform/auth/portal-sessions';
import { CITIZEN_ROLE, rowsOf, withTenant } from '../src/server/platform/tenancy';
import {
  auditRows,
  createCitizen,
  createMunicipality,
  createServiceFor,
  createStaff,
  fictionalCpr,
  gasScale,
  type TestMunicipality,
} from './factories';
import { createTestApp, login, type TestApp } from './helpers';
import { type Attempt, cookieOf, startPortalLogin } from './portal-login';

/**
 * Issue 14, items 1–3: citizens log in through the MitID test broker (a real OpenID Connect provider), and
 * a citizen session is its own role, confined by row-level security to its own citizen's rows.
 */

let t: TestApp;
let broker: TestBroker;
let m: TestMunicipality & { code: string };
let other: TestMunicipality & { code: string };
const cprA = fictionalCpr();
const cprB = fictionalCpr();
const cprLow = fictionalCpr();
const cprNobody = fictionalCpr();
let a: { id: string };
let b: { id: string };
/** The same person (cprA) as a citizen of another municipality. */
let aElsewhere: { id: string };
let goalsOfA: Record<string, string>;
let goalsOfB: Record<string, string>;

const identities: TestIdentity[] = [
  { cpr: cprA, name: 'Anna Andersen', level: 'Substantial' },
  { cpr: cprB, name: 'Bo Bertelsen', level: 'High' },
  { cpr: cprLow, name: 'Lav Sikring', level: 'Low' },
  { cpr: cprNobody, name: 'Ingen Sag', level: 'Substantial' },
];

const codeOf = async (tx: Parameters<Parameters<typeof asOwner>[2]>[0], system: string, kind: string) => {
  const r = rowsOf<{ key: string; code: string }>(
    await tx.execute(
      sql`select l.key, c.code from codes c join code_lists l on l.key = c.list_key
           where l.system = ${system} and l.is_current and c.kind = ${kind} order by c.sort_order limit 1`,
    ),
  );
  return r[0]!;
};

/** A pathway as a caseworker leaves it: a citizen goal, an intervention goal, a sub-goal, plans and a follow-up. */
async function pathwayFor(mu: TestMunicipality, citizenId: string, label: string) {
  const { caseId, serviceId } = await createServiceFor(t.db, mu, citizenId, mu.units.provider, 'active', {
    nextFollowUpOn: '2027-01-20',
  });
  const ids = { citizenGoal: randomUUID(), intervention: randomUUID(), sub: randomUUID(), caseId, serviceId };
  await asOwner(t.db, mu.id, async (tx) => {
    const sub = await codeOf(tx, 'ffb', 'subtheme');
    const type = await codeOf(tx, 'ffb', 'goal_type');
    const scale = gasScale();
    await tx.insert(goals).values([
      {
        id: ids.citizenGoal,
        municipalityId: mu.id,
        citizenId,
        caseId,
        kind: 'citizen_goal',
        wordsOf: 'citizen',
        title: `${label}: jeg vil kunne handle ind selv`,
        status: 'active',
      },
      {
        id: ids.intervention,
        municipalityId: mu.id,
        citizenId,
        caseId,
        kind: 'intervention',
        wordsOf: 'caseworker',
        citizenGoalId: ids.citizenGoal,
        title: `${label}: handler ind alene`,
        status: 'active',
        ffbList: sub.key,
        subthemeCode: sub.code,
        expectedLevel: 2,
        goalTypeCode: type.code,
        gasLevels: scale.levels,
        gasBaseline: scale.baseline,
      },
      {
        id: ids.sub,
        municipalityId: mu.id,
        citizenId,
        caseId,
        kind: 'sub',
        wordsOf: 'provider',
        parentGoalId: ids.intervention,
        serviceId,
        title: `${label}: laver en indkøbsliste`,
        status: 'active',
      },
    ]);
    await tx.insert(actionPlans).values([
      {
        municipalityId: mu.id,
        citizenId,
        caseId,
        version: 1,
        status: 'shared',
        purpose: `${label}: at blive mere selvhjulpen`,
        participants: [{ kind: 'provider', name: 'Bostøtten', responsibility: 'Ugentlig støtte' }],
        sharedAt: new Date('2026-03-01T10:00:00Z'),
      },
      {
        municipalityId: mu.id,
        citizenId,
        caseId,
        version: 2,
        status: 'draft',
        purpose: `${label}: KLADDE – ikke delt`,
      },
    ]);
    const result = await codeOf(tx, 'ffb', 'follow_up_result');
    await tx.insert(followUps).values({
      municipalityId: mu.id,
      citizenId,
      caseId,
      serviceId,
      heldOn: '2026-06-01',
      ffbList: result.key,
      resultCode: result.code,
      notes: `${label}: INTERN NOTE`,
      citizenView: `${label}: det går bedre`,
    });
  });
  return ids;
}

const startLogin = (cpr: string, kommune = m.code) => startPortalLogin(t, cpr, kommune);

const finish = (a: Attempt, callback = a.callback) =>
  t.app.inject({ method: 'GET', url: callback, headers: { cookie: a.cookie } });

/** A whole login; returns the portal cookie. */
async function portalLogin(cpr: string, kommune = m.code): Promise<string> {
  const res = await finish(await startLogin(cpr, kommune));
  expect(res.statusCode, res.body).toBe(303);
  expect(res.headers.location).toBe('/portal');
  const cookie = cookieOf(res, PORTAL_COOKIE);
  expect(cookie).not.toBeNull();
  return cookie!;
}

const sessionCount = () =>
  asOwner(
    t.db,
    m.id,
    async (tx) => (await tx.select({ id: citizenSessions.id }).from(citizenSessions)).length,
  );

const lastAudit = async () => (await auditRows(t.db, m)).at(-1)!;

beforeAll(async () => {
  const started = await startDemoBroker({
    port: 0,
    host: '127.0.0.1',
    redirectUri: 'http://localhost:3000/api/portal/callback',
    identities,
  });
  broker = started.broker;
  t = await createTestApp({
    env: {
      MITID_ISSUER: started.mitid.issuer,
      MITID_CLIENT_ID: started.mitid.clientId,
      MITID_CLIENT_KEY: JSON.stringify(started.mitid.clientKey),
    },
  });
  expect(portalRedirectUri(t.config)).toBe('http://localhost:3000/api/portal/callback');
  m = await createMunicipality(t.db, { code: '801' });
  other = await createMunicipality(t.db, { code: '802' });
  a = await createCitizen(t.db, m, { cpr: cprA, firstName: 'Anna', lastName: 'Andersen' });
  b = await createCitizen(t.db, m, { cpr: cprB, firstName: 'Bo', lastName: 'Bertelsen' });
  aElsewhere = await createCitizen(t.db, other, { cpr: cprA, firstName: 'Anna', lastName: 'Andersen' });
  await createCitizen(t.db, m, { cpr: cprLow });
  goalsOfA = await pathwayFor(m, a.id, 'ANNA');
  goalsOfB = await pathwayFor(m, b.id, 'BO');
  await pathwayFor(other, aElsewhere.id, 'ANDETSTEDS');
}, 60_000);

afterAll(async () => {
  await t?.close();
  await broker?.close();
});

describe('MitID login to the portal', () => {
  it('logs a citizen in through the broker, audits it, and opens their session', async () => {
    const cookie = await portalLogin(cprA);
    const audit = await lastAudit();
    expect(audit).toMatchObject({
      action: 'login',
      outcome: 'success',
      citizen_id: a.id,
      actor_role: 'borger',
    });
    expect(JSON.stringify(audit)).not.toContain(cprA);
    const me = await t.app.inject({ method: 'GET', url: '/api/portal/session', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ citizen: { firstName: 'Anna' }, level: 'Substantial' });
  });

  it('maps the CPR number to the citizen of the municipality chosen, not of another', async () => {
    const cookie = await portalLogin(cprA, other.code);
    const plan = (await t.app.inject({ method: 'GET', url: '/api/portal/plan', headers: { cookie } })).json();
    expect(JSON.stringify(plan)).toContain('ANDETSTEDS');
    expect(JSON.stringify(plan)).not.toContain('ANNA:');
  });

  it.each([
    ['an assurance level below Substantial', cprLow, 'assurance'],
    ['a CPR number with no citizen in the municipality', cprNobody, 'no_citizen'],
  ])('refuses %s: no session, an audit event with the reason', async (_what, cpr, reason) => {
    const before = await sessionCount();
    const res = await finish(await startLogin(cpr));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/portal/logind?fejl=${reason}`);
    expect(cookieOf(res, PORTAL_COOKIE)).toBeNull();
    expect(await sessionCount()).toBe(before);
    expect(await lastAudit()).toMatchObject({
      action: 'login',
      outcome: 'denied',
      criteria: { reason },
      citizen_id: null,
    });
    expect(t.logs.join('\n')).not.toContain(cpr);
  });

  it('refuses a wrong state and a replayed authorization code, with an audit event', async () => {
    const attempt = await startLogin(cprA);
    const forged = attempt.callback.replace(/state=[^&]+/, 'state=forfalsket');
    const before = await sessionCount();
    let res = await finish(attempt, forged);
    expect(res.headers.location).toBe('/portal/logind?fejl=state');
    expect(await lastAudit()).toMatchObject({ outcome: 'denied', criteria: { reason: 'state' } });

    const fresh = await startLogin(cprA);
    res = await finish(fresh);
    expect(res.headers.location).toBe('/portal');
    const sessions = await sessionCount();
    expect(sessions).toBe(before + 1);
    res = await finish(fresh);
    expect(res.headers.location).toBe('/portal/logind?fejl=code');
    expect(cookieOf(res, PORTAL_COOKIE)).toBeNull();
    expect(await sessionCount()).toBe(sessions);
    expect(await lastAudit()).toMatchObject({ outcome: 'denied', criteria: { reason: 'code' } });
  });

  it('refuses a callback without the attempt this browser started (no session)', async () => {
    const attempt = await startLogin(cprA);
    const before = await sessionCount();
    const res = await t.app.inject({ method: 'GET', url: attempt.callback });
    expect(res.headers.location).toBe('/portal/logind?fejl=attempt');
    const tampered = await finish({ ...attempt, cookie: `${attempt.cookie.slice(0, -4)}AAAA` });
    expect(tampered.headers.location).toBe('/portal/logind?fejl=attempt');
    expect(await sessionCount()).toBe(before);
  });

  it('answers 404 for a municipality that does not exist', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/portal/login?kommune=9999' });
    expect(res.statusCode).toBe(404);
  });

  it('ends the session at logout', async () => {
    const cookie = await portalLogin(cprB);
    const me = await t.app.inject({ method: 'GET', url: '/api/portal/session', headers: { cookie } });
    const csrf = me.json().csrfToken;
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/portal/logout',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/portal/plan', headers: { cookie } })).statusCode,
    ).toBe(401);
  });
});

describe('a citizen session is its own role', () => {
  it('never opens a staff route, and a staff session never opens a portal route', async () => {
    const cookie = await portalLogin(cprA);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/citizens/${a.id}`, headers: { cookie } })).statusCode,
    ).toBe(401);
    const staff = await createStaff(t.db, m, 'sagsbehandler');
    const s = await login(t.app, staff.username, staff.password);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/portal/plan', headers: { cookie: s.cookie } }))
        .statusCode,
    ).toBe(401);
  });

  it('reads only its own citizen’s rows, by row-level security, not by the route', async () => {
    const asCitizen = (citizenId: string, municipalityId: string, q: ReturnType<typeof sql>) =>
      t.database.requestDatabase.transaction(
        { role: CITIZEN_ROLE, 'app.municipality_id': municipalityId, 'app.citizen_id': citizenId },
        async (tx) => rowsOf<Record<string, unknown>>(await tx.execute(q)),
      );
    const mine = await asCitizen(a.id, m.id, sql`select id, citizen_id from goals`);
    expect(new Set(mine.map((g) => g.citizen_id))).toEqual(new Set([a.id]));
    expect(mine.map((g) => g.id).sort()).toEqual(
      [goalsOfA.citizenGoal, goalsOfA.intervention, goalsOfA.sub].sort(),
    );
    // Even asking for another citizen's rows by id answers nothing.
    expect(await asCitizen(a.id, m.id, sql`select id from goals where id = ${goalsOfB.citizenGoal}`)).toEqual(
      [],
    );
    expect(await asCitizen(a.id, m.id, sql`select id from citizens`)).toEqual([{ id: a.id }]);
    // Drafts of the plan are staff's: the citizen sees the shared version only.
    expect(await asCitizen(a.id, m.id, sql`select version from action_plans`)).toEqual([{ version: 1 }]);
    // Without a citizen set, nothing at all.
    expect(await asCitizen('', m.id, sql`select id from goals`)).toEqual([]);
  });

  it('cannot read staff-only columns or tables at all', async () => {
    const attempt = (q: ReturnType<typeof sql>) =>
      t.database.requestDatabase
        .transaction({ role: CITIZEN_ROLE, 'app.municipality_id': m.id, 'app.citizen_id': a.id }, (tx) =>
          tx.execute(q),
        )
        .then(
          () => 'allowed',
          (err: { code?: string; cause?: { code?: string } }) => err.code ?? err.cause?.code,
        );
    for (const q of [
      sql`select notes from follow_ups`,
      sql`select closing_note from cases`,
      sql`select price_amount from services`,
      sql`select cpr from citizens`,
      sql`select * from assessments`,
      sql`select * from goal_events`,
      sql`select * from sessions`,
      sql`select username from users`,
      sql`update goals set title = 'x'`,
      sql`insert into citizen_narratives (municipality_id, citizen_id, kind, version, body, written_by)
            values (${m.id}, ${b.id}, 'hopes', 99, 'x', 'citizen')`,
      sql`insert into citizen_narratives (municipality_id, citizen_id, kind, version, body, written_by)
            values (${m.id}, ${a.id}, 'hopes', 99, 'x', 'staff_on_behalf')`,
    ])
      expect(await attempt(q)).toBe('42501');
  });
});

describe('Min plan', () => {
  it('shows my shared plan, my goals first with what is worked on towards them, my services and contacts', async () => {
    const cookie = await portalLogin(cprA);
    const res = await t.app.inject({ method: 'GET', url: '/api/portal/plan', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.plans).toHaveLength(1);
    const [p] = body.plans;
    expect(p.plan).toMatchObject({ version: 1, purpose: 'ANNA: at blive mere selvhjulpen' });
    expect(p.myGoals).toHaveLength(1);
    expect(p.myGoals[0]).toMatchObject({ id: goalsOfA.citizenGoal, wordsOf: 'citizen' });
    expect(p.myGoals[0].workedOnBy[0]).toMatchObject({ id: goalsOfA.intervention });
    expect(p.myGoals[0].workedOnBy[0].subGoals[0]).toMatchObject({ id: goalsOfA.sub });
    expect(body.services).toHaveLength(1);
    expect(body.services[0]).toMatchObject({ provider: 'Bostøtte', status: 'active', since: '2026-01-15' });
    expect(body.nextFollowUpOn).toBe('2027-01-20');
    expect(body.contacts.map((c: { role: string }) => c.role).sort()).toEqual(['caseworker', 'provider']);
    const text = JSON.stringify(body);
    for (const never of ['BO:', 'KLADDE', 'INTERN NOTE', cprA]) expect(text).not.toContain(never);
    const audit = await lastAudit();
    expect(audit).toMatchObject({
      action: 'read',
      resource_type: 'portal_plan',
      citizen_id: a.id,
      actor_user_id: null,
    });
  });

  it('keeps the audit chain whole when citizens append to it', async () => {
    await portalLogin(cprB);
    const report = await withTenant(
      t.database.requestDatabase,
      { municipalityId: m.id, userId: null },
      (tx) => verifyAuditChain(tx),
    );
    expect(report.checked).toBeGreaterThan(5);
    expect(report).toMatchObject({ ok: true, firstBreak: null });
  });

  it('answers with the same key set every time (snapshot): no staff-only field can slip in', async () => {
    const cookie = await portalLogin(cprA);
    const body = (await t.app.inject({ method: 'GET', url: '/api/portal/plan', headers: { cookie } })).json();
    const keys = new Set<string>();
    const walk = (v: unknown, path: string) => {
      if (Array.isArray(v)) for (const x of v) walk(x, `${path}[]`);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          keys.add(`${path}.${k}`);
          if (k !== 'gasLevels') walk(x, `${path}.${k}`);
        }
    };
    walk(body, '');
    expect([...keys].sort()).toMatchSnapshot();
  });
});

describe('Mine ord', () => {
  it('saves what I write as written by me, keeps every version, and the caseworker sees it', async () => {
    const cookie = await portalLogin(cprB);
    const csrf = (
      await t.app.inject({ method: 'GET', url: '/api/portal/session', headers: { cookie } })
    ).json().csrfToken;
    const put = (body: string, baseVersion: number) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/portal/words/hopes',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { body, baseVersion },
      });
    const first = await put('Jeg vil gerne have en hund igen.\nOg gå ture ved stranden.', 0);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ version: 1, writtenBy: 'citizen' });
    const second = await put('Jeg vil gerne have en hund igen.', 1);
    expect(second.json()).toMatchObject({ version: 2 });
    // Starting from an old version overwrites nothing: 409 with the current text.
    const stale = await put('Noget andet', 1);
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', current: { version: 2 } });
    const words = (
      await t.app.inject({ method: 'GET', url: '/api/portal/words', headers: { cookie } })
    ).json();
    expect(words.hopes.current.body).toBe('Jeg vil gerne have en hund igen.');
    expect(words.hopes.history.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(words.resources).toEqual({ current: null, history: [] });

    const staff = await createStaff(t.db, m, 'sagsbehandler');
    const s = await login(t.app, staff.username, staff.password);
    const seen = await t.app.inject({
      method: 'GET',
      url: `/api/citizens/${b.id}`,
      headers: { cookie: s.cookie },
    });
    expect(seen.json().narratives.hopes).toMatchObject({
      version: 2,
      writtenBy: 'citizen',
      authorName: null,
      body: 'Jeg vil gerne have en hund igen.',
    });
    const audits = (await auditRows(t.db, m)).filter((r) => r.resource_type === 'citizen_narrative');
    expect(audits.map((r) => [r.action, r.outcome, r.actor_role])).toEqual(
      expect.arrayContaining([
        ['update', 'success', 'borger'],
        ['update', 'error', 'borger'],
        ['read', 'success', 'borger'],
      ]),
    );
  });
});

describe('Før opfølgningen and Sådan går det', () => {
  it('rates my goals and fills in WHO-5 as "Borger"; staff see it at the follow-up, which uses it', async () => {
    const cookie = await portalLogin(cprA);
    const csrf = (
      await t.app.inject({ method: 'GET', url: '/api/portal/session', headers: { cookie } })
    ).json().csrfToken;
    const as = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) =>
      t.app.inject({ method, url, headers: { cookie, 'x-csrf-token': csrf }, payload: payload as object });
    const before = (await as('GET', '/api/portal/before-follow-up')).json();
    expect(before.preparation).toBeNull();
    expect(before.goals.map((g: { id: string }) => g.id).sort()).toEqual(
      [goalsOfA.citizenGoal, goalsOfA.intervention].sort(),
    );
    const who5 = before.instruments.find((i: { key: string }) => i.key === 'WHO-5');
    expect(who5.items).toHaveLength(5);

    const ratings = { [goalsOfA.citizenGoal!]: 1, [goalsOfA.intervention!]: 0 };
    const saved = await as('PUT', '/api/portal/before-follow-up', {
      topics: 'Jeg vil tale om mit job.',
      ratings,
      baseVersion: 0,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(
      (await as('PUT', '/api/portal/before-follow-up', { topics: 'x', ratings, baseVersion: 0 })).statusCode,
    ).toBe(409);
    // Another citizen's goal cannot be rated.
    const foreign = await as('PUT', '/api/portal/before-follow-up', {
      topics: '',
      ratings: { [goalsOfB.citizenGoal!]: 2 },
      baseVersion: 1,
    });
    expect(foreign.statusCode).toBe(422);

    const answers = Object.fromEntries(who5.items.map((i: { id: string }) => [i.id, 3]));
    const measured = await as('POST', '/api/portal/measurements', { instrumentKey: 'WHO-5', answers });
    expect(measured.statusCode, measured.body).toBe(201);
    expect(measured.json().score).toBe(60);
    const [row] = rowsOf<{
      author_user_id: string | null;
      informant_code: string;
      service_id: string | null;
    }>(
      await t.db.execute(
        sql`select author_user_id, informant_code, service_id from measurements where id = ${measured.json().id}`,
      ),
    );
    const borger = t.app.ctx.reference
      .ofKind(t.app.ctx.reference.current('kl-caresocial').key, 'informant')
      .find((c) => c.display === 'Borger')!.code;
    expect(row).toEqual({ author_user_id: null, informant_code: borger, service_id: null });

    const progress = (await as('GET', '/api/portal/progress')).json();
    expect(progress.instruments).toEqual([
      expect.objectContaining({ key: 'WHO-5', points: [expect.objectContaining({ score: 60, byMe: true })] }),
    ]);

    // The caseworker sees the preparation on the service, and the follow-up uses it.
    const staff = await createStaff(t.db, m, 'sagsbehandler');
    const s = await login(t.app, staff.username, staff.password);
    const service = await t.app.inject({
      method: 'GET',
      url: `/api/services/${goalsOfA.serviceId}`,
      headers: { cookie: s.cookie },
    });
    expect(service.json().preparation).toMatchObject({ topics: 'Jeg vil tale om mit job.', ratings });
    const result = t.app.ctx.reference
      .ofKind(t.app.ctx.reference.current('ffb').key, 'follow_up_result')
      .find((c) => !c.attrs.ends)!.code;
    const held = await t.app.inject({
      method: 'POST',
      url: `/api/services/${goalsOfA.serviceId}/follow-ups`,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      payload: { heldOn: '2026-11-20', resultCode: result },
    });
    expect(held.statusCode, held.body).toBe(201);
    expect((await as('GET', '/api/portal/before-follow-up')).json().preparation).toBeNull();
  });
});
