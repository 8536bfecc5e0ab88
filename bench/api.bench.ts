/**
 * npm run bench:api — GET of one citizen through the full stack (session, policy, RLS transaction, audit
 * write, presenter) against a baseline route doing the same SELECT with none of that, on the PostgreSQL
 * server, in the same run. Prints req/s and p50/p99 of both and their ratio.
 */

import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { openDatabase } from '../src/server/db/client';
import { citizens, municipalities, orgUnits, roleAssignments, users } from '../src/server/db/schema';
import { asOwner } from '../src/server/db/seed/owner';
import { citizenViewQuery } from '../src/server/modules/citizens/citizens.service';
import { installReferenceData } from '../src/server/modules/reference/reference.install';
import { hashPassword } from '../src/server/platform/auth/passwords';

const ADMIN_URL = process.env.RETNING_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;
// Long enough for JIT and for every pooled connection to plan its prepared statements.
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);

const dbName = `retning_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${dbName}`;
const database = await openDatabase({
  databaseUrl: url.toString(),
  poolSize: Number(process.env.BENCH_POOL ?? 10),
});

try {
  await database.migrate();
  await installReferenceData(database);
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
    database,
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

  // By default autocannon runs in this process (it then shares the event loop with the server); with
  // BENCH_LOAD=process it runs in a child process (it then competes with PostgreSQL for the cores instead).
  const loadScript = fileURLToPath(new URL('./load-process.mjs', import.meta.url));
  const inProcess = process.env.BENCH_LOAD !== 'process';
  const run = async (title: string, path: string, headers: Record<string, string>, seconds: number) => {
    const options = { url: `${base}${path}`, connections: CONNECTIONS, duration: seconds, headers };
    let r: { rps: number; p50: number; p99: number; total: number; non2xx: number; errors: number };
    if (inProcess) {
      const a = await autocannon(options);
      r = {
        rps: a.requests.average,
        p50: a.latency.p50,
        p99: a.latency.p99,
        total: a.requests.total,
        non2xx: a.non2xx,
        errors: a.errors,
      };
    } else {
      const { stdout } = await promisify(execFile)(process.execPath, [loadScript, JSON.stringify(options)]);
      r = JSON.parse(stdout);
    }
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${title}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return { title, ...r };
  };
  // Warm both paths (JIT, connection pool, plan cache) before measuring.
  await run('warm-up', `/bench/baseline/${citizenId}`, {}, WARMUP);
  await run('warm-up', `/api/citizens/${citizenId}`, { cookie }, WARMUP);
  const baseline = await run(
    'baseline (same SELECT, nothing else)',
    `/bench/baseline/${citizenId}`,
    {},
    DURATION,
  );
  const full = await run(
    'full stack (session, policy, RLS tx, audit, presenter)',
    `/api/citizens/${citizenId}`,
    { cookie },
    DURATION,
  );

  const audited = await admin.query(`select 1`).then(async () => {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const r = await c.query(`select count(*)::int as n from audit_events where action = 'read'`);
    await c.end();
    return r.rows[0].n as number;
  });

  console.log(
    `\nbench:api — PostgreSQL server, ${CONNECTIONS} connections, ${DURATION} s each, Node ${process.version}`,
  );
  console.log('route'.padEnd(58), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8));
  for (const r of [baseline, full]) {
    console.log(
      r.title.padEnd(58),
      r.rps.toFixed(0).padStart(9),
      String(r.p50).padStart(8),
      String(r.p99).padStart(8),
    );
  }
  const ratio = full.rps / baseline.rps;
  console.log(`\nthroughput ratio full/baseline: ${ratio.toFixed(2)}  (target ≥ 0.33)`);
  console.log(`full-stack p99: ${full.p99} ms  (target < 25 ms)`);
  console.log(`audit events written by the full-stack run (incl. warm-up): ${audited}`);
  await app.close();
} finally {
  await database.close();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
