/**
 * npm run bench:survey: the cost of anonymity. Computes a national round's protected report (every
 * pejlemærke protected as linked groups, item distributions merged) and, in the same run, the same averages
 * without any protection, over the same fictional answers. Prints both and the ratio.
 */
import { performance } from 'node:perf_hooks';
import { prng } from '../src/server/db/seed/random';
import { generateAnswers } from '../src/server/db/seed/survey';
import { buildReport } from '../src/server/modules/survey/survey.report';
import { templates } from '../src/server/modules/survey/survey.service';
import { pejlemaerkeScore, SURVEY_ROLES } from '../src/shared/survey';

const municipalities = Number(process.env.BENCH_MUNICIPALITIES ?? 98);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const t2020 = templates().find((t) => t.key === 'kortlaegning-2020')!.definition;
const participants = Array.from({ length: municipalities }, (_, i) => ({
  code: String(100 + i),
  name: `K${i}`,
}));
const { responses, invited } = generateAnswers(
  t2020,
  participants.map((p) => p.code),
  prng(7),
  0,
);

/** The baseline: plain means per pejlemærke × (role, municipality, municipality × role, total). */
function naive() {
  const sums = new Map<string, { s: number; n: number }>();
  const add = (k: string, v: number) => {
    const x = sums.get(k) ?? { s: 0, n: 0 };
    x.s += v;
    x.n++;
    sums.set(k, x);
  };
  for (const theme of t2020.themes)
    for (const p of theme.pejlemaerker)
      for (const r of responses) {
        const v = pejlemaerkeScore(p, r.answers);
        if (v === null) continue;
        for (const k of [
          `${p.code}`,
          `${p.code}:${r.role}`,
          `${p.code}:${r.municipalityCode}`,
          `${p.code}:${r.municipalityCode}:${r.role}`,
        ])
          add(k, v);
      }
  return sums.size;
}

function time(fn: () => unknown) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

async function timeAsync(f: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

naive();
const input = {
  questionnaire: { key: 'k', version: 1, definition: t2020 },
  participants,
  responses,
  invited,
};
const report = await buildReport(input);
const cells = report.municipalities.flatMap((m) =>
  m.pejlemaerker.flatMap((p) => [p.total, ...Object.values(p.byRole)]),
);
const national = report.pejlemaerker.flatMap((p) => [p.total, ...Object.values(p.byRole)]);
const baseline = time(naive);
const protectedMs = await timeAsync(() => buildReport(input));
console.log(
  `bench:survey  ${municipalities} municipalities, ${responses.length} answers, ${SURVEY_ROLES.length} roles, ${report.pejlemaerker.length} pejlemærker (median of ${runs})`,
);
console.log(`  baseline (plain means, no protection)   ${baseline.toFixed(1)} ms`);
console.log(`  protected report (buildReport)          ${protectedMs.toFixed(1)} ms`);
console.log(`  ratio protected / baseline              ${(protectedMs / baseline).toFixed(1)}×`);
const tally = (xs: ({ mean: number | null; n: number | null; suppressed?: string } | undefined)[]) => {
  const out: Record<string, number> = {};
  for (const c of xs) {
    const k = !c || c.n === 0 ? 'no answers' : c.mean !== null ? 'shown' : (c.suppressed ?? 'withheld');
    out[k] = (out[k] ?? 0) + 1;
  }
  return Object.entries(out)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
};
console.log(`  national figures                        ${tally(national)}`);
console.log(`  municipal figures                       ${tally(cells)}`);
