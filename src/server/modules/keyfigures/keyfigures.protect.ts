import {
  derivable,
  dominanceOkTop,
  isSensitive,
  MIN_GROUP,
  type ProtectedTable,
  protectLinked,
  protectTable,
  rateSensitive,
} from '../../../shared/domain/disclosure';
import { INDICATORS, type Indicator, type PeriodKind } from '../../../shared/indicators';
import { targetRanges } from '../../platform/ranges';
import type { KeyFigureRow, LadderFlow } from './keyfigures.compute';

/**
 * Disclosure control for a municipality's key figures (issue 5, docs/disclosure-control.md): which stored
 * figures may be published, and which are withheld and why. Every figure is made of linear quantities (a
 * count, a numerator and denominator, a sum and its observations, an amount); a reader knows how they are
 * linked: a total is the sum of its breakdown (paragraphs, steps, units, target groups), and for quantities
 * that add up over time a quarter is the sum of its months and a year of its quarters. The figures of one
 * municipality are protected as one linked system (protectLinked), so no withheld quantity can be computed
 * from the published ones by adding and subtracting.
 */
/**
 * How a figure is published: shown, or withheld ("skjult"). Why a figure is withheld is never published (it
 * would tell a reader that a count is 1–2): it is kept in the municipality's protection log only.
 */
export type FigureStatus = 'shown' | 'withheld';
/** Why a figure is withheld: too few, dominance, a complement, or more suppression asked for by the audit. */
export type WithheldReason = 'too_few' | 'dominance' | 'complementary' | 'audit';

/** Bump when the rules below change what is published: every municipality is then recomputed. */
export const PROTECTION_VERSION = 4;

/** A median is one observation's value: shown only with at least this many, and rounded (MEDIAN_STEP days). */
export const MEDIAN_MIN = 5;
export const MEDIAN_STEP = 5;

export interface PublishedFigure {
  indicator: string;
  periodKind: PeriodKind;
  periodStart: string;
  breakdown: string;
  value: string;
  status: FigureStatus;
  /** Internal only (the protection log): why a withheld figure is withheld. */
  reason?: WithheldReason | null;
  numerator: number | null;
  denominator: number | null;
  /** The figure as shown: the count, share (0–1), mean, median or amount. */
  figure: number | null;
}

type Part = 'numerator' | 'denominator';

/**
 * The quantities that add up over time (flows: each event falls in one month): a quarter's value is the
 * sum of its months', a year's the sum of its quarters'. Stocks (citizens with a service during the period,
 * situations at its end) do not, and carry no time equations.
 */
const ADDITIVE_OVER_TIME: Record<string, Part[]> = {
  new_citizens: ['numerator'],
  ended_need_met: ['numerator', 'denominator'],
  days_on_step: ['denominator'],
  gas_attainment: ['numerator', 'denominator'],
  follow_up_interval: ['denominator'],
  follow_up_on_time: ['numerator'],
  community_started: ['numerator'],
  spend: ['numerator'],
  spend_per_citizen: ['numerator'],
  spend_per_goal_achieved: ['numerator', 'denominator'],
};

/**
 * Stocks read on one day (the period's end or the day before its start): a quarter's figure is its last (or
 * first) month's, a year's its last (or first) quarter's, because it is the same day.
 */
const SAME_DAY_AS: Record<string, { edge: 'first' | 'last'; parts: Part[] }> = {
  goals_own_words: { edge: 'last', parts: ['numerator', 'denominator'] },
  plan_offered: { edge: 'last', parts: ['numerator', 'denominator'] },
  plan_accepted: { edge: 'last', parts: ['numerator', 'denominator'] },
  community_kept: { edge: 'last', parts: ['numerator', 'denominator'] },
  education_employment: { edge: 'last', parts: ['numerator', 'denominator'] },
  psychiatric_admission: { edge: 'last', parts: ['numerator', 'denominator'] },
  step_down: { edge: 'first', parts: ['denominator'] },
};

/**
 * Quantities that are the same number under two indicators must be one variable, or hiding it under one
 * and showing it under the other would give it away: spend is spend per citizen's numerator; moves down and
 * up the ladder share their denominator.
 */
const SHARED: Record<string, string> = {
  'spend_per_citizen:numerator': 'spend:numerator',
  'step_up:denominator': 'step_down:denominator',
  // Services ended with a step are the services ended (every paragraph has a step).
  'days_on_step:denominator': 'ended_need_met:denominator',
  // Citizens whose plan is offered are those with a plan offered or accepted, where the data agree.
  'plan_accepted:denominator': 'plan_offered:numerator',
};

/** The linear quantities a figure is made of (a duration's median is shown only with its count). */
export function partsOf(ind: Indicator): Part[] {
  if (ind.kind === 'duration') return ['denominator'];
  if (ind.key === 'spend') return ['numerator'];
  return ind.denominator === null ? ['numerator'] : ['numerator', 'denominator'];
}

/** Why a figure must be withheld on its own, or null when it may be shown (before complements). */
export function primaryReason(ind: Indicator, row: KeyFigureRow): WithheldReason | null {
  const n = row.numerator;
  const d = row.denominator ?? 0;
  switch (ind.kind) {
    case 'count':
      if (ind.denominator === null) return isSensitive(n) ? 'too_few' : null;
      // Moves on the ladder are out of the citizens on a step: the rest is a group too.
      return rateSensitive(n, d) ? 'too_few' : null;
    case 'rate':
      // The rest (denominator − numerator) is a group of people too: "all but one" tells about that one.
      return rateSensitive(n, d) ? 'too_few' : null;
    case 'mean':
      return isSensitive(d) ? 'too_few' : null;
    case 'duration':
      // A median of few observations is one citizen's value.
      return d > 0 && d < MEDIAN_MIN ? 'too_few' : null;
    case 'amount': {
      const contributors = row.contributors ?? 0;
      if (contributors < MIN_GROUP || (ind.denominator !== null && isSensitive(d))) return 'too_few';
      // The (n, k) dominance rule needs only the two largest contributions, which the SQL keeps.
      return dominanceOkTop(n, row.top2 ?? n, contributors) ? null : 'dominance';
    }
  }
}

/** The figure as shown from its published quantities. */
export function figureOf(ind: Indicator, numerator: number, denominator: number | null): number | null {
  switch (ind.kind) {
    case 'count':
      return numerator;
    case 'duration':
      return Math.round(numerator / MEDIAN_STEP) * MEDIAN_STEP;
    case 'amount':
      if (ind.key === 'spend') return numerator;
      return denominator ? numerator / denominator : null;
    case 'rate':
    case 'mean':
      return denominator ? numerator / denominator : null;
  }
}

/**
 * Which figures to withhold first as complements: a breakdown cell before a total, a month before a quarter
 * before a year.
 */
export const figureRank = (r: { periodKind: PeriodKind; breakdown: string }) =>
  ({ month: 0, quarter: 1, year: 2 })[r.periodKind] + (r.breakdown === '' ? 3 : 0);

const monthsOfQuarter = (q: string) => {
  const y = q.slice(0, 4);
  const m = Number(q.slice(5, 7));
  return [m, m + 1, m + 2].map((k) => `${y}-${String(k).padStart(2, '0')}-01`);
};
const quartersOfYear = (y: string) => ['01', '04', '07', '10'].map((m) => `${y.slice(0, 4)}-${m}-01`);

/**
 * The linear system a reader of these figures can set up: one variable per quantity of each figure, the
 * equations between them, each figure's variables, and each figure's primary reason (if any). `stepOf`
 * gives each paragraph's step on the ladder (public, so a step's figure is the sum of its paragraphs').
 */
function figureSystem(rows: readonly KeyFigureRow[], stepOf: ReadonlyMap<string, number>) {
  const byKey = new Map(INDICATORS.map((i) => [i.key, i]));
  const values: number[] = [];
  const varIndex = new Map<string, number>();
  const rank: number[] = [];
  /** Each variable's breakdown value (a paragraph code, a step). */
  const breakdownValue: string[] = [];
  const primary = new Set<number>();
  // Totals and breakdowns: the variables of one quantity × period, by breakdown.
  const tables = new Map<string, { total?: number; parts: Map<string, number[]> }>();
  // Periods: the variables of one quantity × breakdown value that add up over time, by period.
  const series = new Map<string, { time: 'sum' | 'first' | 'last'; periods: Map<string, number> }>();
  // Each indicator's quantities: a part, the variable's name (shared quantities have one), how it behaves
  // over time: a flow adds up, a stock read on one day equals its first or last part.
  const quantities = new Map(
    INDICATORS.map((i) => [
      i.key,
      partsOf(i).map((part) => {
        const q = SHARED[`${i.key}:${part}`] ?? `${i.key}:${part}`;
        const [indicator, p] = q.split(':') as [string, Part];
        const sameDay = SAME_DAY_AS[indicator];
        const time: 'sum' | 'first' | 'last' | null = ADDITIVE_OVER_TIME[indicator]?.includes(p)
          ? 'sum'
          : sameDay?.parts.includes(p)
            ? sameDay.edge
            : null;
        return { part, q, time };
      }),
    ]),
  );
  const varOf = (q: string, time: 'sum' | 'first' | 'last' | null, r: KeyFigureRow, value: number) => {
    const period = `${r.periodKind}|${r.periodStart}`;
    let key = `${q}|${period}|${r.breakdown}|${r.value}`;
    let v = varIndex.get(key);
    // A shared quantity is one number only where the data agree; where they do not, it is two.
    if (v !== undefined && values[v] !== value) {
      key = `${key}|${r.indicator}`;
      v = varIndex.get(key);
    }
    if (v === undefined) {
      v = values.length;
      varIndex.set(key, v);
      values.push(value);
      breakdownValue.push(r.value);
      rank.push(figureRank(r));
      const tkey = `${q}|${period}`;
      let t = tables.get(tkey);
      if (!t) {
        t = { parts: new Map<string, number[]>() };
        tables.set(tkey, t);
      }
      if (r.breakdown === '') t.total = v;
      else {
        const list = t.parts.get(r.breakdown);
        if (list) list.push(v);
        else t.parts.set(r.breakdown, [v]);
      }
      if (time) {
        const skey = `${q}|${r.breakdown}|${r.value}`;
        let sv = series.get(skey);
        if (!sv) {
          sv = { time, periods: new Map<string, number>() };
          series.set(skey, sv);
        }
        sv.periods.set(period, v);
      }
    }
    return v;
  };
  const rowVars: number[][] = [];
  const reasons: (WithheldReason | null)[] = [];
  for (const r of rows) {
    const ind = byKey.get(r.indicator);
    if (!ind) throw new Error(`unknown indicator ${r.indicator}`);
    const vars = quantities
      .get(ind.key)!
      .map(({ part, q, time }) =>
        varOf(q, time, r, part === 'numerator' ? r.numerator : (r.denominator ?? 0)),
      );
    const reason = primaryReason(ind, r);
    if (reason) for (const v of vars) primary.add(v);
    rowVars.push(vars);
    reasons.push(reason);
  }

  // The reader's equations, per quantity.
  const equations: Map<number, number>[] = [];
  const sumOf = (total: number, parts: number[]) => {
    if (parts.length === 0) return;
    const e = new Map<number, number>([[total, -1]]);
    for (const p of parts) e.set(p, (e.get(p) ?? 0) + 1);
    equations.push(e);
  };
  for (const t of tables.values()) {
    if (t.total !== undefined) for (const parts of t.parts.values()) sumOf(t.total, parts);
    // A step is the sum of the paragraphs on it.
    const paragraphs = t.parts.get('paragraph');
    if (!paragraphs || !t.parts.has('step')) continue;
    for (const stepVar of t.parts.get('step')!) {
      const step = Number(breakdownValue[stepVar]);
      sumOf(
        stepVar,
        paragraphs.filter((p) => stepOf.get(breakdownValue[p]!) === step),
      );
    }
  }
  for (const { time, periods } of series.values())
    for (const [period, v] of periods) {
      const kind = period.slice(0, period.indexOf('|'));
      const start = period.slice(kind.length + 1);
      const children =
        kind === 'quarter'
          ? monthsOfQuarter(start).map((m) => periods.get(`month|${m}`))
          : kind === 'year'
            ? quartersOfYear(start).map((q) => periods.get(`quarter|${q}`))
            : [];
      if (time === 'sum')
        sumOf(
          v,
          children.filter((c): c is number => c !== undefined),
        );
      else {
        const edge = time === 'first' ? children[0] : children[children.length - 1];
        if (edge !== undefined) sumOf(v, [edge]);
      }
    }

  // A figure is shown or withheld whole: its quantities (and, through shared quantities, the other
  // indicator's figure) go together.
  const group = values.map((_, v) => v);
  const root = (v: number): number => {
    while (group[v] !== v) v = group[v]!;
    return v;
  };
  for (const vars of rowVars) for (const v of vars.slice(1)) group[root(v)] = root(vars[0]!);
  const members = new Map<number, number[]>();
  values.forEach((_, v) => {
    const r = root(v);
    const list = members.get(r);
    if (list) list.push(v);
    else members.set(r, [v]);
  });
  return { values, equations, primary, rank, rowVars, reasons, members, root };
}

export interface ProtectOptions {
  /** A figure published before (its period is frozen): its status stays, and it is never a complement. */
  settled?: (k: number) => FigureStatus | undefined;
  /** Figures the audit asks to withhold as well (reason 'audit'). */
  alsoWithhold?: ReadonlySet<number>;
  /** Integer room on equations with a hidden primary (default on; off gives issue 5's rules, for comparison). */
  slack?: boolean;
}

/**
 * Protects one municipality's figures. Returns one published row per row, with the numbers only when
 * shown. Figures published before keep their status and numbers' fate; the new ones are protected together
 * with them.
 */
export function protectKeyFigures(
  rows: readonly KeyFigureRow[],
  stepOf: ReadonlyMap<string, number>,
  opts: ProtectOptions = {},
): PublishedFigure[] {
  const byKey = new Map(INDICATORS.map((i) => [i.key, i]));
  const { values, equations, primary, rank, rowVars, reasons, members, root } = figureSystem(rows, stepOf);
  const settled = opts.settled ?? (() => undefined);
  const fixed = new Set<number>();
  const already: number[] = [];
  rows.forEach((_, k) => {
    const status = settled(k);
    if (status === undefined) {
      if (opts.alsoWithhold?.has(k)) already.push(...rowVars[k]!);
      return;
    }
    for (const v of rowVars[k]!) {
      fixed.add(v);
      if (status === 'withheld') already.push(v);
      // A figure published before is out: it is no longer a primary suppression to protect.
      else primary.delete(v);
    }
  });
  const hidden = protectLinked({
    values,
    equations,
    primary,
    rank: (v) => rank[v]!,
    together: (v) => members.get(root(v))!,
    hidden: already,
    fixed: (v) => fixed.has(v),
    slack: opts.slack ?? true,
  });
  return rows.map((r, k) => {
    const ind = byKey.get(r.indicator)!;
    const vars = rowVars[k]!;
    const withheld = vars.some((v) => hidden.has(v));
    const base = {
      indicator: r.indicator,
      periodKind: r.periodKind,
      periodStart: r.periodStart,
      breakdown: r.breakdown,
      value: r.value,
    };
    if (withheld)
      return {
        ...base,
        status: 'withheld',
        reason: reasons[k] ?? (opts.alsoWithhold?.has(k) ? 'audit' : 'complementary'),
        numerator: null,
        denominator: null,
        figure: null,
      };
    const figure = figureOf(ind, r.numerator, r.denominator);
    return {
      ...base,
      status: 'shown',
      reason: null,
      // A median is shown rounded, as its figure.
      numerator: ind.kind === 'duration' ? figure : r.numerator,
      denominator: r.denominator,
      figure,
    };
  });
}

/** The ladder as published: where citizens stood a year ago (rows) and stand now (columns), protected. */
export interface PublishedLadder {
  yearAgo: string;
  today: string;
  /** Row and column labels: null (no service) first, then the steps. */
  steps: (number | null)[];
  table: ProtectedTable;
}

/**
 * The ladder of `flows` between the highest step on `yearAgo` and on `today`, protected and audited
 * (protectTableAudited; with `check`, jointly with everything else published). Null when no protection of
 * it passes the audit: then it is not published at all.
 */
export async function protectLadder(
  flows: readonly LadderFlow[],
  steps: readonly number[],
  yearAgo: string,
  today: string,
  check?: (labels: readonly (number | null)[], table: readonly (readonly number[])[]) => TableCheck,
): Promise<PublishedLadder | null> {
  const labels: (number | null)[] = [null, ...steps];
  const table = ladderTable(flows, labels);
  const p = await protectTableAudited(table, check?.(labels, table));
  return p && { yearAgo, today, steps: labels, table: p };
}

/** The flows as a table over the labels (rows: the step before, columns: the step now). */
export function ladderTable(flows: readonly LadderFlow[], labels: readonly (number | null)[]): number[][] {
  const at = (s: number | null) => labels.indexOf(s);
  const table = labels.map(() => labels.map(() => 0));
  for (const f of flows) {
    const i = at(f.before);
    const j = at(f.now);
    if (i >= 0 && j >= 0) table[i]![j]! += f.citizens;
  }
  return table;
}

/** Rounds of more suppression the ladder's audit may ask for before whole lines are withheld. */
const LADDER_ROUNDS = 10;

/**
 * An audit of a protected table: the withheld positions (`cell:i:j`, `row:i`, `col:j`, `total`) pinned
 * down too closely, and shown positions to withhold outright (they narrow something outside the table).
 */
export interface TableAudit {
  narrow: string[];
  hide: string[];
}
export type TableCheck = (p: ProtectedTable) => Promise<TableAudit>;

/**
 * A table with margins, protected (protectTable) and then audited against an integer attacker (issue 13),
 * by `check` (by default the table on its own: tableAlone). A pinned count gets the cheapest shown count
 * of 3 or more on its row or column withheld as well, and the table is protected and audited again; after
 * LADDER_ROUNDS, its whole row and column are withheld. Null when even withholding everything fails the
 * audit: the table is then not published.
 */
export async function protectTableAudited(
  table: readonly (readonly number[])[],
  check: TableCheck = tableAlone(table),
): Promise<ProtectedTable | null> {
  const positions = tablePositions(table);
  const alsoHidden = new Set<string>();
  for (let round = 1; ; round++) {
    const p = protectTable(table, MIN_GROUP, alsoHidden);
    const { narrow, hide } = await check(p);
    if (narrow.length === 0 && hide.length === 0) return p;
    const shown = (key: string) => shownAt(p, key) !== null;
    const before = alsoHidden.size;
    // Zeros are always shown (a withheld position exists, so it is at least 1).
    for (const key of hide) if ((shownAt(p, key) ?? 0) > 0) alsoHidden.add(key);
    for (const key of narrow) {
      const f = positions.find((q) => q.key === key)!;
      const onLines = positions.filter(
        (q) =>
          shown(q.key) &&
          q.value > 0 &&
          q.key !== f.key &&
          ((f.row !== undefined && q.row === f.row) || (f.col !== undefined && q.col === f.col)),
      );
      const pick =
        round < LADDER_ROUNDS
          ? onLines.sort(
              (a, b) =>
                (a.value >= 3 ? 0 : 1) - (b.value >= 3 ? 0 : 1) ||
                (a.key.startsWith('cell') ? 0 : 1) - (b.key.startsWith('cell') ? 0 : 1) ||
                a.value - b.value,
            )[0]
          : undefined;
      if (pick) alsoHidden.add(pick.key);
      else for (const q of onLines) alsoHidden.add(q.key);
    }
    // Nothing left to withhold on the failing lines: the total goes too, then every shown position; when
    // nothing is left to withhold, the table cannot be published.
    if (alsoHidden.size === before) {
      if (!alsoHidden.has('total')) alsoHidden.add('total');
      else {
        for (const q of positions) if (shown(q.key) && q.value > 0) alsoHidden.add(q.key);
        if (alsoHidden.size === before) return null;
      }
    }
  }
}

/** A table's positions: cells, row totals, column totals, the total, each with its true value. */
export function tablePositions(table: readonly (readonly number[])[]) {
  const m = table[0]?.length ?? 0;
  const positions: { key: string; value: number; row?: number; col?: number }[] = [];
  table.forEach((r, i) => {
    r.forEach((v, j) => {
      positions.push({ key: `cell:${i}:${j}`, value: v, row: i, col: j });
    });
  });
  table.forEach((r, i) => {
    positions.push({ key: `row:${i}`, value: r.reduce((a, b) => a + b, 0), row: i });
  });
  for (let j = 0; j < m; j++)
    positions.push({ key: `col:${j}`, value: table.reduce((a, r) => a + r[j]!, 0), col: j });
  positions.push({ key: 'total', value: table.flat().reduce((a, b) => a + b, 0) });
  return positions;
}

/** The published value at a position (null: withheld). */
function shownAt(p: ProtectedTable, key: string): number | null {
  const [kind, a, b] = key.split(':');
  if (kind === 'cell') return p.cells[Number(a)]![Number(b)]!;
  if (kind === 'row') return p.rowTotals[Number(a)]!;
  if (kind === 'col') return p.colTotals[Number(a)]!;
  return p.total;
}

/**
 * The table on its own against an integer attacker: the withheld cells and margins are whole numbers, at
 * least 1 (zeros are never withheld), rows and columns add up, and every withheld count of 1–2 must keep at
 * least three possible values (HiGHS).
 */
export function tableAlone(table: readonly (readonly number[])[]): TableCheck {
  const m = table[0]?.length ?? 0;
  const positions = tablePositions(table);
  const index = new Map(positions.map((p, k) => [p.key, k]));
  const lines = [
    ...table.map((_, i) => [...Array.from({ length: m }, (_, j) => `cell:${i}:${j}`), `row:${i}`]),
    ...Array.from({ length: m }, (_, j) => [...table.map((_, i) => `cell:${i}:${j}`), `col:${j}`]),
    [...table.map((_, i) => `row:${i}`), 'total'],
  ];
  return async (p) => {
    const known = positions.map((q) => shownAt(p, q.key));
    const { ranges } = await targetRanges(
      {
        lower: positions.map((q, k) => known[k] ?? (q.value >= 1 ? 1 : 0)),
        upper: positions.map((_, k) => known[k] ?? Number.POSITIVE_INFINITY),
        integer: positions.map(() => true),
        rows: lines.map((line) => {
          const vars = line.map((key) => index.get(key)!);
          return { vars, coefs: vars.map((_, i) => (i === vars.length - 1 ? -1 : 1)), lo: 0, hi: 0 };
        }),
        truth: positions.map((q) => q.value),
      },
      positions.flatMap((q, k) =>
        known[k] === null && isSensitive(q.value) ? [{ vars: [k], coefs: [1], width: 2 }] : [],
      ),
    );
    const narrow = positions
      .filter((q, k) => known[k] === null && isSensitive(q.value))
      .filter((_, t) => ranges[t]!.narrow)
      .map((q) => q.key);
    return { narrow, hide: [] };
  };
}

/**
 * For figures published elsewhere (an exchange file): the withheld rows a reader could compute from the
 * shown ones by adding and subtracting, and that would then be sensitive. A withheld figure's reason is not
 * published, so every withheld figure is checked: one that can be computed is worked out (an equation with a
 * single unknown gives it, repeatedly) and is a leak when its value would have been withheld on its own; one
 * that can be computed but not worked out that way counts as a leak.
 */
export function exposedFigures(
  rows: readonly (KeyFigureRow & { status: FigureStatus })[],
  stepOf: ReadonlyMap<string, number>,
): number[] {
  const byKey = new Map(INDICATORS.map((i) => [i.key, i]));
  const { equations, rowVars, values } = figureSystem(rows, stepOf);
  const hidden = new Set<number>();
  rows.forEach((r, k) => {
    if (r.status === 'shown') return;
    for (const v of rowVars[k]!) hidden.add(v);
  });
  const relevant = equations.filter((e) => [...e.keys()].some((v) => hidden.has(v)));
  const exposed = derivable(relevant, hidden);
  // Work the computable ones out: the shown values are known; an equation with one unknown left gives it.
  const known = new Map<number, number>();
  values.forEach((x, v) => {
    if (!hidden.has(v)) known.set(v, x);
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of relevant) {
      let unknown = -1;
      let count = 0;
      let sum = 0;
      for (const [v, c] of e) {
        const x = known.get(v);
        if (x === undefined) {
          unknown = v;
          count++;
        } else sum += c * x;
      }
      if (count === 1) {
        known.set(unknown, -sum / e.get(unknown)!);
        changed = true;
      }
    }
  }
  return rows.flatMap((r, k) => {
    const vars = rowVars[k]!;
    if (r.status === 'shown' || !vars.some((v) => exposed.has(v))) return [];
    const ind = byKey.get(r.indicator)!;
    const parts = partsOf(ind);
    // Every computable part must be worked out, and no computable count may be 1–2.
    for (const [i, v] of vars.entries()) {
      if (!exposed.has(v)) continue;
      const x = known.get(v);
      if (x === undefined) return [k];
      const isCount = !(parts[i] === 'numerator' && (ind.kind === 'amount' || ind.kind === 'mean'));
      if (isCount && isSensitive(Math.round(x))) return [k];
    }
    if (vars.some((v) => !exposed.has(v)) || ind.kind === 'amount') return [];
    // The whole figure is computable: it would have been withheld on its own (a rate's rest, say).
    const worked = vars.map((v) => Math.round(known.get(v)!));
    const reason =
      ind.kind === 'duration'
        ? primaryReason(ind, { ...r, numerator: 0, denominator: worked[0]! })
        : primaryReason(ind, { ...r, numerator: worked[0]!, denominator: worked[1] ?? r.denominator });
    return reason ? [k] : [];
  });
}
