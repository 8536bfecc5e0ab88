import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditKeyFigures } from '../src/server/modules/keyfigures/keyfigures.audit';
import type { KeyFigureRow } from '../src/server/modules/keyfigures/keyfigures.compute';
import { protectKeyFigures, protectLadder } from '../src/server/modules/keyfigures/keyfigures.protect';
import { inPublication, protectAndAudit } from '../src/server/modules/keyfigures/keyfigures.refresh';
import { targetRanges } from '../src/server/platform/ranges';
import { derivable, isSensitive, protectLinked } from '../src/shared/domain/disclosure';
import { PERIOD_MONTHS, type PeriodKind } from '../src/shared/indicators';

/**
 * Disclosure control of key figures (issue 5): property tests on random data with an attacker that does not
 * share the protection's model. The attacker works on the people themselves: every published figure is the
 * indicator vector of the records it counts, and a withheld figure leaks when its vector lies in the span of
 * the published vectors (then its value is the same combination of published values).
 */

/** One record: a citizen's first service (new_citizens) or an ended service (ended_need_met). */
interface Atom {
  month: number;
  unit: number;
  paragraph: number;
  target: number;
  met: boolean;
}

const PARAGRAPHS = ['SEL §82b', 'SEL §85', 'SEL §104'];
/** The step each paragraph is on (a reader knows it): a step's figure is the sum of its paragraphs'. */
const STEP_OF = new Map([
  ['SEL §82b', 2],
  ['SEL §85', 3],
  ['SEL §104', 3],
]);
const MONTHS = 6;
const UNITS = 3;
const TARGETS = 2;
const month = (m: number) => `2025-${String(m + 1).padStart(2, '0')}-01`;
const quarter = (m: number) => `2025-${String(Math.floor(m / 3) * 3 + 1).padStart(2, '0')}-01`;

type Cell = { kind: PeriodKind; start: string; breakdown: string; value: string };

/** Every cell a record falls in: whole and per breakdown, per month, quarter and year. */
function cellsOf(a: Omit<Atom, 'met'>): Cell[] {
  const periods: [PeriodKind, string][] = [
    ['month', month(a.month)],
    ['quarter', quarter(a.month)],
    ['year', '2025-01-01'],
  ];
  const paragraph = PARAGRAPHS[a.paragraph]!;
  const breakdowns: [string, string][] = [
    ['', ''],
    ['paragraph', paragraph],
    ['step', String(STEP_OF.get(paragraph))],
    ['unit', `u${a.unit}`],
    ['target_group', `t${a.target}`],
  ];
  return periods.flatMap(([kind, start]) =>
    breakdowns.map(([breakdown, value]) => ({ kind, start, breakdown, value })),
  );
}

const cellKey = (c: Cell) => `${c.kind}|${c.start}|${c.breakdown}|${c.value}`;

/**
 * Every class a record can fall in (the full cross-classification, empty ones included): the attacker's
 * unknowns. A reader knows the structure (which classes a figure adds up) but not the class counts.
 */
const CLASSES: Atom[] = [];
for (let m = 0; m < MONTHS; m++)
  for (let u = 0; u < UNITS; u++)
    for (let p = 0; p < PARAGRAPHS.length; p++)
      for (let t = 0; t < TARGETS; t++)
        for (const met of [false, true]) CLASSES.push({ month: m, unit: u, paragraph: p, target: t, met });
/** The classes each cell adds up. */
const CLASSES_IN = new Map<string, number[]>();
CLASSES.forEach((c, k) => {
  for (const cell of cellsOf(c)) {
    const list = CLASSES_IN.get(cellKey(cell));
    if (list) list.push(k);
    else CLASSES_IN.set(cellKey(cell), [k]);
  }
});

/** The stored figures of two flow indicators computed from the records, with the classes each one adds. */
function figures(atoms: Atom[]) {
  const counts = new Map<string, { indicator: string; cell: Cell; n: number; met: number }>();
  for (const a of atoms)
    for (const cell of cellsOf(a))
      for (const indicator of ['new_citizens', 'ended_need_met']) {
        const key = `${indicator}|${cellKey(cell)}`;
        const c = counts.get(key) ?? { indicator, cell, n: 0, met: 0 };
        c.n++;
        if (a.met) c.met++;
        counts.set(key, c);
      }
  const rows: KeyFigureRow[] = [];
  const sets: { numerator: number[]; denominator: number[]; rest: number[] }[] = [];
  for (const { indicator, cell, n, met } of counts.values()) {
    const classes = CLASSES_IN.get(cellKey(cell))!;
    rows.push({
      indicator,
      periodKind: cell.kind,
      periodStart: cell.start,
      breakdown: cell.breakdown,
      value: cell.value,
      numerator: indicator === 'new_citizens' ? n : met,
      denominator: indicator === 'new_citizens' ? null : n,
    });
    // new_citizens counts every record of a cell (both halves of met); ended_need_met's numerator the met.
    sets.push(
      indicator === 'new_citizens'
        ? { numerator: classes, denominator: [], rest: [] }
        : {
            numerator: classes.filter((k) => CLASSES[k]!.met),
            denominator: classes,
            rest: classes.filter((k) => !CLASSES[k]!.met),
          },
    );
  }
  return { rows, sets };
}

/** The attacker: Gaussian elimination over the classes, independent of protectLinked. */
function spanOf(vectors: number[][], width: number) {
  const rows: { pivot: number; v: Float64Array }[] = [];
  const reduce = (v: Float64Array) => {
    for (const r of rows) {
      const f = v[r.pivot]!;
      if (f !== 0) for (let c = 0; c < width; c++) v[c]! -= f * r.v[c]!;
    }
    return v;
  };
  const vector = (members: number[]) => {
    const v = new Float64Array(width);
    for (const m of members) v[m] = 1;
    return v;
  };
  for (const members of vectors) {
    const v = reduce(vector(members));
    let pivot = -1;
    for (let c = 0; c < width; c++)
      if (Math.abs(v[c]!) > 1e-9) {
        pivot = c;
        break;
      }
    if (pivot < 0) continue;
    const s = v[pivot]!;
    for (let c = 0; c < width; c++) v[c]! /= s;
    for (const r of rows) {
      const f = r.v[pivot]!;
      if (f !== 0) for (let c = 0; c < width; c++) r.v[c]! -= f * v[c]!;
    }
    rows.push({ pivot, v });
  }
  return (members: number[]) => reduce(vector(members)).every((x) => Math.abs(x) < 1e-7);
}

const atom = fc.record({
  month: fc.integer({ min: 0, max: MONTHS - 1 }),
  unit: fc.integer({ min: 0, max: UNITS - 1 }),
  paragraph: fc.integer({ min: 0, max: PARAGRAPHS.length - 1 }),
  target: fc.integer({ min: 0, max: TARGETS - 1 }),
  met: fc.boolean(),
});

const protect = (rows: KeyFigureRow[]) => protectKeyFigures(rows, STEP_OF);

describe('key figures: published output never gives a withheld figure away', () => {
  it('no shown figure is 1–2, no shown rate has a numerator, denominator or rest of 1–2', () => {
    fc.assert(
      fc.property(fc.array(atom, { maxLength: 60 }), (atoms) => {
        const { rows } = figures(atoms);
        for (const p of protect(rows)) {
          if (p.status !== 'shown') {
            expect(p.numerator).toBeNull();
            expect(p.figure).toBeNull();
            continue;
          }
          expect(isSensitive(p.numerator!)).toBe(false);
          if (p.denominator !== null) {
            expect(isSensitive(p.denominator)).toBe(false);
            expect(isSensitive(p.denominator - p.numerator!)).toBe(false);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('no withheld group of 1–2 lies in the span of the published figures (records as the unknowns)', () => {
    fc.assert(
      fc.property(fc.array(atom, { minLength: 1, maxLength: 45 }), (atoms) => {
        const { rows, sets } = figures(atoms);
        const published = protect(rows);
        // One span per indicator: numerators and denominators together (a reader may combine them).
        for (const indicator of ['new_citizens', 'ended_need_met']) {
          const shown: number[][] = [];
          published.forEach((p, k) => {
            if (p.indicator !== indicator || p.status !== 'shown') return;
            shown.push(sets[k]!.numerator);
            if (p.denominator !== null) shown.push(sets[k]!.denominator);
          });
          const inSpan = spanOf(shown, CLASSES.length);
          published.forEach((p, k) => {
            if (p.indicator !== indicator || p.status === 'shown' || p.reason === 'complementary') return;
            const r = rows[k]!;
            const { numerator, denominator, rest } = sets[k]!;
            const small = [
              isSensitive(r.numerator) ? numerator : null,
              r.denominator !== null && isSensitive(r.denominator) ? denominator : null,
              r.denominator !== null && isSensitive(r.denominator - r.numerator) ? rest : null,
            ].filter((g): g is number[] => g !== null);
            for (const g of small) expect(inSpan(g), `${indicator} ${JSON.stringify(p)}`).toBe(false);
          });
        }
      }),
      { numRuns: 120 },
    );
  });

  it('a worked example: one citizen in a unit in one month is protected in the unit, the month and the quarter', () => {
    const atoms: Atom[] = [
      ...Array.from({ length: 6 }, () => ({ month: 0, unit: 0, paragraph: 1, target: 0, met: true })),
      ...Array.from({ length: 5 }, () => ({ month: 1, unit: 0, paragraph: 1, target: 0, met: true })),
      { month: 0, unit: 1, paragraph: 1, target: 0, met: true },
      ...Array.from({ length: 4 }, () => ({ month: 0, unit: 2, paragraph: 1, target: 0, met: false })),
    ];
    const { rows } = figures(atoms);
    const published = protect(rows);
    const at = (kind: PeriodKind, start: string, breakdown: string, value: string) =>
      published.find(
        (p) =>
          p.indicator === 'new_citizens' &&
          p.periodKind === kind &&
          p.periodStart === start &&
          p.breakdown === breakdown &&
          p.value === value,
      )!;
    expect(at('month', '2025-01-01', 'unit', 'u1').status).toBe('withheld');
    expect(at('month', '2025-01-01', 'unit', 'u1').reason).toBe('too_few');
    // Unit u1 in January cannot be had from January's total minus the other units.
    const others = ['u0', 'u2'].map((u) => at('month', '2025-01-01', 'unit', u).reason);
    expect(others).toContain('complementary');
    // Nor from the quarter minus the months of unit u1 (Q1 = January for u1).
    expect(at('quarter', '2025-01-01', 'unit', 'u1').status).not.toBe('shown');
    // The whole-municipality figures that protect nothing stay shown.
    expect(at('month', '2025-02-01', '', '').status).toBe('shown');
  });
});

describe('protectLinked', () => {
  it('hides until no primary variable is in the row space of the hidden variables (full system check)', () => {
    // Random tables T = Σ cells in two dimensions and over three periods summing to a total period.
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 3 }), {
          minLength: 2,
          maxLength: 5,
        }),
        (cells) => {
          // Variables: cell (i, t) for t in 0..2, its period total (i, 3); column totals (t) and the grand total.
          const rowsN = cells.length;
          const id = (i: number, t: number) => i * 4 + t;
          const col = (t: number) => rowsN * 4 + t;
          const values: number[] = [];
          cells.forEach((r, i) => {
            r.forEach((v, t) => {
              values[id(i, t)] = v;
            });
            values[id(i, 3)] = r.reduce((a, b) => a + b, 0);
          });
          for (let t = 0; t < 4; t++)
            values[col(t)] = cells.reduce((s, r, i) => s + (t < 3 ? r[t]! : values[id(i, 3)]!), 0);
          const equations: Map<number, number>[] = [];
          for (let i = 0; i < rowsN; i++)
            equations.push(
              new Map([
                [id(i, 0), 1],
                [id(i, 1), 1],
                [id(i, 2), 1],
                [id(i, 3), -1],
              ]),
            );
          for (let t = 0; t < 4; t++) {
            const e = new Map<number, number>([[col(t), -1]]);
            for (let i = 0; i < rowsN; i++) e.set(id(i, t), 1);
            equations.push(e);
          }
          equations.push(
            new Map([
              [col(0), 1],
              [col(1), 1],
              [col(2), 1],
              [col(3), -1],
            ]),
          );
          const primary = new Set(values.map((v, k) => (isSensitive(v) ? k : -1)).filter((k) => k >= 0));
          const hidden = protectLinked({ values, equations, primary });
          for (const v of primary) expect(hidden.has(v)).toBe(true);
          const exposed = [...derivable(equations, hidden)].filter((v) => primary.has(v));
          expect(exposed).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the ladder', () => {
  it('publishes the flow table with margins under the table rule', async () => {
    const flows = [
      { before: null, now: 2, citizens: 5 },
      { before: 3, now: 2, citizens: 1 },
      { before: 3, now: 3, citizens: 7 },
      { before: 4, now: 3, citizens: 4 },
      { before: 4, now: null, citizens: 3 },
    ];
    const l = (await protectLadder(flows, [1, 2, 3, 4, 5], '2025-06-30', '2026-06-30'))!;
    expect(l).not.toBeNull();
    expect(l.steps).toEqual([null, 1, 2, 3, 4, 5]);
    const shown = [...l.table.cells.flat(), ...l.table.rowTotals, ...l.table.colTotals, l.table.total];
    expect(shown.every((v) => v === null || !isSensitive(v))).toBe(true);
    expect(l.table.cells[3]![2]).toBeNull();
    expect(l.table.cells[1]![1]).toBe(0);
  });
});

/**
 * Issue 13: the integer attacker. The unknowns are the class counts (whole numbers, at least 0); the attacker
 * knows every published figure of an indicator (the sum of its classes), that a withheld figure exists (its
 * population is at least 1), and nothing else of the protection. Every withheld group of 1–2 (a count, a
 * numerator, a denominator or a rest) must keep at least three possible values. Solved with HiGHS through
 * targetRanges; the model here is built from the records, not from the audit's links.
 */
/** The class a record falls in. */
const classOf = (a: Atom) =>
  CLASSES.findIndex(
    (c) =>
      c.month === a.month &&
      c.unit === a.unit &&
      c.paragraph === a.paragraph &&
      c.target === a.target &&
      c.met === a.met,
  );

/** The class counts of some records: the attacker's unknowns at their true values. */
function countsOf(atoms: readonly Atom[]): number[] {
  const counts = CLASSES.map(() => 0);
  for (const a of atoms) counts[classOf(a)]!++;
  return counts;
}

/**
 * One publication as the integer attacker sees it: every figure it writes (shown with its value, or withheld),
 * the classes each figure adds up, and how much a group's count was then above its count now (the edits
 * since, which the attacker knows; none for the latest publication).
 */
interface Seen {
  published: readonly { indicator: string; status: string }[];
  rows: readonly KeyFigureRow[];
  sets: readonly { numerator: number[]; denominator: number[]; rest: number[] }[];
  /** Figures this publication does not write (the periods an earlier one froze). */
  skip?: (r: KeyFigureRow) => boolean;
  /** What a group's count then was, less its count now. */
  then?: (members: number[]) => number;
  label?: string;
}

/**
 * The integer attacker on one indicator: the unknowns are today's class counts (whole, at least 0); every
 * shown figure is an equality, every withheld one exists (its population then was at least 1). Returns every
 * withheld group of 1–2 it pins to fewer than three values.
 */
async function pinnedGroups(indicator: string, seen: readonly Seen[], truth: number[]): Promise<string[]> {
  const rows: { vars: number[]; coefs: number[]; lo: number; hi: number }[] = [];
  const targets: { vars: number[]; coefs: number[]; width: number }[] = [];
  const named: string[] = [];
  const sum = (members: number[], lo: number, hi: number) =>
    rows.push({ vars: members, coefs: members.map(() => 1), lo, hi });
  for (const { published, rows: source, sets, skip, then = () => 0, label = '' } of seen)
    published.forEach((p, i) => {
      const r = source[i]!;
      if (p.indicator !== indicator || skip?.(r)) return;
      const set = sets[i]!;
      // A count then is its count now plus what the edits since took away.
      const now = (value: number, members: number[]) => value - then(members);
      if (p.status === 'shown') {
        sum(set.numerator, now(r.numerator, set.numerator), now(r.numerator, set.numerator));
        if (r.denominator !== null)
          sum(set.denominator, now(r.denominator, set.denominator), now(r.denominator, set.denominator));
        return;
      }
      // It exists: its population is at least one.
      const population = r.denominator === null ? set.numerator : set.denominator;
      sum(population, now(1, population), Number.POSITIVE_INFINITY);
      const groups: [number, number[]][] = [[r.numerator, set.numerator]];
      if (r.denominator !== null)
        groups.push([r.denominator, set.denominator], [r.denominator - r.numerator, set.rest]);
      for (const [value, members] of groups)
        if (isSensitive(value)) {
          targets.push({ vars: members, coefs: members.map(() => 1), width: 2 });
          named.push(
            `${label}${indicator} ${r.periodKind} ${r.periodStart} ${r.breakdown} ${r.value} = ${value}`,
          );
        }
    });
  const { ranges } = await targetRanges(
    {
      lower: CLASSES.map(() => 0),
      upper: CLASSES.map(() => Number.POSITIVE_INFINITY),
      integer: CLASSES.map(() => true),
      rows,
      truth,
    },
    targets,
  );
  return ranges.flatMap((range, k) =>
    range.narrow ? [`${named[k]} pinned to ${range.min}…${range.max}`] : [],
  );
}

describe('key figures against an integer attacker (issue 13)', () => {
  it('no withheld group of 1–2 is pinned to fewer than three values by whole numbers, existence and what is published', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(atom, { minLength: 1, maxLength: 45 }), async (atoms) => {
        const all = figures(atoms);
        // What is published: months for the whole municipality only, breakdowns by quarter and year.
        const keep = all.rows.flatMap((r, k) => (inPublication(r) ? [k] : []));
        const rows = keep.map((k) => all.rows[k]!);
        const sets = keep.map((k) => all.sets[k]!);
        const { published } = await protectAndAudit(rows, STEP_OF);
        for (const indicator of ['new_citizens', 'ended_need_met'])
          expect(await pinnedGroups(indicator, [{ published, rows, sets }], countsOf(atoms))).toEqual([]);
      }),
      { numRuns: 25 },
    );
  }, 600_000);
});

/**
 * Issue 13's derivations, one by one, on small fixed figures: each is shown to work against issue 5's rules
 * (the audit finds the quantity pinned) and to be closed by the publication (protectAndAudit).
 */
describe('worked examples of the strong attacker (issue 13)', () => {
  const row = (
    indicator: string,
    periodKind: PeriodKind,
    periodStart: string,
    numerator: number,
    denominator: number | null = null,
    breakdown = '',
    value = '',
  ): KeyFigureRow => ({ indicator, periodKind, periodStart, breakdown, value, numerator, denominator });
  const audit = (rows: KeyFigureRow[], shown: (k: number) => boolean) =>
    auditKeyFigures(
      rows.map((r, k) => ({ row: r, shown: shown(k) })),
      STEP_OF,
    );

  it('integrality and existence: six withheld months whose half-year shows 6 are each exactly 1', async () => {
    // New citizens: one a month, January to June; the two quarters show 3 each.
    const months = [1, 2, 3, 4, 5, 6].map((m) => row('new_citizens', 'month', month(m - 1), 1));
    const rows = [
      ...months,
      row('new_citizens', 'quarter', '2025-01-01', 3),
      row('new_citizens', 'quarter', '2025-04-01', 3),
      row('new_citizens', 'year', '2025-01-01', 6),
    ];
    // Issue 5's rules withhold the months and show the quarters (no linear combination gives one month).
    const naive = protectKeyFigures(rows, STEP_OF, { slack: false });
    expect(naive.slice(0, 6).every((p) => p.status === 'withheld')).toBe(true);
    const attacked = await audit(rows, (k) => naive[k]!.status === 'shown');
    expect(attacked.failures.length).toBeGreaterThan(0);
    expect(attacked.failures.every((f) => f.min === 1 && f.max === 1)).toBe(true);
    // Published now: every month keeps at least three possible values.
    const { published } = await protectAndAudit(rows, STEP_OF);
    expect((await audit(rows, (k) => published[k]!.status === 'shown')).failures).toEqual([]);
  });

  it('a stock read at the period end: the quarter is its last month, so a withheld month needs its quarter withheld', async () => {
    // Goals in the citizen's words: 2 of 9 in March, which is the quarter's end.
    const rows = [
      row('goals_own_words', 'month', '2025-01-01', 6, 9),
      row('goals_own_words', 'month', '2025-02-01', 5, 9),
      row('goals_own_words', 'month', '2025-03-01', 2, 9),
      row('goals_own_words', 'quarter', '2025-01-01', 2, 9),
    ];
    const attacked = await audit(rows, (k) => k !== 2);
    expect(attacked.failures.map((f) => f.figure)).toContain(2);
    const { published } = await protectAndAudit(rows, STEP_OF);
    expect(published[2]!.status).toBe('withheld');
    expect(published[3]!.status).toBe('withheld');
    expect((await audit(rows, (k) => published[k]!.status === 'shown')).failures).toEqual([]);
  });

  it('links between indicators: time on a step counts the services ended, which are the need-met rate’s denominator', async () => {
    // Two services ended in March (one with the need met); the quarter shows 9 ended in all.
    const rows = [
      row('ended_need_met', 'month', '2025-01-01', 1, 4),
      row('ended_need_met', 'month', '2025-02-01', 1, 3),
      row('ended_need_met', 'month', '2025-03-01', 1, 2),
      row('ended_need_met', 'quarter', '2025-01-01', 3, 9),
      row('days_on_step', 'month', '2025-01-01', 200, 4),
      row('days_on_step', 'month', '2025-02-01', 150, 3),
      row('days_on_step', 'month', '2025-03-01', 90, 2),
      row('days_on_step', 'quarter', '2025-01-01', 150, 9),
    ];
    // March's rate and March's time on the step withheld (2 ended; a median needs 5), with everything else
    // shown: the quarter's 9 ended minus January's 4 and February's 3 gives March's 2.
    const attacked = await audit(rows, (k) => k !== 2 && k !== 6);
    expect(attacked.failures.some((f) => f.figure === 2)).toBe(true);
    const { published } = await protectAndAudit(rows, STEP_OF);
    for (const k of [2, 6]) expect(published[k]!.status).toBe('withheld');
    expect((await audit(rows, (k) => published[k]!.status === 'shown')).failures).toEqual([]);
  });

  it('a uniform price turns spend into volume: a withheld amount must leave room for three whole citizens', async () => {
    // Spend in January: one citizen at the catalogue's 10,000 a month; February 5,000 (others); the quarter
    // shows 40,000 and March 25,000. January and February withheld: January lies in 0–15,000.
    const spend = (start: string, amount: number, contributors: number, price?: number): KeyFigureRow => ({
      ...row('spend', start === '2025-01-01' && amount === 40_000 ? 'quarter' : 'month', start, amount),
      contributors,
      top2: Math.min(amount, amount * (2 / contributors)),
      ...(price ? { price } : {}),
    });
    const rows = [
      spend('2025-01-01', 10_000, 1, 10_000),
      spend('2025-02-01', 5_000, 3),
      spend('2025-03-01', 25_000, 5),
      spend('2025-01-01', 40_000, 9),
    ];
    const shown = (k: number) => k >= 2;
    // As a plain amount the range (15,000) is wide enough (30 % of 10,000); as a volume it is not (two
    // citizen-months are 20,000).
    expect((await audit(rows, shown)).failures.map((f) => f.figure)).toEqual([0]);
    const { price: _, ...plain } = rows[0]!;
    expect((await audit([plain, ...rows.slice(1)], shown)).failures).toEqual([]);
  });

  it('a median needs five observations and is shown rounded', () => {
    const rows = [
      row('days_on_step', 'quarter', '2025-01-01', 93, 3),
      row('days_on_step', 'quarter', '2025-04-01', 93, 5),
    ];
    const published = protectKeyFigures(rows, STEP_OF);
    expect(published[0]!.status).toBe('withheld');
    expect(published[1]).toMatchObject({ status: 'shown', figure: 95, numerator: 95, denominator: 5 });
  });
});

/**
 * Issue 13, differencing: a publication, one edit the attacker makes (and so knows), and the next
 * publication when more periods are due. Published periods are frozen, so the second publication adds only
 * new periods; the attacker works on the records after the edit and knows the records before it differ by
 * exactly that edit. No withheld group of 1–2, in either publication, may be pinned below three values.
 */
describe('two publications with a known edit between them (issue 13)', () => {
  /** Months since January 2025 at which the period has ended. */
  const endOf = (kind: PeriodKind, start: string) => Number(start.slice(5, 7)) - 1 + PERIOD_MONTHS[kind];

  it('no withheld group of 1–2 is pinned, whatever single edit the attacker made between the publications', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(atom, { minLength: 2, maxLength: 40 }),
        atom,
        fc.boolean(),
        async (atoms, extra, add) => {
          // The edit: one record added (a late registration) or the first one removed.
          const after = add ? [...atoms, extra] : atoms.slice(1);
          const edit = add ? { k: classOf(extra), d: 1 } : { k: classOf(atoms[0]!), d: -1 };
          const first = figures(atoms);
          const second = figures(after);
          const key = (r: KeyFigureRow) =>
            `${r.indicator}|${r.periodKind}|${r.periodStart}|${r.breakdown}|${r.value}`;
          // First publication: January–March and the first quarter are due.
          const due1 = first.rows.flatMap((r, k) =>
            inPublication(r) && endOf(r.periodKind, r.periodStart) <= 3 ? [k] : [],
          );
          const rows1 = due1.map((k) => first.rows[k]!);
          const pub1 = (await protectAndAudit(rows1, STEP_OF)).published;
          const status1 = new Map(rows1.map((r, i) => [key(r), pub1[i]!.status]));
          // Second publication, after the edit: April–June and the second quarter are due as well.
          const due2 = second.rows.flatMap((r, k) =>
            inPublication(r) && endOf(r.periodKind, r.periodStart) <= 6 ? [k] : [],
          );
          const rows2 = due2.map((k) => second.rows[k]!);
          const frozen = new Set(rows1.map((r) => `${r.periodKind}|${r.periodStart}`));
          const pub2 = (
            await protectAndAudit(rows2, STEP_OF, {
              statusOf: (i) => {
                const r = rows2[i]!;
                if (!frozen.has(`${r.periodKind}|${r.periodStart}`)) return undefined;
                return status1.get(key(r)) ?? 'withheld';
              },
            })
          ).published;
          // The attacker's unknowns are the class counts after the edit; before it, one class differed by d.
          const then = (members: number[]) => (members.includes(edit.k) ? -edit.d : 0);
          const sets1 = due1.map((k) => first.sets[k]!);
          const sets2 = due2.map((k) => second.sets[k]!);
          // The second publication writes only its new periods; the frozen ones are the first's.
          const seen: Seen[] = [
            { published: pub1, rows: rows1, sets: sets1, then, label: 'first: ' },
            {
              published: pub2,
              rows: rows2,
              sets: sets2,
              skip: (r) => frozen.has(`${r.periodKind}|${r.periodStart}`),
              label: 'second: ',
            },
          ];
          for (const indicator of ['new_citizens', 'ended_need_met'])
            expect(await pinnedGroups(indicator, seen, countsOf(after))).toEqual([]);
        },
      ),
      { numRuns: 20 },
    );
  }, 600_000);
});
