import pg from 'pg';
import { APP_ROLE, CITIZEN_ROLE } from '../platform/tenancy';
import type { Database } from './client';

/**
 * The database role request traffic logs in as (issue 12, item 5; decision 002). It is a member of
 * `retning_app` (staff requests) and `retning_citizen` (portal requests, issue 14) and nothing else: it cannot switch to the schema owner, so SQL that runs in a request's
 * connection (ours, or anything that got into it) can at most `RESET ROLE` to a role that holds no
 * privileges of its own (NOINHERIT), never step outside row-level security as the owner.
 */
export interface RequestRoleReport {
  role: string;
  owner: string;
  problems: string[];
}

/** Checks the connection's login role against the rules above; an empty problems list means it may serve. */
export async function checkRequestRole(database: Database): Promise<RequestRoleReport> {
  const [r] = await database.queryOnce<{
    role: string;
    owner: string | null;
    superuser: boolean;
    bypassrls: boolean;
    createrole: boolean;
    inherit: boolean;
    app_member: boolean;
    citizen_member: boolean;
    owner_member: boolean;
    owns: boolean;
  }>(
    {},
    `SELECT current_user AS role, o.rolname AS owner, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
            r.rolcreaterole AS createrole, r.rolinherit AS inherit,
            pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') AS app_member,
            pg_has_role(current_user, '${CITIZEN_ROLE}', 'MEMBER') AS citizen_member,
            coalesce(pg_has_role(current_user, o.oid, 'MEMBER'), false) AS owner_member,
            EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid AND c.relnamespace = 'public'::regnamespace) AS owns
       FROM pg_roles r
       LEFT JOIN pg_class t ON t.oid = to_regclass('public.municipalities')
       LEFT JOIN pg_roles o ON o.oid = t.relowner
      WHERE r.rolname = current_user`,
    [],
  );
  if (!r) throw new Error('could not read the login role');
  const problems: string[] = [];
  if (!r.owner) problems.push('the schema is not migrated (no municipalities table)');
  if (r.superuser) problems.push('is a superuser');
  if (r.bypassrls) problems.push('has BYPASSRLS');
  if (r.createrole) problems.push('has CREATEROLE (it could grant itself the owner role)');
  if (r.owner_member) problems.push(`is, or is a member of, the schema owner ${r.owner}`);
  if (r.owns) problems.push('owns tables in the schema');
  if (!r.app_member) problems.push(`is not a member of ${APP_ROLE}`);
  if (!r.citizen_member)
    problems.push(
      `is not a member of ${CITIZEN_ROLE} (GRANT ${CITIZEN_ROLE} TO ${r.role}; the citizen portal's role)`,
    );
  if (r.inherit)
    problems.push(
      `has INHERIT (make it NOINHERIT, so it holds no privileges outside ${APP_ROLE} and ${CITIZEN_ROLE})`,
    );
  return { role: r.role, owner: r.owner ?? '', problems };
}

/**
 * Creates the request role on a server where the caller may (tests, benchmarks, a developer's own server):
 * LOGIN NOINHERIT, a member of retning_app and retning_citizen only. Operators do the same once by hand (README).
 */
export async function ensureRequestRole(adminUrl: string, role: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`invalid role name ${role}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Roles are cluster-wide: parallel runs may race to create it.
    await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
        BEGIN
          CREATE ROLE ${role} LOGIN NOINHERIT NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
      END IF;
    END $$`);
    for (const granted of [APP_ROLE, CITIZEN_ROLE])
      await client.query(`GRANT ${granted} TO ${role}`).catch((err: { code?: string }) => {
        // Two runs granting at once: the second finds it done.
        if (err.code !== 'XX000' && err.code !== '23505') throw err;
      });
  } finally {
    await client.end();
  }
}

/** The URL of the same database, logged in as another role (trust or peer authentication; tests, benches). */
export function urlAs(url: string, role: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = '';
  return u.toString();
}
