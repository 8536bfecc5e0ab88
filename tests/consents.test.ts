import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goals, orgUnits } from '../src/server/db/schema';
import { asOwner } from '../src/server/db/seed/owner';
import {
  auditRows,
  createCitizen,
  createMunicipality,
  createPortalSession,
  createServiceFor,
  createStaff,
  createUser,
  type TestMunicipality,
} from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';

/**
 * Issue 14, items 5–7: consent as data, enforced at every partner request; Min log shows the partner's
 * lookups with the consent they relied on.
 */
let t: TestApp;
let m: TestMunicipality;
let jobcenter: string;
let psychiatry: string;
let consultant: Session;
let psychiatrist: Session;
let caseworker: Session;
let anna: { id: string };
let annaPortal: Session;
let bo: { id: string };
let boPortal: Session;
/** Two life areas (FFB themes) and a goal in each. */
let work: string;
let other: string;
const ids = { citizenGoal: randomUUID(), workGoal: randomUUID(), otherGoal: randomUUID(), sub: randomUUID() };

beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db);
  jobcenter = randomUUID();
  psychiatry = randomUUID();
  await asOwner(t.db, m.id, (tx) =>
    tx.insert(orgUnits).values([
      {
        id: jobcenter,
        municipalityId: m.id,
        name: 'Jobcenter Testby',
        kind: 'partner',
        providerType: 'Jobcenter',
      },
      {
        id: psychiatry,
        municipalityId: m.id,
        name: 'Regionspsykiatrien',
        kind: 'partner',
        providerType: 'Region',
      },
    ]),
  );
  const c = await createUser(t.db, m, [['partner', jobcenter]]);
  consultant = await login(t.app, c.username, c.password);
  const p = await createUser(t.db, m, [['partner', psychiatry]]);
  psychiatrist = await login(t.app, p.username, p.password);
  const cw = await createStaff(t.db, m, 'sagsbehandler');
  caseworker = await login(t.app, cw.username, cw.password);
  anna = await createCitizen(t.db, m, { firstName: 'Anna', lastName: 'Andersen', phone: '+45 11 22 33 44' });
  bo = await createCitizen(t.db, m, { firstName: 'Bo', lastName: 'Bertelsen' });
  annaPortal = await createPortalSession(t.app, t.db, m, anna.id);
  boPortal = await createPortalSession(t.app, t.db, m, bo.id);
  const ref = t.app.ctx.reference;
  const ffb = ref.current('ffb').key;
  const subthemes = ref.ofKind(ffb, 'subtheme');
  const first = subthemes[0]!;
  const second = subthemes.find((s) => s.parentCode !== first.parentCode)!;
  work = first.parentCode!;
  other = second.parentCode!;
  const goalType = ref.ofKind(ffb, 'goal_type')[0]!.code;
  const { caseId, serviceId } = await createServiceFor(t.db, m, anna.id, m.units.provider);
  const base = { municipalityId: m.id, citizenId: anna.id, caseId, status: 'active' };
  const intervention = (id: string, sub: string, title: string) => ({
    ...base,
    id,
    kind: 'intervention',
    wordsOf: 'caseworker',
    citizenGoalId: ids.citizenGoal,
    title,
    ffbList: ffb,
    subthemeCode: sub,
    expectedLevel: 2,
    goalTypeCode: goalType,
  });
  await asOwner(t.db, m.id, (tx) =>
    tx.insert(goals).values([
      {
        ...base,
        id: ids.citizenGoal,
        kind: 'citizen_goal',
        wordsOf: 'citizen',
        title: 'Jeg vil have et job',
      },
      intervention(ids.workGoal, first.code, 'ARBEJDSMÅL'),
      intervention(ids.otherGoal, second.code, 'ANDET MÅL'),
      {
        ...base,
        id: ids.sub,
        kind: 'sub',
        wordsOf: 'provider',
        parentGoalId: ids.workGoal,
        serviceId,
        title: 'DELMÅL',
      },
    ]),
  );
}, 60_000);
afterAll(() => t.close());

const today = () => new Date(t.clock.now()).toISOString().slice(0, 10);
const inMonths = (n: number) => {
  const d = new Date(t.clock.now());
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
};
const give = (who: Session, body: Record<string, unknown>) =>
  call(t.app, who, { method: 'POST', url: '/api/portal/consents', payload: body });
const view = (who: Session, id = anna.id) =>
  call(t.app, who, { method: 'GET', url: `/api/partner/citizens/${id}` });
const withdraw = (who: Session, id: string) =>
  call(t.app, who, { method: 'POST', url: `/api/portal/consents/${id}/withdraw` });
const workConsent = () => ({
  partnerUnitId: jobcenter,
  scopes: ['goals'],
  lifeAreas: [work],
  purpose: 'Afklaring af job med støtte',
  validUntil: inMonths(6),
});

describe('consent enforced when partners read', () => {
  it('without consent the partner gets 404, and the refusal is audited', async () => {
    expect((await view(consultant)).statusCode).toBe(404);
    const list = await call(t.app, consultant, { method: 'GET', url: '/api/partner/citizens' });
    expect(list.json().items).toEqual([]);
    expect((await auditRows(t.db, m)).at(-1)).toMatchObject({
      resource_type: 'partner_view',
      outcome: 'denied',
      actor_role: 'partner',
    });
  });

  it('with consent to goals about work, the jobcenter sees exactly those goals, nothing else', async () => {
    const res = await give(annaPortal, workConsent());
    expect(res.statusCode, res.body).toBe(201);
    const consentId = res.json().id;
    const seen = await view(consultant);
    expect(seen.statusCode).toBe(200);
    const body = seen.json();
    expect(body.goals).toHaveLength(1);
    expect(body.goals[0]).toMatchObject({ id: ids.citizenGoal, title: 'Jeg vil have et job' });
    expect(body.goals[0].workedOnBy.map((g: { id: string }) => g.id)).toEqual([ids.workGoal]);
    expect(body.goals[0].workedOnBy[0].subGoals.map((g: { id: string }) => g.id)).toEqual([ids.sub]);
    expect(JSON.stringify(body)).not.toContain('ANDET MÅL');
    expect(body).toMatchObject({ contact: null, plan: null, measures: null });
    expect(JSON.stringify(body)).not.toContain('+45 11 22 33 44');
    expect((await auditRows(t.db, m)).at(-1)).toMatchObject({
      resource_type: 'partner_view',
      citizen_id: anna.id,
      actor_role: 'partner',
      criteria: { consentIds: [consentId], scopes: ['goals'] },
    });
    // Another partner organisation has no consent: 404.
    expect((await view(psychiatrist)).statusCode).toBe(404);
    // The list shows the citizen to the jobcenter only.
    const list = await call(t.app, consultant, { method: 'GET', url: '/api/partner/citizens' });
    expect(list.json().items).toEqual([expect.objectContaining({ id: anna.id, scopes: ['goals'] })]);

    // Withdrawn: the next request is 404.
    expect((await withdraw(annaPortal, consentId)).statusCode).toBe(204);
    expect((await view(consultant)).statusCode).toBe(404);
    // The refused attempt is in Anna's own log.
    const log = (await call(t.app, annaPortal, { method: 'GET', url: '/api/portal/log' })).json();
    expect(log.items).toContainEqual(
      expect.objectContaining({ who: 'partner', resourceType: 'partner_view', outcome: 'denied' }),
    );
    expect((await withdraw(annaPortal, consentId)).statusCode).toBe(404);
  });

  it('an expired consent stops at the end date', async () => {
    const res = await give(annaPortal, {
      ...workConsent(),
      scopes: ['contact'],
      lifeAreas: [],
      validUntil: today(),
    });
    expect(res.statusCode).toBe(201);
    const seen = await view(consultant);
    expect(seen.json().contact.phone).toBe('+45 11 22 33 44');
    t.clock.advance(24 * 60 * 60 * 1000);
    try {
      // A day later every session has timed out: the consultant logs in again (the others stay untouched).
      const c = await createUser(t.db, m, [['partner', jobcenter]]);
      expect((await view(await login(t.app, c.username, c.password))).statusCode).toBe(404);
    } finally {
      t.clock.advance(-24 * 60 * 60 * 1000);
    }
    await withdraw(annaPortal, res.json().id);
  });

  it('narrows a consent (less, never more) and records who gave what', async () => {
    const given = await give(annaPortal, { ...workConsent(), scopes: ['goals', 'contact'], lifeAreas: [] });
    const id = given.json().id;
    expect((await view(consultant)).json().goals).toHaveLength(1);
    const wider = await call(t.app, annaPortal, {
      method: 'POST',
      url: `/api/portal/consents/${id}/narrow`,
      payload: { scopes: ['goals', 'contact', 'plan'], lifeAreas: [], validUntil: inMonths(6) },
    });
    expect(wider.statusCode).toBe(422);
    const narrowed = await call(t.app, annaPortal, {
      method: 'POST',
      url: `/api/portal/consents/${id}/narrow`,
      payload: { scopes: ['goals'], lifeAreas: [other], validUntil: inMonths(3) },
    });
    expect(narrowed.statusCode, narrowed.body).toBe(201);
    const after = (await view(consultant)).json();
    expect(after.contact).toBeNull();
    expect(after.goals[0].workedOnBy.map((g: { title: string }) => g.title)).toEqual(['ANDET MÅL']);
    const mine = (await call(t.app, annaPortal, { method: 'GET', url: '/api/portal/consents' })).json();
    expect(mine.items.find((c: { id: string }) => c.id === id)).toMatchObject({ status: 'withdrawn' });
    expect(mine.items.find((c: { id: string }) => c.id === narrowed.json().id)).toMatchObject({
      status: 'active',
      replacesId: id,
      givenHow: 'portal',
    });
    await withdraw(annaPortal, narrowed.json().id);
    expect((await view(consultant)).statusCode).toBe(404);
  });

  it('refuses a consent to a unit that is no partner, an unknown life area, or past two years', async () => {
    for (const wrong of [
      { partnerUnitId: m.units.provider },
      { lifeAreas: ['findes-ikke'] },
      { validUntil: inMonths(25) },
      { validUntil: '2020-01-01' },
    ]) {
      const res = await give(annaPortal, { ...workConsent(), ...wrong });
      expect(res.statusCode, JSON.stringify(wrong)).toBe(422);
    }
  });

  it('a citizen cannot see or withdraw another citizen’s consent', async () => {
    const res = await give(annaPortal, workConsent());
    const id = res.json().id;
    expect((await withdraw(boPortal, id)).statusCode).toBe(404);
    const bos = (await call(t.app, boPortal, { method: 'GET', url: '/api/portal/consents' })).json();
    expect(bos.items).toEqual([]);
    expect((await view(consultant)).statusCode).toBe(200);
    expect((await view(consultant, bo.id)).statusCode).toBe(404);
    await withdraw(annaPortal, id);
  });

  it('a partner of another municipality, and a citizen of another, get 404', async () => {
    const id = (await give(annaPortal, workConsent())).json().id;
    const elsewhere = await createMunicipality(t.db);
    const unit = randomUUID();
    await asOwner(t.db, elsewhere.id, (tx) =>
      tx
        .insert(orgUnits)
        .values({ id: unit, municipalityId: elsewhere.id, name: 'Jobcenter Andetsteds', kind: 'partner' }),
    );
    const u = await createUser(t.db, elsewhere, [['partner', unit]]);
    const foreignPartner = await login(t.app, u.username, u.password);
    expect((await view(foreignPartner)).statusCode).toBe(404);
    const stranger = await createCitizen(t.db, elsewhere);
    const strangerPortal = await createPortalSession(t.app, t.db, elsewhere, stranger.id);
    expect((await withdraw(strangerPortal, id)).statusCode).toBe(404);
    const narrowed = await call(t.app, strangerPortal, {
      method: 'POST',
      url: `/api/portal/consents/${id}/narrow`,
      payload: { scopes: ['goals'], validUntil: inMonths(1) },
    });
    expect(narrowed.statusCode).toBe(404);
    expect((await view(consultant)).statusCode).toBe(200);
    await withdraw(annaPortal, id);
  });

  it('staff record a consent given on paper; the partner sees what it allows', async () => {
    const res = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/citizens/${bo.id}/consents`,
      payload: { ...workConsent(), scopes: ['contact'], lifeAreas: [], givenHow: 'paper', givenOn: today() },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await view(consultant, bo.id)).statusCode).toBe(200);
    const future = await call(t.app, caseworker, {
      method: 'POST',
      url: `/api/citizens/${bo.id}/consents`,
      payload: { ...workConsent(), givenHow: 'paper', givenOn: inMonths(1) },
    });
    expect(future.statusCode).toBe(422);
    const listed = await call(t.app, caseworker, { method: 'GET', url: `/api/citizens/${bo.id}/consents` });
    expect(listed.json().items[0]).toMatchObject({ givenHow: 'paper', status: 'active' });
    // Bo sees it in the portal and can withdraw it there.
    const bos = (await call(t.app, boPortal, { method: 'GET', url: '/api/portal/consents' })).json();
    expect(bos.items).toHaveLength(1);
    expect((await withdraw(boPortal, bos.items[0].id)).statusCode).toBe(204);
    expect((await view(consultant, bo.id)).statusCode).toBe(404);
  });
});

describe('Min log', () => {
  it('lists every audited lookup and change of my data, the partner’s with the consent it relied on', async () => {
    const consentId = (await give(annaPortal, workConsent())).json().id;
    await view(consultant);
    const rows = (await auditRows(t.db, m)).filter((r) => r.citizen_id === anna.id);
    const log = (await call(t.app, annaPortal, { method: 'GET', url: '/api/portal/log' })).json();
    expect(log.total).toBe(rows.length);
    expect(log.items).toHaveLength(rows.length);
    const partnerRead = log.items.find(
      (e: { who: string; outcome: string }) => e.who === 'partner' && e.outcome === 'success',
    );
    expect(partnerRead).toMatchObject({
      role: 'partner',
      units: ['Jobcenter Testby'],
      consent: [{ id: consentId, purpose: 'Afklaring af job med støtte' }],
    });
    expect(log.items.some((e: { who: string }) => e.who === 'me')).toBe(true);
    // Nothing about another citizen.
    const bosLog = (await call(t.app, boPortal, { method: 'GET', url: '/api/portal/log' })).json();
    expect(
      bosLog.items.every((e: { id: string }) => !log.items.some((a: { id: string }) => a.id === e.id)),
    ).toBe(true);
  });

  it('"Det her forstår jeg ikke": the citizen asks about an event, the administrator answers, the citizen reads it', async () => {
    const log = (await call(t.app, annaPortal, { method: 'GET', url: '/api/portal/log' })).json();
    const event = log.items.find((e: { who: string }) => e.who === 'partner');
    const ask = (who: Session, id: string) =>
      call(t.app, who, {
        method: 'POST',
        url: `/api/portal/log/${id}/question`,
        payload: { question: 'Hvorfor kiggede jobcentret på mine mål?' },
      });
    expect((await ask(boPortal, event.id)).statusCode).toBe(404);
    expect((await ask(annaPortal, event.id)).statusCode).toBe(201);
    expect((await ask(annaPortal, event.id)).statusCode).toBe(409);
    const a = await createStaff(t.db, m, 'administrator');
    const admin = await login(t.app, a.username, a.password);
    const list = (await call(t.app, admin, { method: 'GET', url: '/api/audit/questions' })).json();
    expect(list.items[0]).toMatchObject({
      citizen: { id: anna.id, name: 'Anna Andersen' },
      question: 'Hvorfor kiggede jobcentret på mine mål?',
      answer: null,
      event: { role: 'partner', resourceType: 'partner_view' },
    });
    const answer = (id: string) =>
      call(t.app, admin, {
        method: 'POST',
        url: `/api/audit/questions/${id}/answer`,
        payload: { answer: 'Jobcentret så dine mål om arbejde, som du gav samtykke til.' },
      });
    // An administrator of another municipality neither sees nor answers it.
    const elsewhere = await createMunicipality(t.db);
    const other = await createStaff(t.db, elsewhere, 'administrator');
    const otherAdmin = await login(t.app, other.username, other.password);
    expect(
      (await call(t.app, otherAdmin, { method: 'GET', url: '/api/audit/questions' })).json().items,
    ).toEqual([]);
    const foreign = await call(t.app, otherAdmin, {
      method: 'POST',
      url: `/api/audit/questions/${list.items[0].id}/answer`,
      payload: { answer: 'x' },
    });
    expect(foreign.statusCode).toBe(404);
    expect((await answer(list.items[0].id)).statusCode).toBe(204);
    expect((await answer(list.items[0].id)).statusCode).toBe(409);
    const after = (await call(t.app, annaPortal, { method: 'GET', url: '/api/portal/log' })).json();
    expect(after.items.find((e: { id: string }) => e.id === event.id).question).toMatchObject({
      answer: 'Jobcentret så dine mål om arbejde, som du gav samtykke til.',
    });
    // A caseworker has no such list.
    expect((await call(t.app, caseworker, { method: 'GET', url: '/api/audit/questions' })).statusCode).toBe(
      403,
    );
  });
});
