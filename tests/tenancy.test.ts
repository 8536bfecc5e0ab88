import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequestRole } from '../src/server/db/request-role';
import { citizens } from '../src/server/db/schema';
import { rowsOf, withoutTenant, withTenant } from '../src/server/platform/tenancy';
import { REQUEST_ROLE, TEST_DB } from './db-target';
import {
  auditRows,
  createCitizen,
  createMunicipality,
  createStaff,
  type TestMunicipality,
} from './factories';
import { call, createTestApp, login, type TestApp } from './helpers';

let t: TestApp;
let a: TestMunicipality;
let b: TestMunicipality;

beforeAll(async () => {
  t = await createTestApp({ poolSize: 2 });
  a = await createMunicipality(t.db);
  b = await createMunicipality(t.db);
});
afterAll(() => t.close());

const q = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await t.db.execute(query));

describe('catalog: row-level security everywhere it is needed', () => {
  it('forces RLS with a tenant policy on every table that has municipality_id', async () => {
    const tables = await q<{
      relname: string;
      rls: boolean;
      forced: boolean;
      policies: number;
      tenant: number;
    }>(sql`
      select c.relname, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
             (select count(*)::int from pg_policies p where p.tablename = c.relname) as policies,
             (select count(*)::int from pg_policies p where p.tablename = c.relname
                and (coalesce(p.qual,'') || coalesce(p.with_check,'')) like '%app_municipality_id()%') as tenant
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r','p')
         and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'municipality_id' and not a.attisdropped)`);
    expect(tables.length).toBeGreaterThanOrEqual(9);
    for (const row of tables) {
      expect(row, row.relname).toMatchObject({ rls: true, forced: true });
      expect(row.tenant, `${row.relname} has a tenant policy`).toBeGreaterThan(0);
    }
    const m = await q<{ rls: boolean; forced: boolean }>(
      sql`select relrowsecurity as rls, relforcerowsecurity as forced from pg_class where relname = 'municipalities'`,
    );
    expect(m[0]).toEqual({ rls: true, forced: true });
  });

  it('allows permissive USING (true) only on the owner-scoped definer lookups', async () => {
    const open = await q<{ tablename: string; policyname: string; roles: string[] | string }>(sql`
      select tablename, policyname, roles from pg_policies where schemaname = 'public' and qual = 'true'`);
    for (const p of open) {
      expect(p.policyname).toBe('definer_lookup');
      expect(String(p.roles)).not.toContain('retning_app');
      expect(String(p.roles)).not.toContain('public');
    }
  });

  it('runs the app as a role without superuser, BYPASSRLS or ownership', async () => {
    const [role] = await q<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>(
      sql`select rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = 'retning_app'`,
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false });
    const owned = await q(
      sql`select relname from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = 'retning_app'`,
    );
    expect(owned).toEqual([]);
    const [who] = await withTenant(t.database, { municipalityId: a.id, userId: null }, async (tx) =>
      rowsOf<{ u: string; setting: string }>(
        await tx.execute(sql`select current_user as u, current_setting('app.municipality_id') as setting`),
      ),
    );
    expect(who).toEqual({ u: 'retning_app', setting: a.id });
  });

  it('gives the app role no UPDATE, DELETE or TRUNCATE on the audit log', async () => {
    const [p] = await q<Record<string, boolean>>(sql`select
      has_table_privilege('retning_app', 'audit_events', 'SELECT') as sel,
      has_table_privilege('retning_app', 'audit_events', 'INSERT') as ins,
      has_table_privilege('retning_app', 'audit_events', 'UPDATE') as upd,
      has_table_privilege('retning_app', 'audit_events', 'DELETE') as del,
      has_table_privilege('retning_app', 'audit_events', 'TRUNCATE') as trunc`);
    expect(p).toEqual({ sel: true, ins: true, upd: false, del: false, trunc: false });
  });

  it('allowlists SECURITY DEFINER functions and keeps them from PUBLIC; views run with the caller’s RLS', async () => {
    const definers = await q<{ proname: string; public_exec: boolean }>(sql`
      select p.proname, has_function_privilege('public', p.oid, 'EXECUTE') as public_exec
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.prosecdef order by 1`);
    // Each answers one question before the tenant is known (login, session, key-figure sweep, mail sweep,
    // survey participants by kommunekode, survey link, the portal's citizen and representative login and session) and returns
    // nothing a tenant could not see about itself. The audit chain trigger runs as the owner so that a citizen's
    // insert sees the tenant's whole chain (migration 0027), and the key figures' dirty mark so that a citizen's
    // own measurement can mark its municipality (0030); Mine data reads the session's citizen (0029).
    expect(definers.map((d) => d.proname)).toEqual([
      'audit_events_chain',
      'auth_find_citizen',
      'auth_find_representations',
      'auth_find_user',
      'auth_resolve_citizen_session',
      'auth_resolve_session',
      'exchange_municipality',
      'key_figures_due',
      'key_figures_mark_dirty',
      'mail_outbox_tenants',
      'municipality_directory',
      'municipality_ids_by_code',
      'portal_municipalities',
      'portal_my_data',
      'survey_token_owner',
    ]);
    expect(definers.every((d) => !d.public_exec)).toBe(true);
    // A view runs as its owner unless security_invoker is set, and a materialized view has no RLS at all.
    const views = await q<{ relname: string; relkind: string; invoker: boolean }>(sql`
      select relname, relkind, coalesce('security_invoker=true' = any(c.reloptions), false) as invoker
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('v','m') order by 1`);
    expect(views).toEqual([{ relname: 'key_figures_published', relkind: 'v', invoker: true }]);
  });

  it('does not let the app role read the password hash column', async () => {
    await expect(
      withTenant(t.database, { municipalityId: a.id, userId: null }, (tx) =>
        tx.execute(sql`select password_hash from users`),
      ),
    ).rejects.toThrow();
  });
});

describe('behaviour: tenants never see each other', () => {
  it('returns no rows from any tenant table without a tenant setting', async () => {
    await createCitizen(t.db, a);
    await createCitizen(t.db, b);
    for (const table of [
      'citizens',
      'users',
      'org_units',
      'role_assignments',
      'sessions',
      'audit_events',
      'municipalities',
      'citizen_narratives',
    ]) {
      const rows = await withoutTenant(t.database, async (tx) =>
        rowsOf(
          await tx.execute(
            sql.raw(`select ${table === 'municipalities' ? 'id' : 'municipality_id'} from ${table}`),
          ),
        ),
      );
      expect(rows, table).toEqual([]);
    }
  });

  it('sees only its own municipality with a tenant setting', async () => {
    const rows = await withTenant(t.database, { municipalityId: a.id, userId: null }, (tx) =>
      tx.select({ m: citizens.municipalityId }).from(citizens),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.m))).toEqual(new Set([a.id]));
  });

  it('refuses to write a row into another municipality, and to move one there', async () => {
    await expect(
      withTenant(t.database, { municipalityId: a.id, userId: null }, (tx) =>
        tx
          .insert(citizens)
          .values({ municipalityId: b.id, cpr: '0101851234', firstName: 'X', lastName: 'Y' }),
      ),
    ).rejects.toThrow();
    const own = await createCitizen(t.db, a);
    await expect(
      withTenant(t.database, { municipalityId: a.id, userId: null }, (tx) =>
        tx.execute(sql`update citizens set municipality_id = ${b.id} where id = ${own.id}`),
      ),
    ).rejects.toThrow();
  });

  it("answers 404 for another municipality's citizen and logs a denied event", async () => {
    const foreign = await createCitizen(t.db, b);
    const worker = await createStaff(t.db, a, 'sagsbehandler');
    const s = await login(t.app, worker.username, worker.password);
    const res = await call(t.app, s, { method: 'GET', url: `/api/citizens/${foreign.id}` });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(foreign.lastName);
    const denied = (await auditRows(t.db, a)).filter((r) => r.citizen_id === foreign.id);
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ outcome: 'denied', action: 'read', actor_user_id: worker.id });
    expect((await auditRows(t.db, b)).filter((r) => r.citizen_id === foreign.id)).toHaveLength(0);
  });

  it('keeps concurrent requests of two municipalities apart through a pool of two', async () => {
    const ua = await createStaff(t.db, a, 'sagsbehandler');
    const ub = await createStaff(t.db, b, 'sagsbehandler');
    const sa = await login(t.app, ua.username, ua.password);
    const sb = await login(t.app, ub.username, ub.password);
    const idsA = new Set<string>();
    const idsB = new Set<string>();
    for (let i = 0; i < 3; i++) {
      idsA.add((await createCitizen(t.db, a, { lastName: `Fælles${i}` })).id);
      idsB.add((await createCitizen(t.db, b, { lastName: `Fælles${i}` })).id);
    }
    const requests = Array.from({ length: 60 }, (_, i) => {
      const mine = i % 2 === 0;
      return call(t.app, mine ? sa : sb, {
        method: 'POST',
        url: '/api/citizens/search',
        payload: { name: 'Fælles' },
      }).then((res) => ({ mine, res }));
    });
    for (const { mine, res } of await Promise.all(requests)) {
      expect(res.statusCode).toBe(200);
      const ids: string[] = res.json().items.map((c: { id: string }) => c.id);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect((mine ? idsA : idsB).has(id)).toBe(true);
    }
  });

  it('leaves no tenant or role behind on the connection after a failed transaction', async () => {
    await expect(
      withTenant(t.database, { municipalityId: a.id, userId: null }, async (tx) => {
        await tx.execute(sql`select 1/0`);
      }),
    ).rejects.toThrow();
    for (let i = 0; i < 4; i++) {
      const [row] = await q<{ setting: string | null; u: string }>(
        sql`select nullif(current_setting('app.municipality_id', true), '') as setting, current_user as u`,
      );
      expect(row!.setting).toBeNull();
      expect(row!.u).not.toBe('retning_app');
    }
  });
});

describe('the request connection cannot reach the owner (issue 12, item 5)', () => {
  const app = () => t.app.ctx.database;

  it('runs every request transaction as retning_app, also what a request’s SQL could do', async () => {
    const u = await createStaff(t.db, a, 'sagsbehandler');
    const s = await login(t.app, u.username, u.password);
    const res = await call(t.app, s, { method: 'GET', url: '/api/auth/session' });
    expect(res.statusCode).toBe(200);
    const [who] = await withTenant(app(), { municipalityId: a.id, userId: null }, async (tx) =>
      rowsOf<{ u: string }>(await tx.execute(sql`select current_user as u`)),
    );
    expect(who!.u).toBe('retning_app');
  });

  it.runIf(TEST_DB === 'postgres')('logs in as a role that is only a member of retning_app', async () => {
    const report = await checkRequestRole(app());
    expect(report).toMatchObject({ role: REQUEST_ROLE, problems: [] });
    // The owner's connection would be refused as a request connection.
    expect((await checkRequestRole(t.database)).problems.length).toBeGreaterThan(0);
  });

  it.runIf(TEST_DB === 'postgres')(
    'cannot SET ROLE to the owner or read outside RLS after RESET ROLE',
    async () => {
      const { owner } = await checkRequestRole(app());
      const attempt = (statement: string) =>
        withTenant(app(), { municipalityId: a.id, userId: null }, (tx) => tx.execute(sql.raw(statement)));
      await expect(attempt(`set role ${owner}`)).rejects.toMatchObject({ cause: { code: '42501' } });
      await expect(attempt(`set local role ${owner}`)).rejects.toMatchObject({ cause: { code: '42501' } });
      await expect(attempt(`select set_config('role', '${owner}', true)`)).rejects.toMatchObject({
        cause: { code: '42501' },
      });
      // RESET ROLE leaves the login role itself, which holds no privileges (NOINHERIT).
      for (const table of ['citizens', 'users', 'audit_events', 'municipalities'])
        await expect(attempt(`reset role; select count(*) from ${table}`)).rejects.toMatchObject({
          cause: { code: '42501' },
        });
      await expect(attempt('reset role; create table x_escape (id int)')).rejects.toMatchObject({
        cause: { code: '42501' },
      });
    },
  );

  it.runIf(TEST_DB === 'postgres')('refuses to serve from a role that could reach the owner', async () => {
    // As the app would on start: the owner itself, and a role with CREATEROLE, are refused.
    const problems = (await checkRequestRole(t.database)).problems.join('\n');
    expect(problems).toMatch(/superuser|schema owner/);
  });
});
