import { sql } from 'drizzle-orm';
import { check, integer, numeric, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { day, ts } from './columns';
import { tenant } from './pathway';

/**
 * Key figures (issue 5), as computed for one municipality: one row per indicator × period × breakdown value
 * (src/server/modules/keyfigures/keyfigures.compute.ts). Raw counts: disclosure control is applied when a
 * figure is published.
 */
export const keyFigures = pgTable(
  'key_figures',
  {
    municipalityId: tenant(),
    indicator: text('indicator').notNull(),
    periodKind: text('period_kind').notNull(),
    periodStart: day('period_start').notNull(),
    /** '' for the municipality as a whole. */
    breakdown: text('breakdown').notNull(),
    value: text('value').notNull(),
    numerator: numeric('numerator', { precision: 16, scale: 2 }).notNull(),
    denominator: numeric('denominator', { precision: 16, scale: 2 }),
  },
  (t) => [
    primaryKey({
      name: 'key_figures_pkey',
      columns: [t.municipalityId, t.indicator, t.periodKind, t.periodStart, t.breakdown, t.value],
    }),
    check('key_figures_period_kind_check', sql`${t.periodKind} in ('month','quarter','year')`),
  ],
);

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
});
