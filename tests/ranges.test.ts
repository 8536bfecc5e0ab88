import { describe, expect, it } from 'vitest';
import { targetRanges } from '../src/server/platform/ranges';

/** The range solver behind the disclosure audit (HiGHS): integer reasoning an attacker would use. */
describe('targetRanges', () => {
  it('pins six withheld months whose year shows 6 to 1 each, once each is known to be at least 1', async () => {
    // x1 + … + x6 = 6, every xi ≥ 1 (a withheld figure exists): every xi is exactly 1.
    const n = 6;
    const problem = {
      lower: Array(n).fill(1),
      upper: Array(n).fill(Number.POSITIVE_INFINITY),
      integer: Array(n).fill(true),
      rows: [{ vars: [0, 1, 2, 3, 4, 5], coefs: Array(n).fill(1), lo: 6, hi: 6 }],
      truth: Array(n).fill(1),
    };
    const targets = [0, 1, 2, 3, 4, 5].map((v) => ({ vars: [v], coefs: [1], width: 2 }));
    const { ranges } = await targetRanges(problem, targets);
    for (const r of ranges) expect(r).toMatchObject({ min: 1, max: 1, narrow: true });
    // With zero allowed (no existence), each ranges over 0…6: wide.
    const relaxed = await targetRanges({ ...problem, lower: Array(n).fill(0) }, targets);
    for (const r of relaxed.ranges) expect(r.narrow).toBe(false);
  });

  it('uses whole numbers: two withheld counts adding up to 3, each at least 1, are each 1 or 2', async () => {
    const problem = {
      lower: [1, 1],
      upper: [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
      integer: [true, true],
      rows: [{ vars: [0, 1], coefs: [1, 1], lo: 3, hi: 3 }],
      truth: [1, 2],
    };
    const { ranges } = await targetRanges(problem, [{ vars: [0], coefs: [1], width: 2 }]);
    expect(ranges[0]).toMatchObject({ min: 1, max: 2, narrow: true });
    // A third withheld count of 3 on the same total gives room: 1…4.
    const wider = await targetRanges(
      {
        lower: [1, 1, 1],
        upper: Array(3).fill(Number.POSITIVE_INFINITY),
        integer: [true, true, true],
        rows: [{ vars: [0, 1, 2], coefs: [1, 1, 1], lo: 6, hi: 6 }],
        truth: [1, 2, 3],
      },
      [{ vars: [0], coefs: [1], width: 2 }],
    );
    expect(wider.ranges[0]).toMatchObject({ min: 1, max: 4, narrow: false });
  });

  it('a target of known figures only is as narrow as it is', async () => {
    const { ranges } = await targetRanges({ lower: [], upper: [], integer: [], rows: [], truth: [] }, [
      { vars: [], coefs: [], width: 2 },
    ]);
    expect(ranges[0]!.narrow).toBe(true);
  });
});

describe('targetRanges without an upper end', () => {
  it('a count bounded only from below is wide (the solver says unbounded)', async () => {
    const { ranges } = await targetRanges(
      {
        lower: [1, 1],
        upper: [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
        integer: [true, true],
        rows: [{ vars: [0, 1], coefs: [1, -1], lo: Number.NEGATIVE_INFINITY, hi: 0 }],
        truth: [1, 1],
      },
      [{ vars: [0], coefs: [1], width: 2 }],
    );
    expect(ranges[0]).toMatchObject({ min: 1, max: Number.POSITIVE_INFINITY, narrow: false });
  });
});
