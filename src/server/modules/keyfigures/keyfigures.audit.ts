import { addDays, addMonths } from '../../../shared/domain/dates';
import type { ProtectedTable } from '../../../shared/domain/disclosure';
import { INDICATORS, type Indicator, PERIOD_KINDS, PERIOD_MONTHS } from '../../../shared/indicators';
import { type RangeStats, type RangeTarget, targetRanges } from '../../platform/ranges';
import type { KeyFigureRow } from './keyfigures.compute';

/**
 * The independent audit of a publication of key figures (issue 13, docs/disclosure-control.md, decision
 * 010). Written apart from the suppression (keyfigures.protect.ts) on purpose: it models the reader on its
 * own, from the indicator definitions, so a gap in one is not hidden by the same gap in the other.
 *
 * The attacker knows every published figure (of every period and breakdown, earlier publications
 * included), that counts are non-negative integers, that a withheld figure exists (so its population is at
 * least 1), and every definitional link between figures (`LINKS` below and the breakdown and time links).
 * For every sensitive quantity among the withheld ones (a count of 1–2, a rate's numerator, denominator or
 * rest of 1–2, an amount that fails the dominance rule), the audit computes the range of values consistent
 * with all of that, over integers (HiGHS, src/server/platform/ranges.ts), and fails the publication when the
 * range spans fewer than three integers (amounts: narrower than 30 % of the amount).
 *
 * A link whose form depends on the data (a breakdown is a partition for events, but a citizen can count
 * under two paragraphs) is put in the strongest form that holds on the true values: equality when it holds
 * with equality. That makes the modelled attacker at least as strong as one who knows the exact form.
 */

type Part = 'n' | 'd';

export interface AuditFigure {
  row: KeyFigureRow;
  shown: boolean;
}

/**
 * A published step-down ladder: citizens by their highest step on `before` (a row each) and on `now` (a
 * column each), null first for "no service that day", with both margins and the total. Its margins are the
 * step-move denominators of the periods that start the day after `before` and the day after `now`; when a
 * period runs from the one to the other (a year), its moves down and up are sums of its cells.
 */
export interface AuditLadder {
  before: string;
  now: string;
  labels: readonly (number | null)[];
  /** The true counts. */
  table: readonly (readonly number[])[];
  /** As published: null is withheld. */
  published: ProtectedTable;
  /** Whether its withheld counts of 1–2 are audited (its links bind the figures either way). */
  target: boolean;
  /**
   * Never published: a period's transitions between the day before it starts and its end, which the attacker
   * reasons with as unknowns (who moved from which step to which). Its positions are at least 0 (no position
   * is known to exist), it is never a target, and none of its positions is suggested for suppression.
   */
  latent?: boolean;
}

/**
 * A period's latent ladder (transitionLadder): where its citizens stood the day before it and at its end. The
 * step moves of a period are sums of its cells, its margins the step-move denominators of the period and of
 * the next one; so whoever moved up from a step is on a step above it at the end, and whoever stayed is on
 * the same step (the stock-flow links over every period boundary, issue 13).
 */
export function transitionLadder(
  kind: keyof typeof PERIOD_MONTHS,
  start: string,
  labels: readonly (number | null)[],
  table: readonly (readonly number[])[],
): AuditLadder {
  const n = labels.length;
  const cells = labels.map((_, i) => labels.map((__, j) => (i === 0 && j === 0 ? 0 : null)));
  return {
    before: addDays(start, -1),
    now: addDays(addMonths(start, PERIOD_MONTHS[kind]), -1),
    labels,
    table,
    published: { cells, rowTotals: Array(n).fill(null), colTotals: Array(n).fill(null), total: null },
    target: false,
    latent: true,
  };
}

/** A position in a ladder: `cell:i:j`, `row:i`, `col:j` or `total`. */
export interface LadderPosition {
  ladder: number;
  position: string;
}

export interface AuditFailure {
  /** The figure (index into the input) with a sensitive quantity the attacker pins down too closely; -1 for a ladder's. */
  figure: number;
  /** The ladder position pinned down, when it is one. */
  ladder?: LadderPosition;
  quantity: 'numerator' | 'denominator' | 'rest' | 'amount' | 'count';
  min: number;
  max: number;
  /**
   * Shown figures on the links that bound it, nearest first (those on its own links, then those one link
   * further on, and so on): where more suppression helps.
   */
  neighbours: number[];
  /** How many links away each of `neighbours` is (0: on the quantity's own links). */
  depths: number[];
  /** Shown ladder positions on those links, nearest first. */
  ladderNeighbours: LadderPosition[];
  ladderDepths: number[];
}

export interface AuditResult {
  failures: AuditFailure[];
  /** Withheld quantities audited as sensitive. */
  sensitive: number;
  unknowns: number;
  links: number;
  stats: RangeStats;
}

/** Counts need a range of at least three integers; amounts one at least this share of the amount wide. */
export const MIN_COUNT_RANGE = 2;
export const MIN_AMOUNT_RANGE_SHARE = 0.3;
/** At least this is added to three times a withheld quantity's true value as its upper end (see auditKeyFigures). */
const CAP = 1000;
/** How many links away from a failing quantity the audit looks for shown figures to suggest. */
const NEIGHBOUR_DEPTH = 6;

const byKey = new Map(INDICATORS.map((i) => [i.key, i]));

/** The linear quantities of a figure, in the auditor's own terms, and whether each is a whole number. */
function quantities(ind: Indicator): { part: Part; integer: boolean }[] {
  // A denominator is a count; so is a numerator, except a mean's sum and an amount. A duration's median is
  // not linear: only its number of observations is a quantity.
  const n = { part: 'n' as const, integer: ind.kind !== 'mean' && ind.kind !== 'amount' };
  const d = { part: 'd' as const, integer: true };
  if (ind.kind === 'duration') return [d];
  return ind.denominator === null && (ind.kind === 'count' || ind.kind === 'amount') ? [n] : [n, d];
}

/** The figure's population: at least 1 when the figure exists. */
const populationPart = (ind: Indicator): Part => (quantities(ind).some((q) => q.part === 'd') ? 'd' : 'n');

/**
 * How a link's form is taken. 'as-held' (the default): the strongest form that holds on the true values, an
 * equality when it holds with equality, for links whose form depends on facts a reader may know (whether a
 * municipality ever gives one citizen two paragraphs, whether every service is on a step). 'inequality': a
 * link that is an inequality by definition and an equality only by the data's chance (nobody left during the
 * quarter, every citizen in it was new); a reader cannot know that it is tight without the data, so it is
 * never tightened.
 */
type Form = 'as-held' | 'inequality';

/**
 * Quantities counted during the period (present on at least one of its days): a quarter's is at least each
 * month's and at most their sum, and the year's likewise its quarters'. Equal to the sum or to the last part
 * only by chance, so these time links are inequalities. The other quantities' time links are taken as held:
 * flows add up, and a stock read at the start or end equals the first or last part.
 */
const DURING = new Set(['citizens|n', 'spend_per_citizen|d']);

/**
 * Definitional links between indicators of the same period and breakdown value: `le` is a ≤ b (or, with a
 * list on the left, their sum ≤ b). Identities are written as two-way ≤ and become equalities because they
 * hold tightly.
 */
const LINKS: { left: [string, Part][]; right: [string, Part]; form?: Form }[] = [
  // New citizens are citizens with a service in the period.
  { left: [['new_citizens', 'n']], right: ['citizens', 'n'], form: 'inequality' },
  // Citizens with a priced service are citizens.
  { left: [['spend_per_citizen', 'd']], right: ['citizens', 'n'] },
  // Spend is spend per citizen's numerator.
  { left: [['spend', 'n']], right: ['spend_per_citizen', 'n'] },
  { left: [['spend_per_citizen', 'n']], right: ['spend', 'n'] },
  // Moves down and up share their denominator; together they are at most that many.
  { left: [['step_up', 'd']], right: ['step_down', 'd'] },
  { left: [['step_down', 'd']], right: ['step_up', 'd'] },
  {
    left: [
      ['step_down', 'n'],
      ['step_up', 'n'],
    ],
    right: ['step_down', 'd'],
    form: 'inequality',
  },
  // Services ended with a step are services ended.
  { left: [['days_on_step', 'd']], right: ['ended_need_met', 'd'] },
  // Intervals between follow-ups end in a follow-up held in the period.
  { left: [['follow_up_interval', 'd']], right: ['follow_up_on_time', 'd'] },
  // Citizens who started in a community offer in the period had started by its end.
  { left: [['community_started', 'n']], right: ['community_kept', 'd'], form: 'inequality' },
  // An accepted plan was offered.
  { left: [['plan_accepted', 'd']], right: ['plan_offered', 'n'] },
  { left: [['plan_accepted', 'n']], right: ['plan_offered', 'n'], form: 'inequality' },
  // Spend per achieved goal's spend is part of all spend.
  { left: [['spend_per_goal_achieved', 'n']], right: ['spend', 'n'] },
];

const quarterOf = (month: string) =>
  `${month.slice(0, 5)}${String(Math.floor((Number(month.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
const yearOf = (start: string) => `${start.slice(0, 4)}-01-01`;

/**
 * Audits a publication: `figures` are all figures of the municipality with their true values (the ones
 * being published now and every one published before for linked periods), each shown or not. With `only`,
 * just those figures' sensitive quantities are audited (against the whole system): used after more
 * suppression, which can only widen every range (a known figure becomes unknown, so every earlier solution
 * is still a solution), so figures that passed before still pass.
 */
export async function auditKeyFigures(
  figures: readonly AuditFigure[],
  stepOf: ReadonlyMap<string, number>,
  opts: { only?: ReadonlySet<number>; ladders?: readonly AuditLadder[] } = {},
): Promise<AuditResult> {
  const ladders = opts.ladders ?? [];
  // Owners of slots: the figures, then the ladders' positions.
  const positions: LadderPosition[] = [];
  const ownerShown = (o: number) =>
    o < figures.length ? figures[o]!.shown : ladderValue(ladders, positions[o - figures.length]!).shown;
  // Slots: one per quantity of a figure; a shown one is a known constant, a withheld one an unknown.
  const slotKey = (ind: string, part: Part, kind: string, start: string, breakdown: string, value: string) =>
    `${ind}|${part}|${kind}|${start}|${breakdown}|${value}`;
  const slots = new Map<string, { figure: number; truth: number; unknown: number | null }>();
  const lower: number[] = [];
  const integer: boolean[] = [];
  const truth: number[] = [];
  figures.forEach(({ row, shown }, f) => {
    const ind = byKey.get(row.indicator);
    if (!ind) throw new Error(`unknown indicator ${row.indicator}`);
    const population = populationPart(ind);
    for (const q of quantities(ind)) {
      const value = q.part === 'n' ? row.numerator : (row.denominator ?? 0);
      let unknown: number | null = null;
      if (!shown) {
        unknown = truth.length;
        truth.push(value);
        integer.push(q.integer);
        // A withheld figure that exists tells that its population is not empty.
        lower.push(q.part === population && value >= 1 ? 1 : 0);
      }
      slots.set(slotKey(row.indicator, q.part, row.periodKind, row.periodStart, row.breakdown, row.value), {
        figure: f,
        truth: value,
        unknown,
      });
    }
  });

  // Links as rows over unknowns, with the constants moved to the bounds. Each link is Σ coef·slot ≤ 0 and
  // becomes an equality when it holds with equality on the true values; a link the data break is left out
  // (it is not definitional for these data) and one of constants only carries nothing.
  const rows: { vars: number[]; coefs: number[]; lo: number; hi: number }[] = [];
  const neighboursOf = new Map<number, Set<number>>();
  /** Unknowns sharing a link. */
  const adjacent = new Map<number, Set<number>>();
  let links = 0;
  const link = (terms: readonly (readonly [string | undefined, number])[], form: Form = 'as-held') => {
    let total = 0;
    let constant = 0;
    const coefs = new Map<number, number>();
    const figs: number[] = [];
    for (const [key, coef] of terms) {
      const s = key === undefined ? undefined : slots.get(key);
      if (!s) continue; // An absent figure is zero.
      total += coef * s.truth;
      figs.push(s.figure);
      if (s.unknown === null) constant += coef * s.truth;
      else coefs.set(s.unknown, (coefs.get(s.unknown) ?? 0) + coef);
    }
    for (const [v, c] of coefs) if (c === 0) coefs.delete(v);
    if (coefs.size === 0 || total > 1e-6) return;
    links++;
    const tight = form === 'as-held' && Math.abs(total) <= 1e-6;
    rows.push({
      vars: [...coefs.keys()],
      coefs: [...coefs.values()],
      lo: tight ? -constant : Number.NEGATIVE_INFINITY,
      hi: -constant,
    });
    for (const v of coefs.keys()) {
      let adj = adjacent.get(v);
      if (!adj) {
        adj = new Set();
        adjacent.set(v, adj);
      }
      for (const w of coefs.keys()) if (w !== v) adj.add(w);
      let set = neighboursOf.get(v);
      if (!set) {
        set = new Set();
        neighboursOf.set(v, set);
      }
      for (const f of figs) if (ownerShown(f)) set.add(f);
    }
  };
  const le = (left: (string | undefined)[], right: string | undefined, form: Form = 'as-held') =>
    link([...left.map((k) => [k, 1] as const), [right, -1] as const], form);

  // Group the slots by quantity × period (breakdown links) and by quantity × breakdown value (time links).
  const tables = new Map<string, { total?: string; parts: Map<string, string[]> }>();
  const series = new Map<string, Map<string, string>>();
  for (const key of slots.keys()) {
    const [ind, part, kind, start, breakdown, value] = key.split('|') as [
      string,
      Part,
      string,
      string,
      string,
      string,
    ];
    const tk = `${ind}|${part}|${kind}|${start}`;
    let t = tables.get(tk);
    if (!t) {
      t = { parts: new Map() };
      tables.set(tk, t);
    }
    if (breakdown === '') t.total = key;
    else {
      const list = t.parts.get(breakdown);
      if (list) list.push(key);
      else t.parts.set(breakdown, [key]);
    }
    const sk = `${ind}|${part}|${breakdown}|${value}`;
    let ser = series.get(sk);
    if (!ser) {
      ser = new Map();
      series.set(sk, ser);
    }
    ser.set(`${kind}|${start}`, key);
  }

  /**
   * A whole and its parts: the sum when they partition it, else each part ≤ whole ≤ the sum of parts (as
   * held; with 'inequality', never more than that).
   */
  const wholeOfParts = (whole: string | undefined, parts: (string | undefined)[], form: Form = 'as-held') => {
    if (parts.length === 0) return;
    const sum = [...parts.map((k) => [k, 1] as const), [whole, -1] as const];
    if (form === 'as-held') link(sum);
    link(
      sum.map(([k, c]) => [k, -c] as const),
      form,
    );
    for (const p of parts) le([p], whole, form);
  };
  for (const t of tables.values()) {
    for (const parts of t.parts.values()) wholeOfParts(t.total, parts);
    // A step and the paragraphs on it.
    const paragraphs = t.parts.get('paragraph');
    const steps = t.parts.get('step');
    if (!paragraphs || !steps) continue;
    for (const stepKey of steps) {
      const step = Number(stepKey.slice(stepKey.lastIndexOf('|') + 1));
      wholeOfParts(
        stepKey,
        paragraphs.filter((p) => stepOf.get(p.slice(p.lastIndexOf('|') + 1)) === step),
      );
    }
  }
  // Time: a quarter and its months, a year and its quarters. Quantities counted during the period (DURING) are
  // between the largest part and the sum, as inequalities. For the others every form that holds is added:
  // flows add up, stocks at the start or end equal the first or last part (wholeOfParts, and first/last equal
  // when they are).
  for (const [sk, ser] of series) {
    const during = DURING.has(sk.split('|').slice(0, 2).join('|'));
    const children = new Map<string, string[]>();
    for (const [period] of ser) {
      const [kind, start] = period.split('|') as [string, string];
      const parent =
        kind === 'month'
          ? `quarter|${quarterOf(start)}`
          : kind === 'quarter'
            ? `year|${yearOf(start)}`
            : null;
      if (!parent) continue;
      const list = children.get(parent);
      if (list) list.push(period);
      else children.set(parent, [period]);
    }
    for (const [parent, kids] of children) {
      const whole = ser.get(parent);
      if (!whole) continue;
      kids.sort();
      const parts = kids.map((k) => ser.get(k));
      // A missing part is zero (a figure is absent when nothing was counted), so the present parts are all.
      if (during) {
        wholeOfParts(whole, parts, 'inequality');
        continue;
      }
      wholeOfParts(whole, parts);
      for (const edge of [parts[0], parts[parts.length - 1]])
        if (edge) {
          le([edge], whole);
          le([whole], edge);
        }
    }
  }
  // Stocks and flows between consecutive periods: whoever was on a step the day before a period and did not
  // move down is on a step at its end, which is the day before the next period (of any kind) starts. For a
  // breakdown whose value does not change between periods (a citizen's unit and target group), the next
  // denominator is at least this one less the moves down; by step (a citizen's step changes), at least those
  // who stayed. Only periods in the system are linked (a period not published is not known to be empty).
  const periods = new Set([...slots.keys()].map((k) => k.split('|').slice(2, 4).join('|')));
  for (const key of slots.keys()) {
    const [ind, part, kind, start, breakdown, value] = key.split('|') as [string, Part, ...string[]];
    if (ind !== 'step_down' || part !== 'n') continue;
    const next = addMonths(start!, PERIOD_MONTHS[kind as keyof typeof PERIOD_MONTHS]);
    const here = (i: string, p: Part) => slotKey(i, p, kind!, start!, breakdown!, value!);
    for (const nextKind of PERIOD_KINDS) {
      if (!periods.has(`${nextKind}|${next}`)) continue;
      link(
        [
          [here('step_down', 'd'), 1],
          [key, -1],
          ...(breakdown === 'step' ? [[here('step_up', 'n'), -1] as const] : []),
          [slotKey('step_down', 'd', nextKind, next, breakdown!, value!), -1],
        ],
        'inequality',
      );
    }
  }

  // Links between indicators, for every period and breakdown value.
  for (const [key] of slots) {
    const [ind, part, ...rest] = key.split('|');
    const tail = rest.join('|');
    for (const l of LINKS) {
      if (l.right[0] !== ind || l.right[1] !== part) continue;
      le(
        l.left.map(([i, p]) => `${i}|${p}|${tail}`),
        key,
        l.form,
      );
    }
  }
  // The ladders: their cells add up to their margins and total; the margins are the step-move denominators
  // of the periods starting the day after each of their days; a period running from the one day to the other
  // moved down and up as many as the cells below and above the diagonal.
  ladders.forEach((l, index) => {
    const key = (position: string) => `ladder|${index}|${position}`;
    const add = (position: string) => {
      const { truth: value, shown } = ladderValue(ladders, { ladder: index, position });
      positions.push({ ladder: index, position });
      let unknown: number | null = null;
      if (!shown) {
        unknown = truth.length;
        truth.push(value);
        integer.push(true);
        // Zeros are published as zeros: a withheld position is at least 1. A latent ladder publishes nothing.
        lower.push(value >= 1 && !l.latent ? 1 : 0);
      }
      slots.set(key(position), { figure: figures.length + positions.length - 1, truth: value, unknown });
    };
    const n = l.labels.length;
    const cell = (i: number, j: number) => key(`cell:${i}:${j}`);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) add(`cell:${i}:${j}`);
    for (let i = 0; i < n; i++) add(`row:${i}`);
    for (let j = 0; j < n; j++) add(`col:${j}`);
    add('total');
    const all = [...Array(n).keys()];
    for (const i of all)
      wholeOfParts(
        key(`row:${i}`),
        all.map((j) => cell(i, j)),
      );
    for (const j of all)
      wholeOfParts(
        key(`col:${j}`),
        all.map((i) => cell(i, j)),
      );
    wholeOfParts(
      key('total'),
      all.map((i) => key(`row:${i}`)),
    );
    wholeOfParts(
      key('total'),
      all.map((j) => key(`col:${j}`)),
    );
    const onStep = all.filter((i) => l.labels[i] !== null);
    const same = (a: string, b: string) => {
      le([a], b);
      le([b], a);
    };
    for (const kind of PERIOD_KINDS)
      for (const [day, margin] of [
        [l.before, 'row'],
        [l.now, 'col'],
      ] as const) {
        const start = addDays(day, 1);
        const at = (indicator: string, part: Part, value: number | null) =>
          slotKey(
            indicator,
            part,
            kind,
            start,
            value === null ? '' : 'step',
            value === null ? '' : String(value),
          );
        for (const i of onStep) same(key(`${margin}:${i}`), at('step_down', 'd', l.labels[i]!));
        const whole = onStep.map((i) => [key(`${margin}:${i}`), 1] as const);
        link([...whole, [at('step_down', 'd', null), -1]]);
        link([...whole.map(([k]) => [k, -1] as const), [at('step_down', 'd', null), 1]]);
      }
    for (const kind of PERIOD_KINDS) {
      const start = addDays(l.before, 1);
      if (addDays(addMonths(start, PERIOD_MONTHS[kind]), -1) !== l.now) continue;
      const moves = (indicator: 'step_down' | 'step_up', value: number | null) =>
        slotKey(
          indicator,
          'n',
          kind,
          start,
          value === null ? '' : 'step',
          value === null ? '' : String(value),
        );
      const down: string[] = [];
      const up: string[] = [];
      for (const i of onStep) {
        const s = l.labels[i]!;
        const d = all.filter((j) => l.labels[j] === null || l.labels[j]! < s).map((j) => cell(i, j));
        const u = all.filter((j) => l.labels[j] !== null && l.labels[j]! > s).map((j) => cell(i, j));
        const exact = (whole: string, parts: string[]) => {
          const sum = [...parts.map((k) => [k, 1] as const), [whole, -1] as const];
          link(sum);
          link(sum.map(([k, c]) => [k, -c] as const));
        };
        exact(moves('step_down', s), d);
        exact(moves('step_up', s), u);
        down.push(...d);
        up.push(...u);
      }
      wholeOfParts(moves('step_down', null), down);
      wholeOfParts(moves('step_up', null), up);
    }
  });

  // A rate's numerator is part of its denominator; a mean's sum of GAS T-scores lies within 0–100 each.
  for (const key of slots.keys()) {
    if (!key.includes('|n|')) continue;
    const ind = byKey.get(key.slice(0, key.indexOf('|')))!;
    const dKey = key.replace('|n|', '|d|');
    if (!slots.has(dKey)) continue;
    // All on time, all improved: a rate of 100 % is a fact of the data, not of the definition.
    if (ind.kind === 'rate' || ind.kind === 'count') le([key], dKey, 'inequality');
    if (ind.kind === 'mean')
      link([
        [key, 1],
        [dKey, -100],
      ]);
  }

  // The sensitive quantities of withheld figures.
  const targets: RangeTarget[] = [];
  const meta: { figure: number; quantity: AuditFailure['quantity']; vars: number[] }[] = [];
  figures.forEach(({ row, shown }, f) => {
    if (shown || (opts.only && !opts.only.has(f))) return;
    const ind = byKey.get(row.indicator)!;
    const slot = (part: Part) =>
      slots.get(slotKey(row.indicator, part, row.periodKind, row.periodStart, row.breakdown, row.value));
    const sensitive = (x: number) => x > 0 && x < 3;
    const add = (quantity: AuditFailure['quantity'], terms: [Part, number][], width: number) => {
      const vars: number[] = [];
      const coefs: number[] = [];
      for (const [p, c] of terms) {
        const s = slot(p)!;
        if (s.unknown !== null) {
          vars.push(s.unknown);
          coefs.push(c);
        }
      }
      targets.push({ vars, coefs, width });
      meta.push({ figure: f, quantity, vars });
    };
    const n = row.numerator;
    const d = row.denominator ?? 0;
    for (const q of quantities(ind)) {
      if (!q.integer) continue;
      const v = q.part === 'n' ? n : d;
      if (sensitive(v)) add(q.part === 'n' ? 'numerator' : 'denominator', [[q.part, 1]], MIN_COUNT_RANGE);
    }
    if ((ind.kind === 'rate' || (ind.kind === 'count' && ind.denominator !== null)) && sensitive(d - n))
      add(
        'rest',
        [
          ['d', 1],
          ['n', -1],
        ],
        MIN_COUNT_RANGE,
      );
    if (ind.kind === 'amount') {
      const contributors = row.contributors ?? 0;
      const dominated = n > 0 && (row.top2 ?? n) > 0.85 * n;
      // With one price for every service, the amount is a volume: it must leave at least three whole numbers
      // of citizens for the whole period, as a count does.
      const volume = row.price ? MIN_COUNT_RANGE * row.price * PERIOD_MONTHS[row.periodKind] : 0;
      if (n > 0 && (contributors < 3 || dominated))
        add('amount', [['n', 1]], Math.max(MIN_AMOUNT_RANGE_SHARE * n, volume));
    }
  });

  // The withheld counts of 1–2 in the ladders that are audited.
  positions.forEach((pos, k) => {
    if (!ladders[pos.ladder]!.target) return;
    const s = slots.get(`ladder|${pos.ladder}|${pos.position}`)!;
    if (s.unknown === null || s.truth <= 0 || s.truth >= 3) return;
    targets.push({ vars: [s.unknown], coefs: [1], width: MIN_COUNT_RANGE });
    meta.push({ figure: figures.length + k, quantity: 'count', vars: [s.unknown] });
  });

  // Far enough above every true value that no target's required width is cut off by it.
  const cap = Math.max(CAP, 2 * Math.max(0, ...targets.map((t) => t.width)));
  const { ranges, stats } = await targetRanges(
    // A finite cap far above every true value: it only narrows what the attacker may assume (so a range found
    // wide is wide without it), and it keeps the joint solves bounded, so each gives a witness.
    { lower, upper: truth.map((x) => 3 * x + cap), integer, rows, truth },
    targets,
  );
  const failures: AuditFailure[] = [];
  ranges.forEach((r, k) => {
    if (!r.narrow) return;
    const m = meta[k]!;
    // The shown figures on its links, then those one link further on, and so on (NEIGHBOUR_DEPTH), each with
    // its depth, nearest first.
    const neighbours = new Map<number, number>();
    const seen = new Set(m.vars);
    let level = [...m.vars];
    for (let depth = 0; depth < NEIGHBOUR_DEPTH && level.length; depth++) {
      for (const v of level)
        for (const f of neighboursOf.get(v) ?? [])
          if (f !== m.figure && !neighbours.has(f)) neighbours.set(f, depth);
      const next: number[] = [];
      for (const v of level)
        for (const w of adjacent.get(v) ?? [])
          if (!seen.has(w)) {
            seen.add(w);
            next.push(w);
          }
      level = next;
    }
    const ladder = m.figure < figures.length ? undefined : positions[m.figure - figures.length];
    failures.push({
      figure: ladder ? -1 : m.figure,
      ...(ladder ? { ladder } : {}),
      quantity: m.quantity,
      min: r.min,
      max: r.max,
      neighbours: [...neighbours.keys()].filter((o) => o < figures.length),
      depths: [...neighbours].flatMap(([o, depth]) => (o < figures.length ? [depth] : [])),
      ladderNeighbours: [...neighbours.keys()].flatMap((o) =>
        o < figures.length ? [] : [positions[o - figures.length]!],
      ),
      ladderDepths: [...neighbours].flatMap(([o, depth]) => (o < figures.length ? [] : [depth])),
    });
  });
  return { failures, sensitive: targets.length, unknowns: truth.length, links, stats };
}

/** A ladder position's true value and whether it is published. */
function ladderValue(ladders: readonly AuditLadder[], { ladder, position }: LadderPosition) {
  const l = ladders[ladder]!;
  const [kind, a, b] = position.split(':');
  const i = Number(a);
  const j = Number(b);
  const n = l.labels.length;
  const sum = (f: (k: number) => number) => [...Array(n).keys()].reduce((acc, k) => acc + f(k), 0);
  const p = l.published;
  if (kind === 'cell') return { truth: l.table[i]![j]!, shown: p.cells[i]![j] !== null };
  if (kind === 'row') return { truth: sum((k) => l.table[i]![k]!), shown: p.rowTotals[i] !== null };
  if (kind === 'col') return { truth: sum((k) => l.table[k]![i]!), shown: p.colTotals[i] !== null };
  return { truth: sum((r) => sum((c) => l.table[r]![c]!)), shown: p.total !== null };
}
