import { z } from 'zod';
import { GOAL_STATUSES, lifeSituation, PRICE_UNITS, RATERS, SERVICE_STATUSES, WORDS_OF } from './pathway';
import { cprSchema } from './schemas';

/**
 * The import format for municipalities moving from another system (issue 5, item 6; docs/import-format.md):
 * NDJSON, one record per line, each with a `type` and a stable `id` from the old system. References between
 * records use those ids. A file is imported all or nothing; importing it again changes nothing.
 */
const externalId = z.string().trim().min(1, 'Skal udfyldes').max(100);
const name = z.string().trim().min(1, 'Skal udfyldes').max(200);
const isoDate = z.iso.date('Ugyldig dato (ÅÅÅÅ-MM-DD)');
const code = z.string().trim().min(1).max(60);

export const citizenRecord = z.object({
  type: z.literal('citizen'),
  id: externalId,
  cpr: cprSchema,
  firstName: name,
  lastName: name,
  /** The responsible unit, by name. */
  unit: name.optional(),
});

export const caseRecord = z.object({
  type: z.literal('case'),
  id: externalId,
  citizen: externalId,
  /** The authority unit, by name. */
  authorityUnit: name,
  reason: z.string().trim().min(1).max(2000),
  openedOn: isoDate,
  closedOn: isoDate.optional(),
  /** KL CareSocialCodes reason for ending (code), required with closedOn. */
  endReason: code.optional(),
});

export const serviceRecord = z.object({
  type: z.literal('service'),
  id: externalId,
  case: externalId,
  /** FFB ydelse, Serviceloven paragraph (e.g. "SEL §85") and FFB target group, as codes. */
  ydelse: code,
  paragraph: code,
  targetGroup: code,
  /** The provider unit, by name. */
  provider: name,
  status: z.enum(SERVICE_STATUSES),
  startOn: isoDate.optional(),
  endOn: isoDate.optional(),
  endReason: code.optional(),
  hoursPerWeek: z.number().min(0).max(168).optional(),
  priceAmount: z.number().min(0).max(10_000_000).optional(),
  priceUnit: z.enum(PRICE_UNITS).optional(),
});

export const followUpRecord = z.object({
  type: z.literal('follow_up'),
  id: externalId,
  service: externalId,
  heldOn: isoDate,
  /** FFB "Status på indsats" code. */
  result: code,
  notes: z.string().max(8000).optional(),
  life: lifeSituation.partial().optional(),
  /**
   * Goal attainment (GAS) at the follow-up: per goal of the service's case, by the citizen or the
   * professional, −2 to +2; `informant` (KL kilde) defaults to Borger for the citizen and Medarbejder alene
   * for the professional.
   */
  ratings: z
    .array(
      z.object({
        goal: externalId,
        rater: z.enum(RATERS),
        score: z.int().min(-2).max(2),
        informant: code.optional(),
      }),
    )
    .max(60)
    .optional(),
});

export const goalRecord = z.object({
  type: z.literal('goal'),
  id: externalId,
  case: externalId,
  /** The citizen's own goal, or an indsatsmål (FFB: primary subtheme, expected level, goal type). */
  kind: z.enum(['citizen_goal', 'intervention']),
  title: z.string().trim().min(1, 'Skal udfyldes').max(2000),
  /** Whose words the goal is in. */
  wordsOf: z.enum(WORDS_OF),
  status: z.enum(GOAL_STATUSES),
  createdOn: isoDate,
  /** When the goal reached its status, if later than createdOn (e.g. the day it was achieved). */
  statusOn: isoDate.optional(),
  dueOn: isoDate.optional(),
  /** For an indsatsmål: the citizen's goal it serves (in the file or already imported). */
  citizenGoal: externalId.optional(),
  subtheme: code.optional(),
  expectedLevel: z.number().int().min(0).max(4).optional(),
  goalType: code.optional(),
});

export const measureRecord = z.object({
  type: z.literal('measure'),
  id: externalId,
  citizen: externalId,
  /** Instrument key, e.g. "WHO-5". */
  instrument: z.string().min(1).max(20),
  administeredOn: isoDate,
  answers: z.record(z.string().max(10), z.number()),
});

export const importRecord = z.discriminatedUnion('type', [
  citizenRecord,
  caseRecord,
  serviceRecord,
  goalRecord,
  followUpRecord,
  measureRecord,
]);
export type ImportRecord = z.infer<typeof importRecord>;
export const IMPORT_TYPES = ['citizen', 'case', 'service', 'goal', 'follow_up', 'measure'] as const;

/** NDJSON, or CSV with a header row (a `type` column, nested fields as `life.employment`, `answers.1`). */
export const importFileBody = z.union([
  z.object({ ndjson: z.string().min(1).max(50_000_000) }).strict(),
  z.object({ csv: z.string().min(1).max(50_000_000) }).strict(),
]);
