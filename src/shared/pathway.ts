import { z } from 'zod';
import {
  codeText,
  isoDate as date,
  decimal,
  int,
  line,
  nullable,
  requiredLine,
  requiredText,
  text,
  token,
  uuid as uuidField,
  version,
} from './fields';

/** Enums and request schemas of the citizen's pathway: cases, assessments and goals. */

/** The phases of a case, in the order of VUM 2.0's steps. */
export const CASE_PHASES = [
  'opened',
  'assessment',
  'judgement',
  'plan',
  'ordering',
  'provision',
  'follow_up',
  'closed',
] as const;
export type CasePhase = (typeof CASE_PHASES)[number];
export const OPEN_PHASES = CASE_PHASES.filter((p) => p !== 'closed') as Exclude<CasePhase, 'closed'>[];

export const ASSESSMENT_KINDS = ['initial', 'reassessment', 'follow_up'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

/** The citizen's life situation, in fields that can be counted later (key figures). */
export const HOUSING = [
  'own_home',
  'with_family',
  'temporary_housing',
  'supported_temporary',
  'supported_long_term',
  'homeless',
  'shelter',
  'hospital',
  'other',
] as const;
export const EMPLOYMENT = [
  'ordinary_job',
  'flex_or_special_terms',
  'protected_employment',
  'in_education',
  'unemployed',
  'sick_leave',
  'early_retirement',
  'other',
] as const;
export const EDUCATION = ['primary', 'upper_secondary', 'vocational', 'higher', 'none_completed'] as const;
export const PSYCHIATRY_CONTACT = ['none', 'gp_only', 'outpatient', 'admitted_last_12m'] as const;

export const GOAL_KINDS = ['citizen_goal', 'purpose', 'intervention', 'sub'] as const;
export type GoalKind = (typeof GOAL_KINDS)[number];
/** Whose words a goal is in. */
export const WORDS_OF = ['citizen', 'citizen_supported', 'caseworker', 'provider'] as const;
export type WordsOf = (typeof WORDS_OF)[number];
export const GOAL_STATUSES = [
  'proposed',
  'active',
  'achieved',
  'partly_achieved',
  'not_achieved',
  'cancelled',
] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** An FFB or KL code: the concept's UUID. */
const code = token(/^[0-9a-f-]{36}$/);
const isoDate = date();
const uuid = uuidField();
/** A Serviceloven paragraph code, e.g. "SEL §85". */
const paragraph = codeText(20);

export const caseCreateBody = z.object({
  reason: requiredText(2000),
  authorityUnitId: nullable(uuid),
  caseworkerId: nullable(uuid),
  openedOn: isoDate.optional(),
});
export type CaseCreate = z.infer<typeof caseCreateBody>;

export const casePhaseBody = z.object({ phase: z.enum(OPEN_PHASES), version: version() });
export const caseCloseBody = z.object({
  endReasonCode: code,
  note: text(2000).default(''),
  closedOn: isoDate.optional(),
  version: version(),
});
export type CaseClose = z.infer<typeof caseCloseBody>;
export const caseListQuery = z.object({
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  open: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v !== 'false'),
});

export const assessmentCreateBody = z.object({
  kind: z.enum(ASSESSMENT_KINDS),
  assessedOn: isoDate.optional(),
});

export const lifeSituation = z.object({
  housing: nullable(z.enum(HOUSING)),
  employment: nullable(z.enum(EMPLOYMENT)),
  education: nullable(z.enum(EDUCATION)),
  psychiatryContact: nullable(z.enum(PSYCHIATRY_CONTACT)),
  admissions12m: nullable(int(0, 365)),
  admissionDays12m: nullable(int(0, 366)),
});
export type LifeSituation = z.infer<typeof lifeSituation>;
export const LIFE_FIELDS = [
  'housing',
  'employment',
  'education',
  'psychiatryContact',
  'admissions12m',
  'admissionDays12m',
] as const;
/** The life situation of a row that stores it (an assessment or a follow-up). */
export function lifeOf(
  row: { [K in (typeof LIFE_FIELDS)[number]]: LifeSituation[K] | string | null },
): LifeSituation {
  return Object.fromEntries(LIFE_FIELDS.map((k) => [k, row[k] ?? null])) as LifeSituation;
}

export const assessmentUpdateBody = z.object({
  version: version(),
  assessedOn: isoDate,
  supportNeedCode: nullable(code),
  supportNeedNote: text(4000).default(''),
  citizenPerspective: text(8000).default(''),
  citizenResources: text(8000).default(''),
  professionalJudgement: text(8000).default(''),
  life: lifeSituation,
  conditions: z
    .array(
      z.object({
        subthemeCode: code,
        level: nullable(int(0, 4)),
        /** FFB "Ikke vurderet": the functioning level was deliberately not assessed (then no level). */
        notAssessed: z.boolean().default(false),
        note: text(4000).default(''),
        inFocus: z.boolean().default(false),
      }),
    )
    .max(80),
  accounts: z.array(z.object({ themeCode: code, informantCode: code, body: requiredText(8000) })).max(120),
});
export type AssessmentUpdate = z.infer<typeof assessmentUpdateBody>;
export const versionBody = z.object({ version: version() });

/**
 * A goal's Goal Attainment Scale in words (Kiresuk & Sherman 1968; ../shared/domain/reference.md §3.5):
 * 0 is the expected outcome; −1/+1 a little less/more; −2/+2 much less/more. The expected outcome and one
 * level either side are required; the outer two are recommended.
 */
export const GAS_LEVELS = ['-2', '-1', '0', '1', '2'] as const;
export type GasLevel = (typeof GAS_LEVELS)[number];
export const gasLevelsSchema = z.object({
  '-2': text(1000).optional(),
  '-1': requiredText(1000),
  '0': requiredText(1000),
  '1': requiredText(1000),
  '2': text(1000).optional(),
});
export type GasLevels = z.infer<typeof gasLevelsSchema>;
/** The scale and the level the citizen is at when the goal is set (usually −1, or −2). */
export const gasScaleSchema = z.object({ levels: gasLevelsSchema, baseline: int(-2, 2) });
export type GasScale = z.infer<typeof gasScaleSchema>;
/** Goals that are rated with GAS at follow-ups: indsatsmål and delmål. */
export const GAS_KINDS: readonly GoalKind[] = ['intervention', 'sub'];

const goalFields = {
  title: requiredText(500),
  wordsOf: z.enum(WORDS_OF),
  what: text(2000).default(''),
  measure: text(2000).default(''),
  dueOn: nullable(isoDate),
  helpers: text(2000).default(''),
  status: z.enum(GOAL_STATUSES).default('proposed'),
  citizenGoalId: nullable(uuid),
  subthemeCode: nullable(code),
  expectedLevel: nullable(int(0, 4)),
  goalTypeCode: nullable(code),
  gasWeight: int(1, 4).default(1),
  /** Required for indsatsmål and delmål (GAS_KINDS); not used for the citizen's own goals. */
  gas: nullable(gasScaleSchema),
};
export const goalCreateBody = z.object({
  kind: z.enum(GOAL_KINDS),
  parentGoalId: nullable(uuid),
  ...goalFields,
});
export type GoalCreate = z.infer<typeof goalCreateBody>;
export const goalUpdateBody = z.object({ ...goalFields, version: version() });
export type GoalUpdate = z.infer<typeof goalUpdateBody>;
export const goalNoteBody = z.object({ body: requiredText(4000) });

// ---------- services, provider plans, follow-ups, measures ----------
export const SERVICE_STATUSES = ['proposed', 'granted', 'active', 'ended'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];
export const PRICE_UNITS = ['hour', 'month'] as const;

const money = decimal(0, 10_000_000);
export const cadenceBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('standard') }),
  z.object({ kind: z.literal('close'), months: z.union([z.literal(1), z.literal(2), z.literal(3)]) }),
]);

const serviceFields = {
  ydelseCode: code,
  paragraphCode: paragraph,
  providerUnitId: uuid,
  catalogueItemId: nullable(uuid),
  primaryTargetGroupCode: code,
  secondaryTargetGroupCodes: z.array(code).max(10).default([]),
  /** FFB støttebehovsniveau: required once the service is granted. */
  supportNeedCode: nullable(code),
  startOn: nullable(isoDate),
  endOn: nullable(isoDate),
  hoursPerWeek: nullable(decimal(0, 168)),
  priceAmount: nullable(money),
  priceUnit: nullable(z.enum(PRICE_UNITS)),
  cadence: cadenceBody.default({ kind: 'standard' }),
  goalIds: z.array(uuid).max(30).default([]),
};
export const serviceCreateBody = z.object({
  ...serviceFields,
  status: z.enum(['proposed', 'granted']).default('proposed'),
});
export type ServiceCreate = z.infer<typeof serviceCreateBody>;
export const serviceUpdateBody = z.object({ ...serviceFields, version: version() });
export type ServiceUpdate = z.infer<typeof serviceUpdateBody>;
export const serviceStatusBody = z.object({
  status: z.enum(['granted', 'active', 'ended']),
  on: isoDate.optional(),
  endReasonCode: nullable(code),
  version: version(),
});
export type ServiceStatusChange = z.infer<typeof serviceStatusBody>;

export const providerPlanBody = z.object({
  approach: requiredText(8000),
  methodCodes: z.array(codeText(40)).max(20).default([]),
});
export type ProviderPlanSave = z.infer<typeof providerPlanBody>;

export const RATERS = ['citizen', 'professional'] as const;
export const followUpBody = z.object({
  heldOn: isoDate,
  resultCode: code,
  notes: text(8000).default(''),
  citizenView: text(8000).default(''),
  ratings: z
    .array(
      z.object({
        goalId: uuid,
        rater: z.enum(RATERS),
        informantCode: code,
        score: int(-2, 2),
      }),
    )
    .max(60)
    .default([]),
  goalStatuses: z
    .array(z.object({ goalId: uuid, status: z.enum(GOAL_STATUSES) }))
    .max(30)
    .default([]),
  nextOn: nullable(isoDate),
  cadence: cadenceBody.optional(),
  endReasonCode: nullable(code),
  /** The life situation now (education, employment, admissions … for key figures). */
  life: lifeSituation.optional(),
});
export type FollowUpCreate = z.infer<typeof followUpBody>;

/** An instrument's answers, item id → value (checked against the instrument's scale when scored). */
export const instrumentAnswers = z.record(
  token(/^[A-Za-z0-9_]{1,10}$/, 'Ugyldigt spørgsmål'),
  decimal(-1000, 1000),
);

export const measurementBody = z.object({
  instrumentKey: codeText(20),
  administeredOn: isoDate,
  informantCode: code,
  answers: instrumentAnswers,
  serviceId: nullable(uuid),
});
export type MeasurementCreate = z.infer<typeof measurementBody>;

// ---------- §141 action plan ----------
export const PLAN_OFFER = ['not_offered', 'offered', 'accepted', 'declined'] as const;
export const AGREEMENT_HOW = ['meeting', 'phone', 'video', 'digital', 'letter'] as const;
export const PARTICIPANT_KINDS = [
  'provider',
  'jobcenter',
  'regional_psychiatry',
  'gp',
  'relative',
  'civil_society',
  'other',
] as const;
/** The fields of a §141 plan that are compared between versions (stk. 3 nr. 1–4 and the offer). */
export const PLAN_TEXT_FIELDS = [
  'purpose',
  'servicesNeeded',
  'expectedDuration',
  'housing',
  'employment',
  'personalHelp',
  'treatment',
  'aids',
] as const;

export const planBody = z.object({
  purpose: text(4000).default(''),
  servicesNeeded: text(4000).default(''),
  expectedDuration: text(500).default(''),
  housing: text(2000).default(''),
  employment: text(2000).default(''),
  personalHelp: text(2000).default(''),
  treatment: text(2000).default(''),
  aids: text(2000).default(''),
  offer: z.enum(PLAN_OFFER).default('not_offered'),
  offeredOn: nullable(isoDate),
  agreementOn: nullable(isoDate),
  agreementHow: nullable(z.enum(AGREEMENT_HOW)),
  agreementNote: text(2000).default(''),
  participants: z
    .array(
      z.object({
        kind: z.enum(PARTICIPANT_KINDS),
        name: requiredLine(200),
        responsibility: text(1000).default(''),
      }),
    )
    .max(30)
    .default([]),
  /** The draft's row version when editing one; absent when starting a new draft. */
  rowVersion: version().optional(),
});
export type PlanSave = z.infer<typeof planBody>;
export const planShareBody = z.object({ rowVersion: version() });

// ---------- community offers (civil society) ----------
export const OFFER_CATEGORIES = [
  'community',
  'sport',
  'culture',
  'volunteering',
  'peer_support',
  'education',
  'work',
  'other',
] as const;
export const offerBody = z.object({
  name: requiredLine(200),
  organiser: line(200).default(''),
  category: z.enum(OFFER_CATEGORIES),
  location: line(300).default(''),
  schedule: text(300).default(''),
  contact: text(300).default(''),
  tags: z.array(requiredLine(40)).max(15).default([]),
  active: z.boolean().default(true),
});
export const offerUpdateBody = offerBody.extend({ version: version() });
export const LINK_STATUSES = ['suggested', 'started', 'continuing', 'stopped'] as const;
export const offerLinkBody = z.object({
  offerId: uuid,
  status: z.enum(LINK_STATUSES).default('suggested'),
  startedOn: nullable(isoDate),
  note: text(1000).default(''),
});
export const offerLinkUpdateBody = z.object({
  status: z.enum(LINK_STATUSES),
  startedOn: nullable(isoDate),
  checkedOn: nullable(isoDate),
  note: text(1000).default(''),
  version: version(),
});

// ---------- municipal catalogue ----------
export const catalogueBody = z.object({
  kind: z.enum(['method', 'local_service']),
  code: z
    .string()
    .trim()
    .max(40)
    .regex(/^[A-Z0-9_-]{2,40}$/, 'Kode: 2-40 tegn, A-Z, 0-9, _ eller -'),
  name: requiredLine(200),
  description: text(2000).default(''),
  paragraphCode: nullable(paragraph),
  ydelseCode: nullable(code),
  providerUnitId: nullable(uuid),
  priceAmount: nullable(money),
  priceUnit: nullable(z.enum(PRICE_UNITS)),
  active: z.boolean().default(true),
});
export type CatalogueSave = z.infer<typeof catalogueBody>;
export const catalogueUpdateBody = catalogueBody.extend({ version: version() });
