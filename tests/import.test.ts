import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/server/platform/tenancy';
import { checkPrimarySubtheme, type FfbCategory } from '../src/shared/domain/ffb';
import { createMunicipality, createStaff, fictionalCpr, type TestMunicipality } from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';

let t: TestApp;
let m: TestMunicipality;
let admin: Session;
let cw: Session;

beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db);
  const a = await createStaff(t.db, m, 'administrator');
  admin = await login(t.app, a.username, a.password);
  const c = await createStaff(t.db, m, 'sagsbehandler');
  cw = await login(t.app, c.username, c.password);
});
afterAll(() => t.close());

const ndjson = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n');
const post = (body: string, s = admin) =>
  call(t.app, s, { method: 'POST', url: '/api/admin/import', payload: { ndjson: body } });
const count = async (table: string) =>
  rowsOf<{ n: number }>(
    await t.db.execute(
      sql`select count(*)::int as n from ${sql.identifier(table)} where municipality_id = ${m.id}`,
    ),
  )[0]!.n;

const ref = () => t.app.ctx.reference;
/** A code of the current list, the first of its kind or the first whose name starts with `display`. */
const codeOf = (system: string, kind: string, display?: string) => {
  const list = ref().current(system).key;
  const all = ref().ofKind(list, kind);
  return (display ? all.find((c) => c.display.startsWith(display)) : all[0])!.code;
};

describe('importing from another system (NDJSON)', () => {
  let file: object[];

  beforeAll(() => {
    const ydelse = codeOf('ffb', 'ydelse');
    const activitySubtheme = ref()
      .ofKind(ref().current('ffb').key, 'subtheme')
      .find((c) => !checkPrimarySubtheme(c.attrs.category as FfbCategory))!.code;
    const target = codeOf('ffb', 'target_group');
    file = [
      {
        type: 'citizen',
        id: 'B-1',
        cpr: fictionalCpr(),
        firstName: 'Anna',
        lastName: 'Holm',
        unit: 'Bostøtte',
      },
      { type: 'citizen', id: 'B-2', cpr: fictionalCpr(), firstName: 'Bo', lastName: 'Berg' },
      {
        type: 'case',
        id: 'S-1',
        citizen: 'B-1',
        authorityUnit: 'Myndighed',
        reason: 'Henvendelse',
        openedOn: '2024-03-01',
      },
      {
        type: 'case',
        id: 'S-2',
        citizen: 'B-2',
        authorityUnit: 'Myndighed',
        reason: 'Henvendelse',
        openedOn: '2023-05-01',
        closedOn: '2024-01-31',
        endReason: codeOf('kl-caresocial', 'end_reason', 'Ikke yderligere behov'),
      },
      {
        type: 'service',
        id: 'Y-1',
        case: 'S-1',
        ydelse,
        paragraph: 'SEL §85',
        targetGroup: target,
        provider: 'Bostøtte',
        status: 'active',
        startOn: '2024-03-15',
        priceAmount: 450,
        priceUnit: 'hour',
        hoursPerWeek: 3,
      },
      {
        type: 'service',
        id: 'Y-2',
        case: 'S-2',
        ydelse,
        paragraph: 'SEL §107',
        targetGroup: target,
        provider: 'Botilbud',
        status: 'ended',
        startOn: '2023-05-15',
        endOn: '2024-01-31',
        endReason: codeOf('kl-caresocial', 'end_reason', 'Ikke yderligere behov'),
      },
      {
        type: 'follow_up',
        id: 'O-1',
        service: 'Y-1',
        heldOn: '2024-06-10',
        result: codeOf('ffb', 'follow_up_result'),
        life: { employment: 'in_education', admissions12m: 0 },
      },
      {
        type: 'follow_up',
        id: 'O-2',
        service: 'Y-2',
        heldOn: '2023-12-01',
        result: codeOf('ffb', 'follow_up_result'),
        ratings: [
          { goal: 'G-2', rater: 'citizen', score: 1 },
          { goal: 'G-2', rater: 'professional', score: 0 },
        ],
      },
      {
        type: 'goal',
        id: 'G-1',
        case: 'S-2',
        kind: 'citizen_goal',
        title: 'Jeg vil bo for mig selv',
        wordsOf: 'citizen',
        status: 'achieved',
        createdOn: '2023-05-15',
        statusOn: '2024-01-31',
      },
      {
        type: 'goal',
        id: 'G-2',
        case: 'S-2',
        kind: 'intervention',
        title: 'Borgeren klarer selv indkøb og madlavning',
        wordsOf: 'caseworker',
        status: 'achieved',
        createdOn: '2023-05-15',
        statusOn: '2024-01-31',
        citizenGoal: 'G-1',
        subtheme: activitySubtheme,
        expectedLevel: 2,
        goalType: codeOf('ffb', 'goal_type'),
      },
      {
        type: 'measure',
        id: 'M-1',
        citizen: 'B-1',
        instrument: 'WHO-5',
        administeredOn: '2024-03-15',
        answers: { '1': 2, '2': 3, '3': 2, '4': 1, '5': 2 },
      },
    ];
  });

  it('imports citizens, cases, services, follow-ups and measures, and a second import changes nothing', async () => {
    const first = await post(ndjson(file));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({
      citizens: { created: 2, updated: 0 },
      cases: { created: 2, updated: 0 },
      services: { created: 2, updated: 0 },
      goals: { created: 2, updated: 0, unchanged: 0 },
      assessments: { created: 0, updated: 0, unchanged: 0 },
      plans: { created: 0, updated: 0, unchanged: 0 },
      followUps: { created: 2, unchanged: 0, ratings: 2 },
      measures: { created: 1, unchanged: 0 },
    });
    const again = await post(ndjson(file));
    expect(again.json()).toEqual({
      citizens: { created: 0, updated: 2 },
      cases: { created: 0, updated: 2 },
      services: { created: 0, updated: 2 },
      goals: { created: 0, updated: 0, unchanged: 2 },
      assessments: { created: 0, updated: 0, unchanged: 0 },
      plans: { created: 0, updated: 0, unchanged: 0 },
      followUps: { created: 0, unchanged: 2, ratings: 0 },
      measures: { created: 0, unchanged: 1 },
    });
    for (const [table, n] of [
      ['citizens', 2],
      ['cases', 2],
      ['services', 2],
      ['goals', 2],
      ['goal_events', 4],
      ['follow_ups', 2],
      ['follow_up_ratings', 2],
      ['measurements', 1],
    ] as const)
      expect(await count(table), table).toBe(n);
    // The imported pathway is the caseworker's to work on: case numbers, a scored WHO-5, the next follow-up.
    const cases = (
      await call(t.app, cw, { method: 'POST', url: '/api/citizens/search', payload: { name: 'Anna' } })
    ).json();
    expect(cases.items).toHaveLength(1);
    const [svc] = rowsOf<{ next_follow_up_on: string; last_follow_up_on: string }>(
      await t.db.execute(
        sql`select next_follow_up_on::text, last_follow_up_on::text from services where external_id = 'Y-1' and municipality_id = ${m.id}`,
      ),
    );
    expect(svc).toEqual({ last_follow_up_on: '2024-06-10', next_follow_up_on: '2025-06-10' });
    const [who5] = rowsOf<{ score: string }>(
      await t.db.execute(
        sql`select score::text from measurements where external_id = 'M-1' and municipality_id = ${m.id}`,
      ),
    );
    expect(Number(who5!.score)).toBe(40);
    // Every citizen touched is in the log of lookups.
    const [audited] = rowsOf<{ n: number }>(
      await t.db.execute(
        sql`select count(*)::int as n from audit_events where municipality_id = ${m.id} and purpose = 'data.import' and resource_type = 'citizen'`,
      ),
    );
    expect(audited!.n).toBe(4);
    // Goals keep their history: made active on 15 May 2023, achieved on 31 January 2024; the indsatsmål
    // serves the citizen's own goal.
    const history = rowsOf<{ external_id: string; day: string; status: string }>(
      await t.db.execute(sql`select g.external_id, (e.created_at at time zone 'UTC')::date::text as day,
          e.snapshot->>'status' as status from goal_events e join goals g on g.id = e.goal_id
         where g.municipality_id = ${m.id} order by 1, 2`),
    );
    expect(history).toEqual([
      { external_id: 'G-1', day: '2023-05-15', status: 'active' },
      { external_id: 'G-1', day: '2024-01-31', status: 'achieved' },
      { external_id: 'G-2', day: '2023-05-15', status: 'active' },
      { external_id: 'G-2', day: '2024-01-31', status: 'achieved' },
    ]);
    const [link] = rowsOf<{ ok: boolean }>(
      await t.db.execute(sql`select i.citizen_goal_id = c.id as ok from goals i join goals c on c.external_id = 'G-1'
         and c.municipality_id = i.municipality_id where i.external_id = 'G-2' and i.municipality_id = ${m.id}`),
    );
    expect(link!.ok).toBe(true);
    // GAS at the follow-up, on the indsatsmål, with KL's informant for each rater.
    const ratings = rowsOf<{ rater: string; score: number; informant: string; goal: string }>(
      await t.db.execute(sql`select r.rater, r.score, c.display as informant, g.external_id as goal
          from follow_up_ratings r join goals g on g.id = r.goal_id
          join codes c on c.list_key = r.informant_list and c.code = r.informant_code
         where r.municipality_id = ${m.id} order by r.rater`),
    );
    expect(ratings).toEqual([
      { rater: 'citizen', score: 1, informant: 'Borger', goal: 'G-2' },
      { rater: 'professional', score: 0, informant: 'Medarbejder alene', goal: 'G-2' },
    ]);
  });

  it('checks GAS ratings: the goal exists and belongs to the service’s case, one rating per rater, a known informant', async () => {
    const followUp = (ratings: object[]) => ({
      type: 'follow_up',
      id: `O-${Math.random()}`,
      service: 'Y-1',
      heldOn: '2024-07-01',
      result: codeOf('ffb', 'follow_up_result'),
      ratings,
    });
    const r = await post(
      ndjson([
        followUp([{ goal: 'G-404', rater: 'citizen', score: 1 }]),
        followUp([{ goal: 'G-2', rater: 'citizen', score: 1 }]),
        followUp([
          { goal: 'G-9', rater: 'citizen', score: 1 },
          { goal: 'G-9', rater: 'citizen', score: 2, informant: 'x' },
        ]),
        followUp([{ goal: 'G-9', rater: 'citizen', score: 3 }]),
        {
          type: 'goal',
          id: 'G-9',
          case: 'S-1',
          kind: 'citizen_goal',
          title: 'Jeg vil have et arbejde',
          wordsOf: 'citizen',
          status: 'active',
          createdOn: '2024-03-15',
        },
      ]),
    );
    expect(r.statusCode).toBe(422);
    const rows = r.json().rows.map((e: { line: number; field: string }) => `${e.line}:${e.field}`);
    expect(rows).toEqual([
      '1:ratings.0.goal',
      '2:ratings.0.goal',
      '3:ratings.1.informant',
      '3:ratings.1.rater',
      '4:ratings.0.score',
    ]);
    expect(r.json().rows[1].message).toBe('Målet hører til en anden sag end ydelsen');
    expect(await count('follow_up_ratings')).toBe(2);
  });

  it('checks goals against the FFB goal hierarchy', async () => {
    const bad = [
      {
        type: 'goal',
        id: 'G-9',
        case: 'S-1',
        kind: 'intervention',
        title: 'Uden undertema',
        wordsOf: 'caseworker',
        status: 'active',
        createdOn: '2024-03-15',
      },
      {
        type: 'goal',
        id: 'G-8',
        case: 'S-1',
        kind: 'citizen_goal',
        title: 'Med måltype',
        wordsOf: 'citizen',
        status: 'active',
        createdOn: '2024-03-15',
        goalType: 'x',
      },
      {
        type: 'goal',
        id: 'G-7',
        case: 'S-404',
        kind: 'citizen_goal',
        title: 'Ukendt sag',
        wordsOf: 'citizen',
        status: 'active',
        createdOn: '2024-03-15',
      },
    ];
    const r = await post(ndjson(bad));
    expect(r.statusCode).toBe(422);
    const fields = r.json().rows.map((x: { line: number; field: string }) => `${x.line}:${x.field}`);
    expect(fields).toEqual(
      expect.arrayContaining(['1:subtheme', '1:expectedLevel', '1:goalType', '2:subtheme', '3:case']),
    );
    expect(await count('goals')).toBe(2);
  });

  it('checks every line first: one bad line and nothing is written, with each failing line reported', async () => {
    const before = await count('citizens');
    const bad = ndjson([
      { type: 'citizen', id: 'B-9', cpr: fictionalCpr(), firstName: 'Carl', lastName: 'Dam' },
      { type: 'citizen', id: 'B-10', cpr: '3213011234', firstName: 'Ugyldig', lastName: 'Cpr' },
      {
        type: 'case',
        id: 'S-9',
        citizen: 'B-404',
        authorityUnit: 'Bostøtte',
        reason: 'x',
        openedOn: '2024-01-01',
      },
      {
        type: 'service',
        id: 'Y-9',
        case: 'S-9',
        ydelse: 'x',
        paragraph: 'SEL §0',
        targetGroup: 'x',
        provider: 'Myndighed',
        status: 'active',
      },
    ]).concat('\n{not json');
    const r = await post(bad);
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('import_invalid');
    const rows = r.json().rows.map((e: { line: number; field: string }) => `${e.line}:${e.field}`);
    expect(rows).toEqual(
      expect.arrayContaining([
        '2:cpr',
        '3:citizen',
        '3:authorityUnit',
        '4:ydelse',
        '4:paragraph',
        '4:provider',
        '4:startOn',
        '5:',
      ]),
    );
    expect(await count('citizens')).toBe(before);
  });

  it('takes the same records as CSV: a header row, nested fields as columns, decimal commas; errors name the CSV line', async () => {
    const cpr = fictionalCpr();
    const csv = [
      'type;id;cpr;firstName;lastName;unit;citizen;case;authorityUnit;reason;openedOn;service;ydelse;paragraph;targetGroup;provider;status;startOn;priceAmount;priceUnit;hoursPerWeek;heldOn;result;life.employment;life.admissions12m;instrument;administeredOn;answers.1;answers.2;answers.3;answers.4;answers.5;kind;title;wordsOf;createdOn;ratings.1.goal;ratings.1.rater;ratings.1.score;ratings.2.goal;ratings.2.rater;ratings.2.score',
      `citizen;C-1;${cpr};"Carla; Marie";Dam;Bostøtte;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;`,
      'case;CS-1;;;;;C-1;;Myndighed;Henvendelse;2024-02-01;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;',
      `service;CY-1;;;;;;CS-1;;;;;${codeOf('ffb', 'ydelse')};SEL §85;${codeOf('ffb', 'target_group')};Bostøtte;active;2024-02-15;"450,50";hour;2,5;;;;;;;;;;;;;;;;;;;;;`,
      'goal;CG-1;;;;;;CS-1;;;;;;;;;active;;;;;;;;;;;;;;;;citizen_goal;Jeg vil på arbejde;citizen;2024-02-15;;;;;;',
      `follow_up;CO-1;;;;;;;;;;CY-1;;;;;;;;;;2024-05-01;${codeOf('ffb', 'follow_up_result')};unemployed;1;;;;;;;;;;;;CG-1;citizen;-1;CG-1;professional;0`,
      'measure;CM-1;;;;;C-1;;;;;;;;;;;;;;;;;;;WHO-5;2024-02-15;3;3;2;2;3;;;;;;;;;;',
    ].join('\r\n');
    const r = await call(t.app, admin, { method: 'POST', url: '/api/admin/import', payload: { csv } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      citizens: { created: 1 },
      cases: { created: 1 },
      services: { created: 1 },
      goals: { created: 1 },
      followUps: { created: 1, ratings: 2 },
      measures: { created: 1 },
    });
    const [row] = rowsOf<{
      first_name: string;
      price_amount: string;
      hours_per_week: string;
      admissions: number;
    }>(
      await t.db.execute(sql`select c.first_name, s.price_amount::text, s.hours_per_week::text,
          f.admissions_12m as admissions
          from citizens c join services s on s.citizen_id = c.id join follow_ups f on f.service_id = s.id
         where c.external_id = 'C-1' and c.municipality_id = ${m.id}`),
    );
    expect(row).toEqual({
      first_name: 'Carla; Marie',
      price_amount: '450.50',
      hours_per_week: '2.50',
      admissions: 1,
    });
    // A bad row: the error names its line in the CSV file (the header is line 1).
    const bad =
      'type;id;citizen;authorityUnit;reason;openedOn\ncase;CS-2;C-1;Myndighed;Henvendelse;2024-13-01';
    const e = await call(t.app, admin, { method: 'POST', url: '/api/admin/import', payload: { csv: bad } });
    expect(e.statusCode).toBe(422);
    expect(e.json().rows).toEqual([expect.objectContaining({ line: 2, field: 'openedOn' })]);
    const noType = await call(t.app, admin, {
      method: 'POST',
      url: '/api/admin/import',
      payload: { csv: 'id;name\n1;x' },
    });
    expect(noType.json().rows).toEqual([expect.objectContaining({ line: 1, field: 'type' })]);
  });

  it('is for administrators only', async () => {
    expect((await post(ndjson(file), cw)).statusCode).toBe(403);
  });
});

describe('importing the history of a pathway (issue 12, item 13)', () => {
  // A municipality of its own, so the row counts of the other tests stay theirs.
  let mH: TestMunicipality;
  let adminH: Session;
  let cwH: Session;
  beforeAll(async () => {
    mH = await createMunicipality(t.db);
    const a = await createStaff(t.db, mH, 'administrator');
    adminH = await login(t.app, a.username, a.password);
    const c = await createStaff(t.db, mH, 'sagsbehandler');
    cwH = await login(t.app, c.username, c.password);
  });
  const postH = (body: string) => post(body, adminH);
  const countH = async (table: string) =>
    rowsOf<{ n: number }>(
      await t.db.execute(
        sql`select count(*)::int as n from ${sql.identifier(table)} where municipality_id = ${mH.id}`,
      ),
    )[0]!.n;

  it('brings the history: assessments, §141 plan versions, delmål and GAS scales, all or nothing, once', async () => {
    const ffb = ref().current('ffb').key;
    const activity = ref()
      .ofKind(ffb, 'subtheme')
      .filter((c) => !checkPrimarySubtheme(c.attrs.category as FfbCategory));
    const fn = ref()
      .ofKind(ffb, 'subtheme')
      .find((c) => checkPrimarySubtheme(c.attrs.category as FfbCategory))!.code;
    const theme = ref().ofKind(ffb, 'theme')[0]!.code;
    const scale = {
      levels: { '-1': 'Handler med følge', '0': 'Handler selv ugentligt', '1': 'Handler selv dagligt' },
      baseline: -1,
    };
    const history = [
      { type: 'citizen', id: 'H-B', cpr: fictionalCpr(), firstName: 'Ida', lastName: 'Lund' },
      {
        type: 'case',
        id: 'H-S',
        citizen: 'H-B',
        authorityUnit: 'Myndighed',
        reason: 'Henvendelse',
        openedOn: '2024-01-10',
      },
      {
        type: 'service',
        id: 'H-Y',
        case: 'H-S',
        ydelse: codeOf('ffb', 'ydelse', 'Støtte til daglige opgaver'),
        paragraph: 'SEL §85',
        targetGroup: codeOf('ffb', 'target_group'),
        supportNeed: codeOf('ffb', 'support_need', 'Moderat'),
        provider: 'Bostøtte',
        status: 'active',
        startOn: '2024-02-01',
      },
      {
        type: 'assessment',
        id: 'H-U1',
        case: 'H-S',
        kind: 'initial',
        assessedOn: '2024-01-20',
        supportNeed: codeOf('ffb', 'support_need', 'Moderat'),
        citizenPerspective: 'Jeg vil klare mine indkøb selv.',
        conditions: [
          { subtheme: activity[0]!.code, level: 3, inFocus: true },
          { subtheme: activity[1]!.code, notAssessed: true },
          { subtheme: fn, note: 'Svært ved at komme i gang' },
        ],
        accounts: [
          { theme, informant: codeOf('kl-caresocial', 'informant', 'Borger'), text: 'Jeg bliver træt.' },
        ],
      },
      {
        type: 'assessment',
        id: 'H-U2',
        case: 'H-S',
        kind: 'reassessment',
        assessedOn: '2024-09-01',
        status: 'draft',
      },
      {
        type: 'plan',
        id: 'H-P1',
        case: 'H-S',
        version: 1,
        status: 'shared',
        sharedOn: '2024-01-25',
        purpose: 'At Ida klarer mere selv',
        offer: 'accepted',
        offeredOn: '2024-01-22',
        agreementOn: '2024-01-25',
        agreementHow: 'meeting',
        participants: [{ kind: 'provider', name: 'Bostøtten', responsibility: 'Ugentlig støtte' }],
      },
      { type: 'plan', id: 'H-P2', case: 'H-S', version: 2, status: 'draft', purpose: 'Næste skridt' },
      {
        type: 'goal',
        id: 'H-G1',
        case: 'H-S',
        kind: 'intervention',
        title: 'Ida handler selv ind',
        wordsOf: 'citizen_supported',
        status: 'active',
        createdOn: '2024-01-25',
        subtheme: activity[0]!.code,
        expectedLevel: 2,
        goalType: codeOf('ffb', 'goal_type'),
        gas: scale,
      },
      {
        type: 'goal',
        id: 'H-G2',
        case: 'H-S',
        kind: 'sub',
        title: 'Skrive indkøbsliste med bostøtten',
        wordsOf: 'provider',
        status: 'active',
        createdOn: '2024-02-10',
        parent: 'H-G1',
        service: 'H-Y',
        gas: scale,
      },
      {
        type: 'follow_up',
        id: 'H-O1',
        service: 'H-Y',
        heldOn: '2024-05-01',
        result: codeOf('ffb', 'follow_up_result'),
        ratings: [{ goal: 'H-G2', rater: 'citizen', score: 1 }],
      },
    ];
    // One bad line and nothing is written: a delmål under a citizen's goal, a function theme with a level,
    // a shared plan without its date.
    const bad = history.map((r) =>
      r.id === 'H-G2'
        ? { ...r, parent: 'H-G0' }
        : r.id === 'H-U1'
          ? { ...r, conditions: [{ subtheme: fn, level: 2 }] }
          : r.id === 'H-P1'
            ? { ...r, sharedOn: undefined }
            : r,
    );
    const refused = await postH(ndjson(bad));
    expect(refused.statusCode).toBe(422);
    expect(
      refused
        .json()
        .rows.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['conditions.0.level', 'parent', 'sharedOn']);
    expect(await countH('assessments')).toBe(0);
    const first = await postH(ndjson(history));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      assessments: { created: 2, updated: 0, unchanged: 0 },
      plans: { created: 2, updated: 0, unchanged: 0 },
      goals: { created: 2 },
      followUps: { created: 1, ratings: 1 },
    });
    // As a caseworker sees it: the completed assessment with «Ikke vurderet», the shared plan, the delmål
    // with its GAS scale on the service.
    const cases = (await call(t.app, cwH, { method: 'GET', url: '/api/cases?mine=false&open=true' })).json();
    const kase = cases.items.find((c: { citizen: { name: string } }) => c.citizen.name === 'Ida Lund');
    const view = (await call(t.app, cwH, { method: 'GET', url: `/api/cases/${kase.id}` })).json();
    expect(view.assessments.map((a: { status: string }) => a.status)).toEqual(['completed', 'draft']);
    const a1 = (
      await call(t.app, cwH, { method: 'GET', url: `/api/assessments/${view.assessments[0].id}` })
    ).json();
    expect(
      a1.conditions.map((c: { level: number | null; notAssessed: boolean }) => [c.level, c.notAssessed]),
    ).toEqual(
      expect.arrayContaining([
        [3, false],
        [null, true],
        [null, false],
      ]),
    );
    const plans = (await call(t.app, cwH, { method: 'GET', url: `/api/cases/${kase.id}/plans` })).json();
    expect(plans.items.map((p: { version: number; status: string }) => [p.version, p.status])).toEqual(
      expect.arrayContaining([
        [1, 'shared'],
        [2, 'draft'],
      ]),
    );
    const svc = view.services[0];
    const detail = (await call(t.app, cwH, { method: 'GET', url: `/api/services/${svc.id}` })).json();
    expect(detail.subGoals[0]).toMatchObject({ title: 'Skrive indkøbsliste med bostøtten', gas: scale });
    expect(detail.supportNeed.code).toBe(codeOf('ffb', 'support_need', 'Moderat'));
    // Again: the completed assessment and the shared plan are history and stay; the drafts are updated.
    const again = await postH(ndjson(history));
    expect(again.json()).toMatchObject({
      assessments: { created: 0, updated: 1, unchanged: 1 },
      plans: { created: 0, updated: 1, unchanged: 1 },
      goals: { created: 0, unchanged: 2 },
      followUps: { created: 0, unchanged: 1 },
    });
    expect(await countH('assessments')).toBe(2);
    expect(await countH('action_plans')).toBe(2);
  });

  it('takes assessments as CSV too, with numbered columns for conditions', async () => {
    const ffb = ref().current('ffb').key;
    const activity = ref()
      .ofKind(ffb, 'subtheme')
      .filter((c) => !checkPrimarySubtheme(c.attrs.category as FfbCategory));
    const csv = [
      'type;id;citizen;cpr;firstName;lastName;authorityUnit;reason;openedOn;case;kind;assessedOn;conditions.1.subtheme;conditions.1.level;conditions.2.subtheme;conditions.2.notAssessed',
      `citizen;C-B;;${fictionalCpr()};Eva;Berg;;;;;;;;;;`,
      'case;C-S;C-B;;;;Myndighed;Henvendelse;2024-02-01;;;;;;;',
      `assessment;C-U;;;;;;;;C-S;initial;2024-02-10;${activity[0]!.code};2;${activity[1]!.code};ja`,
    ].join('\r\n');
    const res = await call(t.app, adminH, { method: 'POST', url: '/api/admin/import', payload: { csv } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().assessments.created).toBe(1);
    const [row] = rowsOf<{ n: number; na: number }>(
      await t.db.execute(sql`select count(*)::int as n, count(*) filter (where not_assessed)::int as na
                               from assessment_conditions where municipality_id = ${mH.id}
                                 and assessment_id = (select id from assessments where external_id = 'C-U')`),
    );
    expect(row).toEqual({ n: 2, na: 1 });
  });
});
