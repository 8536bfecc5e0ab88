import { and, eq, isNotNull, or, sql } from 'drizzle-orm';
import { addMonths, danishDate } from '../../../shared/domain/dates';
import type { Clock } from '../../app';
import type { Database } from '../../db/client';
import { keyFigureState } from '../../db/schema';
import { rowsOf, type Tx, withoutTenant, withTenant } from '../../platform/tenancy';
import type { Reference } from '../reference/reference';
import {
  computeKeyFigures,
  type KeyFigureRow,
  keyFigureDefinition,
  ladderFlows,
  paragraphSteps,
} from './keyfigures.compute';
import {
  PROTECTION_VERSION,
  type PublishedFigure,
  type PublishedLadder,
  protectKeyFigures,
  protectLadder,
} from './keyfigures.protect';

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
  const definition = definitionOf(ref);
  // Claim: clear the flag. With onlyIfDirty, another instance that claimed it first wins and this one skips.
  const claimed = await withTenant(database, ctx, (tx) =>
    tx
      .update(keyFigureState)
      .set({ dirtySince: null })
      .where(
        opts.onlyIfDirty
          ? and(
              eq(keyFigureState.municipalityId, municipalityId),
              or(
                isNotNull(keyFigureState.dirtySince),
                sql`${keyFigureState.definition} is distinct from ${definition}`,
              ),
            )
          : eq(keyFigureState.municipalityId, municipalityId),
      )
      .returning({ id: keyFigureState.municipalityId }),
  );
  if (opts.onlyIfDirty && claimed.length === 0) return null;
  const started = performance.now();
  return withTenant(database, ctx, async (tx) => {
    const figures = await currentFigures(tx, ref, today, opts.onQuery);
    const ladder = await publishKeyFigures(tx, ref, figures, today, opts.onQuery);
    const rows = figures.length;
    const ms = Math.round(performance.now() - started);
    await tx
      .insert(keyFigureState)
      .values({ municipalityId, computedAt: new Date(), durationMs: ms, rows, ladder, definition })
      .onConflictDoUpdate({
        target: keyFigureState.municipalityId,
        set: { computedAt: sql`now()`, durationMs: ms, rows, ladder, definition },
      });
    return { municipalityId, rows, ms };
  });
}

/** The transaction's municipality's figures, raw, for the current year and the nine before it. */
export function currentFigures(
  tx: Tx,
  ref: Reference,
  today: string,
  onQuery?: (statement: string, ms: number) => void,
): Promise<KeyFigureRow[]> {
  const from = `${Number(today.slice(0, 4)) - YEARS_BACK}-01-01`;
  return computeKeyFigures(tx, ref, { from, today, onQuery });
}

/**
 * Replaces the municipality's published figures with the protected view of freshly computed ones
 * (keyfigures.protect.ts), and its published ladder (a year ago vs today).
 */
export async function publishKeyFigures(
  tx: Tx,
  ref: Reference,
  rows: readonly KeyFigureRow[],
  today: string,
  onStep?: (step: string, ms: number) => void,
): Promise<PublishedLadder> {
  let t0 = performance.now();
  const lap = (step: string) => {
    onStep?.(step, performance.now() - t0);
    t0 = performance.now();
  };
  const stepOf = paragraphSteps(ref);
  const published = protectKeyFigures(rows, stepOf);
  lap('disclosure_control');
  await replacePublished(tx, published);
  const yearAgo = addMonths(today, -12);
  lap('write_published');
  const steps = [...new Set(stepOf.values())].sort((a, b) => a - b);
  return protectLadder(await ladderFlows(tx, ref, today, yearAgo), steps, yearAgo, today);
}

/** One published series: a municipality's figures for one indicator, period kind and breakdown value. */
interface Series {
  periodKind: string;
  breakdown: string;
  indicator: string;
  value: string;
  starts: string[];
  statuses: string[];
  numerators: (number | null)[];
  denominators: (number | null)[];
  figures: (number | null)[];
}

const sameSeries = (s: Series, r: PublishedFigure) =>
  s.periodKind === r.periodKind &&
  s.breakdown === r.breakdown &&
  s.indicator === r.indicator &&
  s.value === r.value;

/** Consecutive figures of one series as one series; `ordered` is false when a period does not rise. */
function runs(rows: readonly PublishedFigure[]): { out: Series[]; ordered: boolean } {
  const out: Series[] = [];
  let ordered = true;
  let s: Series | undefined;
  for (const r of rows) {
    if (!s || !sameSeries(s, r)) {
      s = {
        periodKind: r.periodKind,
        breakdown: r.breakdown,
        indicator: r.indicator,
        value: r.value,
        starts: [],
        statuses: [],
        numerators: [],
        denominators: [],
        figures: [],
      };
      out.push(s);
    } else if (r.periodStart <= s.starts[s.starts.length - 1]!) ordered = false;
    s.starts.push(r.periodStart);
    s.statuses.push(r.status);
    s.numerators.push(r.numerator);
    s.denominators.push(r.denominator);
    s.figures.push(r.figure);
  }
  return { out, ordered };
}

/**
 * The figures as series, periods in order. Figures that arrive ordered by series and period (as the refresh
 * computes them) take one pass; any other order (an exchange file) is grouped and sorted first.
 */
export function seriesOf(rows: readonly PublishedFigure[]): Series[] {
  const key = (x: { periodKind: string; breakdown: string; indicator: string; value: string }) =>
    `${x.periodKind}|${x.breakdown}|${x.indicator}|${x.value}`;
  const { out, ordered } = runs(rows);
  if (ordered && new Set(out.map(key)).size === out.length) return out;
  const groups = new Map<string, PublishedFigure[]>();
  for (const r of rows) {
    const k = key(r);
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  const byPeriod = (x: PublishedFigure, y: PublishedFigure) =>
    x.periodStart < y.periodStart ? -1 : x.periodStart > y.periodStart ? 1 : 0;
  return runs([...groups.values()].flatMap((list) => list.sort(byPeriod))).out;
}

/**
 * Replaces the tenant's published figures (the transaction's tenant) with these, stored as series
 * (key_figure_series: one row per indicator × kind of period × breakdown value, periods in order), in
 * slices, each one statement with the series as one JSON parameter.
 */
export async function replacePublished(tx: Tx, rows: readonly PublishedFigure[]): Promise<void> {
  const out = seriesOf(rows);
  await tx.execute(sql`delete from key_figure_series where municipality_id = app_municipality_id()`);
  for (let i = 0; i < out.length; i += 2000)
    await tx.execute(sql`
      insert into key_figure_series (municipality_id, period_kind, breakdown, indicator, value, period_starts,
                                     statuses, numerators, denominators, figures)
      select app_municipality_id(), x."periodKind", x.breakdown, x.indicator, x.value, x.starts, x.statuses,
             x.numerators, x.denominators, x.figures
        from jsonb_to_recordset(${JSON.stringify(out.slice(i, i + 2000))}::jsonb) as x("periodKind" text,
             breakdown text, indicator text, value text, starts date[], statuses text[], numerators numeric[],
             denominators numeric[], figures numeric[])`);
}

/** The current definitions' fingerprint, computed once per Reference (it is the same for the process). */
const definitions = new WeakMap<Reference, string>();
export function definitionOf(ref: Reference): string {
  let d = definitions.get(ref);
  if (!d) {
    d = keyFigureDefinition(ref, PROTECTION_VERSION);
    definitions.set(ref, d);
  }
  return d;
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
      rowsOf<{ id: string }>(await tx.execute(sql`select key_figures_dirty(${definitionOf(ref)}) as id`)).map(
        (r) => r.id,
      ),
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
