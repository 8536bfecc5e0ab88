import { sql } from 'drizzle-orm';
import {
  check,
  date,
  integer,
  jsonb,
  numeric,
  pgTable,
  pgView,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { day, ts } from './columns';
import { tenant } from './pathway';

/**
 * When a municipality's figures were last computed, and whether pathway data has changed since (set by
 * triggers on the pathway tables, cleared when a refresh claims it).
 */
export const keyFigureState = pgTable('key_figure_state', {
  municipalityId: tenant().primaryKey(),
  dirtySince: ts('dirty_since'),
  computedAt: ts('computed_at'),
  durationMs: integer('duration_ms'),
  rows: integer('rows'),
  /** 'computed' here from the municipality's pathways, or 'exchange': loaded from its exchange file. */
  source: text('source').notNull().default('computed'),
  /**
   * The definitions the figures were computed with (keyFigureDefinition(): indicators, their SQL, the
   * ladder steps and the protection rules). A deployment with other definitions recomputes them.
   */
  definition: text('definition'),
  /**
   * The last day of the last published month: every period that ended by then is published and frozen
   * (issue 13, decision 010). Null before the first publication.
   */
  publishedThrough: date('published_through', { mode: 'string' }),
});

/**
 * The protection log (issue 13): why each withheld figure is withheld (too few, dominance, a complement,
 * or more suppression asked for by the audit). Internal to the municipality: the reason is never published,
 * and no other municipality can read it (RLS).
 */
export const keyFigureProtectionLog = pgTable(
  'key_figure_protection_log',
  {
    municipalityId: tenant(),
    periodKind: text('period_kind').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    indicator: text('indicator').notNull(),
    breakdown: text('breakdown').notNull(),
    value: text('value').notNull(),
    reason: text('reason').notNull(),
    loggedAt: ts('logged_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({
      name: 'key_figure_protection_log_pkey',
      columns: [t.municipalityId, t.periodKind, t.periodStart, t.indicator, t.breakdown, t.value],
    }),
    check(
      'key_figure_protection_log_reason_check',
      sql`${t.reason} in ('too_few','dominance','complementary','audit')`,
    ),
  ],
);

/**
 * The step-down ladders as published (protected), one per publication: where the citizens stood a year
 * before `today` (on `year_ago`) and where they stand on `today`, with the flows between steps. Each is
 * frozen when published and audited together with every later publication (issue 13, decision 010). The
 * newest is the one shown.
 */
export const keyFigureLadders = pgTable(
  'key_figure_ladders',
  {
    municipalityId: tenant(),
    yearAgo: date('year_ago', { mode: 'string' }).notNull(),
    today: date('today', { mode: 'string' }).notNull(),
    /** PublishedLadder: the step labels and the protected table. */
    ladder: jsonb('ladder').notNull(),
    publishedAt: ts('published_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'key_figure_ladders_pkey', columns: [t.municipalityId, t.today] })],
);

/**
 * The published key figures, one row per series: a municipality's figures for one indicator, kind of period
 * and breakdown value, over time (the arrays run in step, ordered by period start). Only what disclosure
 * control (src/server/modules/keyfigures/keyfigures.protect.ts) lets out; the raw figures are never stored.
 * A withheld figure keeps its place with its reason and null numbers (checked by key_figure_series_valid()),
 * so a chart can show the gap. The municipality's totals (breakdown '') are readable by every municipality
 * in the deployment (comparison); breakdowns only by the municipality itself. Read through the view
 * key_figures_published (one row per figure). Series rather than figures: a refresh writes some 15 times
 * fewer rows (decision 009).
 */
export const keyFigureSeries = pgTable(
  'key_figure_series',
  {
    municipalityId: tenant(),
    periodKind: text('period_kind').notNull(),
    /** '' for the municipality as a whole. */
    breakdown: text('breakdown').notNull(),
    indicator: text('indicator').notNull(),
    value: text('value').notNull(),
    periodStarts: date('period_starts', { mode: 'string' }).array().notNull(),
    /** 'shown' or 'withheld' (the reason is in key_figure_protection_log only). */
    statuses: text('statuses').array().notNull(),
    numerators: numeric('numerators', { precision: 16, scale: 2 }).array().notNull(),
    denominators: numeric('denominators', { precision: 16, scale: 2 }).array().notNull(),
    /** The figures as shown: the count, rate, mean, median or amount. */
    figures: numeric('figures', { precision: 18, scale: 4 }).array().notNull(),
  },
  (t) => [
    // In the order the dashboard reads: own or a member's figures, by period kind, breakdown, indicator.
    primaryKey({
      name: 'key_figure_series_pkey',
      columns: [t.municipalityId, t.periodKind, t.breakdown, t.indicator, t.value],
    }),
    check('key_figure_series_period_kind_check', sql`${t.periodKind} in ('month','quarter','year')`),
    check(
      'key_figure_series_valid_check',
      sql`key_figure_series_valid(${t.periodStarts}, ${t.statuses}, ${t.numerators}, ${t.denominators}, ${t.figures})`,
    ),
  ],
);

/** The published key figures one per row: key_figure_series unnested (a view with the caller's RLS). */
export const keyFiguresPublished = pgView('key_figures_published', {
  municipalityId: uuid('municipality_id').notNull(),
  indicator: text('indicator').notNull(),
  periodKind: text('period_kind').notNull(),
  periodStart: day('period_start').notNull(),
  breakdown: text('breakdown').notNull(),
  value: text('value').notNull(),
  status: text('status').notNull(),
  numerator: numeric('numerator', { precision: 16, scale: 2 }),
  denominator: numeric('denominator', { precision: 16, scale: 2 }),
  figure: numeric('figure', { precision: 18, scale: 4 }),
}).existing();

/**
 * A municipality's comparison groups for the dashboard, defined by its administrator (e.g. municipalities
 * of similar size): at least 5 member municipalities, so a group figure never stands for one or two.
 */
export const comparisonGroups = pgTable(
  'comparison_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: tenant(),
    name: text('name').notNull(),
    members: uuid('members').array().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('comparison_groups_members_check', sql`cardinality(${t.members}) >= 5`)],
);
