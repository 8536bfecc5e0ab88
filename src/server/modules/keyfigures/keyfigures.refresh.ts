import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { danishDate } from '../../../shared/domain/dates';
import type { Clock } from '../../app';
import type { Database } from '../../db/client';
import { keyFigureState } from '../../db/schema';
import { rowsOf, withoutTenant, withTenant } from '../../platform/tenancy';
import type { Reference } from '../reference/reference';
import { storeKeyFigures } from './keyfigures.compute';

/** How far back figures go: the current year and the nine before it. */
export const YEARS_BACK = 9;

export interface RefreshResult {
  municipalityId: string;
  rows: number;
  ms: number;
}

/**
 * Recomputes one municipality's key figures and replaces its stored ones. The dirty flag is cleared first,
 * in its own transaction: a change committed while the figures are computed marks the municipality dirty
 * again, so the next sweep picks it up and nothing is lost.
 */
export async function refreshMunicipality(
  database: Database,
  ref: Reference,
  municipalityId: string,
  today: string,
  opts: { onlyIfDirty?: boolean; onQuery?: (statement: string, ms: number) => void } = {},
): Promise<RefreshResult | null> {
  const ctx = { municipalityId, userId: null };
  // Claim: clear the flag. With onlyIfDirty, another instance that claimed it first wins and this one skips.
  const claimed = await withTenant(database, ctx, (tx) =>
    tx
      .update(keyFigureState)
      .set({ dirtySince: null })
      .where(
        opts.onlyIfDirty
          ? and(eq(keyFigureState.municipalityId, municipalityId), isNotNull(keyFigureState.dirtySince))
          : eq(keyFigureState.municipalityId, municipalityId),
      )
      .returning({ id: keyFigureState.municipalityId }),
  );
  if (opts.onlyIfDirty && claimed.length === 0) return null;
  const started = performance.now();
  const from = `${Number(today.slice(0, 4)) - YEARS_BACK}-01-01`;
  return withTenant(database, ctx, async (tx) => {
    const rows = await storeKeyFigures(tx, ref, { from, today, onQuery: opts.onQuery });
    const ms = Math.round(performance.now() - started);
    await tx
      .insert(keyFigureState)
      .values({ municipalityId, computedAt: new Date(), durationMs: ms, rows })
      .onConflictDoUpdate({
        target: keyFigureState.municipalityId,
        set: { computedAt: sql`now()`, durationMs: ms, rows },
      });
    return { municipalityId, rows, ms };
  });
}

export interface KeyFigureRefresher {
  /** Refreshes every municipality whose pathway data changed since its figures were computed. */
  sweep(): Promise<RefreshResult[]>;
}

/**
 * The refresh job: pathway writes mark a municipality dirty (triggers, migration 0011); a sweep every few
 * seconds recomputes the dirty ones, oldest first, one at a time (decision 007).
 */
export function createKeyFigureRefresher(
  database: Database,
  ref: Reference,
  clock: Clock,
): KeyFigureRefresher {
  let running: Promise<RefreshResult[]> | null = null;
  async function sweepOnce(): Promise<RefreshResult[]> {
    const dirty = await withoutTenant(database, async (tx) =>
      rowsOf<{ id: string }>(await tx.execute(sql`select key_figures_dirty() as id`)).map((r) => r.id),
    );
    const out: RefreshResult[] = [];
    for (const m of dirty) {
      const r = await refreshMunicipality(database, ref, m, danishDate(clock.now()), { onlyIfDirty: true });
      if (r) out.push(r);
    }
    return out;
  }
  return {
    sweep() {
      // One sweep at a time in this process; a second caller gets the running one.
      running ??= sweepOnce().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
