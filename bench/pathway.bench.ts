import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { executeNamed } from '../src/server/db/client';
import { refreshMunicipality } from '../src/server/modules/keyfigures/keyfigures.refresh';
import { timelineQuery } from '../src/server/modules/outcomes/timeline.service';
import { WORKLIST_HORIZON_DAYS, worklistQuery } from '../src/server/modules/outcomes/worklist.service';
import { loadReference } from '../src/server/modules/reference/reference';
import { rowsOf } from '../src/server/platform/tenancy';
import { addDays } from '../src/shared/domain/dates';
import { CONNECTIONS, createBenchDatabase, printResults, runLoad } from './harness';
import { seedBenchMunicipality } from './seed';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 5000);

const bench = await createBenchDatabase('retning_bench_pathway');
const { database } = bench;

try {
  const ref = await loadReference(database);
  const { m, caseworkers, password, today, seeded } = await seedBenchMunicipality(database, ref, CITIZENS);

  if (process.env.BENCH_EXPLAIN) {
    const c = seeded.generated.cases[0]!;
    for (const q of [
      timelineQuery(c.citizenId),
      worklistQuery({
        userId: caseworkers[0]!,
        authorityUnits: [],
        providerUnits: [],
        scope: 'mine',
        until: addDays(today, 60),
      }),
    ]) {
      const plan = rowsOf<{ 'QUERY PLAN': string }>(
        await database.db.execute(sql`explain (analyze, buffers) ${q}`),
      );
      console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
    }
  }
  const app = await buildApp({
    database: bench.requestDatabase,
    config: loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'b'.repeat(40), LOG_LEVEL: 'silent' }),
    logger: false,
    reference: ref,
  });
  // Baselines: the same rows as each endpoint, by one plain SQL query on the owner's connection, as JSON.
  // Both sides run the query the same way: a named prepared statement on the connection.
  app.get('/bench/timeline/:id', { config: { policy: { public: true } } }, async (req) =>
    executeNamed(database.db, 'timeline', timelineQuery((req.params as { id: string }).id)),
  );
  app.get('/bench/worklist/:user', { config: { policy: { public: true } } }, async (req) =>
    executeNamed(
      database.db,
      'worklist_mine',
      worklistQuery({
        userId: (req.params as { user: string }).user,
        authorityUnits: [],
        providerUnits: [],
        scope: 'mine',
        until: addDays(today, WORKLIST_HORIZON_DAYS),
      }),
    ),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': '1' },
    body: JSON.stringify({ username: 'cw0', password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  // The timeline rotates through the citizens that have a history.
  const withHistory = [...new Set(seeded.generated.cases.map((c) => c.citizenId))].slice(0, 500);
  const timelines = withHistory.map((id) => `/api/citizens/${id}/timeline`);
  const baselineTimelines = withHistory.map((id) => `/bench/timeline/${id}`);
  const probe = await fetch(`${base}${timelines[0]}`, { headers: { cookie } });
  if (probe.status !== 200) throw new Error(`timeline answered ${probe.status}`);
  const items = ((await probe.json()) as { items: unknown[] }).items.length;
  const wl = await fetch(`${base}/api/worklist?scope=mine`, { headers: { cookie } });
  if (wl.status !== 200) throw new Error(`worklist answered ${wl.status}`);
  const wlItems = ((await wl.json()) as { items: unknown[] }).items.length;

  const worklistBaseline = `/bench/worklist/${caseworkers[0]}`;
  for (const [path, paths, headers] of [
    [baselineTimelines[0]!, baselineTimelines, {}],
    [timelines[0]!, timelines, { cookie }],
    [worklistBaseline, undefined, {}],
    ['/api/worklist?scope=mine', undefined, { cookie }],
  ] as const)
    await runLoad({
      title: 'warm-up',
      base,
      path,
      paths: paths as string[] | undefined,
      headers,
      seconds: WARMUP,
    });
  const results = [
    await runLoad({
      title: 'timeline baseline (one SQL query, JSON)',
      base,
      path: baselineTimelines[0]!,
      paths: baselineTimelines,
      seconds: DURATION,
    }),
    await runLoad({
      title: 'timeline full stack',
      base,
      path: timelines[0]!,
      paths: timelines,
      headers: { cookie },
      seconds: DURATION,
    }),
    await runLoad({
      title: 'worklist baseline (one SQL query, JSON)',
      base,
      path: worklistBaseline,
      seconds: DURATION,
    }),
    await runLoad({
      title: 'worklist full stack',
      base,
      path: '/api/worklist?scope=mine',
      headers: { cookie },
      seconds: DURATION,
    }),
  ];
  console.log(
    `\nbench:pathway — PostgreSQL server, ${CITIZENS} citizens, ${CONNECTIONS} connections, ${DURATION} s each, Node ${process.version}`,
  );
  console.log(
    `timeline: ${withHistory.length} citizens rotated (first has ${items} items); worklist: ${wlItems} items for one caseworker`,
  );
  printResults(results);
  const [tb, tf, wb, wf] = results as [
    (typeof results)[number],
    (typeof results)[number],
    (typeof results)[number],
    (typeof results)[number],
  ];
  console.log(
    `\ntimeline ratio full/baseline: ${(tf.rps / tb.rps).toFixed(2)}  p99 ${tf.p99} ms  (target ≥ 0.25, p99 < 50 ms)`,
  );
  console.log(
    `worklist ratio full/baseline: ${(wf.rps / wb.rps).toFixed(2)}  p99 ${wf.p99} ms  (target ≥ 0.25, p99 < 50 ms)`,
  );
  await app.close();

  // Key figures (issue 5, early figure): a full recompute of every indicator for this municipality, against
  // one naive SQL aggregate over the same services (expanded per quarter, grouped by paragraph × quarter).
  const time = async <T>(fn: () => Promise<T>) => {
    const t0 = performance.now();
    const result = await fn();
    return { ms: performance.now() - t0, result };
  };
  const naive = () =>
    database.transaction({ role: 'retning_app', 'app.municipality_id': m }, (tx) =>
      tx.execute(sql`
        select s.paragraph_code, q.q, count(distinct s.citizen_id)
          from services s
          cross join lateral generate_series(date_trunc('quarter', s.start_on),
                                             date_trunc('quarter', coalesce(s.end_on, ${today}::date)),
                                             interval '3 months') as q(q)
         where s.start_on is not null
         group by 1, 2`),
    );
  const timings: string[] = [];
  const recompute = () =>
    refreshMunicipality(database, ref, m, today, {
      onQuery: (statement, ms) => timings.push(`${statement} ${ms.toFixed(0)} ms`),
    });
  await naive();
  const { ms: naiveMs } = await time(naive);
  const { ms: fullMs, result: figures } = await time(recompute);
  console.log(`key figures per statement: ${timings.slice(-16).join('; ')}`);
  console.log(
    `\nkey figures: full recompute ${fullMs.toFixed(0)} ms (${figures?.rows} figures, every indicator, 10 years of months, quarters, years)` +
      ` vs naive aggregate ${naiveMs.toFixed(0)} ms: ratio ${(fullMs / naiveMs).toFixed(1)} (issue 5 target ≤ 3 on the national set)`,
  );
} finally {
  await bench.drop();
}
