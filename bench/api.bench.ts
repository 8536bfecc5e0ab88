/**
 * npm run bench:api — GET of one citizen through the full stack (session, policy, RLS transaction, audit
 * write, presenter) against a baseline route doing the same SELECT with none of that, on the PostgreSQL
 * server, in the same run. Prints req/s and p50/p99 of both and their ratio.
 */

import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { citizens, municipalities, orgUnits, roleAssignments, users } from '../src/server/db/schema';
import { asOwner } from '../src/server/db/seed/owner';
import { citizenViewQuery } from '../src/server/modules/citizens/citizens.service';
import { hashPassword } from '../src/server/platform/auth/passwords';
import { CONNECTIONS, createBenchDatabase, printResults, runLoad } from './harness';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
// Long enough for JIT and for every pooled connection to plan its prepared statements.
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);

const bench = await createBenchDatabase('retning_bench');
const { database } = bench;

try {
  const m = crypto.randomUUID();
  const unit = crypto.randomUUID();
  const userId = crypto.randomUUID();
  const citizenId = crypto.randomUUID();
  const password = 'bench-password-123';
  await asOwner(database.db, m, async (tx) => {
    await tx.insert(municipalities).values({ id: m, code: 'b01', name: 'Benchmark Kommune' });
    await tx.insert(orgUnits).values({ id: unit, municipalityId: m, name: 'Myndighed', kind: 'myndighed' });
    await tx.insert(users).values({
      id: userId,
      municipalityId: m,
      username: 'bench',
      displayName: 'Bench',
      passwordHash: await hashPassword(password),
    });
    await tx
      .insert(roleAssignments)
      .values({ municipalityId: m, userId, unitId: unit, role: 'sagsbehandler' });
    await tx.insert(citizens).values({
      id: citizenId,
      municipalityId: m,
      cpr: '0101851234',
      firstName: 'Bench',
      lastName: 'Borger',
      responsibleUnitId: unit,
      responsibleCaseworkerId: userId,
    });
  });

  const app = await buildApp({
    database: bench.requestDatabase,
    config: loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'b'.repeat(40), LOG_LEVEL: 'silent' }),
    logger: false,
  });
  // The baseline: the same SELECT as the citizen read (same builder, same SQL), with no session, policy,
  // RLS transaction, audit or presenter: run on the owner's connection, straight to JSON.
  app.get('/bench/baseline/:id', { config: { policy: { public: true } } }, async (req) => {
    const [row] = await citizenViewQuery(database.db).execute({ id: (req.params as { id: string }).id });
    return row;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': '1' },
    body: JSON.stringify({ username: 'bench', password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const check = await fetch(`${base}/api/citizens/${citizenId}`, { headers: { cookie } });
  if (check.status !== 200) throw new Error(`full-stack route answered ${check.status}`);

  // Warm both paths (JIT, connection pool, plan cache) before measuring.
  await runLoad({ title: 'warm-up', base, path: `/bench/baseline/${citizenId}`, seconds: WARMUP });
  await runLoad({
    title: 'warm-up',
    base,
    path: `/api/citizens/${citizenId}`,
    headers: { cookie },
    seconds: WARMUP,
  });
  const baseline = await runLoad({
    title: 'baseline (same SELECT, nothing else)',
    base,
    path: `/bench/baseline/${citizenId}`,
    seconds: DURATION,
  });
  const full = await runLoad({
    title: 'full stack (session, policy, RLS tx, audit, presenter)',
    base,
    path: `/api/citizens/${citizenId}`,
    headers: { cookie },
    seconds: DURATION,
  });

  const audited = await Promise.resolve().then(async () => {
    const c = new pg.Client({ connectionString: bench.url });
    await c.connect();
    const r = await c.query(`select count(*)::int as n from audit_events where action = 'read'`);
    await c.end();
    return r.rows[0].n as number;
  });

  console.log(
    `\nbench:api — PostgreSQL server, ${CONNECTIONS} connections, ${DURATION} s each, Node ${process.version}`,
  );
  printResults([baseline, full]);
  const ratio = full.rps / baseline.rps;
  console.log(`\nthroughput ratio full/baseline: ${ratio.toFixed(2)}  (target ≥ 0.33)`);
  console.log(`full-stack p99: ${full.p99} ms  (target < 25 ms)`);
  console.log(`audit events written by the full-stack run (incl. warm-up): ${audited}`);
  await app.close();
} finally {
  await bench.drop();
}
