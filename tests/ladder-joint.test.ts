import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditLadder } from '../src/server/modules/keyfigures/keyfigures.audit';
import type { KeyFigureRow, LadderFlow } from '../src/server/modules/keyfigures/keyfigures.compute';
import { type PublishedLadder, protectLadder } from '../src/server/modules/keyfigures/keyfigures.protect';
import {
  auditedLadder,
  latentLadders,
  protectAndAudit,
  protectLadderJointly,
} from '../src/server/modules/keyfigures/keyfigures.refresh';
import { targetRanges } from '../src/server/platform/ranges';
import { isSensitive } from '../src/shared/domain/disclosure';

/**
 * Issue 13: the ladder in the joint system. A citizen's path is their highest step on three days a year
 * apart (null: no service that day). Two publications: the first publishes 2025's step moves and the ladder
 * 31.12.2024 → 31.12.2025; the second 2026's step moves and the ladder 31.12.2025 → 31.12.2026. The ladders'
 * margins are the step-move denominators (citizens on a step the day before each year), their cells below
 * and above the diagonal the moves down and up, and the first ladder's columns are the second's rows.
 *
 * The attacker here is built from the paths, not from the audit's links: the unknowns are the counts of each
 * path (whole, at least 0); every published figure and ladder position is the sum of the paths it counts
 * (shown: equal; withheld: at least 1, since it exists; absent: 0). Every withheld count of 1–2 must keep at
 * least three possible values.
 */

const STEPS = [1, 2, 3];
const LABELS: (number | null)[] = [null, ...STEPS];
const STEP_OF = new Map([
  ['p1', 1],
  ['p2', 2],
  ['p3', 3],
]);
const DAYS = ['2024-12-31', '2025-12-31', '2026-12-31'];
const YEARS = ['2025-01-01', '2026-01-01'];

type Path = readonly [number | null, number | null, number | null];
/** Every path: the attacker's unknowns (no service on all three days is never counted anywhere). */
const PATHS: Path[] = LABELS.flatMap((a) =>
  LABELS.flatMap((b) => LABELS.map((c) => [a, b, c] as const)),
).filter((p) => p.some((s) => s !== null));
const pathIndex = (p: Path) => PATHS.findIndex((q) => q[0] === p[0] && q[1] === p[1] && q[2] === p[2]);

/** Moved down (to a lower step or off the ladder) or up between two days. */
const down = (a: number | null, b: number | null) => a !== null && (b === null || b < a);
const up = (a: number | null, b: number | null) => a !== null && b !== null && b > a;

interface Figure {
  row: KeyFigureRow;
  n: number[];
  d: number[];
}

/** Every possible step-move figure of year y (present or not), with the paths its parts add up. */
function stepFigures(y: 0 | 1, counts: readonly number[]): Figure[] {
  const values: [string, string, (p: Path) => boolean][] = [
    ['', '', (p) => p[y] !== null],
    ...STEPS.map(
      (s) => ['step', String(s), (p: Path) => p[y] === s] as [string, string, (p: Path) => boolean],
    ),
  ];
  return values.flatMap(([breakdown, value, member]) =>
    (['step_down', 'step_up'] as const).map((indicator) => {
      const moved = indicator === 'step_down' ? down : up;
      const d = PATHS.flatMap((p, k) => (member(p) ? [k] : []));
      const n = d.filter((k) => moved(PATHS[k]![y], PATHS[k]![y + 1]!));
      const sum = (set: number[]) => set.reduce((a, k) => a + counts[k]!, 0);
      return {
        row: {
          indicator,
          periodKind: 'year' as const,
          periodStart: YEARS[y]!,
          breakdown,
          value,
          numerator: sum(n),
          denominator: sum(d),
        },
        n,
        d,
      };
    }),
  );
}

/** The ladder's flows between day y and day y + 1. */
function flowsOf(y: 0 | 1, counts: readonly number[]): LadderFlow[] {
  const out: LadderFlow[] = [];
  PATHS.forEach((p, k) => {
    if (counts[k]! > 0 && (p[y] !== null || p[y + 1] !== null))
      out.push({ before: p[y] ?? null, now: p[y + 1] ?? null, citizens: counts[k]! });
  });
  return out;
}

/** The paths a ladder position adds up. */
function ladderMembers(y: 0 | 1, position: string): number[] {
  const [kind, a, b] = position.split(':');
  const i = Number(a);
  const j = Number(b);
  return PATHS.flatMap((p, k) => {
    const row = LABELS.indexOf(p[y]!);
    const col = LABELS.indexOf(p[y + 1]!);
    if (row === 0 && col === 0) return [];
    const inIt =
      kind === 'cell'
        ? row === i && col === j
        : kind === 'row'
          ? row === i
          : kind === 'col'
            ? col === i
            : true;
    return inIt ? [k] : [];
  });
}

const positionsOf = (l: PublishedLadder): [string, number | null][] => [
  ...l.table.cells.flatMap((r, i) => r.map((v, j) => [`cell:${i}:${j}`, v] as [string, number | null])),
  ...l.table.rowTotals.map((v, i) => [`row:${i}`, v] as [string, number | null]),
  ...l.table.colTotals.map((v, j) => [`col:${j}`, v] as [string, number | null]),
  ['total', l.table.total],
];

/** Everything both publications wrote, as the attacker sees it; the pinned withheld counts of 1–2. */
async function pinned(
  counts: readonly number[],
  figures: readonly { figure: Figure; shown: boolean }[],
  ladders: readonly { y: 0 | 1; ladder: PublishedLadder | null }[],
): Promise<string[]> {
  const rows: { vars: number[]; coefs: number[]; lo: number; hi: number }[] = [];
  const targets: { vars: number[]; coefs: number[]; width: number }[] = [];
  const named: string[] = [];
  const sum = (members: number[], lo: number, hi: number) =>
    rows.push({ vars: members, coefs: members.map(() => 1), lo, hi });
  const truthOf = (members: number[]) => members.reduce((a, k) => a + counts[k]!, 0);
  const target = (members: number[], name: string) => {
    if (!isSensitive(truthOf(members))) return;
    targets.push({ vars: members, coefs: members.map(() => 1), width: 2 });
    named.push(`${name} = ${truthOf(members)}`);
  };
  for (const { figure: f, shown } of figures) {
    const name = `${f.row.indicator} ${f.row.periodStart} ${f.row.breakdown}${f.row.value}`;
    if (f.row.denominator === 0) {
      // Absent: nobody on the step that day.
      sum(f.d, 0, 0);
    } else if (shown) {
      sum(f.n, f.row.numerator, f.row.numerator);
      sum(f.d, f.row.denominator!, f.row.denominator!);
    } else {
      sum(f.d, 1, Number.POSITIVE_INFINITY);
      const rest = f.d.filter((k) => !f.n.includes(k));
      target(f.n, `${name} n`);
      target(f.d, `${name} d`);
      target(rest, `${name} rest`);
    }
  }
  for (const { y, ladder } of ladders) {
    if (!ladder) continue;
    for (const [position, value] of positionsOf(ladder)) {
      const members = ladderMembers(y, position);
      if (value !== null) sum(members, value, value);
      else {
        sum(members, 1, Number.POSITIVE_INFINITY);
        target(members, `ladder ${DAYS[y + 1]} ${position}`);
      }
    }
  }
  const { ranges } = await targetRanges(
    {
      lower: PATHS.map(() => 0),
      upper: PATHS.map(() => Number.POSITIVE_INFINITY),
      integer: PATHS.map(() => true),
      rows,
      truth: counts,
    },
    targets,
  );
  return ranges.flatMap((r, k) => (r.narrow ? [`${named[k]} pinned to ${r.min}…${r.max}`] : []));
}

/** The two publications, as a refresh decides them (`joint` false: each ladder protected alone). */
async function publish(counts: readonly number[], joint = true) {
  const f0 = stepFigures(0, counts).filter((f) => f.row.denominator! > 0);
  const f1 = stepFigures(1, counts).filter((f) => f.row.denominator! > 0);
  // Each year's transitions, as the refresh reads them once the year has ended (the audit's latent ladders).
  const latentOf = (years: (0 | 1)[]) =>
    joint
      ? latentLadders(
          years.map((y) => ({ kind: 'year' as const, start: YEARS[y]!, flows: flowsOf(y, counts) })),
          STEP_OF,
        )
      : [];
  const first = (
    await protectAndAudit(
      f0.map((f) => f.row),
      STEP_OF,
      { latent: latentOf([0]) },
    )
  ).published;
  // Year y's ladder, protected with the figures as published (`shown`) and the ladders before it, or alone.
  const ladderOf = (y: 0 | 1, shown: { row: KeyFigureRow; shown: boolean }[], earlier: AuditLadder[]) =>
    joint
      ? protectLadderJointly(
          flowsOf(y, counts),
          { steps: STEPS, yearAgo: DAYS[y]!, today: DAYS[y + 1]! },
          shown,
          STEP_OF,
          [...earlier, ...latentOf(y === 0 ? [0] : [0, 1])],
        )
      : protectLadder(flowsOf(y, counts), STEPS, DAYS[y]!, DAYS[y + 1]!);
  const shown0 = f0.map((f, k) => ({ row: f.row, shown: first[k]!.status === 'shown' }));
  const ladder0 = await ladderOf(0, shown0, []);
  const earlier = ladder0 ? [auditedLadder(ladder0, flowsOf(0, counts))] : [];
  const system = [...f0, ...f1];
  const second = (
    await protectAndAudit(
      system.map((f) => f.row),
      STEP_OF,
      {
        statusOf: (k) => (k < f0.length ? first[k]!.status : undefined),
        ladders: joint ? earlier : [],
        latent: latentOf([0, 1]),
      },
    )
  ).published;
  const shown1 = system.map((f, k) => ({ row: f.row, shown: second[k]!.status === 'shown' }));
  const ladder1 = await ladderOf(1, shown1, earlier);
  // Every possible figure, so that the absent ones are known to be zero.
  const all = [...stepFigures(0, counts), ...stepFigures(1, counts)];
  const shownOf = new Map(
    shown1.map((s) => [`${s.row.indicator}|${s.row.periodStart}|${s.row.value}`, s.shown]),
  );
  return {
    figures: all.map((figure) => ({
      figure,
      shown: shownOf.get(`${figure.row.indicator}|${figure.row.periodStart}|${figure.row.value}`) ?? true,
    })),
    ladders: [
      { y: 0 as const, ladder: ladder0 },
      { y: 1 as const, ladder: ladder1 },
    ],
  };
}

/** A path: mostly staying or moving one step, sometimes starting or ending. */
const step = fc.constantFrom<number | null>(null, 1, 2, 3);
const path = fc.tuple(step, step, step).filter((p) => p.some((s) => s !== null));

function countsOfPaths(paths: readonly Path[]): number[] {
  const counts = PATHS.map(() => 0);
  for (const p of paths) counts[pathIndex(p)]!++;
  return counts;
}

describe('the ladder in the joint system (issue 13)', () => {
  it('no withheld count of 1–2 among the step moves of two years and their two ladders is pinned', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(path, { minLength: 1, maxLength: 60 }), async (paths) => {
        const counts = countsOfPaths(paths);
        const { figures, ladders } = await publish(counts);
        expect(await pinned(counts, figures, ladders)).toEqual([]);
      }),
      // A fixed seed, so that CI is reproducible (a random seed once found the leak below, now closed).
      // Explore with other seeds by hand (FC_SEED=… FC_RUNS=… npx vitest run tests/ladder-joint.test.ts).
      { numRuns: Number(process.env.FC_RUNS ?? 30), seed: Number(process.env.FC_SEED ?? 20261206) },
    );
  }, 600_000);

  it('links where movers land: those who moved up from a step are on a step above it at the period’s end (issue 13)', async () => {
    // Found by the property above with seed 988932383, without a published ladder. Everyone on step 1 at the
    // start of 2025 moved up (3 of 3 shown), 4 moved down and 3 up, so 3 stayed on steps 2–3, and the 3 who
    // moved up landed on steps 2–3 too: at least 6 are on steps 2–3 on 31.12.2025. With the 2026 total
    // denominator (7) shown, the withheld step-1 denominator of 2026 was at most 1, so exactly 1. Closed by
    // the latent ladders (each period's transitions as the attacker's unknowns) and by auditing the earlier
    // year's step moves with the new year's.
    const paths: Path[] = [
      [3, null, null],
      [1, 3, null],
      [3, null, null],
      [3, null, null],
      [2, 1, null],
      [1, 3, null],
      [2, 2, 2],
      [3, 3, null],
      [1, 3, 3],
      [2, 2, 2],
    ];
    const counts = countsOfPaths(paths);
    const { figures, ladders } = await publish(counts);
    expect(await pinned(counts, figures, ladders)).toEqual([]);
  }, 600_000);

  it('links a period’s moves to the next period’s denominator: whoever did not move down is still on a step', async () => {
    // Found by the property above. 2025: of 7 on a step at its start, 4 moved down, so at least 3 are on a
    // step at its end — the ladder's rows for 31.12.2025 other than "no service". With the ladder's total
    // shown (5), the one who came from no service to step 3 was pinned to 1–2.
    const paths: Path[] = [
      [1, 2, null],
      [1, 2, null],
      [3, 2, null],
      [1, 2, 2],
      [3, null, null],
      [2, null, null],
      [2, null, 3],
    ];
    const counts = countsOfPaths(paths);
    const { figures, ladders } = await publish(counts);
    expect(await pinned(counts, figures, ladders)).toEqual([]);
  }, 120_000);

  it('worked example: a ladder protected on its own gives away a withheld step move, and the joint audit closes it', async () => {
    // Nine citizens on step 3 at the end of 2024: seven stay in 2025, two go down to step 2; four on step 2
    // stay. In 2026 one goes down from step 3 and one goes up from step 2.
    const paths: Path[] = [
      ...Array.from({ length: 6 }, () => [3, 3, 3] as const),
      [3, 3, 2],
      [3, 2, 2],
      [3, 2, 3],
      ...Array.from({ length: 4 }, () => [2, 2, 2] as const),
    ];
    const counts = countsOfPaths(paths);
    // Each ladder protected on its own: the first shows 7 on step 3 now and 13 in all, and the step moves show
    // 4 on step 2 at the end of 2024, so the 9 on step 3 then are known; 7 of them are still there (its only
    // cell in that column), so the withheld 2 who went down from step 3 are pinned, and with them 2025's
    // withheld moves down.
    const alone = await publish(counts, false);
    expect(await pinned(counts, alone.figures, alone.ladders)).toEqual(
      expect.arrayContaining([
        'step_down 2025-01-01 step3 n = 2 pinned to 2…2',
        'ladder 2025-12-31 cell:3:2 = 2 pinned to 2…2',
      ]),
    );
    const joint = await publish(counts, true);
    expect(await pinned(counts, joint.figures, joint.ladders)).toEqual([]);
  }, 120_000);
});
