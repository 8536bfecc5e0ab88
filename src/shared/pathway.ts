import { z } from 'zod';

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

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1, 'Skal udfyldes').max(max);
const nullable = <T extends z.ZodType>(s: T) => s.nullish().transform((v) => v ?? null);
const code = z.string().regex(/^[0-9a-f-]{36}$/, 'Ugyldig kode');
const isoDate = z.iso.date('Ugyldig dato (ÅÅÅÅ-MM-DD)');
const uuid = z.uuid();

export const caseCreateBody = z.object({
  reason: required(2000),
  authorityUnitId: nullable(uuid),
  caseworkerId: nullable(uuid),
  openedOn: isoDate.optional(),
});
export type CaseCreate = z.infer<typeof caseCreateBody>;

export const casePhaseBody = z.object({ phase: z.enum(OPEN_PHASES), version: z.int().min(1) });
export const caseCloseBody = z.object({
  endReasonCode: code,
  note: text(2000).default(''),
  closedOn: isoDate.optional(),
  version: z.int().min(1),
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
  admissions12m: nullable(z.int().min(0).max(365)),
  admissionDays12m: nullable(z.int().min(0).max(366)),
});
export type LifeSituation = z.infer<typeof lifeSituation>;

export const assessmentUpdateBody = z.object({
  version: z.int().min(1),
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
        level: nullable(z.int().min(0).max(4)),
        note: text(4000).default(''),
        inFocus: z.boolean().default(false),
      }),
    )
    .max(80),
  accounts: z.array(z.object({ themeCode: code, informantCode: code, body: required(8000) })).max(120),
});
export type AssessmentUpdate = z.infer<typeof assessmentUpdateBody>;
export const versionBody = z.object({ version: z.int().min(1) });

const goalFields = {
  title: required(500),
  wordsOf: z.enum(WORDS_OF),
  what: text(2000).default(''),
  measure: text(2000).default(''),
  dueOn: nullable(isoDate),
  helpers: text(2000).default(''),
  status: z.enum(GOAL_STATUSES).default('proposed'),
  citizenGoalId: nullable(uuid),
  subthemeCode: nullable(code),
  expectedLevel: nullable(z.int().min(0).max(4)),
  goalTypeCode: nullable(code),
  gasWeight: z.int().min(1).max(4).default(1),
};
export const goalCreateBody = z.object({
  kind: z.enum(GOAL_KINDS),
  parentGoalId: nullable(uuid),
  ...goalFields,
});
export type GoalCreate = z.infer<typeof goalCreateBody>;
export const goalUpdateBody = z.object({ ...goalFields, version: z.int().min(1) });
export type GoalUpdate = z.infer<typeof goalUpdateBody>;
export const goalNoteBody = z.object({ body: required(4000) });
