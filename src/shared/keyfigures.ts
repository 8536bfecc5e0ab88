import { z } from 'zod';
import { DECIMAL_LIMIT, decimal, isoDate, isoDateTime, requiredLine, token, uuid } from './fields';
import { BREAKDOWNS, INDICATORS, PERIOD_KINDS } from './indicators';

/** The dashboard's requests and the aggregate exchange file (issue 5). */

export const periodKindSchema = z.enum(PERIOD_KINDS);
export const breakdownSchema = z.enum(Object.keys(BREAKDOWNS) as [keyof typeof BREAKDOWNS]);
export const indicatorKeySchema = z.enum(INDICATORS.map((i) => i.key) as [string, ...string[]]);

export const overviewQuery = z.object({ period: periodKindSchema.default('quarter') });

export const indicatorQuery = z.object({
  period: periodKindSchema.default('quarter'),
  breakdown: breakdownSchema.optional(),
  group: uuid().optional(),
});

export const exportQuery = z.object({
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
  period: periodKindSchema.optional(),
});

/** A comparison group has at least 5 municipalities, so a group figure never stands for one or two. */
export const MIN_GROUP_MEMBERS = 5;

export const comparisonGroupBody = z.object({
  name: requiredLine(100),
  members: z
    .array(uuid())
    .min(MIN_GROUP_MEMBERS, `En sammenligningsgruppe skal have mindst ${MIN_GROUP_MEMBERS} kommuner.`)
    .max(200)
    .refine((m) => new Set(m).size === m.length, 'En kommune kan kun være med én gang.'),
});
export type ComparisonGroupBody = z.infer<typeof comparisonGroupBody>;

/**
 * The day a municipality's key figures are published from (null: as far back as its data go): the first day
 * of a month from 2000, when its data became complete (go-live with the running caseload brought over).
 */
export const keyFigureSettingsBody = z.object({
  from: isoDate()
    .refine((d) => d >= '2000-01-01', { message: 'Vælg en dato fra år 2000 eller senere.' })
    .refine((d) => d.endsWith('-01'), { message: 'Vælg den første dag i en måned.' })
    .nullable(),
});
export type KeyFigureSettings = z.infer<typeof keyFigureSettingsBody>;

/** A figure is shown or withheld ("skjult"); why it is withheld is never published (issue 13). */
export const FIGURE_STATUSES = ['shown', 'withheld'] as const;
export type FigureStatusKey = (typeof FIGURE_STATUSES)[number];
/** Statuses of the first exchange format, which named the reason: read as 'withheld'. */
const LEGACY_WITHHELD = ['too_few', 'dominance', 'complementary'] as const;

/** One point of a series as the API returns it (numbers only when shown). */
export interface FigurePoint {
  start: string;
  status: FigureStatusKey;
  numerator: number | null;
  denominator: number | null;
  figure: number | null;
}

/** A group's figure for a period: aggregated from the members' published figures only. */
export interface GroupPoint {
  start: string;
  figure: number | null;
  /** Members whose figure for the period is published (and so counted). */
  contributing: number;
  of: number;
}

export const EXCHANGE_FORMAT = 'retning-keyfigures-exchange/2';
/** Files of the first format are still read; their reasons are dropped. */
export const LEGACY_EXCHANGE_FORMAT = 'retning-keyfigures-exchange/1';

/**
 * The aggregate exchange file (docs/benchmark-exchange.md): one municipality's published totals. It holds
 * no personal data: only figures that passed disclosure control, withheld ones without numbers.
 */
export const exchangeFile = z.object({
  format: z.enum([EXCHANGE_FORMAT, LEGACY_EXCHANGE_FORMAT]),
  municipality: z.object({ code: token(/^\d{3}$/, 'Kommunekoden er tre cifre'), name: requiredLine(200) }),
  computedAt: isoDateTime().nullable(),
  generatedAt: isoDateTime(),
  figures: z
    .array(
      z.object({
        indicator: indicatorKeySchema,
        periodKind: periodKindSchema,
        periodStart: isoDate(),
        status: z
          .enum([...FIGURE_STATUSES, ...LEGACY_WITHHELD])
          .transform((s): FigureStatusKey => (s === 'shown' ? 'shown' : 'withheld')),
        // Counts and amounts are never negative; a figure (a change in a score, say) may be.
        numerator: decimal(0, DECIMAL_LIMIT).nullable(),
        denominator: decimal(0, DECIMAL_LIMIT).nullable(),
        figure: decimal(-DECIMAL_LIMIT, DECIMAL_LIMIT).nullable(),
      }),
    )
    .max(100_000),
});
export type ExchangeFile = z.infer<typeof exchangeFile>;
