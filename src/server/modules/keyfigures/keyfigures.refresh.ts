import { eq, sql } from 'drizzle-orm';
import { addDays, addMonths, danishDate, type IsoDate, maxDate } from '../../../shared/domain/dates';
import { brokenDown, INDICATORS, type PeriodKind, periodEnd } from '../../../shared/indicators';
import type { Clock } from '../../app';
import type { Database } from '../../db/client';
import { keyFigureLadders, keyFigureState } from '../../db/schema';
import { rowsOf, type Tx, withoutTenant, withTenant } from '../../platform/tenancy';
import type { Reference } from '../reference/reference';
import { type AuditFailure, type AuditLadder, auditKeyFigures, transitionLadder } from './keyfigures.audit';
import {
  computeKeyFigures,
  type KeyFigureRow,
  keyFigureDefinition,
  type LadderFlow,
  ladderFlows,
  type PeriodTransitions,
  paragraphSteps,
  periodTransitions,
} from './keyfigures.compute';
import {
  type FigureStatus,
  figureRank,
  ladderTable,
  PROTECTION_VERSION,
  type PublishedFigure,
  type PublishedLadder,
  protectKeyFigures,
  protectLadder,
  type TableCheck,
  tablePositions,
} from './keyfigures.protect';

/** How far back figures go: the current year and the nine before it. */
export const YEARS_BACK = 9;

export interface RefreshResult {
  municipalityId: string;
  rows: number;
  ms: number;
  publication: PublicationStats;
}

/**
 * Computes one municipality's key figures and publishes the periods that have become due, in three steps:
 * read (the figures, what was published before and the ladders' true counts, in one transaction), decide
 * (protection and the audit, which take from seconds to minutes, outside any transaction, so the database
 * serves requests meanwhile — on embedded PGlite, with its one connection, nothing else could run), and
 * write (in a second transaction that locks the state row and gives up when another instance published in
 * between). With onlyIfDue, nothing is done when every due period is published under the current definitions.
 */
export async function refreshMunicipality(
  database: Database,
  ref: Reference,
  municipalityId: string,
  today: string,
  opts: { onlyIfDue?: boolean; onQuery?: (statement: string, ms: number) => void } = {},
): Promise<RefreshResult | null> {
  const ctx = { municipalityId, userId: null };
  const definition = definitionOf(ref);
  const due = dueThrough(today);
  const started = performance.now();
  const stateOf = async (tx: Tx, lock: boolean) => {
    const [state] = rowsOf<{ published_through: string | null; definition: string | null }>(
      await tx.execute(sql`select published_through::text as published_through, definition from key_figure_state
                            where municipality_id = app_municipality_id() ${lock ? sql`for update` : sql``}`),
    );
    return state;
  };
  const read = await withTenant(database, ctx, async (tx) => {
    await tx.execute(sql`insert into key_figure_state (municipality_id) values (app_municipality_id())
                         on conflict do nothing`);
    const state = await stateOf(tx, false);
    if (opts.onlyIfDue && state?.published_through === due && state.definition === definition) return null;
    const figures = await currentFigures(tx, ref, today, opts.onQuery);
    return {
      state,
      rows: figures.length,
      input: await readPublication(tx, ref, figures, today, opts.onQuery),
    };
  });
  if (!read) return null;
  const decided = await decidePublication(read.input, paragraphSteps(ref), opts.onQuery);
  return withTenant(database, ctx, async (tx) => {
    // One publication at a time per municipality: the state row is locked while writing, and a publication
    // made by another instance since this one read is not overwritten.
    const state = await stateOf(tx, true);
    if (
      state?.published_through !== read.state?.published_through ||
      state?.definition !== read.state?.definition
    )
      return null;
    const t0 = performance.now();
    await writePublication(tx, decided);
    opts.onQuery?.('write_published', performance.now() - t0);
    const ms = Math.round(performance.now() - started);
    await tx
      .update(keyFigureState)
      .set({
        dirtySince: null,
        computedAt: sql`now()`,
        durationMs: ms,
        rows: read.rows,
        definition,
        publishedThrough: decided.through,
      })
      .where(eq(keyFigureState.municipalityId, municipalityId));
    return { municipalityId, rows: read.rows, ms, publication: decided.stats };
  });
}

/**
 * The transaction's municipality's figures, raw, for the periods starting on or after the later of its
 * key-figure start (municipalities.key_figures_from: its data are complete from there) and the first day of
 * the year nine years before this one.
 */
export async function currentFigures(
  tx: Tx,
  ref: Reference,
  today: string,
  onQuery?: (statement: string, ms: number) => void,
): Promise<KeyFigureRow[]> {
  const from = maxDate(`${Number(today.slice(0, 4)) - YEARS_BACK}-01-01`, (await keyFiguresFrom(tx)) ?? '');
  return computeKeyFigures(tx, ref, { from, today, onQuery });
}

/** The day the transaction's municipality publishes key figures from (null: as far back as its data go). */
export async function keyFiguresFrom(tx: Tx): Promise<IsoDate | null> {
  const [m] = rowsOf<{ from: string | null }>(
    await tx.execute(
      sql`select key_figures_from::text as from from municipalities where id = app_municipality_id()`,
    ),
  );
  return m?.from ?? null;
}

/** Days after a period's end before it is published, so late registrations land first; then it is frozen. */
export const SETTLE_DAYS = 5;

/** The last day of the last month whose end is at least SETTLE_DAYS before today: periods ending by then are due. */
export function dueThrough(today: IsoDate): IsoDate {
  const x = addDays(today, -SETTLE_DAYS);
  const nextDay = addDays(x, 1);
  return nextDay.slice(8) === '01' ? x : addDays(`${x.slice(0, 8)}01`, -1);
}

/**
 * What is published: every indicator for the whole municipality by month, quarter and year, and its
 * breakdowns (paragraph, step, unit, target group) where brokenDown says so: by year, and by quarter unless
 * the indicator's events are too few. Months are not broken down: their cells are mostly 1–2 and would be
 * withheld, and every extra overlapping table is one more set of links to attack (decision 010 has the
 * measurements).
 */
export const inPublication = (r: { indicator: string; periodKind: PeriodKind; breakdown: string }) =>
  r.breakdown === '' || brokenDown(INDICATOR_BY_KEY.get(r.indicator), r.periodKind);
const INDICATOR_BY_KEY = new Map(INDICATORS.map((i) => [i.key, i]));

/** Indicators that share a quantity, so that withholding one indicator's figures withholds the other's too. */
const SHARING: Record<string, string[]> = {
  spend: ['spend', 'spend_per_citizen', 'spend_per_goal_achieved'],
  spend_per_citizen: ['spend', 'spend_per_citizen', 'spend_per_goal_achieved'],
  spend_per_goal_achieved: ['spend', 'spend_per_citizen', 'spend_per_goal_achieved'],
  step_down: ['step_down', 'step_up'],
  step_up: ['step_down', 'step_up'],
  ended_need_met: ['ended_need_met', 'days_on_step'],
  days_on_step: ['ended_need_met', 'days_on_step'],
  plan_offered: ['plan_offered', 'plan_accepted'],
  plan_accepted: ['plan_offered', 'plan_accepted'],
};

/** How many times the audit may ask for more suppression before every new figure linked to a failure is withheld. */
const AUDIT_ROUNDS = 20;
/** Rounds a failure may survive the nearest-neighbour suggestions before what binds it is searched for. */
const STUCK_ROUNDS = 3;

export interface PublicationStats {
  newFigures: number;
  withheldPrimary: number;
  withheldComplementary: number;
  withheldAudit: number;
  auditRounds: number;
  auditMs: number;
  solves: number;
  /** Trial audits of the search for what binds stuck failures (bindingFigures), at most BINDING_BUDGET. */
  bindingTrials: number;
}

const figureKey = (r: {
  indicator: string;
  periodKind: string;
  periodStart: string;
  breakdown: string;
  value: string;
}) => `${r.indicator}|${r.periodKind}|${r.periodStart}|${r.breakdown}|${r.value}`;

/** What a publication is decided from: read in the refresh's first transaction. */
interface PublicationInput {
  through: IsoDate;
  /** Every due figure and every figure published before (at its value today, zero if its data are gone). */
  system: KeyFigureRow[];
  /** For each figure of the system: as published before, 'unpublished' (a frozen period's figure that was
   * not published then), or undefined (new). */
  settled: (PublishedFigure | 'unpublished' | undefined)[];
  /** Every ladder published before, with its true counts today. */
  ladders: AuditLadder[];
  /** The transitions of every complete quarter and year (never published; the audit's latent ladders). */
  transitions: PeriodTransitions[];
  /** The new ladder's days and true flows, when none is published for the last published month yet. */
  newLadder: { yearAgo: IsoDate; today: IsoDate; flows: LadderFlow[] } | null;
}

/** What is written: the published figures (old and new), the protection log's new lines, the new ladder. */
interface Publication {
  through: IsoDate;
  out: PublishedFigure[];
  log: PublishedFigure[];
  ladder: PublishedLadder | null;
  stats: PublicationStats;
}

/**
 * Reads what the publication of the periods due by today (ended at least SETTLE_DAYS ago, not published yet)
 * is decided from: a published period is frozen — never published again, so no two publications of one
 * period can be subtracted (decision 010) — and the new figures are protected together with everything
 * published before, ladders included.
 */
async function readPublication(
  tx: Tx,
  ref: Reference,
  rows: readonly KeyFigureRow[],
  today: string,
  onStep?: (step: string, ms: number) => void,
): Promise<PublicationInput> {
  const t0 = performance.now();
  const through = dueThrough(today);
  const before = await publishedFigures(tx);
  const settledByKey = new Map(before.map((f) => [figureKey(f), f]));
  const frozenPeriods = new Set(before.map((f) => `${f.periodKind}|${f.periodStart}`));
  const system: KeyFigureRow[] = [];
  const settled: PublicationInput['settled'] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (periodEnd(r.periodKind, r.periodStart) > through || !inPublication(r)) continue;
    const key = figureKey(r);
    seen.add(key);
    system.push(r);
    settled.push(
      settledByKey.get(key) ??
        (frozenPeriods.has(`${r.periodKind}|${r.periodStart}`) ? 'unpublished' : undefined),
    );
  }
  for (const f of before)
    if (!seen.has(figureKey(f))) {
      system.push({ ...f, numerator: 0, denominator: f.denominator === null ? null : 0 });
      settled.push(f);
    }
  const ladders = await publishedLadders(tx, ref);
  // The ladder at the end of the last published month, against a year before: published once, then frozen.
  let newLadder: PublicationInput['newLadder'] = null;
  // Not before the municipality's data are complete: its citizens are all known from the day before its start.
  const yearAgo = addDays(addMonths(addDays(through, 1), -12), -1);
  const from = await keyFiguresFrom(tx);
  if (!ladders.some((l) => l.now === through) && (!from || yearAgo >= addDays(from, -1))) {
    newLadder = { yearAgo, today: through, flows: await ladderFlows(tx, ref, through, yearAgo) };
  }
  const transitions = await periodTransitions(tx, through);
  onStep?.('published_before', performance.now() - t0);
  return { through, system, settled, ladders, newLadder, transitions };
}

/**
 * Decides the publication (no database): the new figures protected and audited together with everything
 * published before (protectAndAudit), then the new ladder audited jointly with all of it. Why each new figure
 * is withheld goes to the protection log only.
 */
async function decidePublication(
  input: PublicationInput,
  stepOf: ReadonlyMap<string, number>,
  onStep?: (step: string, ms: number) => void,
): Promise<Publication> {
  let t0 = performance.now();
  const lap = (step: string) => {
    onStep?.(step, performance.now() - t0);
    t0 = performance.now();
  };
  const { system, settled, ladders } = input;
  const statusOf = (k: number) => settledStatus(settled[k]);
  const latent = latentLadders(input.transitions, stepOf);
  const { published, stats } = await protectAndAudit(system, stepOf, {
    statusOf,
    onStep: lap,
    ladders,
    latent,
  });
  lap('audit');
  // What is written: every figure published before, as it was published, and the new ones.
  const out: PublishedFigure[] = [];
  const log: PublishedFigure[] = [];
  system.forEach((_, k) => {
    const s = settled[k];
    if (s === 'unpublished') return;
    if (s) {
      out.push(s);
      return;
    }
    const p = published[k]!;
    out.push(p);
    if (p.status === 'withheld') {
      log.push(p);
      if (p.reason === 'audit') stats.withheldAudit++;
      else if (p.reason === 'complementary') stats.withheldComplementary++;
      else stats.withheldPrimary++;
    }
  });
  let ladder: PublishedLadder | null = null;
  if (input.newLadder) {
    ladder = await protectLadderJointly(
      input.newLadder.flows,
      { steps: stepsOf(stepOf), yearAgo: input.newLadder.yearAgo, today: input.newLadder.today },
      system.map((row, k) => ({ row, shown: published[k]!.status === 'shown' })),
      stepOf,
      [...ladders, ...latent],
    );
    lap('ladder');
  }
  return { through: input.through, out, log, ladder, stats };
}

/** How a figure of the system was published before: its status, withheld if its frozen period left it out. */
const settledStatus = (s: PublicationInput['settled'][number]): FigureStatus | undefined =>
  s === undefined ? undefined : s === 'unpublished' ? 'withheld' : s.status;

/**
 * The independent audit of what a municipality has published, as it stands (a check, not part of a
 * publication): every published figure and ladder against the attacker's whole system, the periods'
 * transitions included. Returns the failures; none is the promise every publication keeps.
 */
export async function auditPublished(
  database: Database,
  ref: Reference,
  municipalityId: string,
  today: string,
): Promise<AuditFailure[]> {
  const input = await withTenant(database, { municipalityId, userId: null }, async (tx) =>
    readPublication(tx, ref, await currentFigures(tx, ref, today), today),
  );
  const stepOf = paragraphSteps(ref);
  const { failures } = await auditKeyFigures(
    input.system.map((row, k) => {
      return { row, shown: settledStatus(input.settled[k]) === 'shown' };
    }),
    stepOf,
    { ladders: [...input.ladders, ...latentLadders(input.transitions, stepOf)] },
  );
  return failures;
}

/** The ladder's steps, lowest first. */
const stepsOf = (stepOf: ReadonlyMap<string, number>) => [...new Set(stepOf.values())].sort((a, b) => a - b);

/** The periods' transitions as the audit's latent ladders (never published). */
export function latentLadders(
  transitions: readonly PeriodTransitions[],
  stepOf: ReadonlyMap<string, number>,
): AuditLadder[] {
  const labels = [null, ...stepsOf(stepOf)];
  return transitions.map((t) => transitionLadder(t.kind, t.start, labels, ladderTable(t.flows, labels)));
}

/** Writes a decided publication in the transaction's tenant. */
async function writePublication(tx: Tx, p: Publication): Promise<void> {
  if (p.stats.newFigures > 0) {
    // In series order, so that seriesOf groups them in one pass.
    p.out.sort(
      (a, b) =>
        a.periodKind.localeCompare(b.periodKind) ||
        a.breakdown.localeCompare(b.breakdown) ||
        a.indicator.localeCompare(b.indicator) ||
        a.value.localeCompare(b.value) ||
        a.periodStart.localeCompare(b.periodStart),
    );
    await replacePublished(tx, p.out);
    await logWithheld(tx, p.log);
  }
  if (p.ladder)
    await tx.insert(keyFigureLadders).values({
      municipalityId: sql`app_municipality_id()`,
      yearAgo: p.ladder.yearAgo,
      today: p.ladder.today,
      ladder: p.ladder,
    });
}

/** The ladders published before, each with its true counts today (as the figures published before). */
async function publishedLadders(tx: Tx, ref: Reference): Promise<AuditLadder[]> {
  const rows = await tx
    .select({ ladder: keyFigureLadders.ladder })
    .from(keyFigureLadders)
    .orderBy(keyFigureLadders.today);
  const out: AuditLadder[] = [];
  for (const { ladder } of rows) {
    const l = ladder as PublishedLadder;
    out.push(auditedLadder(l, await ladderFlows(tx, ref, l.today, l.yearAgo)));
  }
  return out;
}

/** A published ladder with its true flows, as the audit takes it. */
export const auditedLadder = (l: PublishedLadder, flows: readonly LadderFlow[]): AuditLadder => ({
  before: l.yearAgo,
  now: l.today,
  labels: l.steps,
  table: ladderTable(flows, l.steps),
  published: l.table,
  target: true,
});

/**
 * A new ladder, protected and audited together with the figures (as they will be published), every earlier
 * ladder and the periods' latent ladders (ladderCheck). Null when no protection of it passes: it is then not
 * published.
 */
export function protectLadderJointly(
  flows: readonly LadderFlow[],
  days: { steps: readonly number[]; yearAgo: IsoDate; today: IsoDate },
  figures: readonly { row: KeyFigureRow; shown: boolean }[],
  stepOf: ReadonlyMap<string, number>,
  earlier: readonly AuditLadder[],
): Promise<PublishedLadder | null> {
  return protectLadder(flows, days.steps, days.yearAgo, days.today, (labels, table) =>
    ladderCheck(figures, stepOf, earlier, { before: days.yearAgo, now: days.today, labels, table }),
  );
}

const isStepMove = (r: KeyFigureRow) => r.indicator === 'step_down' || r.indicator === 'step_up';
const failureKey = (f: AuditFailure) =>
  f.ladder ? `ladder|${f.ladder.ladder}|${f.ladder.position}` : `${f.figure}|${f.quantity}`;

/**
 * The audit of a new ladder together with everything else published (a TableCheck for protectLadder): the
 * step moves (the only figures a ladder is linked to) and every earlier ladder. Its own pinned counts are
 * `narrow`; a figure or earlier ladder it pins gets the new ladder's shown positions on its links withheld
 * (all of them when none is near). Failures the publication had without the new ladder are not its doing.
 */
function ladderCheck(
  figures: readonly { row: KeyFigureRow; shown: boolean }[],
  stepOf: ReadonlyMap<string, number>,
  earlier: readonly AuditLadder[],
  ladder: Omit<AuditLadder, 'published' | 'target'>,
): TableCheck {
  const steps = figures.filter((f) => isStepMove(f.row));
  const run = async (extra: AuditLadder[]) =>
    (await auditKeyFigures(steps, stepOf, { ladders: [...earlier, ...extra] })).failures;
  let baseline: Set<string> | undefined;
  const mine = earlier.length;
  return async (published) => {
    baseline ??= new Set((await run([])).map(failureKey));
    const fresh = (await run([{ ...ladder, published, target: true }])).filter(
      (f) => !baseline!.has(failureKey(f)),
    );
    const narrow = fresh.flatMap((f) => (f.ladder?.ladder === mine ? [f.ladder.position] : []));
    const hide = fresh.flatMap((f) => {
      if (f.ladder?.ladder === mine) return [];
      const onMine = f.ladderDepths.filter((_, i) => f.ladderNeighbours[i]!.ladder === mine);
      const depth = Math.min(...onMine);
      const near = f.ladderNeighbours
        .filter((n, i) => n.ladder === mine && f.ladderDepths[i] === depth)
        .map((n) => n.position);
      return near.length > 0 ? near : tablePositions(ladder.table).map((q) => q.key);
    });
    return { narrow, hide };
  };
}

/** The transaction's municipality's published figures, one per row. */
async function publishedFigures(tx: Tx): Promise<PublishedFigure[]> {
  const rows = rowsOf<{
    indicator: string;
    period_kind: PeriodKind;
    period_start: string;
    breakdown: string;
    value: string;
    status: 'shown' | 'withheld';
    numerator: string | null;
    denominator: string | null;
    figure: string | null;
  }>(
    await tx.execute(sql`select indicator, period_kind, period_start::text as period_start, breakdown, value, status,
                                numerator, denominator, figure
                           from key_figures_published where municipality_id = app_municipality_id()`),
  );
  const num = (x: string | null) => (x === null ? null : Number(x));
  return rows.map((r) => ({
    indicator: r.indicator,
    periodKind: r.period_kind,
    periodStart: r.period_start,
    breakdown: r.breakdown,
    value: r.value,
    status: r.status,
    reason: null,
    numerator: num(r.numerator),
    denominator: num(r.denominator),
    figure: num(r.figure),
  }));
}

/** The protection log: why each new withheld figure is withheld (internal to the municipality, never published). */
async function logWithheld(tx: Tx, rows: readonly PublishedFigure[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const slice = rows.slice(i, i + 5000).map((r) => ({
      k: r.periodKind,
      s: r.periodStart,
      i: r.indicator,
      b: r.breakdown,
      v: r.value,
      r: r.reason,
    }));
    await tx.execute(sql`
      insert into key_figure_protection_log (municipality_id, period_kind, period_start, indicator, breakdown,
                                             value, reason)
      select app_municipality_id(), x.k, x.s, x.i, x.b, x.v, x.r
        from jsonb_to_recordset(${JSON.stringify(slice)}::jsonb) as x(k text, s date, i text, b text, v text, r text)
      on conflict do nothing`);
  }
}

/**
 * Protects the figures of a publication and audits the result (the figures' part of decidePublication): the new
 * figures (statusOf undefined) are protected together with those published before, then audited by the
 * independent integer programme; a rejection gets more suppression on the failing quantity's links and is
 * audited again. Returns every figure as published, with why it is withheld (the suppression's own reason,
 * or 'audit' for the audit's additions), and what it cost.
 */
export async function protectAndAudit(
  system: readonly KeyFigureRow[],
  stepOf: ReadonlyMap<string, number>,
  opts: {
    /** The status of a figure published before; undefined for a new one. */
    statusOf?: (k: number) => FigureStatus | undefined;
    onStep?: (step: string) => void;
    /** Ladders published before: fixed, linked to the step moves. */
    ladders?: readonly AuditLadder[];
    /** The periods' latent ladders (latentLadders): linked to the step moves, never published. */
    latent?: readonly AuditLadder[];
  } = {},
): Promise<{ published: PublishedFigure[]; stats: PublicationStats }> {
  const { statusOf = () => undefined, onStep, ladders = [], latent = [] } = opts;
  const alsoWithhold = new Set<number>();
  const rank = (k: number) => figureRank(system[k]!);
  let published = protectKeyFigures(system, stepOf, { settled: statusOf, alsoWithhold });
  // The reasons of the suppression's own choices (the audit's additions are 'audit').
  const firstReason = new Map(published.flatMap((p, k) => (p.reason ? [[k, p.reason] as const] : [])));
  onStep?.('disclosure_control');
  const stats: PublicationStats = {
    newFigures: system.filter((_, k) => statusOf(k) === undefined).length,
    withheldPrimary: 0,
    withheldComplementary: 0,
    withheldAudit: 0,
    auditRounds: 0,
    auditMs: 0,
    solves: 0,
    bindingTrials: 0,
  };
  // Links cross a calendar year only through the step moves: a period's moves and the next period's
  // denominator are margins of the same transitions (the latent ladders), and a published ladder links
  // periods a year apart. So the years with new figures are audited, and the step moves of every year: the
  // other figures were audited when they were published.
  const newYears = new Set(
    system.flatMap((r, k) => (statusOf(k) === undefined ? [r.periodStart.slice(0, 4)] : [])),
  );
  const acrossYears = ladders.length + latent.length > 0;
  const audited = system.flatMap((r, k) =>
    newYears.has(r.periodStart.slice(0, 4)) || (acrossYears && isStepMove(r)) ? [k] : [],
  );
  const position = new Map(audited.map((k, i) => [k, i]));
  let only: Set<number> | undefined;
  let ladderTargets = new Set(ladders.keys());
  /** Consecutive rounds each failing figure has failed. */
  const persisted = new Map<number, number>();
  /**
   * How many of `targets` (system numbering) still fail with `extra` withheld as well: a trial, which only
   * guides the choice (every round's audit is whole), over the targets' years, and the step moves of every year
   * with the ladders when a target is a step move (nothing else links across a year).
   */
  const stillFailing = async (targets: readonly number[], extra: ReadonlySet<number>) => {
    stats.bindingTrials++;
    const years = new Set(targets.map((k) => system[k]!.periodStart.slice(0, 4)));
    const steps = targets.some((k) => isStepMove(system[k]!));
    const scope = audited.filter(
      (k) => years.has(system[k]!.periodStart.slice(0, 4)) || (steps && isStepMove(system[k]!)),
    );
    const at = new Map(scope.map((k, i) => [k, i]));
    const r = await auditKeyFigures(
      scope.map((k) => ({ row: system[k]!, shown: published[k]!.status === 'shown' && !extra.has(k) })),
      stepOf,
      { only: new Set(targets.map((k) => at.get(k)!)), ladders: steps ? [...ladders, ...latent] : [] },
    );
    stats.auditMs += r.stats.ms;
    stats.solves += r.stats.solves;
    return r.failures.filter((f) => f.figure >= 0).length;
  };
  while (newYears.size > 0) {
    stats.auditRounds++;
    const result = await auditKeyFigures(
      audited.map((k) => ({ row: system[k]!, shown: published[k]!.status === 'shown' })),
      stepOf,
      {
        only: only && new Set([...only].map((k) => position.get(k)!)),
        ladders: [...ladders.map((l, i) => ({ ...l, target: ladderTargets.has(i) })), ...latent],
      },
    );
    // Back to the system's numbering.
    const audit = {
      ...result,
      failures: result.failures.map((f) => ({
        ...f,
        figure: f.figure < 0 ? -1 : audited[f.figure]!,
        neighbours: f.neighbours.map((n) => audited[n]!),
      })),
    };
    stats.auditMs += audit.stats.ms;
    stats.solves += audit.stats.solves;
    if (audit.failures.length === 0) break;
    const free = (k: number) => statusOf(k) === undefined && published[k]!.status === 'shown';
    // What is withheld stays withheld, so the next publication only adds suppression and every range only
    // widens: the next round audits the failures again.
    published.forEach((p, k) => {
      if (statusOf(k) === undefined && p.status === 'withheld') alsoWithhold.add(k);
    });
    const before = alsoWithhold.size;
    const failingNow = new Set(audit.failures.flatMap((f) => (f.figure < 0 ? [] : [f.figure])));
    for (const k of [...persisted.keys()]) if (!failingNow.has(k)) persisted.delete(k);
    for (const k of failingNow) persisted.set(k, (persisted.get(k) ?? 0) + 1);
    const stuck = [...failingNow].filter((k) => persisted.get(k)! >= STUCK_ROUNDS);
    if (stats.auditRounds < AUDIT_ROUNDS && stuck.length > 0 && stats.bindingTrials < BINDING_BUDGET) {
      const release = await bindingFigures(
        system,
        audit.failures.filter((f) => stuck.includes(f.figure)),
        free,
        stillFailing,
        () => stats.bindingTrials < BINDING_BUDGET,
      );
      for (const k of release) alsoWithhold.add(k);
      for (const k of stuck) persisted.delete(k);
    }
    if (stats.auditRounds < AUDIT_ROUNDS) {
      // The cheapest free shown figure on the links of each failure: a breakdown before a total, a month
      // before a quarter before a year, then the smallest.
      for (const f of audit.failures) {
        if (f.figure >= 0 && stuck.includes(f.figure)) continue;
        // Room comes from a figure of 3 or more; among those, the cheapest (then the smallest).
        const room = (k: number) => (system[k]!.numerator >= 3 ? 0 : 1);
        // The nearest free ones: a failure that persists once those on its own links are withheld is bound
        // further away.
        const near = Math.min(...f.neighbours.flatMap((n, i) => (free(n) ? [f.depths[i]!] : [])));
        const pick = f.neighbours
          .filter((n, i) => free(n) && f.depths[i] === near)
          .sort(
            (a, b) =>
              room(a) - room(b) || rank(a) - rank(b) || system[a]!.numerator - system[b]!.numerator || a - b,
          )[0];
        if (pick !== undefined) alsoWithhold.add(pick);
      }
    }
    if (alsoWithhold.size === before) {
      // Nothing cheap is left (or the rounds are used up): withhold more, one level at a time, until something
      // is added: the breakdowns of the failing indicators (and those sharing a quantity with them) in the
      // failures' years; the breakdowns of every indicator in the failures' breakdown and year; every
      // breakdown of those years; then the whole municipality's figures (what a manager steers by) of the
      // failing indicators; then every figure of those years. A failure that persists after the first level is
      // bound through other indicators of its year.
      // A ladder's failure: the step moves of the years its two days start.
      const failing = new Set(
        audit.failures.flatMap((f) => {
          if (f.ladder) {
            const l = ladders[f.ladder.ladder]!;
            return [l.before, l.now].flatMap((day) =>
              SHARING.step_down!.map((i) => `${i}|${addDays(day, 1).slice(0, 4)}`),
            );
          }
          const r = system[f.figure]!;
          const year = Number(r.periodStart.slice(0, 4));
          // Step moves are linked to the years on either side (the latent ladders' margins).
          const years = isStepMove(r) ? [year - 1, year, year + 1] : [year];
          return (SHARING[r.indicator] ?? [r.indicator]).flatMap((i) => years.map((y) => `${i}|${y}`));
        }),
      );
      const years = new Set([...failing].map((k) => k.slice(k.indexOf('|') + 1)));
      const dimensions = new Set(
        audit.failures.flatMap((f) =>
          f.figure < 0 ? [] : [`${system[f.figure]!.breakdown}|${system[f.figure]!.periodStart.slice(0, 4)}`],
        ),
      );
      const levels: ((r: KeyFigureRow) => boolean)[] = [
        (r) => r.breakdown !== '' && failing.has(`${r.indicator}|${r.periodStart.slice(0, 4)}`),
        (r) => r.breakdown !== '' && dimensions.has(`${r.breakdown}|${r.periodStart.slice(0, 4)}`),
        (r) => r.breakdown !== '' && years.has(r.periodStart.slice(0, 4)),
        (r) => failing.has(`${r.indicator}|${r.periodStart.slice(0, 4)}`),
        (r) => years.has(r.periodStart.slice(0, 4)),
      ];
      for (const level of levels) {
        system.forEach((r, k) => {
          if (free(k) && level(r)) alsoWithhold.add(k);
        });
        if (alsoWithhold.size > before) break;
      }
    }
    if (alsoWithhold.size === before) {
      // Every new figure of the failures' years is withheld: what is left is bound by what was published
      // before, which cannot be taken back. The publication adds nothing to it.
      break;
    }
    only = new Set(audit.failures.flatMap((f) => (f.figure < 0 ? [] : [f.figure])));
    ladderTargets = new Set(audit.failures.flatMap((f) => (f.ladder ? [f.ladder.ladder] : [])));
    published = protectKeyFigures(system, stepOf, { settled: statusOf, alsoWithhold });
  }
  // A figure keeps the reason the suppression first gave it; the audit's additions say 'audit'.
  return {
    published: published.map((p, k) => {
      const reason = firstReason.get(k);
      return reason ? { ...p, reason } : p;
    }),
    stats,
  };
}

/** Indicators whose figures a search for what binds stuck failures tries (bindingFigures). */
const BINDING_TRIALS = 6;
/**
 * Trial audits the searches of one publication may run: a count, not a time, so that a publication does not
 * depend on the machine. On the demo's largest first publication (601) unbounded searches tripled the audit.
 */
const BINDING_BUDGET = 40;

/**
 * What binds failures that nearest-neighbour suggestions have not freed (they are bound through figures
 * further away, often of another indicator): the free figures of one indicator in the failures' years whose
 * withholding frees the most of them, then thinned to the figures that are needed, keeping a whole-municipality
 * figure shown before a breakdown and a year before a quarter before a month. The indicators tried are those
 * of the failures' free neighbours, nearest first (at most BINDING_TRIALS). Each trial is an audit of the
 * failures only. Empty when no one indicator's figures help.
 */
async function bindingFigures(
  system: readonly KeyFigureRow[],
  failures: readonly AuditFailure[],
  free: (k: number) => boolean,
  stillFailing: (targets: readonly number[], extra: ReadonlySet<number>) => Promise<number>,
  more: () => boolean,
): Promise<Set<number>> {
  const stuck = failures.map((f) => f.figure);
  const years = new Set(stuck.map((k) => system[k]!.periodStart.slice(0, 4)));
  // Each indicator's nearest free neighbour of any failure, then how many there are.
  const nearest = new Map<string, { depth: number; count: number }>();
  for (const f of failures)
    f.neighbours.forEach((n, i) => {
      if (!free(n)) return;
      const ind = system[n]!.indicator;
      const e = nearest.get(ind) ?? { depth: Number.POSITIVE_INFINITY, count: 0 };
      nearest.set(ind, { depth: Math.min(e.depth, f.depths[i]!), count: e.count + 1 });
    });
  const tried = [...nearest]
    .sort((a, b) => a[1].depth - b[1].depth || b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .slice(0, BINDING_TRIALS)
    .map(([ind]) => ind);
  const groups = new Map<string, number[]>(tried.map((ind) => [ind, []]));
  system.forEach((r, k) => {
    if (free(k) && years.has(r.periodStart.slice(0, 4))) groups.get(r.indicator)?.push(k);
  });
  let best: { release: Set<number>; left: number } = { release: new Set(), left: stuck.length };
  for (const ks of groups.values()) {
    if (!more()) break;
    const release = new Set(ks);
    const left = await stillFailing(stuck, release);
    if (left < best.left) best = { release, left };
    if (left === 0) break;
  }
  if (best.left === stuck.length) return best.release;
  // Thin it: try to keep figures shown, the most useful first, in halves, then quarters, … then one by one
  // (the figures that bind are usually few, so most are kept in the first few trials).
  const keepFirst = [...best.release].sort(
    (a, b) => figureRank(system[b]!) - figureRank(system[a]!) || system[b]!.numerator - system[a]!.numerator,
  );
  for (let size = Math.ceil(keepFirst.length / 2); ; size = Math.ceil(size / 2)) {
    for (let i = 0; i < keepFirst.length && more(); i += size) {
      const chunk = keepFirst.slice(i, i + size).filter((k) => best.release.has(k));
      if (chunk.length === 0 || chunk.length === best.release.size) continue;
      for (const k of chunk) best.release.delete(k);
      if ((await stillFailing(stuck, best.release)) > best.left) for (const k of chunk) best.release.add(k);
    }
    if (size === 1) break;
  }
  return best.release;
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
      rowsOf<{ id: string }>(
        await tx.execute(
          sql`select key_figures_due(${definitionOf(ref)}, ${dueThrough(danishDate(clock.now()))}::date) as id`,
        ),
      ).map((r) => r.id),
    );
    const out: RefreshResult[] = [];
    for (const m of dirty) {
      const r = await refreshMunicipality(database, ref, m, danishDate(clock.now()), { onlyIfDue: true });
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
