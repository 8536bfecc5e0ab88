import { desc, eq, sql } from 'drizzle-orm';
import { danishDate, type IsoDate } from '../../../shared/domain/dates';
import { INDICATORS, type Indicator, PERIOD_MONTHS, type PeriodKind } from '../../../shared/indicators';
import {
  type ComparisonGroupBody,
  EXCHANGE_FORMAT,
  type ExchangeFile,
  type FigurePoint,
  type FigureStatusKey,
  type GroupPoint,
  type KeyFigureSettings,
} from '../../../shared/keyfigures';
import {
  comparisonGroups,
  keyFigureLadders,
  keyFigureState,
  municipalities,
  orgUnits,
} from '../../db/schema';
import { type AuditContext, audit } from '../../platform/audit';
import { inOtherTenant, ownMunicipality, rowsOf, type Tx } from '../../platform/tenancy';
import type { Reference } from '../reference/reference';
import { exposedFigures, type PublishedLadder, partsOf, primaryReason } from './keyfigures.protect';
import { dueThrough, keyFiguresFrom, replacePublished } from './keyfigures.refresh';

/**
 * The dashboard's reads (issue 5). Everything comes from key_figures_published: figures that passed
 * disclosure control when they were computed. The municipality's own breakdowns are readable only by
 * itself (RLS); other municipalities' totals by all, and group and country figures are aggregated from the
 * members' published figures only, so they cannot reveal anything a member withheld.
 */

export interface Municipality {
  id: string;
  code: string;
  name: string;
}

export async function directory(tx: Tx): Promise<Municipality[]> {
  return rowsOf<Municipality>(await tx.execute(sql`select id, code, name from municipality_directory()`));
}

const num = (v: string | number | null) => (v === null ? null : Number(v));

interface PublishedRow {
  municipality_id: string;
  indicator: string;
  period_start: string;
  breakdown: string;
  value: string;
  status: FigureStatusKey;
  numerator: string | null;
  denominator: string | null;
  figure: string | null;
}

const pointOf = (r: PublishedRow): FigurePoint => ({
  start: r.period_start,
  status: r.status,
  numerator: num(r.numerator),
  denominator: num(r.denominator),
  figure: num(r.figure),
});

/** The municipality's own published figures (RLS would also let other municipalities' totals through). */
async function ownPublished(
  tx: Tx,
  where: {
    indicator?: string;
    periodKind: PeriodKind;
    breakdown?: string;
  },
): Promise<PublishedRow[]> {
  const conditions = [sql`period_kind = ${where.periodKind}`, sql`municipality_id = app_municipality_id()`];
  if (where.indicator) conditions.push(sql`indicator = ${where.indicator}`);
  if (where.breakdown !== undefined) conditions.push(sql`breakdown = ${where.breakdown}`);
  return rowsOf<PublishedRow>(
    await tx.execute(sql`
      select municipality_id, indicator, period_start::text as period_start, breakdown, value, status,
             numerator, denominator, figure
        from key_figures_published where ${sql.join(conditions, sql` and `)}
       order by indicator, breakdown, value, period_start`),
  );
}

/**
 * When the figures were last published, whether a period that has ended is still waiting to be published
 * (the sweep takes it within seconds; edits to published periods never change them), and where they start.
 */
export async function state(tx: Tx, today: IsoDate) {
  const [s] = await tx
    .select({ computedAt: keyFigureState.computedAt, publishedThrough: keyFigureState.publishedThrough })
    .from(keyFigureState);
  return {
    computedAt: s?.computedAt ?? null,
    pending: (s?.publishedThrough ?? null) !== dueThrough(today),
    from: await keyFiguresFrom(tx),
  };
}

/** Every indicator's own series (the municipality as a whole) for one kind of period. */
export async function overview(tx: Tx, periodKind: PeriodKind, today: IsoDate) {
  const rows = await ownPublished(tx, { periodKind, breakdown: '' });
  const byIndicator = new Map<string, FigurePoint[]>();
  for (const r of rows) {
    const list = byIndicator.get(r.indicator) ?? [];
    list.push(pointOf(r));
    byIndicator.set(r.indicator, list);
  }
  return {
    municipality: await ownMunicipality(tx),
    ...(await state(tx, today)),
    periodKind,
    indicators: INDICATORS.map((i) => ({ key: i.key, points: byIndicator.get(i.key) ?? [] })),
  };
}

/**
 * A group's figure per period from its members' published figures, aggregated in the database: counts and
 * amounts as the average per municipality (sum over members shown / members shown); rates, means and
 * amounts per citizen as Σ numerator / Σ denominator; a median duration as the median of the members'
 * medians. Withheld members are left out, and each point says how many counted of how many.
 */
export async function aggregate(
  tx: Tx,
  ind: Indicator,
  periodKind: PeriodKind,
  members: readonly string[],
): Promise<GroupPoint[]> {
  if (!members.length) return [];
  // Published totals are the same for every reader and change at most once per refresh sweep (10 s): a
  // short-lived cache spares the database the same aggregate for every dashboard view.
  const key = `${ind.key}|${periodKind}|${[...members].sort().join(',')}`;
  const hit = AGGREGATES.get(key);
  if (hit && performance.now() - hit.at < AGGREGATE_TTL_MS) return hit.points;
  const points = await aggregateNow(tx, ind, periodKind, members);
  if (AGGREGATES.size >= 1000) AGGREGATES.clear();
  AGGREGATES.set(key, { at: performance.now(), points });
  return points;
}

const AGGREGATE_TTL_MS = 10_000;
const AGGREGATES = new Map<string, { at: number; points: GroupPoint[] }>();

async function aggregateNow(
  tx: Tx,
  ind: Indicator,
  periodKind: PeriodKind,
  members: readonly string[],
): Promise<GroupPoint[]> {
  const rows = rowsOf<{
    start: string;
    contributing: number;
    num: string | null;
    den: string | null;
    median: number | null;
    of: number;
  }>(
    await tx.execute(sql`
      with r as (
        select period_start, status, numerator, denominator, figure, municipality_id
          from key_figures_published
         where indicator = ${ind.key} and period_kind = ${periodKind} and breakdown = ''
           and municipality_id = any(${`{${members.join(',')}}`}::uuid[]))
      select period_start::text as start,
             count(*) filter (where status = 'shown')::int as contributing,
             sum(numerator) filter (where status = 'shown') as num,
             sum(denominator) filter (where status = 'shown') as den,
             (percentile_cont(0.5) within group (order by figure) filter (where status = 'shown'))::float8 as median,
             (select count(distinct municipality_id) from r)::int as of
        from r group by period_start order by period_start`),
  );
  return rows.map((r) => {
    let figure: number | null = null;
    if (r.contributing > 0) {
      const num = Number(r.num ?? 0);
      const den = Number(r.den ?? 0);
      if (ind.kind === 'duration') figure = r.median === null ? null : Number(r.median);
      // Counts and amounts depend on size: a group is compared as the average municipality.
      else if (ind.kind === 'count' || ind.key === 'spend') figure = num / r.contributing;
      else figure = den > 0 ? num / den : null;
    }
    return { start: r.start, figure, contributing: r.contributing, of: r.of };
  });
}

export async function breakdownLabels(
  tx: Tx,
  ref: Reference,
  breakdown: string,
): Promise<Map<string, string>> {
  if (breakdown === 'unit') {
    const units = await tx.select({ id: orgUnits.id, name: orgUnits.name }).from(orgUnits);
    return new Map(units.map((u) => [u.id, u.name]));
  }
  if (breakdown === 'paragraph') {
    const codes = ref.ofKind(ref.current('serviceloven').key, 'paragraph');
    return new Map(codes.map((c) => [c.code, `${c.code} ${c.display}`]));
  }
  if (breakdown === 'target_group') {
    const codes = ref.ofKind(ref.current('ffb').key, 'target_group');
    return new Map(codes.map((c) => [c.code, c.display]));
  }
  return new Map();
}

/**
 * One indicator: the municipality's series, optionally broken down, against a comparison group and the
 * country, with the group members' latest figures.
 */
export async function indicatorView(
  tx: Tx,
  ref: Reference,
  ind: Indicator,
  opts: { periodKind: PeriodKind; breakdown?: string; groupId?: string },
) {
  const own = await ownMunicipality(tx);
  const mine = await ownPublished(tx, {
    indicator: ind.key,
    periodKind: opts.periodKind,
    breakdown: '',
  });
  let breakdown = null;
  if (opts.breakdown) {
    const rows = await ownPublished(tx, {
      indicator: ind.key,
      periodKind: opts.periodKind,
      breakdown: opts.breakdown,
    });
    const labels = await breakdownLabels(tx, ref, opts.breakdown);
    const values = new Map<string, FigurePoint[]>();
    for (const r of rows) {
      const list = values.get(r.value) ?? [];
      list.push(pointOf(r));
      values.set(r.value, list);
    }
    breakdown = {
      kind: opts.breakdown,
      values: [...values.entries()].map(([value, points]) => ({
        value,
        label: labels.get(value) ?? (opts.breakdown === 'step' ? `Trin ${value}` : value),
        points,
      })),
    };
  }
  const all = await directory(tx);
  const names = new Map(all.map((m) => [m.id, m]));
  const groups = await tx
    .select({ id: comparisonGroups.id, name: comparisonGroups.name, members: comparisonGroups.members })
    .from(comparisonGroups)
    .orderBy(comparisonGroups.name);
  const chosen = opts.groupId ? groups.find((g) => g.id === opts.groupId) : groups[0];
  let group = null;
  if (chosen) {
    const members = chosen.members.filter((id) => names.has(id));
    // Each member's figure for the latest complete period, for the side-by-side view (a period in progress
    // holds partial figures: comparing them would mislead).
    const latest = rowsOf<PublishedRow>(
      await tx.execute(sql`
        select distinct on (municipality_id) municipality_id, indicator, period_start::text as period_start,
               breakdown, value, status, numerator, denominator, figure
          from key_figures_published
         where indicator = ${ind.key} and period_kind = ${opts.periodKind} and breakdown = ''
           and municipality_id = any(${`{${members.join(',')}}`}::uuid[])
           and period_start + ${`${PERIOD_MONTHS[opts.periodKind]} months`}::interval
               <= (now() at time zone 'Europe/Copenhagen')::date
         order by municipality_id, period_start desc`),
    );
    const latestStart =
      latest
        .map((r) => r.period_start)
        .sort()
        .at(-1) ?? '';
    group = {
      id: chosen.id,
      name: chosen.name,
      points: (await aggregate(tx, ind, opts.periodKind, members)).map((p) => ({ ...p, of: members.length })),
      members: members.map((id) => {
        const r = latest.find((x) => x.municipality_id === id && x.period_start === latestStart);
        return { id, name: names.get(id)!.name, own: id === own.id, latest: r ? pointOf(r) : null };
      }),
    };
  }
  return {
    indicator: ind.key,
    periodKind: opts.periodKind,
    municipality: own,
    own: mine.map(pointOf),
    breakdown,
    groups: groups.map((g) => ({ id: g.id, name: g.name })),
    group,
    country: {
      points: await aggregate(
        tx,
        ind,
        opts.periodKind,
        all.map((m) => m.id),
      ),
    },
  };
}

/** The newest published ladder (each is frozen when published: keyfigures.refresh.ts). */
export async function ladder(tx: Tx, ref: Reference) {
  const [s] = await tx
    .select({ ladder: keyFigureLadders.ladder, computedAt: keyFigureLadders.publishedAt })
    .from(keyFigureLadders)
    .orderBy(desc(keyFigureLadders.today))
    .limit(1);
  const steps = ref.ofKind(ref.current('serviceloven').key, 'ladder_step');
  return {
    computedAt: s?.computedAt ?? null,
    ladder: (s?.ladder ?? null) as PublishedLadder | null,
    stepNames: Object.fromEntries(steps.map((c) => [String(c.attrs.step), c.display])),
  };
}

/** Every published figure of the municipality (all breakdowns), for CSV and XLSX. Audited as an export. */
export async function exportRows(
  tx: Tx,
  ctx: AuditContext,
  ref: Reference,
  opts: { periodKind?: PeriodKind; format: string },
) {
  const kinds: PeriodKind[] = opts.periodKind ? [opts.periodKind] : ['year', 'quarter', 'month'];
  const byKey = new Map(INDICATORS.map((i) => [i.key, i]));
  const labels = new Map<string, Map<string, string>>();
  for (const b of ['unit', 'paragraph', 'target_group']) labels.set(b, await breakdownLabels(tx, ref, b));
  const out: (string | number | null)[][] = [];
  for (const kind of kinds)
    for (const r of await ownPublished(tx, { periodKind: kind })) {
      const ind = byKey.get(r.indicator)!;
      out.push([
        r.indicator,
        ind.name,
        kind,
        r.period_start,
        r.breakdown,
        r.breakdown === '' ? '' : (labels.get(r.breakdown)?.get(r.value) ?? r.value),
        // One word for every withheld figure, as in the dashboard: the reason is never published.
        r.status === 'shown' ? 'vist' : 'skjult',
        num(r.numerator),
        num(r.denominator),
        num(r.figure),
      ]);
    }
  await audit(tx, ctx, {
    action: 'export',
    policy: 'keyfigures.read',
    resourceType: 'key_figures',
    criteria: { format: opts.format, period: opts.periodKind ?? 'all', rows: out.length },
  });
  return out;
}

export const EXPORT_COLUMNS = [
  'indikator',
  'navn',
  'periodetype',
  'periode_start',
  'opdeling',
  'værdi',
  'status',
  'tæller',
  'nævner',
  'tal',
];

/** The municipality's published totals as an exchange file (docs/benchmark-exchange.md). */
export async function exchangeExport(tx: Tx, ctx: AuditContext, now: Date): Promise<ExchangeFile> {
  const own = await ownMunicipality(tx);
  const { computedAt } = await state(tx, danishDate(now));
  const figures: ExchangeFile['figures'] = [];
  for (const kind of ['month', 'quarter', 'year'] as const)
    for (const r of await ownPublished(tx, { periodKind: kind, breakdown: '' }))
      figures.push({
        indicator: r.indicator,
        periodKind: kind,
        periodStart: r.period_start,
        status: r.status,
        numerator: num(r.numerator),
        denominator: num(r.denominator),
        figure: num(r.figure),
      });
  await audit(tx, ctx, {
    action: 'export',
    policy: 'keyfigures.read',
    resourceType: 'key_figures_exchange',
    criteria: { figures: figures.length },
  });
  return {
    format: EXCHANGE_FORMAT,
    municipality: { code: own.code, name: own.name },
    computedAt: computedAt ? computedAt.toISOString() : null,
    generatedAt: now.toISOString(),
    figures,
  };
}

// ---- comparison groups ----

export async function listGroups(tx: Tx) {
  return tx.select().from(comparisonGroups).orderBy(desc(comparisonGroups.updatedAt));
}

/** Members must be municipalities of this deployment; returns the unknown ones. */
async function unknownMembers(tx: Tx, members: string[]): Promise<string[]> {
  const known = new Set((await directory(tx)).map((m) => m.id));
  return members.filter((m) => !known.has(m));
}

export async function saveGroup(
  tx: Tx,
  ctx: AuditContext,
  body: ComparisonGroupBody,
  id?: string,
): Promise<{ ok: typeof comparisonGroups.$inferSelect } | { notFound: true } | { unknown: string[] }> {
  const unknown = await unknownMembers(tx, body.members);
  if (unknown.length) return { unknown };
  if (id) {
    const [row] = await tx
      .update(comparisonGroups)
      .set({ name: body.name, members: body.members, updatedAt: sql`now()` })
      .where(eq(comparisonGroups.id, id))
      .returning();
    if (!row) return { notFound: true };
    await audit(tx, ctx, {
      action: 'update',
      policy: 'keyfigures.manage',
      resourceType: 'comparison_group',
      resourceId: id,
    });
    return { ok: row };
  }
  const [row] = await tx
    .insert(comparisonGroups)
    .values({ municipalityId: ctx.actor.municipalityId, name: body.name, members: body.members })
    .returning();
  await audit(tx, ctx, {
    action: 'create',
    policy: 'keyfigures.manage',
    resourceType: 'comparison_group',
    resourceId: row!.id,
  });
  return { ok: row! };
}

export async function deleteGroup(tx: Tx, ctx: AuditContext, id: string): Promise<boolean> {
  const rows = await tx
    .delete(comparisonGroups)
    .where(eq(comparisonGroups.id, id))
    .returning({ id: comparisonGroups.id });
  if (!rows.length) return false;
  await audit(tx, ctx, {
    action: 'delete',
    policy: 'keyfigures.manage',
    resourceType: 'comparison_group',
    resourceId: id,
  });
  return true;
}

/** The deployment's municipalities with their latest shown yearly citizen count (to group by size; null if none is). */
export async function municipalitiesWithSize(tx: Tx) {
  const all = await directory(tx);
  const own = await ownMunicipality(tx);
  const rows = rowsOf<{ municipality_id: string; figure: string | null; period_start: string }>(
    await tx.execute(sql`
      select distinct on (municipality_id) municipality_id, figure, period_start::text as period_start
        from key_figures_published
       where indicator = 'citizens' and period_kind = 'year' and breakdown = '' and status = 'shown'
       order by municipality_id, period_start desc`),
  );
  const size = new Map(rows.map((r) => [r.municipality_id, num(r.figure)]));
  return all.map((m) => ({ ...m, own: m.id === own.id, citizens: size.get(m.id) ?? null }));
}

export interface ExchangeProblem {
  line: number;
  indicator: string;
  periodKind: string;
  periodStart: string;
  message: string;
}

/**
 * Loads another deployment's exchange file (a national instance collecting many): checks that it is
 * protected (no shown figure fails its own rule, withheld figures carry no numbers, and no withheld figure
 * can be computed from the shown ones across periods), then replaces that municipality's published totals
 * here. A municipality whose figures are computed here from its own pathways is never replaced.
 */
export async function importExchange(
  tx: Tx,
  ctx: AuditContext,
  file: ExchangeFile,
  stepOf: ReadonlyMap<string, number>,
): Promise<
  { ok: { municipalityId: string; figures: number } } | { invalid: ExchangeProblem[] } | { ownData: true }
> {
  const byKey = new Map(INDICATORS.map((i) => [i.key, i]));
  const problems: ExchangeProblem[] = [];
  const seen = new Set<string>();
  const rows = file.figures.map((f, k) => {
    const ind = byKey.get(f.indicator)!;
    const problem = (message: string) =>
      problems.push({
        line: k + 1,
        indicator: f.indicator,
        periodKind: f.periodKind,
        periodStart: f.periodStart,
        message,
      });
    const key = `${f.indicator}|${f.periodKind}|${f.periodStart}`;
    if (seen.has(key)) problem('Tallet står to gange.');
    seen.add(key);
    if (f.status === 'shown') {
      // A duration's median travels as its numerator beside its count.
      if (f.numerator === null || partsOf(ind).some((part) => f[part] === null))
        problem('Et vist tal mangler tæller eller nævner.');
      // Amounts carry no contributors in the file: their dominance rule is the sender's.
      else if (ind.kind !== 'amount') {
        const reason = primaryReason(ind, {
          indicator: f.indicator,
          periodKind: f.periodKind,
          periodStart: f.periodStart,
          breakdown: '',
          value: '',
          numerator: f.numerator,
          denominator: f.denominator,
        });
        if (reason) problem('Et vist tal er under 3 (eller dets rest er).');
      }
    } else if (f.numerator !== null || f.denominator !== null || f.figure !== null)
      problem('Et tilbageholdt tal må ikke have tal med.');
    return {
      indicator: f.indicator,
      periodKind: f.periodKind,
      periodStart: f.periodStart,
      breakdown: '',
      value: '',
      numerator: f.numerator ?? 0,
      denominator: f.denominator,
      status: f.status,
    };
  });
  if (!problems.length)
    for (const k of exposedFigures(rows, stepOf)) {
      const r = rows[k]!;
      problems.push({
        line: k + 1,
        indicator: r.indicator,
        periodKind: r.periodKind,
        periodStart: r.periodStart,
        message: 'Et tilbageholdt tal kan regnes ud af de viste (måneder, kvartaler og år).',
      });
    }
  if (problems.length) return { invalid: problems };
  const [target] = rowsOf<{ id: string; has_users: boolean }>(
    await tx.execute(
      sql`select id, has_users from exchange_municipality(${file.municipality.code}, ${file.municipality.name})`,
    ),
  );
  if (!target || target.has_users) return { ownData: true };
  await inOtherTenant(tx, target.id, async (other) => {
    await replacePublished(
      other,
      file.figures.map((f) => ({ ...f, breakdown: '', value: '' })),
    );
    const computedAt = file.computedAt ? new Date(file.computedAt) : new Date(file.generatedAt);
    await other
      .insert(keyFigureState)
      .values({ municipalityId: target.id, computedAt, rows: file.figures.length, source: 'exchange' })
      .onConflictDoUpdate({
        target: keyFigureState.municipalityId,
        set: { computedAt, rows: file.figures.length, source: 'exchange', dirtySince: null },
      });
  });
  await audit(tx, ctx, {
    action: 'create',
    policy: 'keyfigures.manage',
    resourceType: 'key_figures_exchange',
    resourceId: target.id,
    criteria: { code: file.municipality.code, figures: file.figures.length },
  });
  return { ok: { municipalityId: target.id, figures: file.figures.length } };
}

/**
 * Where the municipality's key figures start (municipalities.key_figures_from, null: as far back as its data
 * go) and the first period it has published, which the start cannot move past.
 */
export async function keyFigureSettings(
  tx: Tx,
): Promise<KeyFigureSettings & { publishedFrom: IsoDate | null }> {
  const [r] = rowsOf<{ published_from: string | null }>(
    await tx.execute(sql`select min(period_starts[1])::text as published_from from key_figure_series
                          where municipality_id = app_municipality_id()`),
  );
  return { from: await keyFiguresFrom(tx), publishedFrom: r?.published_from ?? null };
}

/**
 * Sets where the key figures start. A start later than a period already published is refused: published
 * periods are frozen (decision 010). The refresh job then publishes any periods the new start lets in.
 */
export async function saveKeyFigureSettings(
  tx: Tx,
  ctx: AuditContext,
  body: KeyFigureSettings,
): Promise<{ ok: Awaited<ReturnType<typeof keyFigureSettings>> } | { publishedFrom: IsoDate }> {
  const { publishedFrom } = await keyFigureSettings(tx);
  if (body.from && publishedFrom && body.from > publishedFrom) return { publishedFrom };
  await tx
    .update(municipalities)
    .set({ keyFiguresFrom: body.from })
    .where(eq(municipalities.id, ctx.actor.municipalityId));
  // Due again: the next sweep publishes what the new start lets in.
  await tx
    .update(keyFigureState)
    .set({ definition: null })
    .where(eq(keyFigureState.municipalityId, ctx.actor.municipalityId));
  await audit(tx, ctx, {
    action: 'update',
    policy: 'keyfigures.manage',
    resourceType: 'key_figure_settings',
    criteria: { from: body.from },
  });
  return { ok: await keyFigureSettings(tx) };
}
