import { sql } from 'drizzle-orm';
import type { TenantKind } from '../../shared/enums';
import type { Database, Db, Locals } from '../db/client';
import { municipalities } from '../db/schema';

/** What a service works on: a transaction handle, already confined to one tenant as the app role. */
export type Tx = Db;

export interface TenantContext {
  municipalityId: string;
  userId: string | null;
}

export const APP_ROLE = 'retning_app';
/** The role a citizen's portal request runs as (migration 0027): its own rows only. */
export const CITIZEN_ROLE = 'retning_citizen';

export function tenantLocals(ctx: TenantContext): Locals {
  return { role: APP_ROLE, 'app.municipality_id': ctx.municipalityId, 'app.user_id': ctx.userId ?? '' };
}

/**
 * Runs fn in one transaction as the application role with the tenant set transaction-locally, so row-level
 * security confines every statement to one municipality and nothing leaks to the next pool borrower.
 */
export function withTenant<T>(
  database: Database,
  ctx: TenantContext,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return database.transaction(tenantLocals(ctx), fn);
}

/** Runs fn as the application role with no tenant: only non-tenant tables and the auth functions answer. */
export function withoutTenant<T>(database: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return database.transaction({ role: APP_ROLE }, fn);
}

/** Rows of a raw query, whichever driver answered. */
export function rowsOf<T>(result: unknown): T[] {
  const r = result as { rows?: T[] };
  return r.rows ?? (result as T[]);
}

/**
 * Runs fn inside the caller's transaction with another tenant set, then sets the caller's back. (If fn
 * fails, the transaction fails with it and the setting dies with the transaction.) For the one place a request writes another municipality's rows: loading that municipality's
 * exchange file (published aggregates only). Row-level security applies to the other tenant as usual.
 */
export async function inOtherTenant<T>(
  tx: Tx,
  municipalityId: string,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const [own] = rowsOf<{ m: string | null }>(
    await tx.execute(sql`select current_setting('app.municipality_id', true) as m`),
  );
  await tx.execute(sql`select set_config('app.municipality_id', ${municipalityId}, true)`);
  const result = await fn(tx);
  await tx.execute(sql`select set_config('app.municipality_id', ${own?.m ?? ''}, true)`);
  return result;
}

/** The transaction's own municipality: the one row of `municipalities` its tenant setting lets it see. */
export async function ownMunicipality(
  tx: Tx,
): Promise<{ id: string; code: string; name: string; kind: TenantKind }> {
  const [m] = await tx
    .select({
      id: municipalities.id,
      code: municipalities.code,
      name: municipalities.name,
      kind: municipalities.kind,
    })
    .from(municipalities);
  if (!m) throw new Error('ownMunicipality() needs a tenant transaction');
  return { ...m, kind: m.kind as TenantKind };
}

/**
 * Runs queries of one transaction one after the other and returns their results in order. A transaction is
 * one connection, which answers one query at a time; Promise.all over its queries only queues them (and
 * node-postgres 9 refuses a query while another runs). Drizzle's query builders run when awaited, so
 * building the list runs nothing.
 */
export async function inOrder<T extends readonly unknown[]>(
  queries: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const out: unknown[] = [];
  for (const q of queries) out.push(await q);
  return out as { -readonly [K in keyof T]: Awaited<T[K]> };
}
