import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/tenancy';
import type { Db } from '../client';

/**
 * Runs fn as the database owner (migrations role) with the tenant set, for seeding and test factories.
 * FORCEd RLS binds a non-superuser owner too, so the tenant must be set even here.
 */
export function asOwner<T>(db: Db, municipalityId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.municipality_id', ${municipalityId}, true)`);
    return fn(tx);
  });
}
