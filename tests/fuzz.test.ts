import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCitizen, createMunicipality, createUser, type TestMunicipality } from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';

let t: TestApp;
let m: TestMunicipality;
let s: Session;
let citizenId: string;
/** Real ids and codes of a pathway, so random bodies also reach the domain rules behind validation. */
let ids: string[] = [];
let codes: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db);
  citizenId = (await createCitizen(t.db, m)).id;
  // One user with every role reaches every route's validation and service code.
  const u = await createUser(t.db, m, [
    ['sagsbehandler', m.units.authority],
    ['leder', m.units.authority],
    ['administrator', m.units.authority],
    ['udfoerer', m.units.provider],
  ]);
  s = await login(t.app, u.username, u.password);
  const ref = t.app.ctx.reference;
  const ffb = ref.current('ffb').key;
  const kl = ref.current('kl-caresocial').key;
  codes = [
    ...['subtheme', 'theme', 'goal_type', 'support_need', 'follow_up_result', 'ydelse', 'target_group'].map(
      (k) => ref.ofKind(ffb, k)[0]!.code,
    ),
    ref.ofKind(kl, 'informant')[0]!.code,
    ref.ofKind(kl, 'end_reason')[0]!.code,
    'SEL §85',
    'WHO-5',
  ];
  const c = (
    await call(t.app, s, {
      method: 'POST',
      url: `/api/citizens/${citizenId}/cases`,
      payload: { reason: 'Fuzz' },
    })
  ).json();
  const a = (
    await call(t.app, s, {
      method: 'POST',
      url: `/api/cases/${c.id}/assessments`,
      payload: { kind: 'initial' },
    })
  ).json();
  const g = (
    await call(t.app, s, {
      method: 'POST',
      url: `/api/cases/${c.id}/goals`,
      payload: { kind: 'citizen_goal', title: 'Mål', wordsOf: 'citizen' },
    })
  ).json().goals[0];
  ids = [c.id, a.id, g.id, m.units.provider, m.units.authority];
});
afterAll(() => t.close());

const segment = () =>
  fc.oneof(
    fc.constant(citizenId),
    fc.constantFrom(...ids),
    fc.constant(randomUUID()),
    fc.constantFrom('hopes', 'resources', '..', '%00', "1' or '1'='1", '0'),
    fc.string({ maxLength: 40 }).map(encodeURIComponent),
  );

const body = () =>
  fc.oneof(
    fc.jsonValue(),
    fc.dictionary(
      fc.constantFrom(
        'cpr',
        'name',
        'firstName',
        'lastName',
        'version',
        'baseVersion',
        'baseRevision',
        'body',
        'writtenBy',
        'kind',
        'role',
        'unitId',
        'password',
        'username',
        'displayName',
        'active',
        'limit',
        'offset',
        'before',
        'from',
        'mine',
        'contactConsent',
        'relation',
        'removed',
        'parentId',
        'email',
        'phone',
        'roles',
        'responsibleUnitId',
        'reason',
        'phase',
        'endReasonCode',
        'title',
        'wordsOf',
        'status',
        'citizenGoalId',
        'parentGoalId',
        'subthemeCode',
        'expectedLevel',
        'goalTypeCode',
        'assessedOn',
        'supportNeedCode',
        'life',
        'conditions',
        'accounts',
        'ydelseCode',
        'paragraphCode',
        'providerUnitId',
        'primaryTargetGroupCode',
        'startOn',
        'endOn',
        'goalIds',
        'heldOn',
        'resultCode',
        'ratings',
        'goalStatuses',
        'instrumentKey',
        'administeredOn',
        'informantCode',
        'answers',
        'offerId',
        'approach',
        'methodCodes',
        'purpose',
        'participants',
        'rowVersion',
        'priceAmount',
        'priceUnit',
      ),
      fc.oneof(
        fc.jsonValue(),
        fc.string(),
        fc.integer(),
        fc.constant(null),
        fc.constant(citizenId),
        fc.constantFrom(...ids),
        fc.constantFrom(...codes),
        fc.constantFrom('2026-11-01', '1999-02-31', '2100-01-01', -2, 0, 2, 4, 5, 1e308, -0.5),
        fc.array(
          fc.record({
            goalId: fc.constantFrom(...ids),
            subthemeCode: fc.constantFrom(...codes),
            level: fc.integer({ min: -1, max: 5 }),
            rater: fc.constantFrom('citizen', 'professional'),
            informantCode: fc.constantFrom(...codes),
            score: fc.integer({ min: -3, max: 3 }),
          }),
          { maxLength: 3 },
        ),
        fc.constant("'; drop table citizens; --"),
      ),
    ),
  );

describe('no input produces a 5xx', () => {
  it('holds for random bodies and path segments on every write route', async () => {
    const writes = t.app.routeInventory.filter(
      (r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.url !== '/api/auth/logout',
    );
    expect(writes.length).toBeGreaterThan(10);
    for (const route of writes) {
      await fc.assert(
        fc.asyncProperty(
          body(),
          fc.array(segment(), { minLength: 3, maxLength: 3 }),
          async (payload, segs) => {
            let i = 0;
            const url = route.url.replace(/:[A-Za-z]+/g, () => segs[i++]!);
            const res = await call(t.app, s, {
              method: route.method as 'POST',
              url,
              payload: JSON.stringify(payload),
              headers: { 'content-type': 'application/json' },
            });
            if (res.statusCode >= 500)
              throw new Error(
                `${route.method} ${url} ${JSON.stringify(payload)} → ${res.statusCode} ${res.body}`,
              );
            expect(res.body).not.toMatch(/at .+\.ts:\d+/);
          },
        ),
        { numRuns: 40 },
      );
    }
    // The session survived the onslaught: nothing the fuzzer sent ended or broke it.
    expect((await call(t.app, s, { method: 'GET', url: '/api/auth/session' })).statusCode).toBe(200);
  });

  it('answers malformed JSON and wrong content types with 4xx problem details', async () => {
    const bad = await call(t.app, s, {
      method: 'POST',
      url: '/api/citizens/search',
      payload: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('bad_request');
    const wrongType = await call(t.app, s, {
      method: 'POST',
      url: '/api/citizens/search',
      payload: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.statusCode).toBe(415);
  });
});
