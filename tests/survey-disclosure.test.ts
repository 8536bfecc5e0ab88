import fc from 'fast-check';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type ReportInput } from '../src/server/modules/survey/survey.report';
import { parseCsv } from '../src/server/platform/csv';
import { exposedSmallGroups, protectGroups } from '../src/shared/domain/disclosure';
import {
  type AnswerValue,
  pejlemaerkeScore,
  type QuestionnaireDefinition,
  SURVEY_ROLES,
  type SurveyRole,
} from '../src/shared/survey';
import type { ScoreCell, SurveyReport } from '../src/shared/survey-report';
import { createMunicipality, createStaff } from './factories';
import { call, createTestApp, login, type Session, type TestApp } from './helpers';

/** A small questionnaire with every reported kind: two pejlemærker, a choice and a number item. */
const DEF: QuestionnaireDefinition = {
  title: 'Egenskabstest',
  themes: [
    {
      code: 'tema',
      title: 'Tema',
      pejlemaerker: [
        {
          code: 'p1',
          title: 'P1',
          items: [
            { code: 'a', kind: 'degree', text: 'A', roles: [...SURVEY_ROLES] },
            {
              code: 'b',
              kind: 'agreement',
              text: 'B',
              roles: ['centerchef', 'myndighedschef', 'driftschef'],
            },
          ],
        },
        {
          code: 'p2',
          title: 'P2',
          items: [
            { code: 'c', kind: 'degree', text: 'C', roles: ['myndighedschef', 'driftschef'], reverse: true },
            {
              code: 'd',
              kind: 'choice',
              text: 'D',
              roles: [...SURVEY_ROLES],
              multiple: true,
              options: [
                { code: 'x', label: 'X' },
                { code: 'y', label: 'Y' },
              ],
            },
            {
              code: 'f',
              kind: 'choice',
              text: 'F',
              roles: [...SURVEY_ROLES],
              multiple: false,
              options: [
                { code: 'ja', label: 'Ja' },
                { code: 'nej', label: 'Nej' },
              ],
            },
            {
              code: 'e',
              kind: 'number',
              text: 'E',
              roles: ['direktoer'],
              min: 2000,
              max: 2030,
              bins: [
                { label: '–2015', upTo: 2015 },
                { label: '2016–', upTo: null },
              ],
            },
          ],
        },
      ],
    },
  ],
};
const DEGREE = ['meget_hoej', 'hoej', 'nogen', 'mindre', 'slet_ikke', 'ved_ikke'];
const AGREE = ['helt_enig', 'enig', 'hverken', 'uenig', 'helt_uenig', 'ved_ikke'];

interface Respondent {
  municipalityCode: string;
  role: SurveyRole;
  answers: Record<string, AnswerValue>;
}

const respondentArb = (codes: string[]) =>
  fc
    .record({
      municipalityCode: fc.constantFrom(...codes),
      role: fc.constantFrom(...SURVEY_ROLES),
      a: fc.option(fc.constantFrom(...DEGREE), { nil: undefined }),
      b: fc.option(fc.constantFrom(...AGREE), { nil: undefined }),
      c: fc.option(fc.constantFrom(...DEGREE), { nil: undefined }),
      d: fc.subarray(['x', 'y']),
      e: fc.option(fc.integer({ min: 2000, max: 2030 }), { nil: undefined }),
      f: fc.option(fc.constantFrom('ja', 'nej'), { nil: undefined }),
    })
    .map((r): Respondent => {
      const allowed = (code: string) =>
        DEF.themes[0]!.pejlemaerker.flatMap((p) => p.items)
          .find((i) => i.code === code)!
          .roles.includes(r.role);
      const answers: Record<string, AnswerValue> = {};
      for (const k of ['a', 'b', 'c'] as const) if (r[k] !== undefined && allowed(k)) answers[k] = r[k]!;
      if (r.d.length) answers.d = { selected: r.d };
      if (r.e !== undefined && allowed('e')) answers.e = r.e;
      if (r.f !== undefined) answers.f = { selected: [r.f] };
      return { municipalityCode: r.municipalityCode, role: r.role, answers };
    });

const dataArb = fc.integer({ min: 1, max: 6 }).chain((n) => {
  const codes = Array.from({ length: n }, (_, i) => String(100 + i));
  return fc.record({
    codes: fc.constant(codes),
    respondents: fc.array(respondentArb(codes), { maxLength: 40 }),
  });
});

/**
 * The invariant, checked on published output only: every figure shown is a group of ≥ 3 (or none), and no
 * group of 1–2 respondents can be computed by adding and subtracting the groups shown (brute force).
 */
function assertProtected(report: SurveyReport, respondents: Respondent[]) {
  for (const p of DEF.themes[0]!.pejlemaerker) {
    const scored = respondents.map((r) => pejlemaerkeScore(p, r.answers));
    const members = (code: string | null, role: SurveyRole | null) =>
      respondents
        .map((_, i) => i)
        .filter(
          (i) =>
            scored[i] !== null &&
            (code === null || respondents[i]!.municipalityCode === code) &&
            (role === null || respondents[i]!.role === role),
        );
    const published: number[][] = [];
    const take = (cell: ScoreCell | undefined, set: number[]) => {
      if (!cell || cell.mean === null) return;
      expect(cell.n).toBe(set.length);
      expect(set.length).toBeGreaterThanOrEqual(3);
      const mean = set.reduce((s, i) => s + scored[i]!, 0) / set.length;
      // Published to two decimals.
      expect(Math.abs(cell.mean - mean)).toBeLessThanOrEqual(0.005 + 1e-9);
      // A group where everyone scored the same would tell each one's score.
      expect(new Set(set.map((i) => scored[i])).size).toBeGreaterThan(1);
      published.push(set);
    };
    const national = report.pejlemaerker.find((x) => x.code === p.code)!;
    for (const role of national.roles) take(national.byRole[role], members(null, role));
    take(
      national.total,
      members(null, null).filter((i) => national.roles.includes(respondents[i]!.role)),
    );
    for (const m of report.municipalities) {
      const mp = m.pejlemaerker.find((x) => x.code === p.code)!;
      for (const role of national.roles) take(mp.byRole[role], members(m.code, role));
      take(
        mp.total,
        members(m.code, null).filter((i) => national.roles.includes(respondents[i]!.role)),
      );
    }
    // Groups whose members all scored alike (n ≥ 2) must not be computable either.
    const alike: number[][] = [];
    const consider = (set: number[]) => {
      if (set.length >= 2 && new Set(set.map((i) => scored[i])).size === 1) alike.push(set);
    };
    for (const role of national.roles) consider(members(null, role));
    for (const m of report.municipalities) {
      consider(members(m.code, null).filter((i) => national.roles.includes(respondents[i]!.role)));
      for (const role of national.roles) consider(members(m.code, role));
    }
    expect(exposedSmallGroups(published, respondents.length, alike)).toEqual([]);
  }
  for (const item of report.items) {
    if (item.distribution && 'groups' in item.distribution) {
      expect(item.distribution.groups.length).toBeGreaterThanOrEqual(2);
      for (const g of item.distribution.groups) expect(g.count).toBeGreaterThanOrEqual(3);
      expect(item.distribution.groups.reduce((s, g) => s + g.count, 0)).toBe(item.municipalities);
    }
    for (const o of item.options ?? [])
      if (o.count !== null) expect(o.count === 0 || o.count >= 3).toBe(true);
  }
}

const inputOf = (codes: string[], respondents: Respondent[]): ReportInput => ({
  questionnaire: { key: 'test', version: 1, definition: DEF },
  participants: codes.map((code) => ({ code, name: `Kommune ${code}` })),
  responses: respondents,
  invited: [],
});

describe('protected survey results (the report builder)', () => {
  it('property: no group of 1–2 is published or derivable, on random municipalities and answers', async () => {
    await fc.assert(
      fc.asyncProperty(dataArb, async ({ codes, respondents }) => {
        assertProtected(await buildReport(inputOf(codes, respondents)), respondents);
      }),
      { numRuns: 150 },
    );
  }, 300_000);

  it('a single-choice item is a distribution that adds up: one category per municipality, split where no majority', async () => {
    const r = (code: string, f: string): Respondent => ({
      municipalityCode: code,
      role: 'driftschef',
      answers: { f: { selected: [f] } },
    });
    // 101–104 answer ja; 105 and 106 answer both ja and nej (no majority); 107–109 nej; 110 two ja and one nej.
    const respondents = [
      ...['101', '102', '103', '104'].map((c) => r(c, 'ja')),
      r('105', 'ja'),
      r('105', 'nej'),
      r('106', 'nej'),
      r('106', 'ja'),
      ...['107', '108', '109'].map((c) => r(c, 'nej')),
      r('110', 'ja'),
      r('110', 'ja'),
      r('110', 'nej'),
    ];
    const codes = Array.from({ length: 10 }, (_, i) => String(101 + i));
    const report = await buildReport(inputOf(codes, respondents));
    const f = report.items.find((i) => i.code === 'f')!;
    expect(f.options).toBeUndefined();
    expect(f.municipalities).toBe(10);
    expect(f.distribution).toEqual({
      merged: true,
      groups: [
        { labels: ['Ja'], count: 5, share: 0.5 },
        { labels: ['Nej', 'Delte svar'], count: 5, share: 0.5 },
      ],
    });
    const groups = (f.distribution as { groups: { count: number; share: number }[] }).groups;
    expect(groups.reduce((s, g) => s + g.count, 0)).toBe(f.municipalities);
    expect(groups.reduce((s, g) => s + g.share, 0)).toBeCloseTo(1);
  });

  it('worked example (issue 13): an average that pins a respondent to one answer category with the 0–5 bounds is withheld', async () => {
    // Municipality 101: three myndighedschefer scoring 5, 5 and 4.375 on P1 (average 4.79). With every score at
    // most 5, each one is at least 3 × 4.79 − 10 = 4.375: every respondent's answer is the top category,
    // though not all answered alike. 102 answers lower.
    const r = (code: string, a: string, b: string): Respondent => ({
      municipalityCode: code,
      role: 'myndighedschef',
      answers: { a, b },
    });
    const respondents = [
      r('101', 'meget_hoej', 'helt_enig'),
      r('101', 'meget_hoej', 'helt_enig'),
      r('101', 'meget_hoej', 'enig'),
      r('102', 'nogen', 'enig'),
      r('102', 'mindre', 'helt_enig'),
      r('102', 'hoej', 'uenig'),
    ];
    const report = await buildReport(inputOf(['101', '102'], respondents));
    const p1 = (code: string) => report.municipalities.find((m) => m.code === code)!.pejlemaerker[0]!;
    expect(p1('101').total.mean).toBeNull();
    expect(p1('101').byRole.myndighedschef!.mean).toBeNull();
    // And 101 cannot be had as the national figure minus 102's.
    const national = report.pejlemaerker[0]!.total.mean;
    expect(national === null || p1('102').total.mean === null).toBe(true);
  });

  it('worked example: one small role forces a complement; a municipality of single roles shows its total only', () => {
    // Atoms: A = 3 respondents, B = 3, C = 1 (one variable). Publishing A, B and the total would give C.
    const status = protectGroups(
      [3, 3, 1],
      [
        { key: 'A', atoms: [0] },
        { key: 'B', atoms: [1] },
        { key: 'C', atoms: [2] },
        { key: 'total', atoms: [0, 1, 2] },
      ],
    );
    expect(Object.fromEntries(status)).toEqual({
      A: 'published',
      B: 'published',
      C: 'too_few',
      total: 'complementary',
    });
    // Two singles whose sum a reader could compute are a group of 2: refused as well.
    const pair = protectGroups(
      [3, 1, 1],
      [
        { key: 'A', atoms: [0] },
        { key: 'total', atoms: [0, 1, 2] },
      ],
    );
    expect(pair.get('total')).toBe('complementary');
    // Three who all answered alike are withheld, and must stay hidden: national − the other municipality
    // would give them, so the other municipality's figure is withheld as the complement.
    const alike = protectGroups(
      [3, 3],
      [
        { key: 'national', atoms: [0, 1] },
        { key: 'm1', atoms: [0], identical: true },
        { key: 'm2', atoms: [1] },
      ],
    );
    expect(Object.fromEntries(alike)).toEqual({
      national: 'published',
      m1: 'all_identical',
      m2: 'complementary',
    });
  });
});

describe('every results endpoint, on random data through the real app', () => {
  let t: TestApp;
  let admin: Session;
  let questionnaireId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const owner = await createMunicipality(t.db, { kind: 'national_agency' });
    const u = await createStaff(t.db, owner, 'skemaadministrator');
    admin = await login(t.app, u.username, u.password);
    const q = await call(t.app, admin, {
      method: 'POST',
      url: '/api/survey/questionnaires',
      payload: { template: 'principper-2023' },
    });
    const put = await call(t.app, admin, {
      method: 'PUT',
      url: `/api/survey/questionnaires/${q.json().id}`,
      payload: { definition: DEF, version: q.json().rowVersion },
    });
    expect(put.statusCode, put.body).toBe(200);
    questionnaireId = q.json().id;
  });
  afterAll(() => t.close());

  const csvOf = (respondents: Respondent[]) =>
    [
      'kommunekode;rolle;a;b;c;d;e',
      ...respondents.map((r) => {
        const v = (k: string) => {
          const a = r.answers[k];
          if (a === undefined) return '';
          return typeof a === 'object' ? a.selected.join('|') : String(a);
        };
        return [r.municipalityCode, r.role, v('a'), v('b'), v('c'), v('d'), v('e')].join(';');
      }),
    ].join('\n');

  it('property: report, JSON, CSV and XLSX never show a group under 3 or let one be derived', async () => {
    await fc.assert(
      fc.asyncProperty(dataArb, async ({ codes, respondents }) => {
        const round = await call(t.app, admin, {
          method: 'POST',
          url: '/api/survey/rounds',
          payload: {
            questionnaireId,
            title: 'Egenskab',
            opensOn: '2020-01-01',
            closesOn: '2020-02-01',
            participants: codes.map((code) => ({ code, name: `Kommune ${code}` })),
          },
        });
        expect(round.statusCode, round.body).toBe(201);
        const id = round.json().round.id;
        const imported = await call(t.app, admin, {
          method: 'POST',
          url: `/api/survey/rounds/${id}/import`,
          payload: { csv: csvOf(respondents) },
        });
        expect(imported.statusCode, imported.body).toBe(200);
        const closed = await call(t.app, admin, {
          method: 'PUT',
          url: `/api/survey/rounds/${id}`,
          payload: { status: 'closed', version: 1 },
        });
        expect(closed.statusCode, closed.body).toBe(200);

        const view = await call(t.app, admin, { method: 'GET', url: `/api/survey/rounds/${id}/report` });
        expect(view.statusCode).toBe(200);
        assertProtected(view.json().report, respondents);
        const json = await call(t.app, admin, {
          method: 'GET',
          url: `/api/survey/rounds/${id}/export?format=json`,
        });
        assertProtected(json.json().report, respondents);

        // CSV and XLSX carry the same figures, and only those.
        const csv = await call(t.app, admin, {
          method: 'GET',
          url: `/api/survey/rounds/${id}/export?format=csv`,
        });
        const rows = parseCsv(csv.body).slice(1);
        const xlsx = await call(t.app, admin, {
          method: 'GET',
          url: `/api/survey/rounds/${id}/export?format=xlsx`,
        });
        const files = unzipSync(new Uint8Array(xlsx.rawPayload));
        const sheetNumbers = Object.entries(files)
          .filter(([n]) => n.startsWith('xl/worksheets/'))
          .flatMap(([, f]) =>
            [...strFromU8(f).matchAll(/<c r="E\d+"><v>([^<]+)<\/v>/g)].map((m) => Number(m[1])),
          );
        const csvCounts = rows
          .map((r) => r[4])
          .filter((v) => v !== '' && v !== undefined)
          .map(Number);
        const counts = rows
          .filter((r) => r[0] !== 'besvarelser')
          .map((r) => r[4])
          .filter((v) => v !== '')
          .map(Number);
        for (const n of counts) expect(n === 0 || n >= 3).toBe(true);
        expect(sheetNumbers.sort((a, b) => a - b)).toEqual(csvCounts.sort((a, b) => a - b));
      }),
      { numRuns: 8 },
    );
  });
});
