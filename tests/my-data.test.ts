import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/server/db/seed/demo';
import { DEMO_CITIZENS } from '../src/server/db/seed/demo-logins';
import { rowsOf } from '../src/server/platform/tenancy';
import { createPortalSession } from './factories';
import { call, createTestApp, type Session, type TestApp } from './helpers';

/**
 * Issue 14, item 8: Mine data holds everything Retning keeps about the citizen. Driven by the schema: the test
 * finds in the catalogue, on its own, every table that holds data about a citizen (a citizen_id column, or a
 * foreign key, of any shape, to such a table) and fails when a table or a column of one is missing from the
 * export.
 */
let t: TestApp;
let line: Session;
let lineId: string;
let municipalityId: string;

/** Tables that are about the citizen but deliberately not exported, with the reason. */
const NOT_EXPORTED: Record<string, string> = {
  citizen_sessions: 'security tokens (hashes) of the citizen’s own logins, not data about the citizen',
};

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, t.app.ctx.reference, t.config);
  const [row] = rowsOf<{ id: string; municipality_id: string }>(
    await t.db.execute(sql`select id, municipality_id from citizens where cpr = ${DEMO_CITIZENS[0].cpr}`),
  );
  lineId = row!.id;
  municipalityId = row!.municipality_id;
  line = await createPortalSession(t.app, t.db, { id: municipalityId, name: '', units: {} as never }, lineId);
  // Something in the log too.
  await call(t.app, line, { method: 'GET', url: '/api/portal/plan' });
}, 180_000);
afterAll(() => t?.close());

async function personalTables(): Promise<Set<string>> {
  const withCitizen = rowsOf<{ t: string }>(
    await t.db.execute(sql`select c.relname as t from pg_attribute a join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and a.attname = 'citizen_id' and not a.attisdropped`),
  ).map((r) => r.t);
  const fks = rowsOf<{ child: string; parent: string }>(
    await t.db.execute(sql`select child.relname as child, parent.relname as parent from pg_constraint k
      join pg_class child on child.oid = k.conrelid join pg_class parent on parent.oid = k.confrelid
      join pg_namespace n on n.oid = child.relnamespace where k.contype = 'f' and n.nspname = 'public'`),
  );
  const set = new Set(['citizens', ...withCitizen]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const fk of fks)
      if (set.has(fk.parent) && !set.has(fk.child)) {
        set.add(fk.child);
        grew = true;
      }
  }
  return set;
}

describe('Mine data', () => {
  it('exports every table and every column that holds data about the citizen, and only theirs', async () => {
    const res = await call(t.app, line, { method: 'GET', url: '/api/portal/my-data.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const { data } = res.json() as { data: Record<string, Record<string, unknown>[]> };
    const expected = await personalTables();
    for (const table of expected) {
      if (NOT_EXPORTED[table]) {
        expect(data[table], table).toBeUndefined();
        continue;
      }
      expect(Object.keys(data), `table ${table} holds data about the citizen`).toContain(table);
    }
    const columns = rowsOf<{ table_name: string; column_name: string }>(
      await t.db.execute(
        sql`select table_name, column_name from information_schema.columns where table_schema = 'public'`,
      ),
    );
    let checkedRows = 0;
    for (const [table, rows] of Object.entries(data)) {
      const cols = columns
        .filter((c) => c.table_name === table)
        .map((c) => c.column_name)
        .sort();
      for (const r of rows) {
        expect(Object.keys(r).sort(), `columns of ${table}`).toEqual(cols);
        if ('citizen_id' in r) expect(r.citizen_id, table).toBe(lineId);
        checkedRows++;
      }
    }
    expect(data.citizens).toHaveLength(1);
    expect(data.citizens![0]).toMatchObject({ id: lineId, cpr: DEMO_CITIZENS[0].cpr });
    // The demo citizen has data in the main tables, so the column check above ran on them.
    for (const table of [
      'cases',
      'goals',
      'services',
      'action_plans',
      'follow_ups',
      'consents',
      'audit_events',
      'citizen_narratives',
    ])
      expect(data[table]?.length, table).toBeGreaterThan(0);
    expect(checkedRows).toBeGreaterThan(20);
  });

  it('gives a readable PDF made by a PDF library, and audits both downloads', async () => {
    const res = await call(t.app, line, { method: 'GET', url: '/api/portal/my-data.pdf' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const body = res.rawPayload;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(body.subarray(-6).toString()).toContain('%%EOF');
    expect(body.length).toBeGreaterThan(5_000);
    const exports = rowsOf<{ criteria: { format: string } }>(
      await t.db.execute(
        sql`select criteria from audit_events where citizen_id = ${lineId} and action = 'export'`,
      ),
    );
    expect(exports.map((e) => e.criteria.format).sort()).toEqual(['json', 'pdf']);
  });
});
