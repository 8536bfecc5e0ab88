import { sql } from 'drizzle-orm';
import { check, integer, jsonb, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
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
  /** The step-down ladder a year ago and now, with the flows between steps, as published (protected). */
  ladder: jsonb('ladder'),
  /** 'computed' here from the municipality's pathways, or 'exchange': loaded from its exchange file. */
  source: text('source').notNull().default('computed'),
  /**
   * The definitions the figures were computed with (keyFigureDefinition(): indicators, their SQL, the
   * ladder steps and the protection rules). A deployment with other definitions recomputes them.
   */
  definition: text('definition'),
});

/**
 * The published key figures: what disclosure control lets out of the figures computed for a municipality
 * (src/server/modules/keyfigures/keyfigures.protect.ts; the raw figures are never stored). A withheld figure keeps its row with null numbers and
 * the reason, so a chart can show the gap. The municipality's totals (breakdown '') are readable by every
 * municipality in the deployment (comparison); breakdowns only by the municipality itself.
 */
export const keyFiguresPublished = pgTable(
  'key_figures_published',
  {
    municipalityId: tenant(),
    indicator: text('indicator').notNull(),
    periodKind: text('period_kind').notNull(),
    periodStart: day('period_start').notNull(),
    breakdown: text('breakdown').notNull(),
    value: text('value').notNull(),
    /** 'shown', 'too_few' (primary), 'dominance' (primary, amounts) or 'complementary'. */
    status: text('status').notNull(),
    numerator: numeric('numerator', { precision: 16, scale: 2 }),
    denominator: numeric('denominator', { precision: 16, scale: 2 }),
    /** The figure as shown: the count, rate, mean, median or amount. */
    figure: numeric('figure', { precision: 18, scale: 4 }),
  },
  (t) => [
    primaryKey({
      // In the order the dashboard reads: own or a member's figures, by period kind, breakdown, indicator.
      name: 'key_figures_published_pkey',
      columns: [t.municipalityId, t.periodKind, t.breakdown, t.indicator, t.periodStart, t.value],
    }),
    check(
      'key_figures_published_status_check',
      sql`${t.status} in ('shown','too_few','dominance','complementary')`,
    ),
    check(
      'key_figures_published_withheld_check',
      sql`${t.status} = 'shown' or (${t.numerator} is null and ${t.denominator} is null and ${t.figure} is null)`,
    ),
  ],
);

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
