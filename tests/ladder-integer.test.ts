import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protectTableAudited } from '../src/server/modules/keyfigures/keyfigures.protect';
import { targetRanges } from '../src/server/platform/ranges';
import { isSensitive } from '../src/shared/domain/disclosure';

/**
 * Issue 13: the ladder's flow table (citizens by step a year ago × step now, with both margins and the
 * total) against an integer attacker: the unknowns are the withheld cells and margins (whole numbers; a
 * withheld one exists, so it is at least 1), every published one is known, rows and columns add up. No
 * withheld count of 1–2 may be pinned below three values.
 */
describe('the ladder against an integer attacker (issue 13)', () => {
  it('no withheld count of 1–2 in the flow table is pinned to fewer than three values', async () => {
    const size = 6;
    const cell = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 40 }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: size, maxLength: size }), { minLength: size, maxLength: size }),
        async (table) => {
          // Nobody is without a service both a year ago and now.
          table[0]![0] = 0;
          const p = (await protectTableAudited(table))!;
          expect(p).not.toBeNull();
          // Variables: cells, row totals, column totals, the total.
          const values: number[] = [];
          const published: (number | null)[] = [];
          const at = (v: number, shown: number | null) => {
            values.push(v);
            published.push(shown);
            return values.length - 1;
          };
          const cells = table.map((r, i) => r.map((v, j) => at(v, p.cells[i]![j]!)));
          const rowTotals = table.map((r, i) =>
            at(
              r.reduce((a, b) => a + b, 0),
              p.rowTotals[i]!,
            ),
          );
          const colTotals = table[0]!.map((_, j) =>
            at(
              table.reduce((a, r) => a + r[j]!, 0),
              p.colTotals[j]!,
            ),
          );
          const grand = at(
            table.flat().reduce((a, b) => a + b, 0),
            p.total,
          );
          const rows = [
            ...cells.map((r, i) => ({
              vars: [...r, rowTotals[i]!],
              coefs: [...r.map(() => 1), -1],
              lo: 0,
              hi: 0,
            })),
            ...colTotals.map((c, j) => ({
              vars: [...cells.map((r) => r[j]!), c],
              coefs: [...cells.map(() => 1), -1],
              lo: 0,
              hi: 0,
            })),
            { vars: [...rowTotals, grand], coefs: [...rowTotals.map(() => 1), -1], lo: 0, hi: 0 },
          ];
          // Published values fix their variables; withheld ones exist (≥ 1, since zeros are never withheld).
          const lower = values.map((v, k) => (published[k] !== null ? published[k]! : v >= 1 ? 1 : 0));
          const upper = values.map((_, k) =>
            published[k] !== null ? published[k]! : Number.POSITIVE_INFINITY,
          );
          const targets = values.flatMap((v, k) =>
            published[k] === null && isSensitive(v) ? [{ vars: [k], coefs: [1], width: 2 }] : [],
          );
          const { ranges } = await targetRanges(
            { lower, upper, integer: values.map(() => true), rows, truth: values },
            targets,
          );
          for (const r of ranges) expect(r.narrow, JSON.stringify({ table, p, r })).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  }, 300_000);
});
