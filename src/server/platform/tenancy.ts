import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface TenantContext {
  municipalityId: string;
  userId: string | null;
}

/**
 * Runs fn in one transaction as the application role with the tenant set transaction-locally, so row-level
 * security confines every statement to one municipality and nothing leaks to the next pool borrower.
 */
export function withTenant<T>(db: Db, ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('role', 'retning_app', true), set_config('app.municipality_id', ${ctx.municipalityId}, true), set_config('app.user_id', ${ctx.userId ?? ''}, true)`,
    );
    return fn(tx);
  });
}

/** Runs fn as the application role with no tenant: only non-tenant tables and the auth functions answer. */
export function withoutTenant<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'retning_app', true)`);
    return fn(tx);
  });
}

/** Rows of a raw query, whichever driver answered. */
export function rowsOf<T>(result: unknown): T[] {
  const r = result as { rows?: T[] };
  return r.rows ?? (result as T[]);
}
