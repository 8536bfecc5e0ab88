/**
 * npm run bench:keyfigures (issue 5, item 8; first version): generates the fictional national data set
 * (NATIONAL_CITIZENS, default 100,000; src/server/db/seed/national.ts), imports it municipality by
 * municipality into the PostgreSQL server through the real importer, then in the same run measures a full
 * recompute of every indicator for every municipality against one naive SQL aggregate over the same rows
 * (services expanded per quarter, grouped by municipality × paragraph × quarter). The dashboard API's
 * p50/p99 come with the dashboard.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { municipalities, orgUnits, roleAssignments, users } from '../src/server/db/schema';
import { municipalityRecords, nationalMunicipalities } from '../src/server/db/seed/national';
import { asOwner } from '../src/server/db/seed/owner';
import { importFile } from '../src/server/modules/dataimport/import.service';
import { refreshMunicipality } from '../src/server/modules/keyfigures/keyfigures.refresh';
import { loadReference } from '../src/server/modules/reference/reference';
import type { Actor } from '../src/server/platform/policy';
import { withTenant } from '../src/server/platform/tenancy';
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
    const id = randomUUID();
    const userId = randomUUID();
    const unitIds: Record<string, string> = {};
    await asOwner(database.db, id, async (tx) => {
      await tx.insert(municipalities).values({ id, code: m.code, name: m.name });
      for (const u of m.units) {
        const [row] = await tx
          .insert(orgUnits)
          .values({ municipalityId: id, name: u.name, kind: u.kind })
          .returning();
        unitIds[u.name] = row!.id;
      }
      await tx.insert(users).values({
        id: userId,
        municipalityId: id,
        username: `import-${m.code}`,
        displayName: 'Import',
        passwordHash: '-',
      });
      await tx
        .insert(roleAssignments)
        .values({ municipalityId: id, userId, unitId: unitIds.Myndighed!, role: 'administrator' });
    });
    const records = [...municipalityRecords(ref, m, { today })];
    for (const r of records) totals[r.type]++;
    const ndjson = records.map((r) => JSON.stringify(r)).join('\n');
    const actor: Actor = {
      kind: 'staff',
      userId,
      municipalityId: id,
      municipalityName: m.name,
      username: `import-${m.code}`,
      displayName: 'Import',
      roles: [{ role: 'administrator', unitId: unitIds.Myndighed! }],
      sessionId: 'bench',
      csrfToken: 'bench',
    };
    const t0 = performance.now();
    await withTenant(database, { municipalityId: id, userId }, (tx) =>
      importFile(tx, { actor, requestId: `bench-${m.code}` }, ref, today, ndjson),
    );
    importMs += performance.now() - t0;
    ids.push(id);
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
