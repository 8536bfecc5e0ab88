import { sql } from 'drizzle-orm';
import { nationalMunicipalities } from '../src/server/db/seed/national';
import { importGeneratedMunicipality } from '../src/server/db/seed/national-import';
import { refreshMunicipality } from '../src/server/modules/keyfigures/keyfigures.refresh';
import { loadReference } from '../src/server/modules/reference/reference';
import { danishDate } from '../src/shared/domain/dates';
import { createBenchDatabase } from './harness';

const CITIZENS = Number(process.env.NATIONAL_CITIZENS ?? 100_000);
const bench = await createBenchDatabase('retning_bench_keyfigures');
const { database } = bench;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

try {
  const ref = await loadReference(database);
  const today = danishDate(new Date());
  const list = nationalMunicipalities({ citizens: CITIZENS });
  const ids: string[] = [];
  const totals = { citizen: 0, case: 0, service: 0, follow_up: 0, measure: 0 };
  let importMs = 0;
  for (const m of list) {
    const r = await importGeneratedMunicipality({ db: database.db, database }, ref, m, { today });
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r.records[k];
    importMs += r.importMs;
    ids.push(r.id);
  }

  // The naive baseline: one aggregate over every municipality's services, expanded per quarter.
  const naive = () =>
    database.db.execute(sql`
      select s.municipality_id, s.paragraph_code, q.q, count(distinct s.citizen_id)
        from services s
        cross join lateral generate_series(date_trunc('quarter', s.start_on),
                                           date_trunc('quarter', coalesce(s.end_on, ${today}::date)),
                                           interval '3 months') as q(q)
       where s.start_on is not null
       group by 1, 2, 3`);
  await naive();
  let t0 = performance.now();
  await naive();
  const naiveMs = performance.now() - t0;
  t0 = performance.now();
  let figures = 0;
  const perStatement = new Map<string, number>();
  for (const id of ids)
    figures += (await refreshMunicipality(database, ref, id, today, {
      onQuery: (statement, ms) => {
        perStatement.set(statement, (perStatement.get(statement) ?? 0) + ms);
      },
    }))!.rows;
  const recomputeMs = performance.now() - t0;

  console.log(
    `\nbench:keyfigures — PostgreSQL server, ${list.length} municipalities, Node ${process.version}`,
  );
  console.log(
    `data: ${totals.citizen} citizens, ${totals.case} cases, ${totals.service} services, ${totals.follow_up} follow-ups, ${totals.measure} measures`,
  );
  console.log(`import (real importer, per municipality, all or nothing): ${seconds(importMs)}`);
  console.log(
    `full recompute, every indicator × month/quarter/year × breakdown: ${seconds(recomputeMs)} (${figures} figures)`,
  );
  console.log(
    `naive aggregate (services × quarter, municipality × paragraph × quarter): ${seconds(naiveMs)}`,
  );
  console.log(
    `  per statement: ${[...perStatement].map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join('; ')}`,
  );
  console.log(`ratio recompute / naive: ${(recomputeMs / naiveMs).toFixed(1)} (target ≤ 3)`);
  console.log('dashboard p50/p99: not measured yet (the dashboard API comes with the disclosure control)');
} finally {
  await bench.drop();
}
