/**
 * Statistical disclosure control for published counts (issues 4 and 5): no group of 1 or 2 may be
 * published, or be derivable by adding and subtracting published figures. See docs/disclosure-control.md.
 */
export const MIN_GROUP = 3;

/** A count that must not be shown: 1 … min−1 (zero is no one and may be shown). */
export const isSensitive = (n: number, min = MIN_GROUP) => n > 0 && n < min;

export interface MergedCategory {
  /** Index of the first and last original category in the group (inclusive). */
  from: number;
  to: number;
  count: number;
}

export type MergeResult =
  | { published: true; groups: MergedCategory[]; merged: boolean }
  | { published: false; reason: 'too_few' | 'all_identical' };

/**
 * The 2020 mapping's rule for ordered answer categories: merge neighbouring categories until every shown
 * category holds at least `min` answers (empty categories are absorbed too, so a shown zero cannot be
 * combined with the total to single anyone out), or report the item suppressed. A distribution where every
 * answer falls in one category is not published: it would tell each respondent's answer.
 */
export function mergeNeighbours(counts: readonly number[], min = MIN_GROUP): MergeResult {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total < min) return { published: false, reason: 'too_few' };
  if (counts.filter((c) => c > 0).length <= 1) return { published: false, reason: 'all_identical' };
  let groups: MergedCategory[] = counts.map((count, i) => ({ from: i, to: i, count }));
  for (;;) {
    const small = groups
      .map((g, i) => ({ g, i }))
      .filter(({ g }) => g.count < min)
      .sort((a, b) => a.g.count - b.g.count || a.i - b.i)[0];
    if (!small) break;
    const { i } = small;
    const left = groups[i - 1];
    const right = groups[i + 1];
    // Merge with the smaller neighbour (fewer categories lost); ties go left.
    const j = !right || (left && left.count <= right.count) ? i - 1 : i + 1;
    const [a, b] = j < i ? [j, i] : [i, j];
    const merged = { from: groups[a]!.from, to: groups[b]!.to, count: groups[a]!.count + groups[b]!.count };
    groups = [...groups.slice(0, a), merged, ...groups.slice(b + 1)];
  }
  if (groups.length <= 1) return { published: false, reason: 'all_identical' };
  return { published: true, groups, merged: groups.length < counts.length };
}

/** A published table: interior cells and margins, null where suppressed. */
export interface ProtectedTable {
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  colTotals: (number | null)[];
  total: number | null;
}

/**
 * The linear system a reader can set up from a published table: every row and column sums to its total,
 * the totals sum to the grand total. Variables are numbered: interior cells row by row, then row totals,
 * column totals and the grand total.
 */
function tableSystem(rows: number, cols: number) {
  const cell = (i: number, j: number) => i * cols + j;
  const rowTotal = (i: number) => rows * cols + i;
  const colTotal = (j: number) => rows * cols + rows + j;
  const grand = rows * cols + rows + cols;
  const equations: Map<number, number>[] = [];
  for (let i = 0; i < rows; i++) {
    const e = new Map<number, number>();
    for (let j = 0; j < cols; j++) e.set(cell(i, j), 1);
    e.set(rowTotal(i), -1);
    equations.push(e);
  }
  for (let j = 0; j < cols; j++) {
    const e = new Map<number, number>();
    for (let i = 0; i < rows; i++) e.set(cell(i, j), 1);
    e.set(colTotal(j), -1);
    equations.push(e);
  }
  const byRows = new Map<number, number>([[grand, -1]]);
  for (let i = 0; i < rows; i++) byRows.set(rowTotal(i), 1);
  equations.push(byRows);
  const byCols = new Map<number, number>([[grand, -1]]);
  for (let j = 0; j < cols; j++) byCols.set(colTotal(j), 1);
  equations.push(byCols);
  return { equations, size: grand + 1, cell, rowTotal, colTotal, grand };
}

const EPS = 1e-9;

/**
 * The suppressed variables a reader can compute exactly from what is published: those whose unit vector
 * lies in the row space of the equations restricted to the suppressed variables. Sparse Gauss–Jordan
 * elimination: the basis is kept fully reduced (every pivot appears in its own row only), so a variable is
 * determined exactly when its pivot row has no other entry.
 */
export function derivable(
  equations: readonly Map<number, number>[],
  hidden: ReadonlySet<number>,
): Set<number> {
  const rows = new Map<number, Map<number, number>>(); // pivot → row
  const containing = new Map<number, Set<number>>(); // variable → pivots of the rows it appears in
  const note = (v: number, pivot: number) => {
    const set = containing.get(v);
    if (set) set.add(pivot);
    else containing.set(v, new Set([pivot]));
  };
  /** row −= f × other, keeping the column index in step. */
  const subtract = (
    row: Map<number, number>,
    pivotOfRow: number | null,
    other: Map<number, number>,
    f: number,
  ) => {
    for (const [v, c] of other) {
      const x = (row.get(v) ?? 0) - f * c;
      if (Math.abs(x) < EPS) {
        row.delete(v);
        if (pivotOfRow !== null) containing.get(v)?.delete(pivotOfRow);
      } else {
        if (pivotOfRow !== null && !row.has(v)) note(v, pivotOfRow);
        row.set(v, x);
      }
    }
  };
  for (const e of equations) {
    const r = new Map<number, number>();
    for (const [v, c] of e) if (hidden.has(v) && Math.abs(c) > EPS) r.set(v, c);
    // Reduce by the basis: every pivot in r is eliminated.
    for (const v of [...r.keys()]) {
      const f = r.get(v);
      const basis = rows.get(v);
      if (f !== undefined && basis) subtract(r, null, basis, f);
    }
    if (r.size === 0) continue;
    // The new pivot: the variable in the fewest basis rows (less fill-in).
    let pivot = -1;
    for (const v of r.keys())
      if (pivot < 0 || (containing.get(v)?.size ?? 0) < (containing.get(pivot)?.size ?? 0)) pivot = v;
    const p = r.get(pivot)!;
    for (const [v, c] of r) r.set(v, c / p);
    // Eliminate the pivot from the rows that have it.
    for (const other of [...(containing.get(pivot) ?? [])]) {
      const row = rows.get(other)!;
      const f = row.get(pivot);
      if (f !== undefined) subtract(row, other, r, f);
    }
    rows.set(pivot, r);
    for (const v of r.keys()) note(v, pivot);
  }
  const out = new Set<number>();
  for (const [pivot, row] of rows) if (row.size === 1) out.add(pivot);
  return out;
}

/**
 * Protects a table of counts with its margins: primary suppression of sensitive counts (interior and
 * margins), then complementary suppression until no sensitive value can be derived from the published
 * ones. Complements are non-zero (a suppressed zero in a line whose suppressed sum is zero would be
 * revealed) and as small as possible, preferring interior cells on the lines of the exposed value.
 */
export function protectTable(
  table: readonly (readonly number[])[],
  min = MIN_GROUP,
  /** Positions to withhold as well (an audit's request): `cell:i:j`, `row:i`, `col:j`, `total`. */
  alsoHidden: ReadonlySet<string> = new Set(),
): ProtectedTable {
  const rows = table.length;
  const cols = table[0]?.length ?? 0;
  const sys = tableSystem(rows, cols);
  const value: number[] = new Array(sys.size).fill(0);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = table[i]![j]!;
      value[sys.cell(i, j)] = v;
      value[sys.rowTotal(i)]! += v;
      value[sys.colTotal(j)]! += v;
      value[sys.grand]! += v;
    }
  const sensitive = new Set<number>();
  value.forEach((v, k) => {
    if (isSensitive(v, min)) sensitive.add(k);
  });
  const extra: number[] = [];
  for (const key of alsoHidden) {
    const [kind, a, b] = key.split(':');
    if (kind === 'cell') extra.push(sys.cell(Number(a), Number(b)));
    else if (kind === 'row') extra.push(sys.rowTotal(Number(a)));
    else if (kind === 'col') extra.push(sys.colTotal(Number(a)));
    else if (kind === 'total') extra.push(sys.grand);
  }
  // Complements: interior cells before margins, then the smallest (protectLinked).
  const hidden = protectLinked({
    hidden: extra,
    values: value,
    equations: sys.equations,
    primary: sensitive,
    rank: (v) => (v >= rows * cols ? 1 : 0),
    // Whole numbers: keep room on every line with a hidden small count (issue 13).
    slack: true,
  });
  const shown = (k: number) => (hidden.has(k) ? null : value[k]!);
  return {
    cells: table.map((r, i) => r.map((_, j) => shown(sys.cell(i, j)))),
    rowTotals: table.map((_, i) => shown(sys.rowTotal(i))),
    colTotals: Array.from({ length: cols }, (_, j) => shown(sys.colTotal(j))),
    total: shown(sys.grand),
  };
}

/** For tests and checks: the values of a published table a reader can derive exactly. */
export function derivableFromPublished(t: ProtectedTable): Set<number> {
  const rows = t.cells.length;
  const cols = t.cells[0]?.length ?? 0;
  const sys = tableSystem(rows, cols);
  const hidden = new Set<number>();
  for (const [i, r] of t.cells.entries())
    for (const [j, v] of r.entries()) if (v === null) hidden.add(sys.cell(i, j));
  t.rowTotals.forEach((v, i) => {
    if (v === null) hidden.add(sys.rowTotal(i));
  });
  t.colTotals.forEach((v, j) => {
    if (v === null) hidden.add(sys.colTotal(j));
  });
  if (t.total === null) hidden.add(sys.grand);
  return derivable(sys.equations, hidden);
}

/**
 * One aggregate a report may publish over disjoint "atoms" (e.g. the answers of one role in one
 * municipality): its sum is the sum of its atoms'. Atoms are the finest groups the data is split into.
 */
export interface GroupCandidate {
  key: string;
  atoms: readonly number[];
  /** Publishing it would tell every member's value (every answer identical). */
  identical?: boolean;
}

const TOL = 1e-9;

/**
 * Protects linked aggregates of one variable (sums or means with their counts), published together:
 * national totals, totals per role, per municipality and per municipality and role. A reader knows each
 * atom's count (response counts are published) and every published sum; the linear span of the published
 * groups' indicator vectors is what they can compute. A group of 1 or 2 respondents is exposed when its
 * indicator lies in that span: a single atom of 1–2, or two atoms of one respondent each.
 *
 * Candidates are taken in the given order (put the most useful first); one is published only if, together
 * with everything published before it, it exposes no small group, so the result is safe by construction.
 * A candidate that is itself small or identical is a primary suppression (and an identical group is kept
 * from becoming computable too); one refused because it would
 * expose another group is a complementary suppression. Returns the keys published and why others were not.
 */
export function protectGroups(
  atomCounts: readonly number[],
  candidates: readonly GroupCandidate[],
  min = MIN_GROUP,
): Map<string, 'published' | 'too_few' | 'all_identical' | 'complementary'> {
  const out = new Map<string, 'published' | 'too_few' | 'all_identical' | 'complementary'>();
  // Empty atoms carry nothing; the variables are the non-empty ones.
  const col = new Map<number, number>();
  atomCounts.forEach((n, a) => {
    if (n > 0) col.set(a, col.size);
  });
  const width = col.size;
  const sensitive = [...col.entries()].filter(([a]) => isSensitive(atomCounts[a]!, min));
  // Basis of the published span in reduced row echelon form, and each sensitive atom's residual after
  // reduction: an atom is computable when its residual is zero; two atoms of one respondent each are
  // computable together when their residuals cancel.
  const basis: { pivot: number; row: Float64Array }[] = [];
  const indicator = (atoms: readonly number[]) => {
    const r = new Float64Array(width);
    for (const a of atoms) {
      const c = col.get(a);
      if (c !== undefined) r[c] = 1;
    }
    return r;
  };
  // Groups whose members all answered alike must not become computable either (it would tell each
  // member's answer): their residuals are tracked like a small atom's.
  const identical = candidates.filter((c) => c.identical);
  let residual = [...sensitive.map(([a]) => indicator([a])), ...identical.map((c) => indicator(c.atoms))];
  const singles = [...sensitive.map(([a]) => atomCounts[a] === 1), ...identical.map(() => false)];
  // Fingerprints (a fixed pseudo-random projection) find candidate zeros and cancelling pairs in
  // O(atoms) each; every candidate is then confirmed exactly.
  const projection = Float64Array.from(
    { length: width },
    (_, c) => (Math.sin(c * 12.9898 + 1) * 43758.5453) % 1,
  );
  const isZero = (r: Float64Array) => r.every((x) => Math.abs(x) < TOL);
  const cancel = (a: Float64Array, b: Float64Array) => a.every((x, c) => Math.abs(x + b[c]!) < TOL);
  const leaks = (res: Float64Array[]) => {
    const prints: { h: number; k: number }[] = [];
    for (let k = 0; k < res.length; k++) {
      const r = res[k]!;
      let h = 0;
      for (let c = 0; c < width; c++) h += r[c]! * projection[c]!;
      if (Math.abs(h) < 1e-6 && isZero(r)) return true;
      if (singles[k]) prints.push({ h, k });
    }
    prints.sort((a, b) => a.h - b.h);
    // Pairs with h_a + h_b ≈ 0: walk inwards from both ends.
    let i = 0;
    let j = prints.length - 1;
    while (i < j) {
      const sum = prints[i]!.h + prints[j]!.h;
      if (Math.abs(sum) < 1e-6) {
        for (let jj = j; jj > i && Math.abs(prints[i]!.h + prints[jj]!.h) < 1e-6; jj--)
          if (cancel(res[prints[i]!.k]!, res[prints[jj]!.k]!)) return true;
        i++;
      } else if (sum < 0) i++;
      else j--;
    }
    return false;
  };
  for (const cand of candidates) {
    const n = cand.atoms.reduce((s, a) => s + (atomCounts[a] ?? 0), 0);
    if (n === 0) {
      out.set(cand.key, 'published');
      continue;
    }
    if (isSensitive(n, min)) {
      out.set(cand.key, 'too_few');
      continue;
    }
    if (cand.identical) {
      out.set(cand.key, 'all_identical');
      continue;
    }
    const v = indicator(cand.atoms);
    for (const b of basis) {
      const f = v[b.pivot]!;
      if (Math.abs(f) > TOL) for (let c = 0; c < width; c++) v[c]! -= f * b.row[c]!;
    }
    let pivot = -1;
    for (let c = 0; c < width; c++)
      if (Math.abs(v[c]!) > TOL && (pivot < 0 || Math.abs(v[c]!) > Math.abs(v[pivot]!))) pivot = c;
    if (pivot < 0) {
      // Already computable from what is published: publishing it adds nothing.
      out.set(cand.key, 'published');
      continue;
    }
    const p = v[pivot]!;
    for (let c = 0; c < width; c++) v[c]! /= p;
    const next = residual.map((r) => {
      const f = r[pivot]!;
      if (Math.abs(f) < TOL) return r;
      const s = new Float64Array(r);
      for (let c = 0; c < width; c++) s[c]! -= f * v[c]!;
      return s;
    });
    if (leaks(next)) {
      out.set(cand.key, 'complementary');
      continue;
    }
    for (const b of basis) {
      const f = b.row[pivot]!;
      if (Math.abs(f) > TOL) for (let c = 0; c < width; c++) b.row[c]! -= f * v[c]!;
    }
    basis.push({ pivot, row: v });
    residual = next;
    out.set(cand.key, 'published');
  }
  return out;
}

/**
 * For tests and reviewers, independent of protectGroups: given the respondents each published group covers
 * (one variable), the groups of 1 or 2 respondents a reader can compute by adding and subtracting them.
 * Brute force over every single respondent and every pair: use on small data.
 */
export function exposedSmallGroups(
  published: readonly (readonly number[])[],
  respondents: number,
  /** Further groups that must not be computable (e.g. groups whose members all answered alike). */
  alsoProtected: readonly (readonly number[])[] = [],
): number[][] {
  // Echelon rows with unit pivots, each zero at every other row's pivot.
  const rows: { pivot: number; v: number[] }[] = [];
  const reduce = (v: number[]) => {
    for (const r of rows) {
      const f = v[r.pivot]!;
      if (Math.abs(f) > TOL) for (let c = 0; c < v.length; c++) v[c]! -= f * r.v[c]!;
    }
    return v;
  };
  for (const g of published) {
    const v = new Array<number>(respondents).fill(0);
    for (const r of g) v[r] = 1;
    reduce(v);
    const pivot = v.findIndex((x) => Math.abs(x) > TOL);
    if (pivot < 0) continue;
    const s = v[pivot]!;
    for (let c = 0; c < v.length; c++) v[c]! /= s;
    for (const r of rows) {
      const f = r.v[pivot]!;
      if (Math.abs(f) > TOL) for (let c = 0; c < v.length; c++) r.v[c]! -= f * v[c]!;
    }
    rows.push({ pivot, v });
  }
  const inSpan = (members: number[]) => {
    const v = new Array<number>(respondents).fill(0);
    for (const m of members) v[m] = 1;
    return reduce(v).every((x) => Math.abs(x) < 1e-7);
  };
  const found: number[][] = alsoProtected.filter((g) => g.length > 0 && inSpan([...g])).map((g) => [...g]);
  for (let a = 0; a < respondents; a++) {
    if (inSpan([a])) found.push([a]);
    for (let b = a + 1; b < respondents; b++) if (inSpan([a, b])) found.push([a, b]);
  }
  return found;
}

/**
 * The dominance rule for amounts (spend): an amount is published only if its two largest contributors
 * (citizens, providers) together make up at most 85 % of it, so no one contributor's amount can be
 * estimated closely by another. Counts below 3 contributors fail it too.
 */
export const DOMINANCE_SHARE = 0.85;

export function dominanceOk(
  contributions: readonly number[],
  share = DOMINANCE_SHARE,
  min = MIN_GROUP,
): boolean {
  const positive = contributions.filter((c) => c > 0);
  const total = positive.reduce((a, b) => a + b, 0);
  const [a = 0, b = 0] = [...positive].sort((x, y) => y - x);
  return dominanceOkTop(total, a + b, positive.length, share, min);
}

/**
 * The same rule when only the amount, its two largest contributions together and the number of
 * contributors are known (as the key-figure SQL keeps them).
 */
export function dominanceOkTop(
  total: number,
  topTwo: number,
  contributors: number,
  share = DOMINANCE_SHARE,
  min = MIN_GROUP,
): boolean {
  return contributors >= min && topTwo <= share * total;
}

/** A rate must be withheld when its numerator, its denominator or the rest (denominator − numerator) is 1–2. */
export const rateSensitive = (numerator: number, denominator: number, min = MIN_GROUP) =>
  isSensitive(numerator, min) || isSensitive(denominator, min) || isSensitive(denominator - numerator, min);

/**
 * A rate (numerator / denominator, both counts of people) is published only when both counts may be: a
 * shown rate and a shown denominator would give the numerator back.
 */
export function publishRate(
  numerator: number | null,
  denominator: number | null,
  min = MIN_GROUP,
): { rate: number | null; numerator: number | null; denominator: number | null } {
  if (numerator === null || denominator === null || denominator === 0)
    return { rate: null, numerator: null, denominator: null };
  if (rateSensitive(numerator, denominator, min)) return { rate: null, numerator: null, denominator: null };
  return { rate: numerator / denominator, numerator, denominator };
}

/**
 * A linked system of published quantities (issue 5's key figures): each variable is one figure's count or
 * amount, and every equation is a relation a reader knows holds between figures (a total is the sum of its
 * breakdown; a quarter is the sum of its months). Coefficients are sparse.
 */
export interface LinkedSystem {
  values: readonly number[];
  equations: readonly Map<number, number>[];
  /** The variables that must not be published or be computable (primary suppressions). */
  primary: ReadonlySet<number>;
  /** Preference among complement candidates: lower first (e.g. breakdown cells before totals). */
  rank?: (v: number) => number;
  /**
   * Variables published or withheld only together with `v` (the numerator and denominator of one figure):
   * hiding one hides them all.
   */
  together?: (v: number) => readonly number[];
  /** Variables withheld already (an earlier publication's, or more suppression asked for by an audit). */
  hidden?: Iterable<number>;
  /** Variables whose status is settled (published before): never taken as complements. */
  fixed?: (v: number) => boolean;
  /** Also keep MIN_SLACK of room on every equation with a hidden primary variable (against whole numbers). */
  slack?: boolean;
}

/** The room an integer attacker must be left on an equation with a hidden primary count (see protectLinked). */
export const MIN_SLACK = 2;

/**
 * Complementary suppression for a linked system, safe by construction: starting from the primary
 * suppressions, while some primary variable is computable from the published ones (its unit vector lies in
 * the row space of the equations restricted to the hidden variables), hide one more published, non-zero
 * variable on an equation that involves it, preferring low rank, then small values (for every exposed
 * variable of one elimination at once, unless a complement of that round is already on its equations).
 * The hidden variables fall apart into independent components (hidden variables sharing an equation); each
 * is solved on its own, and an equation with a single hidden variable is resolved without elimination.
 * Returns the hidden set.
 */
export function protectLinked(system: LinkedSystem): Set<number> {
  const { values, equations, primary } = system;
  const rank = system.rank ?? (() => 0);
  const together = system.together ?? ((v: number) => [v]);
  const byVar = new Map<number, number[]>();
  equations.forEach((e, k) => {
    for (const v of e.keys()) {
      const list = byVar.get(v);
      if (list) list.push(k);
      else byVar.set(v, [k]);
    }
  });
  const hidden = new Set<number>();
  // Equations to look at again because one of their variables was hidden.
  const touched: number[] = [];
  const hide = (v: number) => {
    for (const w of [v, ...together(v)]) {
      if (hidden.has(w)) continue;
      hidden.add(w);
      for (const k of byVar.get(w) ?? []) touched.push(k);
    }
  };
  for (const v of primary) hide(v);
  for (const v of system.hidden ?? []) hide(v);
  const fixed = system.fixed ?? (() => false);
  /** The cheapest published, non-zero variable on the given equations (low rank, then small, then first). */
  const complementIn = (eqs: Iterable<number>): number | undefined => {
    let best: number | undefined;
    for (const k of eqs)
      for (const v of equations[k]!.keys()) {
        if (hidden.has(v) || !(values[v]! > 0) || fixed(v)) continue;
        if (
          best === undefined ||
          rank(v) < rank(best) ||
          (rank(v) === rank(best) && (values[v]! < values[best]! || (values[v] === values[best] && v < best)))
        )
          best = v;
      }
    return best;
  };
  /** Cheap pass: an equation with exactly one hidden variable gives it away; hide a complement on it. */
  const singles = () => {
    while (touched.length) {
      const k = touched.pop()!;
      let only = -1;
      let count = 0;
      for (const v of equations[k]!.keys())
        if (hidden.has(v)) {
          count++;
          only = v;
          if (count > 1) break;
        }
      if (count !== 1 || !primary.has(only)) continue;
      const pick = complementIn([k]);
      if (pick !== undefined) hide(pick);
    }
  };
  /** The hidden variables linked to `start` through equations, and those equations. */
  const componentOf = (start: number) => {
    const vars = new Set([start]);
    const eqs = new Set<number>();
    const stack = [start];
    while (stack.length) {
      const v = stack.pop()!;
      for (const k of byVar.get(v) ?? []) {
        if (eqs.has(k)) continue;
        eqs.add(k);
        for (const w of equations[k]!.keys())
          if (hidden.has(w) && !vars.has(w)) {
            vars.add(w);
            stack.push(w);
          }
      }
    }
    return { vars, eqs };
  };
  /**
   * Room to move: on an equation with a hidden primary variable, the hidden values together must exceed
   * what the attacker knows they are at least (1 for each one that exists, as a withheld figure does) by
   * MIN_SLACK, or the primary one is pinned to fewer than three values by whole numbers alone.
   */
  const slackPass = () => {
    let added = false;
    equations.forEach((e, k) => {
      let hasPrimary = false;
      let slack = 0;
      for (const v of e.keys())
        if (hidden.has(v)) {
          if (primary.has(v)) hasPrimary = true;
          slack += values[v]! >= 1 ? values[v]! - 1 : 0;
        }
      if (!hasPrimary || slack >= MIN_SLACK) return;
      const pick = complementIn([k]);
      if (pick !== undefined) {
        hide(pick);
        added = true;
      }
    });
    return added;
  };
  const done = new Set<number>();
  do {
    done.clear();
    singles();
    // Exact check, component by component: a component is re-examined after each complement added to it.
    for (const start of primary) {
      if (done.has(start)) continue;
      for (;;) {
        singles();
        const c = componentOf(start);
        const exposed = [
          ...derivable(
            [...c.eqs].map((k) => equations[k]!),
            c.vars,
          ),
        ].filter((v) => primary.has(v));
        if (exposed.length === 0) {
          for (const v of c.vars) done.add(v);
          break;
        }
        // One complement per exposed variable whose equations no complement of this round touches yet (a
        // large component exposes several at once; re-solving it after each single complement is the cost).
        const picked: number[] = [];
        for (const x of exposed) {
          const eqs = byVar.get(x) ?? [];
          if (picked.some((p) => eqs.some((k) => equations[k]!.has(p)))) continue;
          const pick = complementIn(eqs);
          if (pick !== undefined) {
            hide(pick);
            picked.push(pick);
          }
        }
        if (picked.length) continue;
        const pick = complementIn(c.eqs);
        if (pick !== undefined) {
          hide(pick);
          continue;
        }
        // Every non-zero figure on the component's equations is hidden: what is left is zeros. Hide them too;
        // if nothing is left to hide, the remaining relations hold only published zeros and carry no value.
        const before = hidden.size;
        for (const k of c.eqs) for (const v of equations[k]!.keys()) if (!fixed(v)) hide(v);
        if (hidden.size === before) {
          for (const v of c.vars) done.add(v);
          break;
        }
      }
    }
  } while (system.slack && slackPass());
  return hidden;
}
