import { z } from 'zod';
import {
  codeText,
  isoDate as date,
  decimal,
  document,
  int,
  requiredLine,
  requiredText,
  text,
} from './fields';
import {
  AGREEMENT_HOW,
  ASSESSMENT_KINDS,
  GOAL_STATUSES,
  gasScaleSchema,
  instrumentAnswers,
  lifeSituation,
  PARTICIPANT_KINDS,
  PLAN_OFFER,
  PRICE_UNITS,
  RATERS,
  SERVICE_STATUSES,
  WORDS_OF,
} from './pathway';
import { cprSchema } from './schemas';

/**
 * The import format for municipalities moving from another system (issue 5, item 6; docs/import-format.md):
 * NDJSON, one record per line, each with a `type` and a stable `id` from the old system. References between
 * records use those ids. A file is imported all or nothing; importing it again changes nothing.
 */
const externalId = requiredLine(100);
const name = requiredLine(200);
const isoDate = date();
const code = codeText(60);

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
  reason: requiredText(2000),
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
  /** FFB støttebehovsniveau (code); a granted or active service needs it, as in Retning. */
  supportNeed: code.optional(),
  startOn: isoDate.optional(),
  endOn: isoDate.optional(),
  endReason: code.optional(),
  hoursPerWeek: decimal(0, 168).optional(),
  priceAmount: decimal(0, 10_000_000).optional(),
  priceUnit: z.enum(PRICE_UNITS).optional(),
});

export const followUpRecord = z.object({
  type: z.literal('follow_up'),
  id: externalId,
  service: externalId,
  heldOn: isoDate,
  /** FFB "Status på indsats" code. */
  result: code,
  notes: text(8000).optional(),
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
        score: int(-2, 2),
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
  /**
   * The citizen's own goal, an indsatsmål (FFB: primary subtheme, expected level, goal type) or a delmål
   * (the provider's step under an indsatsmål, on a service).
   */
  kind: z.enum(['citizen_goal', 'intervention', 'sub']),
  title: requiredText(2000),
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
  expectedLevel: int(0, 4).optional(),
  goalType: code.optional(),
  /** For a delmål: the indsatsmål it serves and the service whose provider works on it. */
  parent: externalId.optional(),
  service: externalId.optional(),
  /** GAS scale of an indsatsmål or delmål: −2…+2 in words (0, −1 and +1 required) and the baseline. */
  gas: gasScaleSchema.optional(),
});

/** An udredning per FFB theme (docs/import-format.md): conditions with levels, accounts per informant. */
export const assessmentRecord = z.object({
  type: z.literal('assessment'),
  id: externalId,
  case: externalId,
  kind: z.enum(ASSESSMENT_KINDS),
  assessedOn: isoDate,
  /** Completed assessments are history (immutable); a draft can be updated by a later import. */
  status: z.enum(['completed', 'draft']).default('completed'),
  supportNeed: code.optional(),
  supportNeedNote: text(4000).optional(),
  citizenPerspective: text(8000).optional(),
  citizenResources: text(8000).optional(),
  professionalJudgement: text(8000).optional(),
  life: lifeSituation.partial().optional(),
  conditions: z
    .array(
      z.object({
        subtheme: code,
        level: int(0, 4).optional(),
        notAssessed: z.boolean().optional(),
        note: text(4000).optional(),
        inFocus: z.boolean().optional(),
      }),
    )
    .max(80)
    .optional(),
  accounts: z
    .array(z.object({ theme: code, informant: code, text: requiredText(8000) }))
    .max(120)
    .optional(),
});

/** A version of the §141 action plan; a shared version is history (immutable). */
export const planRecord = z.object({
  type: z.literal('plan'),
  id: externalId,
  case: externalId,
  version: int(1, 1000),
  status: z.enum(['shared', 'draft']),
  /** When a shared version was shared with the citizen. */
  sharedOn: isoDate.optional(),
  purpose: text(4000).optional(),
  servicesNeeded: text(4000).optional(),
  expectedDuration: text(500).optional(),
  housing: text(2000).optional(),
  employment: text(2000).optional(),
  personalHelp: text(2000).optional(),
  treatment: text(2000).optional(),
  aids: text(2000).optional(),
  offer: z.enum(PLAN_OFFER).optional(),
  offeredOn: isoDate.optional(),
  agreementOn: isoDate.optional(),
  agreementHow: z.enum(AGREEMENT_HOW).optional(),
  participants: z
    .array(
      z.object({
        kind: z.enum(PARTICIPANT_KINDS),
        name: requiredLine(200),
        responsibility: text(1000).optional(),
      }),
    )
    .max(30)
    .optional(),
});

export const measureRecord = z.object({
  type: z.literal('measure'),
  id: externalId,
  citizen: externalId,
  /** Instrument key, e.g. "WHO-5". */
  instrument: codeText(20),
  administeredOn: isoDate,
  answers: instrumentAnswers,
});

export const importRecord = z.discriminatedUnion('type', [
  citizenRecord,
  caseRecord,
  serviceRecord,
  goalRecord,
  assessmentRecord,
  planRecord,
  followUpRecord,
  measureRecord,
]);
export type ImportRecord = z.infer<typeof importRecord>;
export const IMPORT_TYPES = [
  'citizen',
  'case',
  'service',
  'goal',
  'assessment',
  'plan',
  'follow_up',
  'measure',
] as const;

/** NDJSON, or CSV with a header row (a `type` column, nested fields as `life.employment`, `answers.1`). */
export const importFileBody = z.union([
  z.object({ ndjson: document(50_000_000) }).strict(),
  z.object({ csv: document(50_000_000) }).strict(),
]);
