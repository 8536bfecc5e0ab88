import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRows,
  createCitizen,
  createMunicipality,
  createPortalSession,
  createStaff,
  fictionalCpr,
  gasScale,
  type TestMunicipality,
} from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';

let t: TestApp;
let m1: TestMunicipality;
let m2: TestMunicipality;
let cw1: Session;
let cw2: Session;
const id: Record<string, string> = {};
let code: (kind: string, name?: string) => string;

beforeAll(async () => {
  t = await createTestApp();
  m1 = await createMunicipality(t.db);
  m2 = await createMunicipality(t.db);
  const u1 = await createStaff(t.db, m1, 'sagsbehandler');
  const u2 = await createStaff(t.db, m2, 'sagsbehandler');
  cw1 = await login(t.app, u1.username, u1.password);
  cw2 = await login(t.app, u2.username, u2.password);
  const ref = t.app.ctx.reference;
  const ffb = ref.current('ffb').key;
  code = (kind: string, name?: string) =>
    ref.ofKind(ffb, kind).find((c) => !name || c.display === name)!.code;
  const as1 = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
    call(t.app, cw1, { method, url, payload });
  id.citizen = (await createCitizen(t.db, m1)).id;
  id.case = (await as1('POST', `/api/citizens/${id.citizen}/cases`, { reason: 'Tenancy' })).json().id;
  id.assessment = (await as1('POST', `/api/cases/${id.case}/assessments`, { kind: 'initial' })).json().id;
  const goals = (
    await as1('POST', `/api/cases/${id.case}/goals`, {
      kind: 'intervention',
      title: 'Mål',
      wordsOf: 'caseworker',
      subthemeCode: code('subtheme', 'Købe ind'),
      expectedLevel: 1,
      goalTypeCode: code('goal_type'),
      gas: gasScale(),
    })
  ).json().goals;
  id.goal = goals[0].id;
  const service = await as1('POST', `/api/cases/${id.case}/services`, {
    ydelseCode: code('ydelse'),
    paragraphCode: 'SEL §85',
    providerUnitId: m1.units.provider,
    primaryTargetGroupCode: code('target_group'),
    status: 'granted',
    supportNeedCode: code('support_need'),
    startOn: '2026-11-01',
    goalIds: [id.goal],
  });
  id.service = service.json().id;
  id.plan = (await as1('PUT', `/api/cases/${id.case}/plan`, { purpose: 'Formål' })).json().id;
  const offer = await as1('POST', '/api/community-offers', { name: 'Tilbud', category: 'sport' });
  id.offer = offer.json().id;
  id.link = (await as1('POST', `/api/goals/${id.goal}/offers`, { offerId: id.offer })).json().id;
  id.member = (
    await as1('POST', `/api/citizens/${id.citizen}/network`, {
      name: 'Mor',
      relation: 'mor',
      contactConsent: 'yes',
      writtenBy: 'citizen',
    })
  ).json().id;
  // The citizen's side (issue 14): a goal proposal, a message thread and a relative's access.
  const borger = await createPortalSession(t.app, t.db, m1, id.citizen);
  const asBorger = async (url: string, payload: Record<string, unknown>) =>
    (await call(t.app, borger, { method: 'POST', url, payload })).json().id as string;
  id.proposal = await asBorger('/api/portal/goals/proposals', {
    caseId: id.case,
    goalId: null,
    words: 'Mit mål',
  });
  id.thread = await asBorger('/api/portal/messages', {
    caseId: id.case,
    unitId: m1.units.authority,
    subject: 'Hej',
    body: 'Hej',
  });
  id.representation = await asBorger('/api/portal/representatives', {
    name: 'Mor',
    cpr: fictionalCpr(),
    scopes: ['read'],
    validUntil: '2027-01-01',
  });
  for (const k of Object.keys(id)) expect(id[k], k).toMatch(/^[0-9a-f-]{36}$/);
});
afterAll(() => t.close());

describe("another municipality's pathway", () => {
  it('answers 404 on every route, reading or writing, and records the denials in the right log', async () => {
    const requests: [string, string, unknown?][] = [
      ['GET', `/api/citizens/${id.citizen}/cases`],
      ['GET', `/api/citizens/${id.citizen}`],
      [
        'PUT',
        `/api/citizens/${id.citizen}`,
        { cpr: '0101851234', firstName: 'X', lastName: 'Y', version: 1 },
      ],
      ['DELETE', `/api/citizens/${id.citizen}?version=1`],
      [
        'PUT',
        `/api/citizens/${id.citizen}/narratives/hopes`,
        { body: 'x', writtenBy: 'citizen', baseVersion: 0 },
      ],
      ['GET', `/api/citizens/${id.citizen}/narratives/hopes/history`],
      [
        'POST',
        `/api/citizens/${id.citizen}/network`,
        { name: 'N', relation: 'Ven', contactConsent: 'yes', writtenBy: 'citizen' },
      ],
      [
        'PUT',
        `/api/citizens/${id.citizen}/network/${id.member}`,
        { name: 'N', relation: 'Ven', contactConsent: 'yes', writtenBy: 'citizen', baseRevision: 1 },
      ],
      ['GET', `/api/citizens/${id.citizen}/network/${id.member}/history`],
      [
        'POST',
        `/api/citizens/${id.citizen}/measurements`,
        { instrumentKey: 'WHO-5', administeredOn: '2026-11-01', informantCode: id.goal, answers: {} },
      ],
      ['POST', `/api/citizens/${id.citizen}/cases`, { reason: 'x' }],
      ['GET', `/api/cases/${id.case}`],
      ['PUT', `/api/cases/${id.case}/phase`, { phase: 'plan', version: 1 }],
      ['POST', `/api/cases/${id.case}/close`, { endReasonCode: id.goal, version: 1 }],
      ['POST', `/api/cases/${id.case}/assessments`, { kind: 'initial' }],
      ['GET', `/api/assessments/${id.assessment}`],
      [
        'PUT',
        `/api/assessments/${id.assessment}`,
        { version: 1, assessedOn: '2026-11-01', life: {}, conditions: [], accounts: [] },
      ],
      ['POST', `/api/assessments/${id.assessment}/complete`, { version: 1 }],
      ['POST', `/api/cases/${id.case}/goals`, { kind: 'citizen_goal', title: 'x', wordsOf: 'citizen' }],
      ['PUT', `/api/goals/${id.goal}`, { title: 'x', wordsOf: 'citizen', version: 1 }],
      ['POST', `/api/goals/${id.goal}/notes`, { body: 'x' }],
      ['GET', `/api/goals/${id.goal}/history`],
      ['GET', `/api/services/${id.service}`],
      ['POST', `/api/services/${id.service}/status`, { status: 'active', version: 1 }],
      ['POST', `/api/services/${id.service}/provider-plan`, { approach: 'x' }],
      ['POST', `/api/services/${id.service}/follow-ups`, { heldOn: '2026-11-01', resultCode: id.goal }],
      [
        'POST',
        `/api/cases/${id.case}/services`,
        {
          ydelseCode: code('ydelse'),
          paragraphCode: 'SEL §85',
          providerUnitId: m2.units.provider,
          primaryTargetGroupCode: code('target_group'),
        },
      ],
      [
        'PUT',
        `/api/services/${id.service}`,
        {
          ydelseCode: code('ydelse'),
          paragraphCode: 'SEL §85',
          providerUnitId: m2.units.provider,
          primaryTargetGroupCode: code('target_group'),
          version: 1,
        },
      ],
      ['POST', `/api/services/${id.service}/sub-goals`, { kind: 'sub', title: 'x', wordsOf: 'provider' }],
      ['GET', `/api/cases/${id.case}/plans`],
      ['PUT', `/api/cases/${id.case}/plan`, { purpose: 'x' }],
      ['GET', `/api/plans/${id.plan}`],
      ['POST', `/api/plans/${id.plan}/share`, { rowVersion: 1 }],
      ['GET', `/api/citizens/${id.citizen}/timeline`],
      ['GET', `/api/citizens/${id.citizen}/outcomes`],
      ['POST', `/api/goals/${id.goal}/offers`, { offerId: id.offer }],
      ['PUT', `/api/goal-offers/${id.link}`, { status: 'stopped', version: 1 }],
      ['PUT', `/api/community-offers/${id.offer}`, { name: 'X', category: 'sport', version: 1 }],
      ['GET', `/api/citizens/${id.citizen}/consents`],
      ['GET', `/api/cases/${id.case}/goal-proposals`],
      ['POST', `/api/goal-proposals/${id.proposal}/accept`, {}],
      ['POST', `/api/goal-proposals/${id.proposal}/answer`, { answer: 'x' }],
      ['GET', `/api/messages/${id.thread}`],
      ['POST', `/api/citizens/${id.citizen}/messages`, { caseId: id.case, subject: 'x', body: 'x' }],
      ['POST', `/api/messages/${id.thread}`, { body: 'x' }],
      ['GET', `/api/citizens/${id.citizen}/representatives`],
      [
        'POST',
        `/api/citizens/${id.citizen}/representatives`,
        { name: 'X', cpr: fictionalCpr(), scopes: ['read'], validUntil: '2027-01-01', givenOn: '2026-11-01' },
      ],
      ['POST', `/api/citizens/${id.citizen}/representatives/${id.representation}/revoke`],
      [
        'POST',
        `/api/citizens/${id.citizen}/consents`,
        {
          partnerUnitId: m2.units.provider,
          scopes: ['goals'],
          purpose: 'x',
          validUntil: '2027-01-01',
          givenHow: 'paper',
          givenOn: '2026-11-01',
        },
      ],
    ];
    // Every route that takes the id of a citizen's data is here (the list is checked against the routes).
    const covered = new Set(
      requests.map(([method, url]) => {
        const route = t.app.routeInventory.find(
          (r) =>
            r.method === method &&
            new RegExp(`^${r.url.replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(url.split('?')[0]!),
        );
        return `${method} ${route?.url}`;
      }),
    );
    // Caseworkers' routes. The portal's (a citizen's session), the partner's and the administrator's answers
    // to citizens' questions are checked across citizens and tenants in portal.test.ts and consents.test.ts.
    const staffRoute = (x: { policy: object }) =>
      !('citizen' in x.policy) &&
      !('action' in x.policy && ['partner.read', 'audit.answer'].includes(x.policy.action as string));
    for (const r of t.app.routeInventory.filter(
      (x) => x.audited && x.method !== 'HEAD' && x.url.includes(':') && staffRoute(x),
    ))
      expect(covered, `${r.method} ${r.url} is not checked across tenants`).toContain(`${r.method} ${r.url}`);
    const before1 = (await auditRows(t.db, m1)).length;
    const before2 = (await auditRows(t.db, m2)).filter((r) => r.outcome === 'denied').length;
    for (const [method, url, payload] of requests) {
      const res = await call(t.app, cw2, {
        method: method as 'GET',
        url,
        payload: payload as Record<string, unknown>,
      });
      // The same answer as for an id that does not exist: 404, never an empty list or a 403.
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    // Nothing was written into the first municipality's log, and its data is unchanged; every denial is
    // in the second municipality's own log.
    expect((await auditRows(t.db, m1)).length).toBe(before1);
    const denied = (await auditRows(t.db, m2)).filter((r) => r.outcome === 'denied');
    expect(denied.length - before2).toBe(requests.length - 1);
    const view = await call(t.app, cw1, { method: 'GET', url: `/api/cases/${id.case}` });
    expect(view.json()).toMatchObject({ phase: 'opened', version: 1 });
    expect(view.json().goals[0].title).toBe('Mål');
  });
});
