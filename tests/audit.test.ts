import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/server/db/client';
import { rowsOf, withTenant } from '../src/server/platform/tenancy';
import { pgUrlFor, TEST_DB } from './db-target';
import {
  auditRows,
  createCitizen,
  createMunicipality,
  createStaff,
  type TestMunicipality,
} from './factories';
import { call, createTestApp, login, openTestDatabase, type Session, type TestApp } from './helpers';

let t: TestApp;

/** Drizzle wraps driver errors; the database's own message is in the cause. */
async function dbError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const err = e as { message: string; cause?: { message?: string } };
    return err.cause?.message ?? err.message;
  }
  throw new Error('expected the statement to fail');
}
let m: TestMunicipality;
let admin: Session;
let cw: Session;
const seen: { id: string; cpr: string; firstName: string; lastName: string }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  m = await createMunicipality(t.db);
  const a = await createStaff(t.db, m, 'administrator');
  const c = await createStaff(t.db, m, 'sagsbehandler');
  admin = await login(t.app, a.username, a.password);
  cw = await login(t.app, c.username, c.password);
  for (let i = 0; i < 5; i++) {
    const citizen = await createCitizen(t.db, m);
    seen.push(citizen);
    await call(t.app, cw, { method: 'GET', url: `/api/citizens/${citizen.id}` });
  }
});
afterAll(() => t.close());

type Row = Record<string, unknown>;
function byChain(rows: Row[]): Map<number, Row[]> {
  const chains = new Map<number, Row[]>();
  for (const r of rows) chains.set(Number(r.chain_id), [...(chains.get(Number(r.chain_id)) ?? []), r]);
  for (const c of chains.values()) c.sort((a, b) => Number(a.chain_seq) - Number(b.chain_seq));
  return chains;
}

/** An event that has a later event on its chain, so tampering with it is visible mid-chain. */
async function aRowWithSuccessor(): Promise<Row> {
  for (;;) {
    for (const chain of byChain(await auditRows(t.db, m)).values()) if (chain.length >= 2) return chain[0]!;
    await call(t.app, cw, { method: 'POST', url: '/api/citizens/search', payload: { name: 'x' } });
  }
}

const verify = () => call(t.app, admin, { method: 'POST', url: '/api/audit/verify' });

/** Tampering needs the owner to switch the append-only triggers off: exactly what an insider would do. */
async function asTamperer(statement: ReturnType<typeof sql>) {
  await t.db.execute(sql`alter table audit_events disable trigger audit_events_no_update`);
  try {
    await t.db.execute(statement);
  } finally {
    await t.db.execute(sql`alter table audit_events enable trigger audit_events_no_update`);
  }
}

describe('audit log integrity', () => {
  it('chains every event to the one before it on its chain', async () => {
    const rows = await auditRows(t.db, m);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const chains = byChain(rows);
    for (const chain of chains.values()) {
      chain.forEach((r, i) => {
        expect(Number(r.chain_seq)).toBe(i + 1);
        expect(r.prev_hash).toBe(i === 0 ? '0'.repeat(64) : chain[i - 1]!.hash);
      });
    }
    const res = await verify();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ checked: rows.length, chains: chains.size, ok: true, firstBreak: null });
  });

  it('forbids the app role to update, delete or truncate audit events', async () => {
    const ctx = { municipalityId: m.id, userId: null };
    for (const stmt of [
      'update audit_events set outcome = $$denied$$',
      'delete from audit_events',
      'truncate audit_events',
    ]) {
      expect(await dbError(withTenant(t.database, ctx, (tx) => tx.execute(sql.raw(stmt))))).toMatch(
        /permission denied/,
      );
    }
  });

  it('stops even the owner through triggers', async () => {
    expect(await dbError(t.db.execute(sql`update audit_events set outcome = 'denied'`))).toMatch(
      /append-only/,
    );
    expect(await dbError(t.db.execute(sql`delete from audit_events`))).toMatch(/append-only/);
  });

  it('pinpoints an edited row', async () => {
    const victim = await aRowWithSuccessor();
    await asTamperer(sql`update audit_events set actor_role = 'leder' where id = ${victim.id}`);
    const res = await verify();
    expect(res.json()).toMatchObject({
      ok: false,
      firstBreak: { id: victim.id, chainId: Number(victim.chain_id), chainSeq: 1, problem: 'hash_mismatch' },
    });
    await asTamperer(
      sql`update audit_events set actor_role = ${victim.actor_role as string} where id = ${victim.id}`,
    );
    expect((await verify()).json().ok).toBe(true);
  });

  it('pinpoints a deleted row by the gap it leaves', async () => {
    const victim = await aRowWithSuccessor();
    const next = byChain(await auditRows(t.db, m)).get(Number(victim.chain_id))![1]!;
    await asTamperer(sql`delete from audit_events where id = ${victim.id}`);
    const res = await verify();
    expect(res.json()).toMatchObject({
      ok: false,
      firstBreak: { id: next.id, chainId: Number(victim.chain_id), chainSeq: 2, problem: 'sequence_gap' },
    });
  });
});

describe('audit search', () => {
  it('lets administrators and managers search; caseworkers may not', async () => {
    const leader = await createStaff(t.db, m, 'leder');
    const sl = await login(t.app, leader.username, leader.password);
    for (const s of [admin, sl]) {
      const res = await call(t.app, s, {
        method: 'POST',
        url: '/api/audit/search',
        payload: { action: 'read', limit: 2 },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toHaveLength(2);
      expect(res.json().items[0]).toMatchObject({ action: 'read', actorName: expect.any(String) });
      expect(res.json().nextBefore).toEqual(expect.any(String));
      const next = await call(t.app, s, {
        method: 'POST',
        url: '/api/audit/search',
        payload: { action: 'read', limit: 2, before: res.json().nextBefore },
      });
      expect(next.json().items[0].occurredAt <= res.json().items[1].occurredAt).toBe(true);
      expect(next.json().items.map((e: { id: string }) => e.id)).not.toContain(res.json().items[1].id);
    }
    expect(
      (await call(t.app, cw, { method: 'POST', url: '/api/audit/search', payload: {} })).statusCode,
    ).toBe(403);
  });

  it('names citizens to the manager, who may read them, not to the administrator; the naming is audited', async () => {
    const leader = await createStaff(t.db, m, 'leder');
    const sl = await login(t.app, leader.username, leader.password);
    const search = (s: Session, payload: Record<string, unknown>) =>
      call(t.app, s, { method: 'POST', url: '/api/audit/search', payload });
    const target = seen[2]!;
    const asLeader = await search(sl, { citizenId: target.id });
    expect(asLeader.statusCode).toBe(200);
    expect(asLeader.json().items.length).toBeGreaterThan(0);
    for (const e of asLeader.json().items)
      expect(e).toMatchObject({
        citizenId: target.id,
        citizenName: `${target.firstName} ${target.lastName}`,
      });
    const asAdmin = await search(admin, { citizenId: target.id });
    expect(asAdmin.json().items.length).toBe(asLeader.json().items.length);
    for (const e of asAdmin.json().items) expect(e.citizenName).toBeNull();
    const [last] = (await auditRows(t.db, m)).filter((r) => r.resource_type === 'audit_log').slice(-2);
    expect(last).toMatchObject({ action: 'search', actor_user_id: leader.id });
    expect((last!.criteria as { resultIds: string[] }).resultIds).toEqual([target.id]);

    // By name or CPR number: only for those who may search citizens.
    const byName = await search(sl, { citizen: `${target.lastName}` });
    expect(new Set(byName.json().items.map((e: { citizenId: string }) => e.citizenId))).toEqual(
      new Set([target.id]),
    );
    const byCpr = await search(sl, { citizen: `${target.cpr.slice(0, 6)}-${target.cpr.slice(6)}` });
    expect(byCpr.json().items.length).toBe(asLeader.json().items.length);
    expect((await search(sl, { citizen: 'Ingen Sådan' })).json().items).toEqual([]);
    expect((await search(admin, { citizen: target.lastName })).statusCode).toBe(403);
  });

  it('sorts oldest first and pages on in that order; filters by person and by what', async () => {
    const first = await call(t.app, admin, {
      method: 'POST',
      url: '/api/audit/search',
      payload: { order: 'oldest', limit: 3, resourceType: 'citizen' },
    });
    const items = first.json().items as { occurredAt: string; resourceType: string; id: string }[];
    expect(items).toHaveLength(3);
    expect(items.every((e) => e.resourceType === 'citizen')).toBe(true);
    expect(items.map((e) => e.occurredAt)).toEqual([...items.map((e) => e.occurredAt)].sort());
    const next = await call(t.app, admin, {
      method: 'POST',
      url: '/api/audit/search',
      payload: { order: 'oldest', limit: 3, resourceType: 'citizen', before: first.json().nextBefore },
    });
    expect(next.json().items[0].occurredAt >= items[2]!.occurredAt).toBe(true);
    const actors = (await call(t.app, admin, { method: 'GET', url: '/api/audit/actors' })).json().items as {
      id: string;
    }[];
    const caseworker = (await auditRows(t.db, m)).find((r) => r.resource_type === 'citizen')!.actor_user_id;
    expect(actors.map((a) => a.id)).toContain(caseworker);
    const mine = await call(t.app, admin, {
      method: 'POST',
      url: '/api/audit/search',
      payload: { actorUserId: caseworker },
    });
    expect(mine.json().items.length).toBeGreaterThan(0);
    expect(mine.json().items.every((e: { actorUserId: string }) => e.actorUserId === caseworker)).toBe(true);
  });
});

describe('npm run audit:verify', () => {
  it('reports an intact log, then names the tampered event and exits 1', async () => {
    // The command runs in its own process, so it needs a database of its own that it can open: PGlite in a
    // directory, or a fresh copy of the template on the PostgreSQL server.
    const dir = mkdtempSync(path.join(tmpdir(), 'retning-verify-'));
    const onServer = TEST_DB === 'postgres';
    const server = onServer ? await openTestDatabase() : null;
    const env = server ? { DATABASE_URL: pgUrlFor(server.name) } : { PGLITE_DIR: dir };
    const open = async () => server ?? (await openDatabase({ pgliteDir: dir }));
    const done = async (d: Database) => {
      if (!server) await d.close();
    };
    const run = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/server/cli/audit-verify.ts'], {
        env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
      }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    try {
      const db = await open();
      await db.migrate();
      const mm = await createMunicipality(db.db);
      for (let i = 0; i < 3; i++) {
        await withTenant(db, { municipalityId: mm.id, userId: null }, (tx) =>
          tx.execute(sql`insert into audit_events (municipality_id, request_id, action, resource_type, outcome)
                         values (${mm.id}, ${`cli-${i}`}, 'read', 'citizen', 'success')`),
        );
      }
      await done(db);
      const ok = await run();
      expect(ok.code).toBe(0);
      expect(ok.out).toContain(`${mm.name}: 3 hændelser`);

      const db2 = await open();
      const [victim] = rowsOf<{ id: string }>(
        await db2.db.execute(sql`select id from audit_events where request_id = 'cli-1'`),
      );
      await db2.db.execute(sql`alter table audit_events disable trigger audit_events_no_update`);
      await db2.db.execute(sql`update audit_events set outcome = 'denied' where id = ${victim!.id}`);
      await db2.db.execute(sql`alter table audit_events enable trigger audit_events_no_update`);
      await done(db2);
      const bad = await run();
      expect(bad.code).toBe(1);
      expect(bad.out).toContain(victim!.id);
      expect(bad.out).toContain('hash_mismatch');
    } finally {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
