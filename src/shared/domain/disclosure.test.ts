import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  derivable,
  derivableFromPublished,
  dominanceOk,
  isSensitive,
  mergeNeighbours,
  type ProtectedTable,
  protectTable,
  publishRate,
} from './disclosure';

describe('merging neighbouring answer categories (the 2020 mapping rule)', () => {
  it('worked examples', () => {
    expect(mergeNeighbours([5, 1, 4, 6, 0, 3])).toEqual({
      published: true,
      merged: true,
      // The empty category joins its smaller neighbour (3), the single answer joins 4 rather than 5.
      groups: [
        { from: 0, to: 0, count: 5 },
        { from: 1, to: 2, count: 5 },
        { from: 3, to: 3, count: 6 },
        { from: 4, to: 5, count: 3 },
      ],
    });
    expect(mergeNeighbours([1, 1])).toEqual({ published: false, reason: 'too_few' });
    expect(mergeNeighbours([0, 7, 0])).toEqual({ published: false, reason: 'all_identical' });
    expect(mergeNeighbours([2, 4])).toEqual({ published: false, reason: 'all_identical' });
    expect(mergeNeighbours([3, 4])).toEqual({
      published: true,
      merged: false,
      groups: [
        { from: 0, to: 0, count: 3 },
        { from: 1, to: 1, count: 4 },
      ],
    });
  });

  it('property: every shown category has at least 3, the groups tile the scale, nothing is lost', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 7 }), { minLength: 2, maxLength: 6 }), (counts) => {
        const r = mergeNeighbours(counts);
        const total = counts.reduce((a, b) => a + b, 0);
        if (!r.published) {
          expect(total < 3 || r.reason === 'all_identical').toBe(true);
          return;
        }
        expect(r.groups.length).toBeGreaterThanOrEqual(2);
        for (const g of r.groups) expect(g.count).toBeGreaterThanOrEqual(3);
        expect(r.groups[0]!.from).toBe(0);
        expect(r.groups.at(-1)!.to).toBe(counts.length - 1);
        r.groups.forEach((g, i) => {
          if (i) expect(g.from).toBe(r.groups[i - 1]!.to + 1);
          expect(g.count).toBe(counts.slice(g.from, g.to + 1).reduce((a, b) => a + b, 0));
        });
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * An independent check of ambiguity: for a hidden figure, look for another non-negative integer table that
 * agrees with everything published but differs in that figure, by trying every change of −1, 0 or +1 on the
 * hidden figures (interior and margins) that keeps all rows, columns and totals adding up.
 */
function hasAlternative(t: number[][], p: ProtectedTable, target: string): boolean {
  const rows = t.length;
  const cols = t[0]!.length;
  type V = { key: string; value: number; row?: number; col?: number; kind: 'cell' | 'row' | 'col' | 'total' };
  const vars: V[] = [];
  for (const [i, r] of t.entries())
    for (const [j, v] of r.entries())
      if (p.cells[i]![j] === null) vars.push({ key: `c${i},${j}`, value: v, row: i, col: j, kind: 'cell' });
  const rowSum = (i: number) => t[i]!.reduce((a, b) => a + b, 0);
  const colSum = (j: number) => t.reduce((a, r) => a + r[j]!, 0);
  for (let i = 0; i < rows; i++)
    if (p.rowTotals[i] === null) vars.push({ key: `r${i}`, value: rowSum(i), row: i, kind: 'row' });
  for (let j = 0; j < cols; j++)
    if (p.colTotals[j] === null) vars.push({ key: `k${j}`, value: colSum(j), col: j, kind: 'col' });
  if (p.total === null) vars.push({ key: 't', value: t.flat().reduce((a, b) => a + b, 0), kind: 'total' });
  const k = vars.length;
  const d = new Array<number>(k).fill(0);
  const balanced = () => {
    for (let i = 0; i < rows; i++) {
      const cells = vars.reduce((a, v, x) => a + (v.kind === 'cell' && v.row === i ? d[x]! : 0), 0);
      const total = vars.reduce((a, v, x) => a + (v.kind === 'row' && v.row === i ? d[x]! : 0), 0);
      if (cells !== total) return false;
    }
    for (let j = 0; j < cols; j++) {
      const cells = vars.reduce((a, v, x) => a + (v.kind === 'cell' && v.col === j ? d[x]! : 0), 0);
      const total = vars.reduce((a, v, x) => a + (v.kind === 'col' && v.col === j ? d[x]! : 0), 0);
      if (cells !== total) return false;
    }
    const grand = vars.reduce((a, v, x) => a + (v.kind === 'total' ? d[x]! : 0), 0);
    const byRows = vars.reduce((a, v, x) => a + (v.kind === 'row' ? d[x]! : 0), 0);
    const byCols = vars.reduce((a, v, x) => a + (v.kind === 'col' ? d[x]! : 0), 0);
    return grand === byRows && grand === byCols;
  };
  const at = vars.findIndex((v) => v.key === target);
  const search = (x: number): boolean => {
    if (x === k) return d[at] !== 0 && balanced();
    for (const step of [0, 1, -1]) {
      if (vars[x]!.value + step < 0) continue;
      d[x] = step;
      if (search(x + 1)) return true;
    }
    d[x] = 0;
    return false;
  };
  return at >= 0 && search(0);
}

describe('protecting a table with margins', () => {
  it('worked example: one small cell and its complements; the small cell cannot be derived', () => {
    const p = protectTable([
      [5, 1, 4],
      [6, 7, 3],
    ]);
    expect(p.cells[0]![1]).toBeNull();
    const shown = [...p.cells.flat(), ...p.rowTotals, ...p.colTotals, p.total].filter((x) => x !== null);
    expect(shown.some((x) => isSensitive(x!))).toBe(false);
    // Variable 1 is the cell (0, 1): interior cells are numbered row by row.
    expect(derivableFromPublished(p).has(1)).toBe(false);
  });

  it('property: no published figure is 1–2, and no hidden 1–2 can be computed from the published ones', () => {
    const table = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 })).chain(([r, c]) =>
      fc.array(
        fc.array(fc.oneof(fc.constantFrom(0, 0, 1, 2), fc.nat({ max: 9 })), { minLength: c, maxLength: c }),
        {
          minLength: r,
          maxLength: r,
        },
      ),
    );
    fc.assert(
      fc.property(table, (t) => {
        const p = protectTable(t);
        const shown = [...p.cells.flat(), ...p.rowTotals, ...p.colTotals, p.total].filter((x) => x !== null);
        expect(shown.some((x) => isSensitive(x!))).toBe(false);
        // Whatever a reader can compute exactly is not sensitive.
        const rows = t.length;
        const cols = t[0]!.length;
        const values = [
          ...t.flat(),
          ...t.map((r) => r.reduce((a, b) => a + b, 0)),
          ...Array.from({ length: cols }, (_, j) => t.reduce((a, r) => a + r[j]!, 0)),
          t.flat().reduce((a, b) => a + b, 0),
        ];
        for (const v of derivableFromPublished(p))
          expect(isSensitive(values[v]!), `variable ${v} of ${rows}x${cols}`).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('property (small tables, integer attack): every hidden 1–2 could also have been another value', () => {
    const table = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).chain(([r, c]) =>
      fc.array(fc.array(fc.constantFrom<number>(0, 1, 2, 3, 5), { minLength: c, maxLength: c }), {
        minLength: r,
        maxLength: r,
      }),
    );
    fc.assert(
      fc.property(table, (t) => {
        const p = protectTable(t);
        const hiddenCount = [...p.cells.flat(), ...p.rowTotals, ...p.colTotals, p.total].filter(
          (x) => x === null,
        ).length;
        fc.pre(hiddenCount <= 11);
        for (const [i, r] of t.entries())
          for (const [j, v] of r.entries()) {
            if (isSensitive(v))
              expect(hasAlternative(t, p, `c${i},${j}`), `cell ${i},${j} of ${JSON.stringify(t)}`).toBe(true);
          }
        t.forEach((r, i) => {
          if (isSensitive(r.reduce((a, b) => a + b, 0)))
            expect(hasAlternative(t, p, `r${i}`), `row ${i} of ${JSON.stringify(t)}`).toBe(true);
        });
      }),
      { numRuns: 600 },
    );
  });
});

describe('amounts: the dominance rule (two largest ≤ 85 %)', () => {
  it('worked examples', () => {
    expect(dominanceOk([100, 100, 100])).toBe(true); // 67 %
    expect(dominanceOk([900, 50, 50])).toBe(false); // 95 %
    expect(dominanceOk([50, 35, 15])).toBe(true); // exactly 85 %: allowed
    expect(dominanceOk([50, 36, 14])).toBe(false); // 86 %
    expect(dominanceOk([40, 40, 10, 10])).toBe(true); // 80 %
    expect(dominanceOk([100, 100])).toBe(false); // fewer than 3 contributors
    expect(dominanceOk([100, 100, 0])).toBe(false); // a zero is not a contributor
  });

  it('property: a published amount never lets the two largest contributors cover more than 85 %', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 12 }), (xs) => {
        if (!dominanceOk(xs)) return;
        const sorted = xs.filter((x) => x > 0).sort((a, b) => b - a);
        const total = sorted.reduce((a, b) => a + b, 0);
        expect(sorted.length).toBeGreaterThanOrEqual(3);
        expect((sorted[0]! + sorted[1]!) / total).toBeLessThanOrEqual(0.85 + 1e-12);
      }),
    );
  });
});

describe('rates: withheld when the numerator, the denominator or the rest is small', () => {
  it('property: a published rate never comes with a count of 1 or 2 derivable from it', () => {
    fc.assert(
      fc.property(fc.nat({ max: 50 }), fc.nat({ max: 50 }), (a, b) => {
        const num = Math.min(a, b);
        const den = Math.max(a, b);
        const r = publishRate(num, den);
        if (r.rate === null) return;
        for (const n of [r.numerator!, r.denominator!, r.denominator! - r.numerator!])
          expect(n === 0 || n >= 3).toBe(true);
      }),
    );
    expect(publishRate(2, 10).rate).toBeNull();
    expect(publishRate(9, 10).rate).toBeNull(); // the 1 who is not in the numerator
    expect(publishRate(5, 10)).toEqual({ rate: 0.5, numerator: 5, denominator: 10 });
    expect(publishRate(0, 10).rate).toBe(0);
    expect(publishRate(null, 10).rate).toBeNull();
  });
});

describe('derivable: sparse elimination against a dense reference', () => {
  /** The reference: dense Gauss–Jordan with rationals as floats, every unit vector tested by rank. */
  function dense(equations: Map<number, number>[], hidden: Set<number>): Set<number> {
    const vars = [...hidden];
    const rank = (rows: number[][]) => {
      const m = rows.map((r) => [...r]);
      let r = 0;
      for (let c = 0; c < vars.length && r < m.length; c++) {
        const p = m.findIndex((row, k) => k >= r && Math.abs(row[c]!) > 1e-9);
        if (p < 0) continue;
        [m[r], m[p]] = [m[p]!, m[r]!];
        for (let k = 0; k < m.length; k++) {
          if (k === r) continue;
          const f = m[k]![c]! / m[r]![c]!;
          for (let j = 0; j < vars.length; j++) m[k]![j]! -= f * m[r]![j]!;
        }
        r++;
      }
      return r;
    };
    const rows = equations.map((e) => vars.map((v) => e.get(v) ?? 0));
    const base = rank(rows);
    // x is determined when adding its unit vector does not raise the rank.
    return new Set(vars.filter((_v, k) => rank([...rows, vars.map((_, j) => (j === k ? 1 : 0))]) === base));
  }
  it('finds exactly the variables a dense elimination finds', () => {
    const system = fc.record({
      equations: fc.array(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom(1, -1, 2)), {
          minLength: 1,
          maxLength: 5,
        }),
        { minLength: 1, maxLength: 10 },
      ),
      hidden: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 8 }),
    });
    fc.assert(
      fc.property(system, ({ equations, hidden }) => {
        const eqs = equations.map((e) => new Map(e));
        const h = new Set(hidden);
        expect([...derivable(eqs, h)].sort()).toEqual([...dense(eqs, h)].sort());
      }),
      { numRuns: 500 },
    );
  });
});
