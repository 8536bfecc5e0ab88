/**
 * npm run bench:keyfigures — issue 5's performance figures in one run. Generates the fictional national data
 * set (NATIONAL_CITIZENS, default 100,000; src/server/db/seed/national.ts), imports it municipality by
 * municipality into the PostgreSQL server through the real importer, then measures a full recompute of every
 * indicator for every municipality (with disclosure control) against one naive SQL aggregate over the same
 * rows (services expanded per quarter, grouped by municipality × paragraph × quarter), the dashboard API's
 * p50/p99 for one municipality with its comparison group and the country, the integer audit's share and the
 * withheld shares (issue 13), and the sweep after a change to one service. Then the same on embedded PGlite for
 * a 5-municipality subset, and Demo Kommune's visible quarterly figures.
 */
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { type Database, openDatabase } from '../src/server/db/client';
import { comparisonGroups, roleAssignments, users } from '../src/server/db/schema';
import { seedDemo } from '../src/server/db/seed/demo';
import { type GeneratedMunicipality, nationalMunicipalities } from '../src/server/db/seed/national';
import { importGeneratedMunicipality } from '../src/server/db/seed/national-import';
import { asOwner } from '../src/server/db/seed/owner';
import { paragraphSteps } from '../src/server/modules/keyfigures/keyfigures.compute';
import { protectKeyFigures } from '../src/server/modules/keyfigures/keyfigures.protect';
import {
  currentFigures,
  dueThrough,
  inPublication,
  keyFiguresFrom,
  refreshMunicipality,
} from '../src/server/modules/keyfigures/keyfigures.refresh';
import { loadReference } from '../src/server/modules/reference/reference';
import { installReferenceData } from '../src/server/modules/reference/reference.install';
import { hashPassword } from '../src/server/platform/auth/passwords';
import { rowsOf, withTenant } from '../src/server/platform/tenancy';
import { addMonths, danishDate } from '../src/shared/domain/dates';
import { periodEnd } from '../src/shared/indicators';
import { createBenchDatabase, printResults, runLoad } from './harness';

const CITIZENS = Number(process.env.NATIONAL_CITIZENS ?? 100_000);
/** Every k-th municipality of the 98 (all by default): a sample across sizes when the full set takes too long. */
const EVERY = Math.max(1, Number(process.env.BENCH_EVERY ?? 1));
/** Which parts run: the server, embedded PGlite, Demo Kommune (all by default). */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'server,pglite,demo').split(','));
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `appDatabase`: what the app under measurement uses (the request role on a server; the same on PGlite). */
async function measure(
  database: Database,
  list: GeneratedMunicipality[],
  label: string,
  appDatabase: Database = database,
) {
  const ref = await loadReference(database);
  const today = danishDate(new Date());
  const imported = [];
  const totals = { citizen: 0, case: 0, service: 0, goal: 0, follow_up: 0, measure: 0 };
  let importMs = 0;
  for (const m of list) {
    const r = await importGeneratedMunicipality({ db: database.db, database }, ref, m, { today });
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r.records[k];
    importMs += r.importMs;
    imported.push({ ...r, citizens: m.citizens });
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
  let slowest = 0;
  const perMunicipality: number[] = [];
  const pub = {
    newFigures: 0,
    withheldPrimary: 0,
    withheldComplementary: 0,
    withheldAudit: 0,
    auditMs: 0,
    solves: 0,
    bindingTrials: 0,
    rounds: 0,
  };
  const perStatement = new Map<string, number>();
  for (const m of imported) {
    const r = (await refreshMunicipality(database, ref, m.id, today, {
      onQuery: (statement, ms) => {
        perStatement.set(statement, (perStatement.get(statement) ?? 0) + ms);
      },
    }))!;
    figures += r.rows;
    slowest = Math.max(slowest, r.ms);
    perMunicipality.push(r.ms);
    pub.newFigures += r.publication.newFigures;
    pub.withheldPrimary += r.publication.withheldPrimary;
    pub.withheldComplementary += r.publication.withheldComplementary;
    pub.withheldAudit += r.publication.withheldAudit;
    pub.auditMs += r.publication.auditMs;
    pub.solves += r.publication.solves;
    pub.bindingTrials += r.publication.bindingTrials;
    pub.rounds = Math.max(pub.rounds, r.publication.auditRounds);
  }
  const recomputeMs = performance.now() - t0;

  // The dashboard: a manager of a mid-sized municipality with a comparison group of the 9 nearest in size.
  const sorted = [...imported].sort((a, b) => a.citizens - b.citizens);
  const own = sorted[Math.floor(sorted.length / 2)]!;
  const group = [...imported]
    .sort((a, b) => Math.abs(a.citizens - own.citizens) - Math.abs(b.citizens - own.citizens))
    .slice(0, Math.min(10, imported.length));
  const password = 'bench-password-123';
  const userId = crypto.randomUUID();
  const groupId = crypto.randomUUID();
  await asOwner(database.db, own.id, async (tx) => {
    await tx.insert(users).values({
      id: userId,
      municipalityId: own.id,
      username: 'bench-leder',
      displayName: 'Bench',
      passwordHash: await hashPassword(password),
    });
    await tx
      .insert(roleAssignments)
      .values({ municipalityId: own.id, userId, unitId: own.units.Myndighed!, role: 'leder' });
    await tx.insert(comparisonGroups).values({
      id: groupId,
      municipalityId: own.id,
      name: 'Samme størrelse',
      members: group.map((g) => g.id),
    });
  });
  const app = await buildApp({
    database: appDatabase,
    config: loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'b'.repeat(40), LOG_LEVEL: 'silent' }),
    logger: false,
    reference: ref,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': '1' },
    body: JSON.stringify({ username: 'bench-leder', password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const indicatorPath = `/api/keyfigures/indicators/citizens?period=quarter&group=${groupId}`;
  const check = await fetch(`${base}${indicatorPath}`, { headers: { cookie } });
  if (check.status !== 200) throw new Error(`dashboard answered ${check.status}`);
  await runLoad({ title: 'warm-up', base, path: indicatorPath, headers: { cookie }, seconds: 3 });
  const indicator = await runLoad({
    title: 'one indicator: own, group of 10, country, by quarter',
    base,
    path: indicatorPath,
    headers: { cookie },
    seconds: DURATION,
  });
  const overview = await runLoad({
    title: 'overview: all indicators, own, by quarter',
    base,
    path: '/api/keyfigures/overview?period=quarter',
    headers: { cookie },
    seconds: DURATION,
  });
  await app.close();

  // The next month: what the monthly sweep does once the history is published (one new month, audited
  // with the year it belongs to and every ladder).
  const nextMonth = addMonths(today, 1);
  t0 = performance.now();
  const monthly = (await refreshMunicipality(database, ref, own.id, nextMonth))!;
  const monthlyMs = performance.now() - t0;

  // A change to one service: the sweep finds nothing due (published periods are frozen).
  await asOwner(database.db, own.id, (tx) =>
    tx.execute(sql`update services set price_amount = price_amount * 2
                    where id = (select id from services where municipality_id = ${own.id} and status = 'active' limit 1)`),
  );
  t0 = performance.now();
  await refreshMunicipality(database, ref, own.id, nextMonth, { onlyIfDue: true });
  const changeMs = performance.now() - t0;

  console.log(`\nbench:keyfigures — ${label}, ${list.length} municipalities, Node ${process.version}`);
  console.log(
    `data: ${totals.citizen} citizens, ${totals.case} cases, ${totals.service} services, ${totals.goal} goals, ${totals.follow_up} follow-ups, ${totals.measure} measures`,
  );
  console.log(`import (real importer, per municipality, all or nothing): ${seconds(importMs)}`);
  console.log(
    `full recompute with disclosure control, every indicator × month/quarter/year × breakdown: ${seconds(recomputeMs)} (${figures} figures; slowest municipality ${seconds(slowest)})`,
  );
  const sortedMs = [...perMunicipality].sort((a, b) => a - b);
  console.log(
    `  per municipality (first publication, every closed period of 10 years): median ${seconds(sortedMs[Math.floor(sortedMs.length / 2)] ?? 0)}, slowest ${seconds(slowest)}`,
  );
  console.log(
    `the next month's publication for the mid-sized municipality (${own.citizens} citizens): ${seconds(monthlyMs)}, of which audit ${seconds(monthly.publication.auditMs)} (${((100 * monthly.publication.auditMs) / monthlyMs).toFixed(0)} %), ${monthly.publication.newFigures} new figures`,
  );
  console.log(
    `naive aggregate (services × quarter, municipality × paragraph × quarter): ${seconds(naiveMs)}`,
  );
  // The publication's own steps (the refresh's laps); everything else is an SQL statement.
  const phases = {
    published_before: 0,
    disclosure_control: 0,
    audit: 0,
    write_published: 0,
    ladder: 0,
    sql: 0,
  };
  for (const [k, ms] of perStatement)
    if (k in phases && k !== 'sql') phases[k as keyof typeof phases] += ms;
    else phases.sql += ms;
  console.log(
    `  by phase: SQL (working tables and indicator statements) ${seconds(phases.sql)}; reading what was published ${seconds(phases.published_before)}; disclosure control ${seconds(phases.disclosure_control)}; the audit loop (suppression and HiGHS) ${seconds(phases.audit)}; writing the published series ${seconds(phases.write_published)}; the ladder ${seconds(phases.ladder)}`,
  );
  console.log(
    `  per statement: ${[...perStatement].map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join('; ')}`,
  );
  const share = (x: number) => `${((100 * x) / Math.max(1, pub.newFigures)).toFixed(1)} %`;
  console.log(
    `published (closed periods; months for the whole municipality, breakdowns by quarter and year, or by year only for indicators of few events): ${pub.newFigures} figures; withheld ${share(pub.withheldPrimary + pub.withheldComplementary + pub.withheldAudit)} (primary ${share(pub.withheldPrimary)}, complementary ${share(pub.withheldComplementary)}, asked for by the audit ${share(pub.withheldAudit)})`,
  );
  console.log(
    `integer audit (HiGHS): ${seconds(pub.auditMs)} = ${((100 * pub.auditMs) / recomputeMs).toFixed(0)} % of the full recompute; ${pub.solves} solves (${pub.bindingTrials} trial audits searching what binds); at most ${pub.rounds} rounds`,
  );
  // Issue 5's rules on the same figures (every period and breakdown, the running one too, no integer room).
  const before = await withTenant(database, { municipalityId: own.id, userId: null }, async (tx) => {
    const rows = await currentFigures(tx, ref, today);
    return protectKeyFigures(rows, paragraphSteps(ref), { slack: false });
  });
  const old = {
    all: before.length,
    primary: before.filter((p) => p.reason === 'too_few' || p.reason === 'dominance').length,
    complementary: before.filter((p) => p.reason === 'complementary').length,
  };
  console.log(
    `before issue 13 (one municipality, issue 5's rules): ${old.all} figures; withheld ${((100 * (old.primary + old.complementary)) / old.all).toFixed(1)} % (primary ${((100 * old.primary) / old.all).toFixed(1)} %, complementary ${((100 * old.complementary) / old.all).toFixed(1)} %)`,
  );
  const quarterly = await withTenant(database, { municipalityId: own.id, userId: null }, async (tx) =>
    rowsOf<{ all: number; shown: number }>(
      await tx.execute(sql`select count(*)::int as all, count(*) filter (where status = 'shown')::int as shown
                             from key_figures_published where municipality_id = ${own.id} and period_kind = 'quarter'`),
    ),
  );
  console.log(
    `the same municipality's quarterly figures visible now: ${quarterly[0]!.shown} of ${quarterly[0]!.all}`,
  );
  // Issue 5's target is for computing the figures (the SQL); the integer audit (issue 13) comes on top.
  console.log(
    `ratio SQL of the recompute / naive: ${(phases.sql / naiveMs).toFixed(1)} (issue 5's target ≤ 3); with disclosure control and the audit: ${(recomputeMs / naiveMs).toFixed(1)}`,
  );
  printResults([indicator, overview]);
  console.log(`dashboard p99: ${indicator.p99} ms (target < 100 ms)`);
  console.log(
    `a change to one service: the next sweep of its municipality ${seconds(changeMs)} (published periods are frozen; the change reaches the next period when it is published)`,
  );
}

const list = nationalMunicipalities({ citizens: CITIZENS }).filter((_, i) => i % EVERY === 0);
const sample = EVERY > 1 ? ` (every ${EVERY}th of 98)` : '';
if (PARTS.has('server')) {
  const bench = await createBenchDatabase('retning_bench_keyfigures');
  try {
    await measure(bench.database, list, `PostgreSQL server${sample}`, bench.requestDatabase);
  } finally {
    await bench.drop();
  }
}

// Embedded: the first five municipalities of the same data set on PGlite (in memory).
if (PARTS.has('pglite')) {
  const embedded = await openDatabase({});
  try {
    await embedded.migrate();
    await installReferenceData(embedded);
    await measure(embedded, list.slice(0, 5), 'PGlite (embedded)');
  } finally {
    await embedded.close();
  }
}

// Demo Kommune: what a manager of the demo sees (quarterly figures visible), now and under issue 5's rules.
if (PARTS.has('demo')) {
  const demo = await openDatabase({});
  try {
    await demo.migrate();
    await installReferenceData(demo);
    const ref = await loadReference(demo);
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'd'.repeat(40),
      LOG_LEVEL: 'silent',
    });
    await seedDemo(demo, ref, config);
    const [m] = rowsOf<{ id: string }>(
      await demo.db.execute(sql`select id from municipality_ids_by_code(array['999'])`),
    );
    const today = danishDate(new Date());
    const r = (await refreshMunicipality(demo, ref, m!.id, today))!;
    await withTenant(demo, { municipalityId: m!.id, userId: null }, async (tx) => {
      const [q] = rowsOf<{ all: number; shown: number; totals: number; totals_shown: number }>(
        await tx.execute(sql`select count(*)::int as all, count(*) filter (where status = 'shown')::int as shown,
                                    count(*) filter (where breakdown = '')::int as totals,
                                    count(*) filter (where breakdown = '' and status = 'shown')::int as totals_shown
                               from key_figures_published where period_kind = 'quarter'`),
      );
      // The same quarters under issue 5's rules (no integer room, no audit).
      const cells = (await currentFigures(tx, ref, today)).filter(
        (f) => f.periodKind === 'quarter' && periodEnd(f.periodKind, f.periodStart) <= dueThrough(today),
      );
      const rows = cells.filter(inPublication);
      const before = protectKeyFigures(rows, paragraphSteps(ref), { slack: false });
      const pct = (a: number, b: number) => `${a} of ${b} (${((100 * a) / Math.max(1, b)).toFixed(0)} %)`;
      const totals = before.filter((f) => f.breakdown === '');
      console.log(
        `\nDemo Kommune (key figures from ${await keyFiguresFrom(tx)}), quarterly figures visible: ${pct(q!.shown, q!.all)}; whole municipality ${pct(q!.totals_shown, q!.totals)}; of every quarterly cell, the yearly-only breakdowns counted as not shown: ${pct(q!.shown, cells.length)}. Under issue 5's rules: ${pct(before.filter((f) => f.status === 'shown').length, before.length)}; whole municipality ${pct(totals.filter((f) => f.status === 'shown').length, totals.length)}. First publication ${seconds(r.ms)}, audit ${seconds(r.publication.auditMs)}`,
      );
    });
  } finally {
    await demo.close();
  }
}
