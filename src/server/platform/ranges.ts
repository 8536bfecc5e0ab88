import loadHighs, { type Highs } from 'highs';

/**
 * What an attacker can learn about a linear expression of unknowns from a set of linear constraints: the
 * least and greatest value it takes over every (integer, where declared) solution. Solved with HiGHS, a
 * well-kept LP/MIP solver compiled to WebAssembly (decision 010). Used by the disclosure audits (key figures
 * and survey): the unknowns are the withheld figures, the constraints everything a reader knows.
 */
export interface RangeProblem {
  lower: readonly number[];
  upper: readonly number[];
  integer: readonly boolean[];
  /** lo ≤ Σ coefs·x[vars] ≤ hi (±Infinity for none). */
  rows: readonly { vars: readonly number[]; coefs: readonly number[]; lo: number; hi: number }[];
  /** A point known to satisfy every constraint (the true values): the first witness. */
  truth: readonly number[];
}

export interface RangeTarget {
  vars: readonly number[];
  coefs: readonly number[];
  /** The range must be at least this wide (max − min). */
  width: number;
}

export interface TargetRange {
  min: number;
  max: number;
  /** True when the solver proved the range narrower than the target's width (or could not prove otherwise). */
  narrow: boolean;
}

export interface RangeStats {
  components: number;
  solves: number;
  ms: number;
}

let highsOnce: Promise<Highs> | undefined;
const highs = () => {
  highsOnce ??= loadHighs();
  return highsOnce;
};

/** Seconds one solve may take; a solve that runs out counts as "not proven wide" (conservative). */
const SOLVE_SECONDS = 20;
const EPS = 1e-6;
/** Joint solves (all open targets of a component at once) before each open target gets its own. */
const WITNESS_ROUNDS = 4;

/**
 * The solver is synchronous WebAssembly on the event loop's thread: between solves, the loop gets a turn at
 * least every BREATHE_MS, so requests are served while a publication is audited (a first publication audits
 * for minutes).
 */
const BREATHE_MS = 20;
let lastBreath = performance.now();
async function breathe(): Promise<void> {
  if (performance.now() - lastBreath < BREATHE_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastBreath = performance.now();
}

const valueAt = (t: { vars: readonly number[]; coefs: readonly number[] }, x: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < t.vars.length; i++) s += t.coefs[i]! * x[t.vars[i]!]!;
  return s;
};

/**
 * The range of every target over the integer points of the problem. Components (unknowns linked through
 * rows) are solved apart. Every solution found is a witness for every target of its component, so most
 * targets are settled by the first few solves (the sum of the component's targets pushed up and down); the
 * rest get their own maximisation and minimisation. A target is wide only when witnesses show it, so a solver
 * failure can only make the answer more cautious.
 */
export async function targetRanges(
  problem: RangeProblem,
  targets: readonly RangeTarget[],
): Promise<{ ranges: TargetRange[]; stats: RangeStats }> {
  const started = performance.now();
  const n = problem.lower.length;
  const ranges: TargetRange[] = targets.map((t) => {
    const v = valueAt(t, problem.truth);
    return { min: v, max: v, narrow: false };
  });
  const stats: RangeStats = { components: 0, solves: 0, ms: 0 };
  const open = targets.map((t, k) => ranges[k]!.max - ranges[k]!.min + EPS < t.width);
  if (!open.some(Boolean)) {
    stats.ms = performance.now() - started;
    return { ranges, stats };
  }
  // Components: unknowns joined by rows (union-find), targets by their unknowns.
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const join = (vars: readonly number[]) => {
    for (let i = 1; i < vars.length; i++) {
      const a = find(vars[0]!);
      const b = find(vars[i]!);
      if (a !== b) parent[a] = b;
    }
  };
  for (const r of problem.rows) join(r.vars);
  for (const t of targets) join(t.vars);
  const targetsOf = new Map<number, number[]>();
  targets.forEach((t, k) => {
    if (!open[k] || t.vars.length === 0) return;
    const c = find(t.vars[0]!);
    const list = targetsOf.get(c);
    if (list) list.push(k);
    else targetsOf.set(c, [k]);
  });
  const rowsOf = new Map<number, number[]>();
  problem.rows.forEach((r, k) => {
    if (r.vars.length === 0) return;
    const c = find(r.vars[0]!);
    if (!targetsOf.has(c)) return;
    const list = rowsOf.get(c);
    if (list) list.push(k);
    else rowsOf.set(c, [k]);
  });
  const membersOf = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = find(i);
    if (!targetsOf.has(c)) continue;
    const list = membersOf.get(c);
    if (list) list.push(i);
    else membersOf.set(c, [i]);
  }
  targets.forEach((t, k) => {
    // A target of known figures only is as narrow as it is.
    if (open[k] && t.vars.length === 0) ranges[k]!.narrow = true;
  });
  const h = await highs();
  for (const [c, ts] of targetsOf) {
    stats.components++;
    const members = membersOf.get(c)!;
    const local = new Map(members.map((v, i) => [v, i]));
    const rows = (rowsOf.get(c) ?? []).map((k) => problem.rows[k]!);
    const starts = [0];
    const indices: number[] = [];
    const values: number[] = [];
    for (const r of rows) {
      r.vars.forEach((v, i) => {
        indices.push(local.get(v)!);
        values.push(r.coefs[i]!);
      });
      starts.push(indices.length);
    }
    const inf = h.infinity;
    const bound = (x: number) =>
      x === Number.POSITIVE_INFINITY ? inf : x === Number.NEGATIVE_INFINITY ? -inf : x;
    const model = h.createModel({
      numCols: members.length,
      numRows: rows.length,
      colCost: members.map(() => 0),
      colLower: members.map((v) => bound(problem.lower[v]!)),
      colUpper: members.map((v) => bound(problem.upper[v]!)),
      rowLower: rows.map((r) => bound(r.lo)),
      rowUpper: rows.map((r) => bound(r.hi)),
      matrix: { format: 'csr', numRows: rows.length, numCols: members.length, starts, indices, values },
      integrality: members.map((v) =>
        problem.integer[v] ? h.constants.variableType.integer : h.constants.variableType.continuous,
      ),
    });
    try {
      model.options.set({ output_flag: false, time_limit: SOLVE_SECONDS, mip_rel_gap: 0, mip_abs_gap: 0 });
      const point = new Float64Array(n);
      const witness = (x: ArrayLike<number>) => {
        members.forEach((v, i) => {
          point[v] = x[i]!;
        });
        for (const k of ts) {
          const val = valueAt(targets[k]!, point);
          const r = ranges[k]!;
          if (val < r.min) r.min = val;
          if (val > r.max) r.max = val;
        }
      };
      /** Optimises Σ weight·target; returns the proven optimum, or undefined when none was proven. */
      const solve = (weights: Map<number, number>, sense: 'max' | 'min') => {
        const cost = new Float64Array(members.length);
        for (const [k, w] of weights) {
          const t = targets[k]!;
          t.vars.forEach((v, i) => {
            cost[local.get(v)!]! += w * t.coefs[i]!;
          });
        }
        model.changeColsCost({ kind: 'range', from: 0, to: members.length - 1 }, cost);
        model.changeObjectiveSense(
          sense === 'max' ? h.constants.objectiveSense.maximize : h.constants.objectiveSense.minimize,
        );
        stats.solves++;
        model.run();
        const status = model.getModelStatus();
        // The true point is a solution, so "unbounded or infeasible" is unbounded: the range has no end that way.
        if (
          status === h.constants.modelStatus.unbounded ||
          status === h.constants.modelStatus.unboundedOrInfeasible
        ) {
          const end = sense === 'max' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
          // A joint objective unbounded says nothing about any one target.
          if (weights.size === 1) {
            const [k] = weights.keys();
            if (sense === 'max') ranges[k!]!.max = end;
            else ranges[k!]!.min = end;
          }
          return end;
        }
        const solution = model.getSolution();
        if (solution.colValue.length === members.length) witness(solution.colValue);
        return status === h.constants.modelStatus.optimal ? model.getObjectiveValue() : undefined;
      };
      const isOpen = (k: number) => ranges[k]!.max - ranges[k]!.min + EPS < targets[k]!.width;
      // Push every open target up, then down, together; then with varied weights (a fixed sequence, so the
      // audit is repeatable), each solution a witness for all of them.
      let seed = 1;
      const weight = () => {
        seed = (seed * 48271) % 2147483647;
        return 1 + (seed % 7);
      };
      for (let round = 0; round < WITNESS_ROUNDS; round++)
        for (const sense of ['max', 'min'] as const) {
          const openNow = ts.filter(isOpen);
          if (openNow.length > 1) {
            await breathe();
            solve(new Map(openNow.map((k) => [k, round === 0 ? 1 : weight()])), sense);
          }
        }
      for (const k of ts) {
        if (!isOpen(k)) continue;
        await breathe();
        const hi = solve(new Map([[k, 1]]), 'max');
        if (!isOpen(k)) continue;
        await breathe();
        const lo = solve(new Map([[k, 1]]), 'min');
        if (!isOpen(k)) continue;
        // Proven narrow, or not proven wide: either way the target is not protected.
        ranges[k]!.narrow = true;
        if (hi !== undefined) ranges[k]!.max = hi;
        if (lo !== undefined) ranges[k]!.min = lo;
      }
    } finally {
      model.dispose();
    }
  }
  stats.ms = performance.now() - started;
  return { ranges, stats };
}
