import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner } from '../src/server/db/seed/owner';
import {
  auditRows,
  createCitizen,
  createMunicipality,
  createStaff,
  createUser,
  gasScale,
  type TestMunicipality,
} from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';

let t: TestApp;
let m: TestMunicipality;
let cw: Session;
let provider: Session;
let otherProvider: Session;
let admin: Session;
// biome-ignore lint/suspicious/noExplicitAny: the reference payload is checked by its own test
let ref: any;

beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db);
  const s = async (u: { username: string; password: string }) => login(t.app, u.username, u.password);
  cw = await s(await createStaff(t.db, m, 'sagsbehandler'));
  provider = await s(await createStaff(t.db, m, 'udfoerer'));
  otherProvider = await s(await createUser(t.db, m, [['udfoerer', m.units.otherProvider]]));
  admin = await s(await createStaff(t.db, m, 'administrator'));
  ref = (await call(t.app, cw, { method: 'GET', url: '/api/reference' })).json();
});
afterAll(() => t.close());

const as = (s: Session, opts: Parameters<typeof call>[2]) => call(t.app, s, opts);
const find = <T extends { display: string }>(xs: T[], name: string) => {
  const x = xs.find((y) => y.display === name);
  if (!x) throw new Error(`no ${name}`);
  return x as T & { code: string };
};
const subtheme = (name: string) =>
  find(
    ref.ffb.themes.flatMap((x: { subthemes: { code: string; display: string }[] }) => x.subthemes),
    name,
  ).code;
const ydelse = (name: string) => find(ref.ffb.ydelser, name).code;
const targetGroup = (name: string) => find(ref.ffb.targetGroups, name).code;
const informant = (name: string) => find(ref.klCaresocial.informants, name).code;
const result = (prefix: string) =>
  ref.ffb.followUpResults.find((r: { display: string }) => r.display.startsWith(prefix)).code as string;
const endReason = (prefix: string) =>
  ref.klCaresocial.endReasons.find((r: { display: string }) => r.display.startsWith(prefix)).code as string;

/** A case with a citizen goal and an intervention goal, ready for a service. */
async function caseWithGoal() {
  // The citizen's responsible unit is the authority, so provider staff reach the citizen only through a service.
  const citizen = await createCitizen(t.db, m, { responsibleUnitId: m.units.authority });
  const c = (
    await as(cw, {
      method: 'POST',
      url: `/api/citizens/${citizen.id}/cases`,
      payload: { reason: 'Ønsker hjælp til hverdagen' },
    })
  ).json();
  const post = (payload: Record<string, unknown>) =>
    as(cw, { method: 'POST', url: `/api/cases/${c.id}/goals`, payload });
  const wish = (
    await post({ kind: 'citizen_goal', title: 'Jeg vil kunne handle selv', wordsOf: 'citizen' })
  ).json().goals[0];
  const view = (
    await post({
      kind: 'intervention',
      title: 'Borgeren handler ind i nærmeste butik',
      wordsOf: 'caseworker',
      citizenGoalId: wish.id,
      subthemeCode: subtheme('Købe ind'),
      expectedLevel: 1,
      goalTypeCode: find(ref.ffb.goalTypes, 'Udvikle funktionsevne').code,
      status: 'active',
      gas: gasScale(),
    })
  ).json();
  const goal = view.goals.find((g: { kind: string }) => g.kind === 'intervention');
  return {
    citizenId: citizen.id,
    caseId: c.id as string,
    goalId: goal.id as string,
    wishId: wish.id as string,
  };
}

const service85 = (goalIds: string[], over: Record<string, unknown> = {}) => ({
  ydelseCode: ydelse('Støtte til daglige opgaver i hjemmet'),
  paragraphCode: 'SEL §85',
  providerUnitId: m.units.provider,
  primaryTargetGroupCode: targetGroup('Angst'),
  secondaryTargetGroupCodes: [targetGroup('Social isolation')],
  supportNeedCode: ref.ffb.supportNeeds[2].code,
  status: 'granted',
  startOn: '2026-09-01',
  hoursPerWeek: 3,
  priceAmount: 450,
  priceUnit: 'hour',
  goalIds,
  ...over,
});

async function activeService(x: { caseId: string; goalId: string }, over: Record<string, unknown> = {}) {
  const created = await as(cw, {
    method: 'POST',
    url: `/api/cases/${x.caseId}/services`,
    payload: service85([x.goalId], over),
  });
  expect(created.statusCode, created.body).toBe(201);
  const s = created.json();
  const active = await as(cw, {
    method: 'POST',
    url: `/api/services/${s.id}/status`,
    payload: { status: 'active', on: (over.startOn as string) ?? '2026-09-01', version: s.version },
  });
  expect(active.statusCode, active.body).toBe(200);
  return active.json();
}

describe('services (ydelser)', () => {
  it('grants a service with paragraph, target groups, hours and price, and computes cost and the first follow-up', async () => {
    const x = await caseWithGoal();
    const s = await activeService(x);
    expect(s).toMatchObject({
      status: 'active',
      paragraph: { code: 'SEL §85', step: 3 },
      provider: { id: m.units.provider, name: 'Bostøtte' },
      primaryTargetGroup: { display: 'Angst' },
      secondaryTargetGroups: [{ display: 'Social isolation' }],
      hoursPerWeek: 3,
      price: { amount: 450, unit: 'hour' },
      monthlyCost: 5850,
      nextFollowUpOn: '2026-12-01',
    });
    expect(s.goals.map((g: { id: string }) => g.id)).toEqual([x.goalId]);
    const back = await as(cw, {
      method: 'POST',
      url: `/api/services/${s.id}/status`,
      payload: { status: 'granted', version: s.version },
    });
    expect(back.statusCode).toBe(409);
    expect(back.json().code).toBe('invalid_transition');
  });

  it('validates codes, the provider unit and §82b’s six months', async () => {
    const x = await caseWithGoal();
    const bad = await as(cw, {
      method: 'POST',
      url: `/api/cases/${x.caseId}/services`,
      payload: service85([x.goalId], {
        paragraphCode: 'SEL §82b',
        startOn: '2026-01-01',
        endOn: '2026-09-01',
        providerUnitId: m.units.authority,
        primaryTargetGroupCode: ydelse('Støtte til daglige opgaver i hjemmet'),
      }),
    });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)
        .sort(),
    ).toEqual([
      'endOn:too_long',
      'primaryTargetGroupCode:invalid_code',
      'providerUnitId:invalid_unit',
      // The FFB ydelse is not one §82b grants (data/serviceloven lists them per paragraph).
      'ydelseCode:ydelse_not_under_paragraph',
    ]);
    const short = await activeService(x, {
      paragraphCode: 'SEL §82b',
      ydelseCode: ydelse('Individuel tidsbegrænset socialpædagogisk hjælp og støtte'),
      startOn: '2026-06-01',
      endOn: null,
    });
    expect(short.nextFollowUpOn).toBe('2026-12-01');
  });

  it('refuses an FFB ydelse its paragraph does not grant: «Aktivitet og samvær» is §104, not §85', async () => {
    const x = await caseWithGoal();
    const under85 = await as(cw, {
      method: 'POST',
      url: `/api/cases/${x.caseId}/services`,
      payload: service85([x.goalId], { ydelseCode: ydelse('Aktivitet og samvær') }),
    });
    expect(under85.statusCode).toBe(422);
    expect(under85.json().errors).toEqual([
      expect.objectContaining({ field: 'ydelseCode', code: 'ydelse_not_under_paragraph' }),
    ]);
    const under104 = await as(cw, {
      method: 'POST',
      url: `/api/cases/${x.caseId}/services`,
      payload: service85([x.goalId], {
        ydelseCode: ydelse('Aktivitet og samvær'),
        paragraphCode: 'SEL §104',
      }),
    });
    expect(under104.statusCode, under104.body).toBe(201);
    // The mapping is data: every paragraph lists the ydelser it grants, and each is an FFB ydelse.
    const ydelser = new Set(ref.ffb.ydelser.map((y: { code: string }) => y.code));
    for (const p of ref.serviceloven.paragraphs as { code: string; ydelser: string[] }[]) {
      expect(p.ydelser.length, p.code).toBeGreaterThan(0);
      for (const y of p.ydelser) expect(ydelser.has(y), `${p.code} ${y}`).toBe(true);
    }
  });

  it('grants only with an indsatsmål, a støttebehov, a target group and a start (the first follow-up date)', async () => {
    const x = await caseWithGoal();
    const incomplete = await as(cw, {
      method: 'POST',
      url: `/api/cases/${x.caseId}/services`,
      payload: service85([], { supportNeedCode: null, startOn: null }),
    });
    expect(incomplete.statusCode).toBe(422);
    expect(
      incomplete
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['goalIds', 'startOn', 'supportNeedCode']);
    // Proposed, it may be incomplete; granting it then asks for what is missing.
    const proposed = await as(cw, {
      method: 'POST',
      url: `/api/cases/${x.caseId}/services`,
      payload: service85([], { supportNeedCode: null, startOn: null, status: 'proposed' }),
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const grant = await as(cw, {
      method: 'POST',
      url: `/api/services/${proposed.json().id}/status`,
      payload: { status: 'granted', version: proposed.json().version },
    });
    expect(grant.statusCode).toBe(422);
    expect(grant.json().code).toBe('grant_incomplete');
    expect(
      grant
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['goalIds', 'startOn', 'supportNeedCode']);
    // Once granted, the service has its first follow-up date.
    const complete = await activeService(x);
    expect(complete.nextFollowUpOn).toBe('2026-12-01');
    expect(complete.supportNeed.code).toBe(ref.ffb.supportNeeds[2].code);
  });
});

describe('the provider', () => {
  it('reaches the citizen and case only through an active service at its unit, without the assessment', async () => {
    const x = await caseWithGoal();
    expect((await as(provider, { method: 'GET', url: `/api/citizens/${x.citizenId}` })).statusCode).toBe(404);
    const s = await activeService(x);
    const citizen = await as(provider, { method: 'GET', url: `/api/citizens/${x.citizenId}` });
    expect(citizen.statusCode).toBe(200);
    expect(citizen.json().cprMasked).toBe(true);
    const view = (await as(provider, { method: 'GET', url: `/api/cases/${x.caseId}` })).json();
    expect(view.view).toBe('provider');
    expect(view.assessments).toEqual([]);
    expect(view.services.map((y: { id: string }) => y.id)).toEqual([s.id]);
    expect((await as(otherProvider, { method: 'GET', url: `/api/services/${s.id}` })).statusCode).toBe(404);
    // The provider's timeline holds only what belongs to its own service.
    const tl = await as(provider, { method: 'GET', url: `/api/citizens/${x.citizenId}/timeline` });
    expect(tl.statusCode).toBe(200);
    const items = tl.json().items as { serviceId: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.serviceId === s.id)).toBe(true);
    expect(
      (await as(otherProvider, { method: 'GET', url: `/api/citizens/${x.citizenId}/timeline` })).statusCode,
    ).toBe(404);
  });

  it('writes its plan with methods and delmål under the service’s indsatsmål', async () => {
    const x = await caseWithGoal();
    const s = await activeService(x);
    const plan = await as(provider, {
      method: 'POST',
      url: `/api/services/${s.id}/provider-plan`,
      payload: {
        approach: 'Vi øver indkøb sammen hver tirsdag og bruger FIT i samtalerne.',
        methodCodes: ['FIT', 'MI'],
      },
    });
    expect(plan.statusCode, plan.body).toBe(201);
    expect(plan.json().plans[0]).toMatchObject({ version: 1, methods: [{ code: 'FIT' }, { code: 'MI' }] });
    const unknown = await as(provider, {
      method: 'POST',
      url: `/api/services/${s.id}/provider-plan`,
      payload: { approach: 'x', methodCodes: ['TROLDDOM'] },
    });
    expect(unknown.json().errors[0]).toMatchObject({ field: 'methodCodes.0', code: 'invalid_code' });
    const sub = await as(provider, {
      method: 'POST',
      url: `/api/services/${s.id}/sub-goals`,
      payload: {
        kind: 'sub',
        title: 'Skrive indkøbsliste sammen',
        wordsOf: 'provider',
        parentGoalId: x.goalId,
        dueOn: '2026-12-15',
        gas: gasScale('skriver indkøbsliste'),
      },
    });
    expect(sub.statusCode, sub.body).toBe(201);
    expect(sub.json().subGoals[0]).toMatchObject({
      title: 'Skrive indkøbsliste sammen',
      untraced: false,
      serviceId: s.id,
    });
    const wrongParent = await as(provider, {
      method: 'POST',
      url: `/api/services/${s.id}/sub-goals`,
      payload: { kind: 'sub', title: 'x', wordsOf: 'provider', parentGoalId: x.wishId, gas: gasScale() },
    });
    expect(wrongParent.json().errors[0]).toMatchObject({ field: 'parentGoalId', code: 'invalid_link' });
    // The provider cannot change the grant itself.
    expect(
      (
        await as(provider, {
          method: 'POST',
          url: `/api/services/${s.id}/status`,
          payload: { status: 'ended', version: 1 },
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('follow-up', () => {
  it('rates with GAS only goals with a written scale, and shows the scale with the goal', async () => {
    const x = await caseWithGoal();
    const s = await activeService(x);
    const goal = s.goals[0];
    expect(goal.gas).toEqual(gasScale());
    // An indsatsmål cannot be set without its scale …
    const unscaled = await as(cw, {
      method: 'PUT',
      url: `/api/goals/${x.goalId}`,
      payload: {
        title: goal.title,
        wordsOf: goal.wordsOf,
        status: goal.status,
        citizenGoalId: x.wishId,
        subthemeCode: subtheme('Købe ind'),
        expectedLevel: 1,
        goalTypeCode: find(ref.ffb.goalTypes, 'Udvikle funktionsevne').code,
        version: goal.version,
        gas: null,
      },
    });
    expect(unscaled.statusCode).toBe(422);
    expect(unscaled.json().errors[0]).toMatchObject({ field: 'gas', code: 'required' });
    // … and a goal from before scales (as imported or older data) is shown without one and not rated.
    await asOwner(t.db, m.id, (tx) =>
      tx.execute(sql`update goals set gas_levels = null, gas_baseline = null where id = ${x.goalId}`),
    );
    const view = (await as(cw, { method: 'GET', url: `/api/services/${s.id}` })).json();
    expect(view.goals[0].gas).toBeNull();
    const rated = await as(cw, {
      method: 'POST',
      url: `/api/services/${s.id}/follow-ups`,
      payload: {
        heldOn: '2026-11-01',
        resultCode: result('Træf afgørelse om fortsættelse'),
        ratings: [{ goalId: x.goalId, rater: 'citizen', informantCode: informant('Borger'), score: 1 }],
      },
    });
    expect(rated.statusCode).toBe(422);
    expect(rated.json().errors[0]).toMatchObject({ field: 'ratings.0.goalId', code: 'no_gas_scale' });
  });

  it('records GAS by citizen and professional, the result and a close cadence; ending needs a coded reason', async () => {
    const x = await caseWithGoal();
    const s = await activeService(x);
    const fu = await as(provider, {
      method: 'POST',
      url: `/api/services/${s.id}/follow-ups`,
      payload: {
        heldOn: '2026-11-20',
        resultCode: result('Træf afgørelse om fortsættelse'),
        notes: 'Godt i gang. Borgeren har handlet ind to gange alene.',
        citizenView: 'Det går bedre end jeg troede.',
        ratings: [
          { goalId: x.goalId, rater: 'citizen', informantCode: informant('Borger'), score: 0 },
          { goalId: x.goalId, rater: 'professional', informantCode: informant('Udfører'), score: 1 },
        ],
        cadence: { kind: 'close', months: 2 },
      },
    });
    expect(fu.statusCode, fu.body).toBe(201);
    const d = fu.json();
    expect(d.followUps[0]).toMatchObject({
      gas: { citizen: 50, professional: 60 },
      result: { display: 'Træf afgørelse om fortsættelse af indsats' },
    });
    expect(d).toMatchObject({
      lastFollowUpOn: '2026-11-20',
      nextFollowUpOn: '2027-01-20',
      cadence: { kind: 'close', months: 2 },
    });

    const noReason = await as(cw, {
      method: 'POST',
      url: `/api/services/${s.id}/follow-ups`,
      payload: { heldOn: '2026-11-24', resultCode: result('Træf afgørelse om afslutning af indsats') },
    });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors[0]).toMatchObject({ field: 'endReasonCode', code: 'required' });
    const future = await as(cw, {
      method: 'POST',
      url: `/api/services/${s.id}/follow-ups`,
      payload: { heldOn: '2027-01-01', resultCode: result('Træf afgørelse om fortsættelse') },
    });
    expect(future.json().errors[0].field).toBe('heldOn');
    const ended = await as(cw, {
      method: 'POST',
      url: `/api/services/${s.id}/follow-ups`,
      payload: {
        heldOn: '2026-11-24',
        resultCode: result('Træf afgørelse om afslutning af indsats'),
        endReasonCode: endReason('Ikke yderligere behov (borger'),
        goalStatuses: [{ goalId: x.goalId, status: 'achieved' }],
      },
    });
    expect(ended.statusCode, ended.body).toBe(201);
    expect(ended.json()).toMatchObject({
      status: 'ended',
      endOn: '2026-11-24',
      nextFollowUpOn: null,
      endReason: { display: 'Ikke yderligere behov (borger-vurderet)' },
    });
    const view = (await as(cw, { method: 'GET', url: `/api/cases/${x.caseId}` })).json();
    expect(view.goals.find((g: { id: string }) => g.id === x.goalId).status).toBe('achieved');
  });

  it('records the life situation at each follow-up (education, employment, admissions) for key figures', async () => {
    const x = await caseWithGoal();
    const s = await activeService(x);
    const life = {
      housing: 'own_home',
      employment: 'in_education',
      education: 'upper_secondary',
      psychiatryContact: 'outpatient',
      admissions12m: 1,
      admissionDays12m: 9,
    };
    const fu = await as(provider, {
      method: 'POST',
      url: `/api/services/${s.id}/follow-ups`,
      payload: { heldOn: '2026-11-20', resultCode: result('Træf afgørelse om fortsættelse'), life },
    });
    expect(fu.statusCode, fu.body).toBe(201);
    expect(fu.json().followUps[0].life).toEqual(life);
    // Not recorded is null, not a guess.
    const without = await as(cw, {
      method: 'POST',
      url: `/api/services/${s.id}/follow-ups`,
      payload: { heldOn: '2026-11-21', resultCode: result('Træf afgørelse om fortsættelse') },
    });
    expect(without.json().followUps[1].life).toEqual({
      housing: null,
      employment: null,
      education: null,
      psychiatryContact: null,
      admissions12m: null,
      admissionDays12m: null,
    });
    const bad = await as(cw, {
      method: 'POST',
      url: `/api/services/${s.id}/follow-ups`,
      payload: {
        heldOn: '2026-11-22',
        resultCode: result('Træf afgørelse om fortsættelse'),
        life: { ...life, employment: 'astronaut', admissionDays12m: 400 },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['life.admissionDays12m', 'life.employment']);
  });

  it('puts due and overdue follow-ups on the caseworker’s and the provider unit’s worklists', async () => {
    const x = await caseWithGoal();
    const s = await activeService(x, { startOn: '2026-06-01' });
    expect(s.nextFollowUpOn).toBe('2026-09-01');
    const mine = (await as(cw, { method: 'GET', url: '/api/worklist?scope=mine' })).json();
    expect(mine.items.find((i: { serviceId: string }) => i.serviceId === s.id)).toMatchObject({
      state: 'overdue',
      paragraph: 'SEL §85',
    });
    const unit = (await as(provider, { method: 'GET', url: '/api/worklist?scope=units' })).json();
    expect(unit.items.some((i: { serviceId: string }) => i.serviceId === s.id)).toBe(true);
    const other = (await as(otherProvider, { method: 'GET', url: '/api/worklist?scope=units' })).json();
    expect(other.items.some((i: { serviceId: string }) => i.serviceId === s.id)).toBe(false);
  });
});

describe('outcome measures', () => {
  it('scores WHO-5, refuses ORS until the municipality switches it on, and flags no change after three sessions', async () => {
    const x = await caseWithGoal();
    const s = await activeService(x);
    const a = (items: number[]) => Object.fromEntries(items.map((v, i) => [String(i + 1), v]));
    const who = await as(cw, {
      method: 'POST',
      url: `/api/citizens/${x.citizenId}/measurements`,
      payload: {
        instrumentKey: 'WHO-5',
        administeredOn: '2026-09-01',
        informantCode: informant('Borger'),
        answers: a([2, 2, 1, 2, 2]),
      },
    });
    expect(who.statusCode, who.body).toBe(201);
    expect(who.json()).toMatchObject({ raw: 9, score: 36 });
    const badAnswer = await as(cw, {
      method: 'POST',
      url: `/api/citizens/${x.citizenId}/measurements`,
      payload: {
        instrumentKey: 'WHO-5',
        administeredOn: '2026-09-01',
        informantCode: informant('Borger'),
        answers: a([2, 2, 9, 2, 2]),
      },
    });
    expect(badAnswer.json().errors[0].field).toBe('answers.3');
    const ors = (on: string, v: number[]) =>
      as(provider, {
        method: 'POST',
        url: `/api/citizens/${x.citizenId}/measurements`,
        payload: {
          instrumentKey: 'ORS',
          administeredOn: on,
          informantCode: informant('Borger'),
          answers: a(v),
          serviceId: s.id,
        },
      });
    expect((await ors('2026-09-08', [5, 5, 5, 5])).json().code).toBe('instrument_not_licensed');
    expect(
      (await as(admin, { method: 'PUT', url: '/api/admin/instruments/ORS', payload: { enabled: true } }))
        .statusCode,
    ).toBe(200);
    expect((await ors('2026-09-08', [5, 5, 5, 5])).statusCode).toBe(201);
    await ors('2026-09-15', [5, 5, 6, 6]);
    await ors('2026-09-22', [6, 5, 6, 6]);
    const outcomes = (await as(cw, { method: 'GET', url: `/api/citizens/${x.citizenId}/outcomes` })).json();
    const orsSeries = outcomes.series.find((y: { key: string }) => y.key === 'ORS');
    expect(orsSeries.points.map((p: { score: number }) => p.score)).toEqual([20, 22, 23]);
    expect(orsSeries).toMatchObject({
      cutoffs: [{ value: 25 }],
      reliableChange: 5,
      flags: { noChangeAfterThree: true },
    });
    const whoSeries = outcomes.series.find((y: { key: string }) => y.key === 'WHO-5');
    expect(whoSeries.points[0]).toMatchObject({ score: 36, clinical: true, informant: 'Borger' });
    // The provider sees only what was measured through its own service.
    const providerView = (
      await as(provider, { method: 'GET', url: `/api/citizens/${x.citizenId}/outcomes` })
    ).json();
    expect(providerView.series.map((y: { key: string }) => y.key)).toEqual(['ORS']);
    // The worklist flags the citizen for a review of the approach.
    const wl = (await as(cw, { method: 'GET', url: '/api/worklist?scope=mine' })).json();
    expect(wl.items.find((i: { serviceId: string }) => i.serviceId === s.id).flags).toEqual([
      { instrument: 'ORS', deterioration: false, noChangeAfterThree: true, allianceAlert: false },
    ]);
    // WHO-5, taken months apart, is not a session measure: three measures without change raise nothing.
    const who5 = (on: string, v: number[]) =>
      as(cw, {
        method: 'POST',
        url: `/api/citizens/${x.citizenId}/measurements`,
        payload: {
          instrumentKey: 'WHO-5',
          administeredOn: on,
          informantCode: informant('Borger'),
          answers: a(v),
        },
      });
    expect((await who5('2026-10-01', [2, 2, 2, 2, 2])).statusCode).toBe(201);
    expect((await who5('2026-11-01', [2, 2, 2, 2, 1])).statusCode).toBe(201);
    // SRS measures the alliance of one session: an item under 9 asks for a talk, though the total is 37.
    await as(admin, { method: 'PUT', url: '/api/admin/instruments/SRS', payload: { enabled: true } });
    const srs = await as(provider, {
      method: 'POST',
      url: `/api/citizens/${x.citizenId}/measurements`,
      payload: {
        instrumentKey: 'SRS',
        administeredOn: '2026-09-22',
        informantCode: informant('Borger'),
        answers: a([10, 10, 8.5, 8.5]),
        serviceId: s.id,
      },
    });
    expect(srs.statusCode, srs.body).toBe(201);
    const after = (await as(cw, { method: 'GET', url: '/api/worklist?scope=mine' })).json();
    expect(after.items.find((i: { serviceId: string }) => i.serviceId === s.id).flags).toEqual([
      { instrument: 'ORS', deterioration: false, noChangeAfterThree: true, allianceAlert: false },
      { instrument: 'SRS', deterioration: false, noChangeAfterThree: false, allianceAlert: true },
    ]);
  });
});

describe('the §141 action plan', () => {
  it('keeps shared versions immutable and shows what changed in the next one', async () => {
    const x = await caseWithGoal();
    await activeService(x);
    const draft = await as(cw, {
      method: 'PUT',
      url: `/api/cases/${x.caseId}/plan`,
      payload: {
        purpose: 'At borgeren kan klare indkøb og madlavning selv',
        servicesNeeded: 'Bostøtte efter §85, 3 timer om ugen',
        expectedDuration: '12 måneder',
        housing: 'Bor i egen lejlighed',
        offer: 'accepted',
        offeredOn: '2026-09-01',
        agreementOn: '2026-09-01',
        agreementHow: 'meeting',
        participants: [{ kind: 'provider', name: 'Bostøtte', responsibility: 'Indkøbstræning hver tirsdag' }],
      },
    });
    expect(draft.statusCode, draft.body).toBe(200);
    const v1 = draft.json();
    expect(v1).toMatchObject({ version: 1, status: 'draft' });
    const shared = (
      await as(cw, {
        method: 'POST',
        url: `/api/plans/${v1.id}/share`,
        payload: { rowVersion: v1.rowVersion },
      })
    ).json();
    expect(shared.status).toBe('shared');
    expect(shared.goalsSnapshot.map((g: { kind: string }) => g.kind)).toEqual([
      'citizen_goal',
      'intervention',
    ]);
    const err = await asOwner(t.db, m.id, (tx) =>
      tx.execute(sql`update action_plans set purpose = 'x' where id = ${v1.id}`),
    ).catch((e: { cause?: Error }) => e);
    expect(String((err as { cause?: Error }).cause?.message ?? err)).toMatch(/immutable/);

    const v2 = (
      await as(cw, {
        method: 'PUT',
        url: `/api/cases/${x.caseId}/plan`,
        payload: {
          ...shared,
          purpose: 'At borgeren kan klare indkøb selv og komme med i en madklub',
          participants: [
            ...shared.participants,
            { kind: 'civil_society', name: 'Madklubben', responsibility: 'Fællesspisning torsdag' },
          ],
          rowVersion: undefined,
        },
      })
    ).json();
    expect(v2).toMatchObject({ version: 2, status: 'draft' });
    const read = (await as(cw, { method: 'GET', url: `/api/plans/${v2.id}` })).json();
    expect(read.previousVersion).toBe(1);
    expect(read.diff.fields.map((f: { field: string }) => f.field)).toEqual(['purpose']);
    expect(read.diff.participants.added).toEqual(['Madklubben (civil_society): Fællesspisning torsdag']);
    const list = (await as(cw, { method: 'GET', url: `/api/cases/${x.caseId}/plans` })).json();
    expect(list.items.map((p: { version: number; status: string }) => `${p.version}:${p.status}`)).toEqual([
      '2:draft',
      '1:shared',
    ]);
    // Provider staff see shared versions only.
    const providerList = (await as(provider, { method: 'GET', url: `/api/cases/${x.caseId}/plans` })).json();
    expect(providerList.items.map((p: { version: number }) => p.version)).toEqual([1]);
    expect((await as(provider, { method: 'GET', url: `/api/plans/${v2.id}` })).statusCode).toBe(404);
  });
});

describe('civil society and the timeline', () => {
  it('links an offer to a goal, records that the citizen started, and shows everything on the timeline and ladder', async () => {
    const x = await caseWithGoal();
    const s = await activeService(x);
    const offer = await as(cw, {
      method: 'POST',
      url: '/api/community-offers',
      payload: {
        name: `Madklubben ${randomUUID().slice(0, 4)}`,
        organiser: 'Frivilligcentret',
        category: 'community',
        schedule: 'Torsdag 17-19',
        tags: ['mad', 'fællesskab'],
      },
    });
    expect(offer.statusCode, offer.body).toBe(201);
    const noDate = await as(cw, {
      method: 'POST',
      url: `/api/goals/${x.wishId}/offers`,
      payload: { offerId: offer.json().id, status: 'started' },
    });
    expect(noDate.json().errors[0].field).toBe('startedOn');
    const link = await as(cw, {
      method: 'POST',
      url: `/api/goals/${x.wishId}/offers`,
      payload: { offerId: offer.json().id, status: 'started', startedOn: '2026-10-01' },
    });
    expect(link.statusCode, link.body).toBe(201);
    const kept = await as(cw, {
      method: 'PUT',
      url: `/api/goal-offers/${link.json().id}`,
      payload: { status: 'continuing', startedOn: '2026-10-01', checkedOn: '2026-11-20', version: 1 },
    });
    expect(kept.statusCode, kept.body).toBe(200);
    const view = (await as(cw, { method: 'GET', url: `/api/cases/${x.caseId}` })).json();
    expect(view.goals.find((g: { id: string }) => g.id === x.wishId).offers[0]).toMatchObject({
      status: 'continuing',
      startedOn: '2026-10-01',
    });

    await as(cw, {
      method: 'POST',
      url: `/api/services/${s.id}/follow-ups`,
      payload: {
        heldOn: '2026-11-20',
        resultCode: result('Træf afgørelse om fortsættelse'),
        ratings: [{ goalId: x.goalId, rater: 'citizen', informantCode: informant('Borger'), score: 1 }],
      },
    });
    const before = (await auditRows(t.db, m)).length;
    const tl = await as(cw, { method: 'GET', url: `/api/citizens/${x.citizenId}/timeline` });
    expect(tl.statusCode).toBe(200);
    expect((await auditRows(t.db, m)).length).toBe(before + 1);
    const body = tl.json();
    const kinds = new Set(body.items.map((i: { kind: string }) => i.kind));
    for (const k of ['case_phase', 'service_status', 'follow_up', 'goal_created', 'community'])
      expect(kinds).toContain(k);
    expect(body.items.find((i: { kind: string }) => i.kind === 'follow_up').gas.citizen).toBe(60);
    expect(body.ladder).toEqual([{ from: '2026-09-01', to: null, step: 3 }]);
    expect(body.steps).toHaveLength(5);
    // Newest first.
    const dates = body.items.map((i: { on: string }) => i.on);
    expect([...dates].sort().reverse()).toEqual(dates);
  });
});

describe('the municipal catalogue', () => {
  it('imports the national methods once, and a local service’s price fills in a service without one', async () => {
    const first = await as(admin, { method: 'POST', url: '/api/admin/catalogue/import-methods' });
    expect(first.json().added).toBe(14);
    expect(
      (await as(admin, { method: 'POST', url: '/api/admin/catalogue/import-methods' })).json().added,
    ).toBe(0);
    const local = await as(admin, {
      method: 'POST',
      url: '/api/admin/catalogue',
      payload: {
        kind: 'local_service',
        code: 'BOSTOETTE-STD',
        name: 'Bostøtte, standard',
        paragraphCode: 'SEL §85',
        providerUnitId: m.units.provider,
        priceAmount: 512.5,
        priceUnit: 'hour',
      },
    });
    expect(local.statusCode, local.body).toBe(201);
    const badMethod = await as(admin, {
      method: 'POST',
      url: '/api/admin/catalogue',
      payload: { kind: 'method', code: 'X1', name: 'X', priceAmount: 1, priceUnit: 'hour' },
    });
    expect(badMethod.statusCode).toBe(422);
    const x = await caseWithGoal();
    const s = await as(cw, {
      method: 'POST',
      url: `/api/cases/${x.caseId}/services`,
      payload: service85([x.goalId], {
        catalogueItemId: local.json().id,
        priceAmount: null,
        priceUnit: null,
      }),
    });
    expect(s.json().price).toEqual({ amount: 512.5, unit: 'hour' });
    expect((await as(cw, { method: 'POST', url: '/api/admin/catalogue/import-methods' })).statusCode).toBe(
      403,
    );
  });
});
