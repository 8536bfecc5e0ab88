/**
 * npm run bench:portal — 5,000 citizens with histories on the PostgreSQL server; 20 concurrent citizen
 * sessions load Min plan through the full stack (citizen session, citizen policy, a transaction as
 * retning_citizen under row-level security, the audit event) against a baseline that fetches the same rows
 * with one plain SQL query and returns them as JSON, in the same run. Prints req/s, p50/p99 and the ratio.
 */
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { asOwner } from '../src/server/db/seed/owner';
import { loadReference } from '../src/server/modules/reference/reference';
import { createCitizenSession, PORTAL_COOKIE } from '../src/server/platform/auth/portal-sessions';
import { rowsOf } from '../src/server/platform/tenancy';
import { CONNECTIONS, createBenchDatabase, printResults, runLoad } from './harness';
import { seedBenchMunicipality } from './seed';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 5000);
const SESSIONS = 20;
const SECRET = 'p'.repeat(40);

const bench = await createBenchDatabase('retning_bench_portal');
const { database } = bench;

try {
  const ref = await loadReference(database);
  const { m } = await seedBenchMunicipality(database, ref, CITIZENS);
  // Citizens who have a shared plan in an open case: what Min plan is for.
  const chosen = rowsOf<{ id: string }>(
    await database.db.execute(sql`
      select distinct p.citizen_id as id from action_plans p join cases c on c.id = p.case_id
       where p.status = 'shared' and c.phase <> 'closed' order by 1 limit ${SESSIONS}`),
  ).map((r) => r.id);
  if (chosen.length < SESSIONS) throw new Error(`only ${chosen.length} citizens with a shared plan`);
  const app = await buildApp({
    database: bench.requestDatabase,
    config: loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, LOG_LEVEL: 'silent' }),
    logger: false,
    reference: ref,
  });
  // One session per citizen, as the MitID callback leaves it (the login itself is not what is measured).
  const cookies = await asOwner(database.db, m, async (tx) => {
    const out: Record<string, string>[] = [];
    for (const citizenId of chosen) {
      const s = await createCitizenSession(
        tx,
        { secret: SECRET, now: () => new Date() },
        { municipalityId: m, citizenId, level: 'Substantial' },
      );
      out.push({ cookie: `${PORTAL_COOKIE}=${s.token}` });
    }
    return out;
  });
  // The baseline: the rows Min plan shows (cases, shared plans, goals, current services with unit names),
  // by one SQL query on the owner's connection, as JSON.
  app.get('/bench/plan/:id', { config: { policy: { public: true } } }, async (req) => {
    const id = (req.params as { id: string }).id;
    const [row] = rowsOf<{ plan: unknown }>(
      await database.db.execute(sql`
        select json_build_object(
          'citizen', (select json_build_object('firstName', c.first_name, 'lastName', c.last_name) from citizens c where c.id = ${id}),
          'cases', (select json_agg(json_build_object('id', k.id, 'number', k.case_number, 'phase', k.phase)) from cases k where k.citizen_id = ${id}),
          'plans', (select json_agg(json_build_object('case', p.case_id, 'version', p.version, 'purpose', p.purpose, 'participants', p.participants))
                      from action_plans p where p.citizen_id = ${id} and p.status = 'shared'),
          'goals', (select json_agg(json_build_object('id', g.id, 'kind', g.kind, 'title', g.title, 'status', g.status,
                                                      'parent', g.parent_goal_id, 'citizenGoal', g.citizen_goal_id, 'scale', g.gas_levels))
                      from goals g where g.citizen_id = ${id}),
          'services', (select json_agg(json_build_object('id', s.id, 'ydelse', s.ydelse_code, 'unit', u.name, 'hours', s.hours_per_week,
                                                         'since', s.start_on, 'next', s.next_follow_up_on))
                         from services s join org_units u on u.id = s.provider_unit_id
                        where s.citizen_id = ${id} and s.status in ('granted','active'))) as plan`),
    );
    return row?.plan;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const probe = await fetch(`${base}/api/portal/plan`, { headers: cookies[0]! });
  if (probe.status !== 200) throw new Error(`Min plan answered ${probe.status}`);
  const goalsShown = ((await probe.json()) as { plans: { myGoals: unknown[] }[] }).plans.flatMap(
    (p) => p.myGoals,
  ).length;
  const baselinePaths = chosen.map((id) => `/bench/plan/${id}`);
  await runLoad({ title: 'warm-up', base, path: baselinePaths[0]!, paths: baselinePaths, seconds: WARMUP });
  await runLoad({ title: 'warm-up', base, path: '/api/portal/plan', headerSets: cookies, seconds: WARMUP });
  const results = [
    await runLoad({
      title: 'Min plan baseline (one SQL query, JSON)',
      base,
      path: baselinePaths[0]!,
      paths: baselinePaths,
      seconds: DURATION,
    }),
    await runLoad({
      title: `Min plan full stack (${SESSIONS} citizen sessions)`,
      base,
      path: '/api/portal/plan',
      headerSets: cookies,
      seconds: DURATION,
    }),
  ];
  console.log(
    `\nbench:portal — PostgreSQL server, ${CITIZENS} citizens, ${SESSIONS} citizen sessions over ${CONNECTIONS} connections, ${DURATION} s each, Node ${process.version}`,
  );
  console.log(`Min plan of the first citizen: ${goalsShown} own goals`);
  printResults(results);
  const [b, f] = results as [(typeof results)[number], (typeof results)[number]];
  console.log(
    `\nMin plan ratio full/baseline: ${(f.rps / b.rps).toFixed(2)}  p99 ${f.p99} ms  (target ≥ 0.25, p99 < 50 ms)`,
  );
  await app.close();
} finally {
  await bench.drop();
}
