import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgUnits } from '../src/server/db/schema';
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
let cwId: string;
let leder: Session;
let udfoerer: Session;
let otherTeam: Session;
let citizenId: string;
// biome-ignore lint/suspicious/noExplicitAny: the reference payload is checked by its own test
let ref: any;

beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db);
  const u = await createStaff(t.db, m, 'sagsbehandler');
  cwId = u.id;
  cw = await login(t.app, u.username, u.password);
  const l = await createStaff(t.db, m, 'leder');
  leder = await login(t.app, l.username, l.password);
  const p = await createStaff(t.db, m, 'udfoerer');
  udfoerer = await login(t.app, p.username, p.password);
  const secondAuthority = randomUUID();
  await asOwner(t.db, m.id, (tx) =>
    tx
      .insert(orgUnits)
      .values({ id: secondAuthority, municipalityId: m.id, name: 'Myndighed Nord', kind: 'myndighed' }),
  );
  const o = await createUser(t.db, m, [['sagsbehandler', secondAuthority]]);
  otherTeam = await login(t.app, o.username, o.password);
  citizenId = (await createCitizen(t.db, m)).id;
  ref = (await call(t.app, cw, { method: 'GET', url: '/api/reference' })).json();
});
afterAll(() => t.close());

const as = (s: Session, opts: Parameters<typeof call>[2]) => call(t.app, s, opts);
const subtheme = (name: string): string =>
  ref.ffb.themes
    .flatMap((x: { subthemes: { code: string; display: string }[] }) => x.subthemes)
    .find((s: { display: string }) => s.display === name).code;
const theme = (name: string): string =>
  ref.ffb.themes.find((x: { display: string }) => x.display === name).code;
const informant = (name: string): string =>
  ref.klCaresocial.informants.find((x: { display: string }) => x.display === name).code;
const goalType = (name: string): string =>
  ref.ffb.goalTypes.find((x: { display: string }) => x.display === name).code;

async function openCase(reason = 'Borgeren ønsker støtte til at komme ud blandt andre') {
  const res = await as(cw, { method: 'POST', url: `/api/citizens/${citizenId}/cases`, payload: { reason } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('cases', () => {
  it('opens a case with a yearly case number, in the caseworker’s unit, with one audit event', async () => {
    const before = (await auditRows(t.db, m)).length;
    const c = await openCase();
    expect(c.caseNumber).toMatch(/^2026-\d{5}$/);
    expect(c).toMatchObject({
      phase: 'opened',
      authorityUnit: { id: m.units.authority },
      caseworker: { id: cwId },
    });
    const next = await openCase('Anden sag');
    expect(Number(next.caseNumber.slice(5))).toBe(Number(c.caseNumber.slice(5)) + 1);
    const rows = await auditRows(t.db, m);
    expect(rows.length).toBe(before + 4); // create + read of the view, twice
    expect(rows.at(-4)).toMatchObject({
      action: 'create',
      resource_type: 'case',
      case_id: c.id,
      citizen_id: citizenId,
    });
  });

  it('moves through phases with optimistic concurrency and closes with a coded reason only', async () => {
    const c = await openCase();
    const moved = await as(cw, {
      method: 'PUT',
      url: `/api/cases/${c.id}/phase`,
      payload: { phase: 'assessment', version: 1 },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ phase: 'assessment', version: 2 });
    const stale = await as(cw, {
      method: 'PUT',
      url: `/api/cases/${c.id}/phase`,
      payload: { phase: 'plan', version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', current: { phase: 'assessment' } });
    const bad = await as(cw, {
      method: 'POST',
      url: `/api/cases/${c.id}/close`,
      payload: { endReasonCode: goalType('Udvikle funktionsevne'), version: 2 },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ field: 'endReasonCode' });
    const reason = ref.klCaresocial.endReasons.find((r: { display: string }) =>
      r.display.startsWith('Ikke yderligere behov (borger'),
    ).code;
    const closed = await as(cw, {
      method: 'POST',
      url: `/api/cases/${c.id}/close`,
      payload: { endReasonCode: reason, note: 'Mål nået', version: 2 },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ phase: 'closed', closedOn: '2026-11-24' });
    const view = (await as(cw, { method: 'GET', url: `/api/cases/${c.id}` })).json();
    expect(view.endReason.display).toBe('Ikke yderligere behov (borger-vurderet)');
    expect(view.phases.map((p: { toPhase: string }) => p.toPhase)).toEqual([
      'opened',
      'assessment',
      'closed',
    ]);
    expect(view.permissions.write).toBe(false);
    const after = await as(cw, {
      method: 'PUT',
      url: `/api/cases/${c.id}/phase`,
      payload: { phase: 'plan', version: 3 },
    });
    expect(after.json().code).toBe('case_closed');
  });

  it('lists my open cases and a citizen’s cases', async () => {
    const mine = (await as(cw, { method: 'GET', url: '/api/cases?mine=true' })).json();
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((c: { closedOn: string | null }) => c.closedOn === null)).toBe(true);
    const all = (await as(cw, { method: 'GET', url: `/api/citizens/${citizenId}/cases` })).json();
    expect(all.items.length).toBeGreaterThan(mine.items.length - 1);
  });

  it('refuses a case in a unit the caseworker does not work in', async () => {
    const res = await as(cw, {
      method: 'POST',
      url: `/api/citizens/${citizenId}/cases`,
      payload: { reason: 'x', authorityUnitId: m.units.provider },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('unit_not_yours');
  });
});

describe('access to cases', () => {
  it('managers read their units’ cases but cannot change them', async () => {
    const c = await openCase();
    expect((await as(leder, { method: 'GET', url: `/api/cases/${c.id}` })).statusCode).toBe(200);
    const res = await as(leder, {
      method: 'PUT',
      url: `/api/cases/${c.id}/phase`,
      payload: { phase: 'plan', version: 1 },
    });
    expect(res.statusCode).toBe(403);
  });

  it('a caseworker of another unit and provider staff without a service get 404 and a denied event', async () => {
    const c = await openCase();
    for (const s of [otherTeam, udfoerer]) {
      const before = (await auditRows(t.db, m)).length;
      const res = await as(s, { method: 'GET', url: `/api/cases/${c.id}` });
      expect(res.statusCode).toBe(404);
      const rows = await auditRows(t.db, m);
      expect(rows.length).toBe(before + 1);
      expect(rows.at(-1)).toMatchObject({ outcome: 'denied', case_id: c.id, resource_type: 'case' });
    }
    const list = (await as(otherTeam, { method: 'GET', url: '/api/cases' })).json();
    expect(list.items.find((x: { id: string }) => x.id === c.id)).toBeUndefined();
  });

  it('another municipality’s case is 404', async () => {
    const c = await openCase();
    const m2 = await createMunicipality(t.db);
    const u2 = await createStaff(t.db, m2, 'sagsbehandler');
    const s2 = await login(t.app, u2.username, u2.password);
    expect((await as(s2, { method: 'GET', url: `/api/cases/${c.id}` })).statusCode).toBe(404);
    expect(
      (
        await as(s2, {
          method: 'POST',
          url: `/api/cases/${c.id}/goals`,
          payload: { kind: 'citizen_goal', title: 'x', wordsOf: 'citizen' },
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('assessment (udredning)', () => {
  const transport = () => subtheme('Færdes med transportmidler');
  const motivation = () => subtheme('Igangsætning og motivation');

  function doc(version: number, over: Record<string, unknown> = {}) {
    return {
      version,
      assessedOn: '2026-11-20',
      supportNeedCode: ref.ffb.supportNeeds.find((s: { ordinal: number }) => s.ordinal === 2).code,
      citizenPerspective: 'Jeg vil gerne kunne tage bussen selv.',
      citizenResources: 'Jeg er vedholdende.',
      professionalJudgement: 'Borgeren har moderat nedsat funktionsevne i forhold til transport.',
      life: {
        housing: 'own_home',
        employment: 'unemployed',
        education: 'vocational',
        psychiatryContact: 'outpatient',
        admissions12m: 1,
        admissionDays12m: 12,
      },
      conditions: [
        { subthemeCode: transport(), level: 2, note: 'Tager ikke bussen alene', inFocus: true },
        { subthemeCode: motivation(), level: null, note: 'Svært ved at komme i gang om morgenen' },
      ],
      accounts: [
        {
          themeCode: theme('Mobilitet'),
          informantCode: informant('Borger'),
          body: 'Jeg bliver bange i bussen.',
        },
        {
          themeCode: theme('Mobilitet'),
          informantCode: informant('Sagsbehandler'),
          body: 'Har brug for træning i at tage bussen.',
        },
      ],
      ...over,
    };
  }

  it('records FFB’s «Ikke vurderet» on an Aktivitet og deltagelse subtheme, and nowhere else', async () => {
    const c = await openCase();
    const a = (
      await as(cw, { method: 'POST', url: `/api/cases/${c.id}/assessments`, payload: { kind: 'initial' } })
    ).json();
    const save = (conditions: unknown[], version: number) =>
      as(cw, { method: 'PUT', url: `/api/assessments/${a.id}`, payload: doc(version, { conditions }) });
    const both = await save([{ subthemeCode: transport(), level: 2, notAssessed: true }], a.version);
    expect(both.statusCode).toBe(422);
    expect(both.json().errors[0].field).toBe('conditions.0.level');
    const onFunction = await save(
      [{ subthemeCode: motivation(), level: null, notAssessed: true }],
      a.version,
    );
    expect(onFunction.statusCode).toBe(422);
    expect(onFunction.json().errors[0]).toMatchObject({
      field: 'conditions.0.level',
      code: 'level_not_allowed',
    });
    const ok = await save([{ subthemeCode: transport(), level: null, notAssessed: true }], a.version);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().conditions[0]).toMatchObject({ level: null, notAssessed: true });
    // The database holds the rule too.
    await expect(
      asOwner(t.db, m.id, (tx) =>
        tx.execute(sql`update assessment_conditions set level = 1 where assessment_id = ${a.id}`),
      ),
    ).rejects.toThrow();
  });

  it('enforces KL’s level rule, records accounts per informant, then becomes immutable history', async () => {
    const c = await openCase();
    const started = await as(cw, {
      method: 'POST',
      url: `/api/cases/${c.id}/assessments`,
      payload: { kind: 'initial' },
    });
    expect(started.statusCode, started.body).toBe(201);
    const a = started.json();
    expect(a).toMatchObject({ status: 'draft', ffbVersion: '20240530', permissions: { write: true } });
    const twice = await as(cw, {
      method: 'POST',
      url: `/api/cases/${c.id}/assessments`,
      payload: { kind: 'initial' },
    });
    expect(twice.json()).toMatchObject({ code: 'draft_exists', assessmentId: a.id });

    const noLevel = await as(cw, {
      method: 'PUT',
      url: `/api/assessments/${a.id}`,
      payload: doc(1, { conditions: [{ subthemeCode: transport(), level: null }] }),
    });
    expect(noLevel.statusCode).toBe(422);
    expect(noLevel.json().errors).toEqual([
      expect.objectContaining({ field: 'conditions.0.level', code: 'level_required' }),
    ]);
    const levelElsewhere = await as(cw, {
      method: 'PUT',
      url: `/api/assessments/${a.id}`,
      payload: doc(1, { conditions: [{ subthemeCode: motivation(), level: 1 }] }),
    });
    expect(levelElsewhere.json().errors[0]).toMatchObject({
      field: 'conditions.0.level',
      code: 'level_not_allowed',
    });
    const dupAccount = doc(1);
    dupAccount.accounts = [...dupAccount.accounts, dupAccount.accounts[0]!] as typeof dupAccount.accounts;
    expect(
      (await as(cw, { method: 'PUT', url: `/api/assessments/${a.id}`, payload: dupAccount })).json().errors[0]
        .code,
    ).toBe('duplicate');

    const saved = await as(cw, { method: 'PUT', url: `/api/assessments/${a.id}`, payload: doc(1) });
    expect(saved.statusCode, saved.body).toBe(200);
    const s = saved.json();
    expect(s.version).toBe(2);
    expect(s.supportNeed.display).toBe('Moderat støttebehov');
    expect(s.accounts.map((x: { informant: { display: string } }) => x.informant.display).sort()).toEqual([
      'Borger',
      'Sagsbehandler',
    ]);
    expect(s.life).toMatchObject({ housing: 'own_home', admissions12m: 1 });
    const stale = await as(cw, { method: 'PUT', url: `/api/assessments/${a.id}`, payload: doc(1) });
    expect(stale.statusCode).toBe(409);

    const done = await as(cw, {
      method: 'POST',
      url: `/api/assessments/${a.id}/complete`,
      payload: { version: 2 },
    });
    expect(done.json()).toMatchObject({ status: 'completed', permissions: { write: false } });
    const locked = await as(cw, { method: 'PUT', url: `/api/assessments/${a.id}`, payload: doc(3) });
    expect(locked.json().code).toBe('assessment_completed');
    // Even the table owner cannot change a completed assessment.
    const err = await asOwner(t.db, m.id, (tx) =>
      tx.execute(sql`update assessment_conditions set level = 4 where assessment_id = ${a.id}`),
    ).catch((e: { cause?: Error; message: string }) => e);
    expect(String((err as { cause?: Error }).cause?.message ?? err)).toMatch(/immutable/);

    // A re-assessment starts from the last one; the movement view shows how each level moved.
    const re = (
      await as(cw, {
        method: 'POST',
        url: `/api/cases/${c.id}/assessments`,
        payload: { kind: 'reassessment', assessedOn: '2027-05-20' },
      })
    ).json();
    expect(re.conditions).toHaveLength(2);
    expect(re.citizenPerspective).toBe('Jeg vil gerne kunne tage bussen selv.');
    const better = doc(re.version, {
      assessedOn: '2027-05-20',
      supportNeedCode: ref.ffb.supportNeeds.find((x: { ordinal: number }) => x.ordinal === 1).code,
      conditions: [{ subthemeCode: transport(), level: 1, note: 'Tager bussen med støtte' }],
    });
    const reSaved = (
      await as(cw, { method: 'PUT', url: `/api/assessments/${re.id}`, payload: better })
    ).json();
    await as(cw, {
      method: 'POST',
      url: `/api/assessments/${re.id}/complete`,
      payload: { version: reSaved.version },
    });
    const view = (await as(cw, { method: 'GET', url: `/api/cases/${c.id}` })).json();
    expect(view.assessments.map((x: { kind: string }) => x.kind)).toEqual(['initial', 'reassessment']);
    const moved = view.movements.subthemes.find(
      (x: { display: string }) => x.display === 'Færdes med transportmidler',
    );
    expect(moved.points.map((p: { level: number }) => p.level)).toEqual([2, 1]);
    expect(view.movements.supportNeed.map((p: { level: number }) => p.level)).toEqual([2, 1]);
  });
});

describe('goals: the citizen’s own, visibly', () => {
  it('builds the FFB hierarchy and flags goals not traceable to the citizen’s words', async () => {
    const c = await openCase();
    const post = (payload: Record<string, unknown>) =>
      as(cw, { method: 'POST', url: `/api/cases/${c.id}/goals`, payload });
    const v1 = await post({
      kind: 'citizen_goal',
      title: 'Jeg vil kunne tage bussen til min søster',
      wordsOf: 'citizen',
    });
    expect(v1.statusCode, v1.body).toBe(201);
    const wish = v1.json().goals[0];
    expect(wish).toMatchObject({ kind: 'citizen_goal', wordsOf: 'citizen', untraced: false });

    const wrongTheme = await post({
      kind: 'intervention',
      title: 'Øget motivation',
      wordsOf: 'caseworker',
      subthemeCode: subtheme('Igangsætning og motivation'),
      expectedLevel: 1,
      goalTypeCode: goalType('Udvikle funktionsevne'),
    });
    expect(wrongTheme.statusCode).toBe(422);
    expect(wrongTheme.json().errors[0]).toMatchObject({
      field: 'subthemeCode',
      code: 'primary_must_be_activity',
    });
    const incomplete = await post({
      kind: 'intervention',
      title: 'x',
      wordsOf: 'caseworker',
      subthemeCode: subtheme('Færdes med transportmidler'),
    });
    expect(
      incomplete
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['expectedLevel', 'gas', 'goalTypeCode']);

    const linked = await post({
      kind: 'intervention',
      title: 'Borgeren tager bussen alene på kendte ruter',
      wordsOf: 'caseworker',
      citizenGoalId: wish.id,
      subthemeCode: subtheme('Færdes med transportmidler'),
      expectedLevel: 1,
      goalTypeCode: goalType('Udvikle funktionsevne'),
      what: 'Tage bus 12 til Søndergade',
      measure: 'Borgeren har taget bussen alene tre gange',
      dueOn: '2027-03-01',
      helpers: 'Søsteren (netværk), bostøttemedarbejder',
      status: 'active',
      gas: gasScale('tager bussen'),
    });
    const intervention = linked.json().goals.find((g: { kind: string }) => g.kind === 'intervention');
    expect(intervention).toMatchObject({
      untraced: false,
      subtheme: { display: 'Færdes med transportmidler' },
      goalType: { display: 'Udvikle funktionsevne' },
    });

    const loose = (
      await post({
        kind: 'intervention',
        title: 'Borgeren handler selv ind',
        wordsOf: 'caseworker',
        subthemeCode: subtheme('Købe ind'),
        expectedLevel: 2,
        goalTypeCode: goalType('Fastholde funktionsevne'),
        gas: gasScale(),
      })
    )
      .json()
      .goals.find((g: { title: string }) => g.title === 'Borgeren handler selv ind');
    expect(loose.untraced).toBe(true);

    const orphanSub = await post({ kind: 'sub', title: 'x', wordsOf: 'provider', gas: gasScale() });
    expect(orphanSub.json().errors[0]).toMatchObject({ field: 'parentGoalId', code: 'invalid_link' });
    const sub = (
      await post({
        kind: 'sub',
        title: 'Øve turen med bostøtten hver tirsdag',
        wordsOf: 'provider',
        parentGoalId: intervention.id,
        gas: gasScale('øver turen'),
      })
    ).json();
    expect(sub.goals.find((g: { kind: string }) => g.kind === 'sub').untraced).toBe(false);

    expect(
      (
        await post({
          kind: 'purpose',
          title: 'Borgeren bliver mere selvhjulpen',
          wordsOf: 'caseworker',
          citizenGoalId: wish.id,
        })
      ).statusCode,
    ).toBe(201);
    const second = await post({ kind: 'purpose', title: 'Igen', wordsOf: 'caseworker' });
    expect(second.json().errors[0].code).toBe('purpose_exists');

    // Status change, a stale edit, a dated note, and the history of all three.
    const upd = await as(cw, {
      method: 'PUT',
      url: `/api/goals/${loose.id}`,
      payload: {
        title: loose.title,
        wordsOf: 'caseworker',
        subthemeCode: subtheme('Købe ind'),
        expectedLevel: 2,
        goalTypeCode: goalType('Fastholde funktionsevne'),
        status: 'achieved',
        gas: loose.gas,
        version: 1,
      },
    });
    expect(upd.statusCode, upd.body).toBe(200);
    const stale = await as(cw, {
      method: 'PUT',
      url: `/api/goals/${loose.id}`,
      payload: { title: 'y', wordsOf: 'caseworker', version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    const note = await as(cw, {
      method: 'POST',
      url: `/api/goals/${intervention.id}/notes`,
      payload: { body: 'Første tur gik godt.' },
    });
    expect(note.statusCode).toBe(201);
    expect(note.json().goals.find((g: { id: string }) => g.id === intervention.id).notes).toEqual([
      expect.objectContaining({ body: 'Første tur gik godt.', authorName: expect.stringContaining('Test') }),
    ]);
    const history = (await as(cw, { method: 'GET', url: `/api/goals/${loose.id}/history` })).json();
    expect(history.items.map((e: { kind: string }) => e.kind)).toEqual(['created', 'updated']);
    expect(history.items[1].snapshot.status).toBe('achieved');
  });
});
